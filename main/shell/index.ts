// The Electron shell: window, protocol, security hooks, IPC registration. Everything it shows
// comes from the AppCore, which knows nothing of Electron.
import { app, BrowserWindow, ipcMain, protocol, net, session, shell, safeStorage } from 'electron';
import Store from 'electron-store';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createApp } from '../engine/create-app.js';
import { SETTINGS_LIBRARY_OPTIONS } from '../settings/data-folder.js';
import { vendorRegistry } from '../vendors/registry.js';
import { ChromiumTransport } from '../vendors/shared/chromium-transport.js';
import { useVendorTransport } from '../vendors/shared/transport.js';
import { registerIpc } from './ipc.js';
import { createNotifier } from './notifications.js';
import { createTray } from './tray.js';
import type { AppCore } from '../engine/app-core.js';
import { APP_ORIGIN, APP_SCHEME, RENDERER_CSP, isTrustedSender, rendererFileFor, secureWebPreferences } from './security.js';
import { hardenWebContents, installPermissionHandlers } from './harden.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

let win: BrowserWindow | null = null;
let quitting = false;

// Navigation, new windows and webviews are refused for every web contents, not just ours.
app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));

app.on('second-instance', () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
});

async function main(): Promise<void> {
  await app.whenReady();
  // Vendor requests through Chromium: the system proxy (PAC too) and the OS certificate store.
  useVendorTransport(new ChromiumTransport((input, init) => net.fetch(input, init)));

  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir, path.sep);
    if (!file || !file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  installPermissionHandlers(session.defaultSession);

  const dataDir = app.getPath('userData');
  let core: AppCore | null = null;
  const focusWindow = (focus?: { callKey: string | null; agentKey: string | null }): void => {
    if (!win) return;
    win.show();
    win.focus();
    if (focus && (focus.callKey || focus.agentKey)) core?.dispatcher.emit('focus', focus);
  };
  const notifier = createNotifier({
    prefs: () => core!.preferences().notifications,
    onClick: (notice) => focusWindow({ callKey: notice.callKey, agentKey: notice.agentKey }),
  });
  const tray = createTray({
    iconPath: path.join(here, '..', '..', 'build', 'tray.png'),
    dispatch: (name, input) => core!.dispatcher.dispatch(name, input),
    showWindow: focusWindow,
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  core = await createApp({
    onAlerts: (alerts) => notifier.offer(alerts),
    onTray: (model) => tray.update(model),
    host: 'electron',
    version: app.getVersion(),
    dataDir,
    createConf: () => new Store({ name: 'settings', cwd: dataDir, ...SETTINGS_LIBRARY_OPTIONS }),
    vendors: vendorRegistry,
    encryptor: {
      isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
      backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
      encryptString: (s) => safeStorage.encryptString(s),
      decryptString: (b) => safeStorage.decryptString(b),
    },
  });

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Switchboard',
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(preloadPath),
  });
  registerIpc(
    ipcMain,
    core.dispatcher,
    (frame) => isTrustedSender(frame, win?.webContents.mainFrame ?? null),
    () => win?.webContents ?? null,
  );
  win.once('ready-to-show', () => win?.show());
  // Closing hides to the tray when the supervisor wants it so; Quit lives in the tray menu.
  win.on('close', (event) => {
    if (!quitting && core?.preferences().ui.closeToTray) {
      event.preventDefault();
      win?.hide();
    }
  });
  win.on('show', () => core?.engine.setVisible(true));
  win.on('hide', () => core?.engine.setVisible(false));
  win.on('minimize', () => core?.engine.setVisible(false));
  win.on('restore', () => core?.engine.setVisible(true));
  win.on('closed', () => (win = null));
  app.on('before-quit', () => {
    quitting = true;
    notifier.stop();
    tray.destroy();
    void core?.stop();
  });
  tray.update(core.engine.tray());
  // The window loads while the accounts (or the demo) connect: it fills in from their events.
  await Promise.all([win.loadURL(`${APP_ORIGIN}/index.html`), core.start()]);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

main().catch((err: unknown) => {
  console.error('Switchboard failed to start:', err instanceof Error ? err.message : 'unknown error');
  app.exit(1);
});
