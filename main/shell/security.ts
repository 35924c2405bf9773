// Every security decision the Electron shell makes, as plain functions: the shell wires them to
// Electron's hooks, and unit tests check them where no Electron binary exists.

/** The renderer's own origin (a privileged custom scheme, never file:// or http). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** main makes every network call, so the renderer may connect nowhere. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Only notifications are ever granted; camera, microphone, geolocation, clipboard ... are denied. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'notifications';
}

/** A URL the shell may hand to the OS browser: https only, after parsing, never credentials in it. */
export function safeExternalUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.toString();
}

/** Navigation away from the app's own origin is never allowed (links open via safeExternalUrl). */
export function navigationAllowed(raw: string): boolean {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export interface FrameLike {
  url: string;
  processId?: number;
  routingId?: number;
}

/** IPC is honoured only from the main window's own top frame showing the app's own page. */
export function isTrustedSender(sender: FrameLike | null | undefined, mainFrame: FrameLike | null | undefined): boolean {
  if (!sender || !mainFrame) return false;
  const sameFrame =
    sender === mainFrame ||
    (sender.processId !== undefined && sender.processId === mainFrame.processId && sender.routingId === mainFrame.routingId);
  if (!sameFrame) return false;
  return navigationAllowed(sender.url);
}

/** Resolves an app:// URL to a file inside the renderer folder, refusing any path escape. */
export function rendererFileFor(raw: string, rendererDir: string, sep = '/'): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN) return null;
  const rel = decodeURIComponent(u.pathname).replace(/^\/+/, '') || 'index.html';
  if (rel.split(/[\\/]/).some((seg) => seg === '..')) return null;
  return `${rendererDir}${sep}${rel.split('/').join(sep)}`;
}
