// IPC as main registers it: every request channel checks its sender, then the contract schema.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_NAMES, channelFor } from '../../preload/contract.js';
import { FOREIGN_SENDER, registerIpc, type IpcMainLike } from '../../main/shell/ipc.js';
import { APP_ORIGIN, isTrustedSender, type FrameLike } from '../../main/shell/security.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

type Handler = Parameters<IpcMainLike['handle']>[1];
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frame: FrameLike | null, input: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h({ senderFrame: frame }, input);
  }
}

const mainFrame: FrameLike = { url: `${APP_ORIGIN}/index.html`, processId: 7, routingId: 1 };
const account = { id: 'au-1', label: 'Audian main', vendor: 'audian', baseUrl: 'https://api.audian.com:8443' };

let app: TestApp;
let ipc: FakeIpcMain;
const sent: unknown[][] = [];
beforeEach(async () => {
  app = await createTestApp();
  ipc = new FakeIpcMain();
  sent.length = 0;
  registerIpc(ipc, app.core.dispatcher, (f) => isTrustedSender(f, mainFrame), () => ({ send: (...a: unknown[]) => void sent.push(a), isDestroyed: () => false }));
});
afterEach(() => app.cleanup());

describe('IPC registration', () => {
  it('registers exactly one channel per contract request', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map(channelFor).sort());
  });

  it('answers the main frame', async () => {
    const r = await ipc.invoke(channelFor('accounts.save'), mainFrame, { account, secrets: { apiKey: 'k-123' } });
    expect(r).toMatchObject({ ok: true, value: { config: { id: 'au-1' }, secretsSet: ['apiKey'] } });
    expect(sent.some(([, name]) => name === 'accounts.changed')).toBe(true);
  });

  it('rejects an invalid payload with invalid_input and changes nothing', async () => {
    const before = readFileSync(app.settingsPath, 'utf8');
    const bad = [
      { account: { ...account, vendor: 'nope' } },
      { account: { ...account, baseUrl: 'javascript:alert(1)' } },
      { account, secrets: { apiKey: '' } },
      { account, extra: true },
      'not an object',
    ];
    for (const input of bad) {
      const r = (await ipc.invoke(channelFor('accounts.save'), mainFrame, input)) as { ok: boolean; error?: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error?.code).toBe('invalid_input');
    }
    expect(readFileSync(app.settingsPath, 'utf8')).toBe(before);
    expect(sent).toEqual([]);
  });

  it('refuses a valid payload from a foreign sender and changes nothing', async () => {
    const before = readFileSync(app.settingsPath, 'utf8');
    const foreign: FrameLike[] = [
      { url: 'https://evil.example/', processId: 7, routingId: 1 },
      { url: `${APP_ORIGIN}/index.html`, processId: 7, routingId: 9 },
      { url: `${APP_ORIGIN}/index.html`, processId: 8, routingId: 1 },
    ];
    for (const frame of [...foreign, null]) {
      expect(await ipc.invoke(channelFor('accounts.save'), frame, { account, secrets: { apiKey: 'k' } })).toEqual(FOREIGN_SENDER);
    }
    expect(readFileSync(app.settingsPath, 'utf8')).toBe(before);
    expect(await app.core.dispatcher.dispatch('accounts.list', {})).toEqual({ ok: true, value: [] });
  });

  it('an account cannot be given a credential of another vendor', async () => {
    const r = await ipc.invoke(channelFor('accounts.save'), mainFrame, { account, secrets: { password: 'x' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
