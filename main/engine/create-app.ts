// Builds the app core from the host's adapters: the one place Electron and the browser console
// differ is what they hand in here (settings library, OS encryption).
import path from 'node:path';
import { DATA_FILES, prepareDataFolder } from '../settings/data-folder.js';
import { SettingsStore, type ConfLike } from '../settings/settings-store.js';
import { openVault, type VaultOptions } from '../vault/vault.js';
import type { Encryptor } from '../vault/encrypted-file-store.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import { AppCore, type AppCoreOptions } from './app-core.js';
import { AuditLog } from './audit-log.js';
import { AppLog } from './app-log.js';
import { systemClock, type Clock } from './clock.js';

export interface CreateAppOptions {
  host: 'electron' | 'browser';
  version: string;
  dataDir: string;
  /** electron-store in Electron, conf in Node; both write `<dataDir>/settings.json`, opened with SETTINGS_LIBRARY_OPTIONS. */
  createConf: () => ConfLike;
  vendors: VendorRegistry;
  encryptor?: Encryptor;
  keychainService?: string;
  /** Tests stand in for the OS keychain (one that does not answer, say). */
  keychainProbe?: VaultOptions['probe'];
  clock?: Clock;
  onAlerts?: AppCoreOptions['onAlerts'];
  onTray?: AppCoreOptions['onTray'];
  engine?: AppCoreOptions['engine'];
  demo?: AppCoreOptions['demo'];
  demoOptions?: AppCoreOptions['demoOptions'];
}

export async function createApp(opts: CreateAppOptions): Promise<AppCore> {
  // Before anything in the folder is read or written: owner-only modes, no stale temp files.
  const housekeeping = prepareDataFolder(opts.dataDir);
  const log = new AppLog(path.join(opts.dataDir, DATA_FILES.logs));
  for (const t of housekeeping.tightened) log.write({ event: 'file.mode-tightened', file: t.file, was: t.was });
  for (const u of housekeeping.untightened) log.write({ event: 'file.mode-not-tightened', file: u.file, code: u.code });
  for (const f of housekeeping.removedTemp) log.write({ event: 'settings.temp-removed', file: f });
  const settings = SettingsStore.open(path.join(opts.dataDir, DATA_FILES.settings), opts.createConf);
  const vaultOpts = (allowPlaintext: boolean): VaultOptions => ({
    allowPlaintext,
    encryptedFile: path.join(opts.dataDir, DATA_FILES.secrets),
    ...(opts.encryptor ? { encryptor: opts.encryptor } : {}),
    ...(opts.keychainService ? { keychainService: opts.keychainService } : {}),
    ...(opts.keychainProbe ? { probe: opts.keychainProbe } : {}),
  });
  const vault = await openVault(vaultOpts(settings.get().vault.allowPlaintext));
  return new AppCore({
    host: opts.host,
    version: opts.version,
    settings,
    vault,
    vendors: opts.vendors,
    audit: new AuditLog(path.join(opts.dataDir, DATA_FILES.audit)),
    log,
    clock: opts.clock ?? systemClock,
    reopenVault: (allow) => openVault(vaultOpts(allow)),
    ...(opts.onAlerts ? { onAlerts: opts.onAlerts } : {}),
    ...(opts.onTray ? { onTray: opts.onTray } : {}),
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.demo !== undefined ? { demo: opts.demo } : {}),
    ...(opts.demoOptions ? { demoOptions: opts.demoOptions } : {}),
  });
}
