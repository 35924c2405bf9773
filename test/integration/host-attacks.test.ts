// Attacks on a running browser console, over raw TCP, HTTP and WebSocket. After each one the host
// must still be up and answering a real request: a crash here is an uncaught exception or an
// unhandled rejection in this process, which fails the run. The results feed docs/reliability.md.
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserConsole, type BrowserConsole } from '../../main/browser/server.js';
import { DEFAULT_BRIDGE_LIMITS, type BridgeDrop } from '../../main/engine/bridge-host.js';
import { REQUEST_NAMES, channelFor } from '../../preload/contract.js';
import { registerIpc, type IpcMainLike } from '../../main/shell/ipc.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { connectBridgeClient } from '../helpers/ws-client.js';
import { closeCode, decodeFrames, encodeFrame, rawConnect, rawWebSocket, upgradeHead } from '../helpers/raw-ws.js';

let app: TestApp;
let server: BrowserConsole;
let rendererDir: string;
const drops: BridgeDrop[] = [];
/** What would have ended a real host process: vitest keeps this one alive, so they are counted here. */
const crashes: string[] = [];
const crashed = (err: unknown) => void crashes.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));

beforeAll(async () => {
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);
  app = await createTestApp();
  rendererDir = mkdtempSync(path.join(os.tmpdir(), 'sb-attack-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
  server = await startBrowserConsole({ dispatcher: app.core.dispatcher, rendererDir, onDrop: (d) => void drops.push(d) });
});
// Each attack is judged on its own: what an earlier one did is its own test's failure.
beforeEach(() => void (crashes.length = 0));
afterAll(async () => {
  process.off('uncaughtException', crashed);
  process.off('unhandledRejection', crashed);
  await server.close();
  app.cleanup();
  rmSync(rendererDir, { recursive: true, force: true });
});

const loopback = () => `127.0.0.1:${server.port}`;

/** A plain GET with a loopback Host; resolves to the status. */
function get(pathAndQuery: string, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathAndQuery, method, headers: { Host: loopback() } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The host is up: nothing has thrown past it, it serves the page and answers a contract request. */
async function expectAlive(): Promise<void> {
  await new Promise((r) => setImmediate(r)); // let a pending socket error or rejection surface
  expect(crashes).toEqual([]);
  expect(await get('/')).toBe(200);
  const client = await connectBridgeClient(server.port, server.token);
  expect(await client.request('app.info', {})).toMatchObject({ ok: true, value: { name: 'Switchboard' } });
  client.close();
}

/** What the host answered on a raw connection before closing it (status line), or '' for nothing. */
function rawAnswer(request: string | Buffer, then?: (s: net.Socket) => void): Promise<string> {
  return rawConnect(server.port, request).then(
    (socket) =>
      new Promise((resolve) => {
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
        then?.(socket);
      }),
  );
}

const resetAfterWrite = (socket: net.Socket) => socket.resetAndDestroy();

/** An open bridge connection sending raw text and collecting every frame it gets. */
async function openWs(): Promise<{ ws: WebSocket; next(): Promise<{ id?: unknown; result?: { ok: boolean; error?: { code: string; message: string } } }> }> {
  const ws = new WebSocket(`ws://${loopback()}/bridge?token=${server.token}`, { headers: { Origin: `http://${loopback()}` } });
  const queue: string[] = [];
  const waiters: ((s: string) => void)[] = [];
  ws.on('message', (d) => {
    const w = waiters.shift();
    if (w) w(d.toString());
    else queue.push(d.toString());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const q = queue.shift();
      if (q !== undefined) resolve(q);
      else waiters.push(resolve);
    }).then((t) => JSON.parse(t) as { id?: unknown; result?: { ok: boolean; error?: { code: string; message: string } } });
  return { ws, next };
}

describe('HTTP attacks without the token', () => {
  it.each([
    ['bad percent-encoding', '/%', 400],
    ['truncated UTF-8 escape', '/%E0%A4%A', 400],
    ['lone surrogate escape', '/%ED%A0%80', 400],
    ['NUL byte', '/%00', 400],
    ['empty authority', '//', 404],
    ['three slashes', '///', 404],
    ['encoded traversal', '/..%2f..%2f..%2fetc%2fpasswd', 404],
    ['plain traversal', '/../../etc/passwd', 404],
  ])('%s (GET %s) is refused and the host lives', async (_what, target, status) => {
    expect(await get(target)).toBe(status);
    await expectAlive();
  });

  it('the Chromium <img src="/%"> case: the same request with a browser Origin header', async () => {
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/%', headers: { Host: loopback(), Origin: 'https://evil.example', Referer: 'https://evil.example/' } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(400);
    await expectAlive();
  });

  it('a POST with a body is refused', async () => {
    expect(await get('/', 'POST', 'x'.repeat(100_000))).toBe(405);
    await expectAlive();
  });

  it('an absolute-form target is refused', async () => {
    expect(await rawAnswer(`GET http://evil.example/ HTTP/1.1\r\nHost: ${loopback()}\r\nConnection: close\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    await expectAlive();
  });

  it('a garbage request line is refused', async () => {
    expect(await rawAnswer('\x00\x01\x02 not http at all\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    await expectAlive();
  });

  it('a reset straight after a request, ten times over', async () => {
    for (let i = 0; i < 10; i++) await rawAnswer(`GET /% HTTP/1.1\r\nHost: ${loopback()}\r\n\r\n`, resetAfterWrite);
    await expectAlive();
  });
});

describe('WebSocket upgrade attacks', () => {
  it('an upgrade without the token followed by a connection reset, ten times over', async () => {
    for (let i = 0; i < 10; i++) await rawAnswer(upgradeHead(server.port, '/bridge'), resetAfterWrite);
    await expectAlive();
  });

  it('the same with a foreign Host and a foreign Origin', async () => {
    for (let i = 0; i < 5; i++) {
      await rawAnswer(upgradeHead(server.port, `/bridge?token=${server.token}`, { Host: 'evil.example' }), resetAfterWrite);
      await rawAnswer(upgradeHead(server.port, `/bridge?token=${server.token}`, { Origin: 'https://evil.example' }), resetAfterWrite);
    }
    await expectAlive();
  });

  it('a refused upgrade is answered 403 and the socket closed, though the client keeps it open', async () => {
    expect(await rawAnswer(upgradeHead(server.port, '/bridge'))).toBe('HTTP/1.1 403 Forbidden');
    await expectAlive();
  });

  it('an upgrade to another path with the token is answered 404', async () => {
    expect(await rawAnswer(upgradeHead(server.port, `/other?token=${server.token}`))).toBe('HTTP/1.1 404 Not Found');
    await expectAlive();
  });

  it('an upgrade whose target cannot be parsed is answered 400', async () => {
    expect(await rawAnswer(upgradeHead(server.port, `//?token=${server.token}`))).toBe('HTTP/1.1 400 Bad Request');
    await expectAlive();
  });

  it('an upgrade with the token but a broken handshake is refused by the WebSocket layer', async () => {
    expect(await rawAnswer(upgradeHead(server.port, `/bridge?token=${server.token}`, { 'Sec-WebSocket-Key': 'short' }))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawAnswer(upgradeHead(server.port, `/bridge?token=${server.token}`, { 'Sec-WebSocket-Version': '7' }))).toMatch(/^HTTP\/1\.1 400/);
    await expectAlive();
  });

  it('an upgrade with the token, reset at once', async () => {
    for (let i = 0; i < 10; i++) await rawAnswer(upgradeHead(server.port, `/bridge?token=${server.token}`), resetAfterWrite);
    await expectAlive();
  });
});

describe('frames that break the WebSocket protocol (token held)', () => {
  it('an unmasked frame: closed with 1002', async () => {
    const raw = await rawWebSocket(server.port, server.token);
    raw.socket.write(encodeFrame('{"id":1,"name":"app.info","input":{}}', { mask: false }));
    expect(await closeCode(raw)).toBe(1002);
    await expectAlive();
  });

  it('invalid UTF-8 in a text frame: closed with 1007', async () => {
    const raw = await rawWebSocket(server.port, server.token);
    raw.socket.write(encodeFrame(Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d])));
    expect(await closeCode(raw)).toBe(1007);
    await expectAlive();
  });

  it('a frame over the size cap: closed with 1009 before it is read whole', async () => {
    const raw = await rawWebSocket(server.port, server.token);
    // Declares 1 GiB and sends only the start of it: the host refuses on the header.
    raw.socket.write(encodeFrame('x'.repeat(1024), { declaredLength: 1024 ** 3 }));
    expect(await closeCode(raw)).toBe(1009);
    const whole = await rawWebSocket(server.port, server.token);
    whole.socket.write(encodeFrame('x'.repeat(DEFAULT_BRIDGE_LIMITS.maxFrameBytes + 1)));
    expect(await closeCode(whole)).toBe(1009);
    await expectAlive();
  });

  it('reserved bits and a reserved opcode: closed with 1002', async () => {
    for (const frame of [encodeFrame('{}', { rsv: 0b100 }), encodeFrame('{}', { opcode: 0x3 }), encodeFrame('x', { opcode: 0x9, fin: false })]) {
      const raw = await rawWebSocket(server.port, server.token);
      raw.socket.write(frame);
      expect(await closeCode(raw)).toBe(1002);
    }
    await expectAlive();
  });

  it('a connection reset in the middle of a frame', async () => {
    for (let i = 0; i < 10; i++) {
      const raw = await rawWebSocket(server.port, server.token);
      raw.socket.write(encodeFrame('{"id":1,"name":"app.info","input":{}}').subarray(0, 12));
      raw.socket.resetAndDestroy();
      await raw.closed;
    }
    await expectAlive();
  });

  it('a reset while the host is answering', async () => {
    for (let i = 0; i < 10; i++) {
      const raw = await rawWebSocket(server.port, server.token);
      raw.socket.write(encodeFrame(JSON.stringify({ id: 1, name: 'snapshot.get', input: {} })));
      raw.socket.resetAndDestroy();
      await raw.closed;
    }
    await expectAlive();
  });

  it('a binary frame is answered with invalid_input, the connection kept', async () => {
    const raw = await rawWebSocket(server.port, server.token);
    raw.socket.write(encodeFrame(Buffer.from('{"id":1,"name":"app.info","input":{}}'), { opcode: 0x2 }));
    raw.socket.write(encodeFrame('{"id":2,"name":"app.info","input":{}}'));
    await expect.poll(() => decodeFrames(raw.received()).length).toBe(2);
    const [binary, text] = decodeFrames(raw.received()).map((f) => JSON.parse(f.payload.toString()) as { id: unknown; result: { ok: boolean } });
    expect(binary).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/binary frames/) } } });
    expect(text).toMatchObject({ id: 2, result: { ok: true } });
    raw.socket.destroy();
    await expectAlive();
  });
});

describe('protocol junk over a good connection (token held)', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it.each([
    ['malformed JSON', '{"id":1,', /not JSON/],
    ['null', 'null', /got null/],
    ['an empty array', '[]', /got an array/],
    ['a string', '"app.info"', /got a string/],
    ['a number', '42', /got a number/],
    ['a string id', '{"id":"1","name":"app.info","input":{}}', /"id" must be a non-negative integer, got a string/],
    ['no id', '{"name":"app.info","input":{}}', /got nothing/],
    ['a null id', '{"id":null,"name":"app.info"}', /got null/],
    ['a fractional id', '{"id":1.5,"name":"app.info"}', /got a number/],
    ['a negative id', '{"id":-1,"name":"app.info"}', /got a number/],
    ['an id past 2^53', '{"id":1e400,"name":"app.info"}', /got a number/],
    ['an empty frame', '', /not JSON/],
  ])('%s gets an invalid_input reply with id null', async (_what, frame, message) => {
    const { ws, next } = await openWs();
    ws.send(frame);
    expect(await next()).toEqual({ id: null, result: { ok: false, error: { code: 'invalid_input', message: expect.stringMatching(message) } } });
    // The same connection still works.
    ws.send(JSON.stringify({ id: 7, name: 'app.info', input: {} }));
    expect(await next()).toMatchObject({ id: 7, result: { ok: true } });
    ws.close();
    await expectAlive();
  });

  it.each([
    ['a name with toString', { name: { toString: 1 } }, /name must be a string, got an object/],
    ['a name that is a deeply nested array', { name: '__DEEP__' }, /name must be a string, got an array/],
    ['an input that is a deeply nested array', { name: 'app.info', input: '__DEEP__' }, /^Invalid app\.info request/],
    ['a name that is not a request', { name: 'constructor' }, /Unknown request: "constructor"/],
    ['__proto__ as the name', { name: '__proto__' }, /Unknown request: "__proto__"/],
    ['no name', {}, /got nothing/],
  ])('%s is answered by its id with invalid_input', async (_what, fields, message) => {
    const { ws, next } = await openWs();
    // 300,000 levels fit in well under the 1 MiB frame cap and overflow a naive String().
    const frame = JSON.stringify({ id: 3, ...fields }).replace('"__DEEP__"', deep(300_000));
    expect(frame.length).toBeLessThan(DEFAULT_BRIDGE_LIMITS.maxFrameBytes);
    ws.send(frame);
    expect(await next()).toEqual({ id: 3, result: { ok: false, error: { code: 'invalid_input', message: expect.stringMatching(message) } } });
    ws.close();
    await expectAlive();
  });

  it('prototype pollution through an input is refused and pollutes nothing', async () => {
    const { ws, next } = await openWs();
    ws.send('{"id":4,"name":"accounts.save","input":{"__proto__":{"polluted":true},"account":{"__proto__":{"polluted":true}}}}');
    expect(await next()).toMatchObject({ id: 4, result: { ok: false, error: { code: 'invalid_input' } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    ws.close();
    await expectAlive();
  });

  it('a flood of 10,000 requests is answered, each by its own id', async () => {
    const { ws, next } = await openWs();
    const n = 10_000;
    for (let id = 1; id <= n; id++) ws.send(JSON.stringify({ id, name: 'app.info', input: {} }));
    const ids = new Set<unknown>();
    for (let i = 0; i < n; i++) {
      const reply = await next();
      expect(reply.result?.ok).toBe(true);
      ids.add(reply.id);
    }
    expect(ids.size).toBe(n);
    ws.close();
    await expectAlive();
  }, 60_000);
});

describe('backpressure', () => {
  /** An accounts.freshness event of about `bytes`: a valid payload, large enough to fill buffers fast. */
  const bigEvent = (bytes: number) =>
    Array.from({ length: Math.ceil(bytes / 120) }, (_, i) => ({ accountId: `account-${i}-${'x'.repeat(80)}`, dataAt: i, stale: false }));

  it('a client that never reads is cut off while events flood; the others keep up', async () => {
    const slow = await rawWebSocket(server.port, server.token);
    slow.socket.pause(); // never reads again: the kernel's buffers fill, then the host's
    const reader = await connectBridgeClient(server.port, server.token);
    expect(await reader.request('app.info', {})).toMatchObject({ ok: true });
    drops.length = 0;

    const payload = bigEvent(256 * 1024);
    // Far past the limit plus what loopback sockets can hold (a few MiB each way).
    const maxEmits = Math.ceil((DEFAULT_BRIDGE_LIMITS.maxBufferedBytes * 3) / (256 * 1024));
    let emitted = 0;
    while (emitted < maxEmits && !drops.some((d) => d.why === 'not_reading')) {
      app.core.dispatcher.emit('accounts.freshness', payload);
      emitted++;
      // Let the reader's socket drain between bursts, as a live page would.
      if (emitted % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    const drop = drops.find((d) => d.why === 'not_reading');
    expect(drop, `no drop after ${emitted} events`).toBeDefined();
    // What the host held for it when it let go: the limit plus at most one event.
    expect(Number(/^(\d+) bytes unsent$/.exec(drop!.detail)?.[1])).toBeLessThanOrEqual(DEFAULT_BRIDGE_LIMITS.maxBufferedBytes + 512 * 1024);
    expect(emitted).toBeLessThan(maxEmits);

    // The slow client finds its connection gone once it reads again.
    slow.socket.resume();
    await slow.closed;
    // The reading client was not dropped: it still gets answers.
    expect(drops.filter((d) => d.why === 'not_reading')).toHaveLength(1);
    expect(await reader.request('app.info', {})).toMatchObject({ ok: true });
    reader.close();
    await expectAlive();
  }, 60_000);

  it('a client that sends requests but never reads the answers is cut off too', async () => {
    // A console of its own with a 1 MiB limit: the same code path as above, reached with 100 times
    // fewer requests than the default limit would take.
    const small: BridgeDrop[] = [];
    const host = await startBrowserConsole({ dispatcher: app.core.dispatcher, rendererDir, limits: { maxBufferedBytes: 1024 * 1024 }, onDrop: (d) => void small.push(d) });
    const raw = await rawWebSocket(host.port, host.token);
    raw.socket.pause();
    const frame = encodeFrame(JSON.stringify({ id: 1, name: 'app.info', input: {} }));
    const burst = Buffer.concat(Array.from({ length: 1_000 }, () => frame));
    for (let i = 0; i < 1_000 && !small.some((d) => d.why === 'not_reading'); i++) {
      if (!raw.socket.write(burst)) await new Promise((r) => raw.socket.once('drain', r).once('close', r));
      await new Promise((r) => setImmediate(r));
    }
    expect(small.filter((d) => d.why === 'not_reading')).toHaveLength(1);
    raw.socket.destroy();
    const client = await connectBridgeClient(host.port, host.token);
    expect(await client.request('app.info', {})).toMatchObject({ ok: true });
    client.close();
    await host.close();
    await expectAlive();
  }, 60_000);
});

describe('the Electron IPC host', () => {
  type Handler = Parameters<IpcMainLike['handle']>[1];
  it('answers every channel with a result for inputs that broke the dispatcher', async () => {
    const handlers = new Map<string, Handler>();
    registerIpc({ handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) }, app.core.dispatcher, () => true, () => null);
    const deep = JSON.parse('['.repeat(300_000) + ']'.repeat(300_000)) as unknown;
    for (const name of REQUEST_NAMES) {
      for (const input of [deep, { toString: 1 }, { input: deep, id: { toString: 1 } }, [], 'x']) {
        const r = await handlers.get(channelFor(name))!({ senderFrame: null }, input);
        expect(r, name).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    }
  });
});
