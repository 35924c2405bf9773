// The app's own log: one JSON line per event worth keeping for support (start, vault store, account
// health changes, settings repairs). It records codes and messages Switchboard wrote itself, never a
// request body, header or vendor payload, so no credential can reach it.
import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../settings/data-folder.js';

export interface LogEntry {
  event: string;
  [field: string]: string | number | boolean | null;
}

const MAX_BYTES = 5 * 1024 * 1024;

export class AppLog {
  readonly file: string;

  constructor(dir: string, private readonly now: () => number = Date.now) {
    makePrivateDir(dir);
    this.file = path.join(dir, 'switchboard.log');
  }

  write(entry: LogEntry): void {
    try {
      // One previous file is kept: enough to read back a day of trouble, never unbounded.
      if (existsSync(this.file) && statSync(this.file).size > MAX_BYTES) renameSync(this.file, `${this.file}.1`);
      appendFileSync(this.file, JSON.stringify({ at: new Date(this.now()).toISOString(), ...entry }) + '\n', { mode: PRIVATE_FILE_MODE });
    } catch {
      // Logging must never take the app down (full disk, read-only profile).
    }
  }
}
