// The browser console's bridge refuses anything but this machine's own page with the run's token.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserConsole, type BrowserConsole } from '../../main/browser/server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { connectBridgeClient } from '../helpers/ws-client.js';

let app: TestApp;
let server: BrowserConsole;
beforeAll(async () => {
  app = await createTestApp();
  server = await startBrowserConsole({ dispatcher: app.core.dispatcher, rendererDir: app.dataDir });
});
afterAll(async () => {
  await server.close();
  app.cleanup();
});

/** Raw upgrade request with chosen headers; resolves to the HTTP status the server answered. */
function upgradeStatus(headers: Record<string, string>, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: pathAndQuery,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', () => resolve(101));
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
}

describe('browser console bridge', () => {
  const good = () => ({ Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` });

  it('binds loopback only and prints a URL carrying the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[0-9a-f]{48}$`));
  });

  it('accepts the page with the token and round-trips a request', async () => {
    const client = await connectBridgeClient(server.port, server.token);
    expect(await client.request('app.info', {})).toEqual({ ok: true, value: { name: 'Switchboard', version: '0.0.0-test', host: 'browser', demo: false, welcomed: false } });
    expect(await client.request('accounts.remove', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    client.close();
  });

  it('refuses a connection without the token or with a wrong one', async () => {
    expect(await upgradeStatus(good(), '/bridge')).toBe(403);
    expect(await upgradeStatus(good(), `/bridge?token=${'0'.repeat(48)}`)).toBe(403);
    expect(await upgradeStatus(good(), `/bridge?token=${server.token}x`)).toBe(403);
  });

  it('refuses another origin', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null', '']) {
      expect(await upgradeStatus({ ...good(), Origin: origin }, `/bridge?token=${server.token}`)).toBe(403);
    }
  });

  it('refuses a non-loopback Host header (DNS rebinding)', async () => {
    for (const host of [`evil.example:${server.port}`, `192.168.1.5:${server.port}`, 'localhost']) {
      expect(await upgradeStatus({ ...good(), Host: host }, `/bridge?token=${server.token}`)).toBe(403);
    }
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(421);
  });

  it('serves nothing outside the renderer folder', async () => {
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/../../etc/passwd', headers: { Host: `127.0.0.1:${server.port}` } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(404);
  });
});
