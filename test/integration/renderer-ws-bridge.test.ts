// The renderer's WebSocket bridge against a host that answers a frame it could not read with
// `id: null` (main/domain/wire.ts), or sends junk: pending requests wait for their own answers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { createWsBridge } from '../../renderer/src/bridge/ws-bridge.js';

let wss: WebSocketServer | null = null;
// The globals stay stubbed: the bridge keeps reconnecting after the test, as a page would.
afterEach(() => {
  vi.restoreAllMocks();
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
});

/** The browser's WebSocket, played by ws; a browser never throws on a connection error. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => undefined);
  }
}

describe('renderer WebSocket bridge', () => {
  it('ignores id-null refusals and junk, and resolves each request by its own id', async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss!.once('listening', r));
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const { id } = JSON.parse(data.toString()) as { id: number };
        ws.send('not json');
        ws.send('[]');
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'invalid_input', message: 'Frame refused: test' } } }));
        ws.send(JSON.stringify({ id: 'x', result: { ok: true, value: 'wrong' } }));
        ws.send(JSON.stringify({ id, result: { ok: true, value: { answered: id } } }));
      });
    });
    vi.stubGlobal('location', { host: `127.0.0.1:${(wss.address() as AddressInfo).port}` });
    vi.stubGlobal('WebSocket', BrowserLikeWebSocket);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const bridge = createWsBridge('t');
    const first = await bridge.invoke('app.info', {});
    const second = await bridge.invoke('app.info', {});
    expect(first).toEqual({ ok: true, value: { answered: 1 } });
    expect(second).toEqual({ ok: true, value: { answered: 2 } });
    expect(logged).toHaveBeenCalledWith('Switchboard engine refused a frame: Frame refused: test');
  });
});
