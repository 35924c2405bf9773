// The shell's security hooks as functions over the few Electron methods they use, so the wiring
// itself (not only the rules in security.ts) is tested without an Electron binary.
import { navigationAllowed, permissionAllowed, safeExternalUrl } from './security.js';

interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsHooks {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Navigation away, webviews and new windows are refused; https links go to the OS browser. */
export function hardenWebContents(contents: WebContentsHooks, openExternal: (url: string) => Promise<void> | void): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = safeExternalUrl(url);
    if (external) void openExternal(external);
    return { action: 'deny' };
  });
}

export interface PermissionHooks {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
}

/** Every permission request and check is answered by one rule: notifications only. */
export function installPermissionHandlers(session: PermissionHooks): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
  session.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
}
