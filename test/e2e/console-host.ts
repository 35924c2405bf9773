// Starts the built browser console (`out/main/browser.js`) as a real process on loopback with a
// fresh data directory, the way `npm run start:browser` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ConsoleHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
  /** kill -9: no shutdown of any kind; the data directory stays for the next run. */
  kill(): Promise<void>;
}

export async function startConsoleHost(env: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<ConsoleHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['out/main/browser.js'], {
    env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser console did not start:\n${out}`)), 15_000);
    const check = (): void => {
      const m = /browser console: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`browser console exited (${code}):\n${out}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    dataDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
