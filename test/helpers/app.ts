// A real AppCore on a temporary data directory, hosted the way the browser console hosts it.
import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type CreateAppOptions } from '../../main/engine/create-app.js';
import { SETTINGS_LIBRARY_OPTIONS } from '../../main/settings/data-folder.js';
import type { AppCore } from '../../main/engine/app-core.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import type { VendorRegistry } from '../../main/vendors/registry-types.js';
import type { Clock } from '../../main/engine/clock.js';
import type { AppCoreOptions } from '../../main/engine/app-core.js';

export interface TestApp {
  core: AppCore;
  dataDir: string;
  settingsPath: string;
  cleanup(): void;
}

let appSerial = 0;

export function confFactory(dataDir: string) {
  return () =>
    new Conf<Record<string, unknown>>({
      projectName: 'switchboard-test',
      cwd: dataDir,
      configName: 'settings',
      ...SETTINGS_LIBRARY_OPTIONS,
    });
}

export async function createTestApp(
  opts: { dataDir?: string; keychainService?: string; keychainProbe?: CreateAppOptions['keychainProbe']; encryptor?: CreateAppOptions['encryptor']; vendors?: VendorRegistry; clock?: Clock; engine?: AppCoreOptions['engine']; demo?: boolean } = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'sb-test-'));
  const core = await createApp({
    host: 'browser',
    version: '0.0.0-test',
    dataDir,
    createConf: confFactory(dataDir),
    vendors: opts.vendors ?? vendorRegistry,
    // A service name no real install uses, so tests never touch a user's Switchboard secrets; one per
    // app, since two apps in one test (with the same account ids) must not share a keychain.
    keychainService: opts.keychainService ?? `Switchboard-test-${process.pid}-${++appSerial}`,
    ...(opts.keychainProbe ? { keychainProbe: opts.keychainProbe } : {}),
    ...(opts.encryptor ? { encryptor: opts.encryptor } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.engine ? { engine: opts.engine } : {}),
    demo: opts.demo ?? false,
  });
  return {
    core,
    dataDir,
    settingsPath: path.join(dataDir, 'settings.json'),
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
