// Launches the real Electron app where its binary is installed; says clearly why it skips otherwise.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
if (!binary) console.log('SKIP Electron smoke test: no Electron binary is installed on this machine (offline install); the browser-console suite covers the renderer.');

test.describe('Electron app', () => {
  test.skip(!binary, 'no Electron binary installed (offline install)');

  test('opens one hardened window whose bridge answers', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'sb-electron-'));
    const app = await electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${userData}`], env: { ...process.env, SWITCHBOARD_E2E: '1' } });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('connection')).toHaveText('Connected');
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      // What the settings mean, observed from the page: no Node (nodeIntegration off, sandbox on),
      // and the bridge is a frozen contextBridge copy (context isolation on).
      const seen = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridgeFrozen: Object.isFrozen((window as unknown as { switchboard: object }).switchboard),
      }));
      expect(seen).toEqual({ require: 'undefined', process: 'undefined', bridgeFrozen: true });
      expect(await page.evaluate(() => Object.keys((window as unknown as { switchboard: object }).switchboard).sort())).toEqual(['invoke', 'on']);
      const info = await page.evaluate(() => (window as unknown as { switchboard: { invoke(n: string, i: unknown): Promise<unknown> } }).switchboard.invoke('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { host: 'electron' } });
      // Navigation away and window.open are both refused.
      await page.evaluate(() => window.open('https://example.com'));
      await page.evaluate(() => (location.href = 'https://example.com'));
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^app:\/\/switchboard\//);
      expect((await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length))).toBe(1);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
