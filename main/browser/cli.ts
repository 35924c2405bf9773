// `npm run start:browser`: the same engine in Node, the renderer served to any Chromium on loopback.
import Conf from 'conf';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../engine/create-app.js';
import { SETTINGS_LIBRARY_OPTIONS } from '../settings/data-folder.js';
import { vendorRegistry } from '../vendors/registry.js';
import { NodeTransport } from '../vendors/shared/node-transport.js';
import { useVendorTransport } from '../vendors/shared/transport.js';
import { startBrowserConsole } from './server.js';

/** Where Electron would keep userData for "Switchboard", so both hosts share one settings file. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Switchboard');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Switchboard');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Switchboard');
}

/** Tests and recordings pin the demo: a seed, and the traffic pace (0 = frozen). */
export function demoOptionsFromEnv(env: NodeJS.ProcessEnv): { seed?: number; trafficEveryMs?: number } {
  const out: { seed?: number; trafficEveryMs?: number } = {};
  if (env.SWITCHBOARD_DEMO_SEED && /^\d+$/.test(env.SWITCHBOARD_DEMO_SEED)) out.seed = Number(env.SWITCHBOARD_DEMO_SEED);
  if (env.SWITCHBOARD_DEMO_TRAFFIC_MS && /^\d+$/.test(env.SWITCHBOARD_DEMO_TRAFFIC_MS)) out.trafficEveryMs = Number(env.SWITCHBOARD_DEMO_TRAFFIC_MS);
  return out;
}

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = process.env.SWITCHBOARD_DATA_DIR ?? defaultDataDir();
  // Vendor requests honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as other command-line tools here do.
  useVendorTransport(new NodeTransport({ proxiesFromEnv: true }));
  const core = await createApp({
    host: 'browser',
    version: process.env.npm_package_version ?? '0.0.0',
    dataDir,
    createConf: () =>
      new Conf<Record<string, unknown>>({
        projectName: 'switchboard',
        cwd: dataDir,
        configName: 'settings',
        ...SETTINGS_LIBRARY_OPTIONS,
      }),
    vendors: vendorRegistry,
    demoOptions: demoOptionsFromEnv(process.env),
  });
  const port = process.env.SWITCHBOARD_PORT ? Number(process.env.SWITCHBOARD_PORT) : 0;
  const consoleServer = await startBrowserConsole({
    dispatcher: core.dispatcher,
    rendererDir: path.join(here, '..', 'renderer'),
    port,
    onDrop: (drop) => console.warn(`Switchboard browser console: a page was disconnected (${drop.why}: ${drop.detail}); it reconnects by itself.`),
  });
  console.log(`Switchboard browser console: ${consoleServer.url}`);
  // The page can load while the accounts (or the demo) connect: it fills in from their events.
  await core.start();
  const vault = await core.dispatcher.dispatch('vault.status', {});
  if (vault.ok) console.log(`Secrets store: ${(vault.value as { detail: string }).detail}`);
  const network = core.network.status();
  console.log(`Vendor network: ${network.route}${network.problem ? ` (extra CA file not used: ${network.problem})` : ''}`);
  const stop = (): void => {
    void Promise.all([consoleServer.close(), core.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`Switchboard browser console failed to start: ${err instanceof Error ? err.message : 'unknown error'}`);
  process.exit(1);
});
