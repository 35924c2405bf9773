// The browser console's bridge: the same contract as the preload, over a WebSocket to main's
// loopback server. The per-run token comes in the URL fragment and is kept for this tab only.
import type { Bridge, EventName, EventPayload, RequestName, RequestOutput, Result } from '../../../preload/contract.js';
import { parseServerFrame } from '../../../main/domain/wire.js';

type Pending = (r: Result<unknown>) => void;
const TOKEN_KEY = 'switchboard.token';

export function readToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export interface WsBridge extends Bridge {
  /** Called with true on every (re)connect, so the app can fetch a fresh snapshot. */
  onConnection(listener: (connected: boolean) => void): () => void;
}

export function createWsBridge(token: string): WsBridge {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connection = new Set<(c: boolean) => void>();

  const connect = (): void => {
    const socket = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
    ws = socket;
    socket.onopen = () => {
      retryMs = 250;
      for (const frame of queue.splice(0)) socket.send(frame);
      for (const l of connection) l(true);
    };
    socket.onmessage = (ev: MessageEvent<string>) => {
      const msg = parseServerFrame(ev.data);
      if (msg === null) return; // not the protocol: nothing waits on it
      if ('event' in msg) {
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
      } else if (msg.id === null) {
        // The engine could not read a frame of ours, so it cannot say which request it was (see main/domain/wire.ts).
        console.error(`Switchboard engine refused a frame: ${msg.result.ok ? 'no reason given' : msg.result.error.message}`);
      } else {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      }
    };
    socket.onclose = () => {
      ws = null;
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'network', message: 'Lost the connection to the Switchboard engine; the request may not have been sent.' } });
        pending.delete(id);
      }
      for (const l of connection) l(false);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    invoke<K extends RequestName>(name: K, input: unknown): Promise<Result<RequestOutput<K>>> {
      const id = nextId++;
      const frame = JSON.stringify({ id, name, input });
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending);
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.push(frame);
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
  };
}
