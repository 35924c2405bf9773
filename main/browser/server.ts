// The browser console: serves the built renderer on loopback and speaks the contract over a
// WebSocket, so the same renderer runs in any Chromium against the same engine as in Electron.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../engine/dispatcher.js';
import { browserCsp, hostAllowed, refuseUpgrade } from './guard.js';

export interface BrowserConsoleOptions {
  dispatcher: Dispatcher;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface BrowserConsole {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Wire format of the WebSocket bridge. */
export type ClientMessage = { id: number; name: string; input: unknown };
export type ServerMessage = { id: number; result: unknown } | { event: string; payload: unknown };

export async function startBrowserConsole(opts: BrowserConsoleOptions): Promise<BrowserConsole> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const root = path.resolve(opts.rendererDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    void serveStatic(root, req.url ?? "/").then(({ status, type, body }) => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Security-Policy': browserCsp(port),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const why = refuseUpgrade({ port, token }, { host: req.headers.host, origin: req.headers.origin }, req.url ?? '/');
    if (why !== null || new URL(req.url ?? '/', 'http://x').pathname !== '/bridge') {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${why ?? 'not found'}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
    });
  });

  const answer = async (ws: WebSocket, text: string): Promise<void> => {
    let msg: Partial<ClientMessage>;
    try {
      msg = JSON.parse(text) as Partial<ClientMessage>;
    } catch {
      return; // not speaking the protocol: nothing to answer to
    }
    if (typeof msg.id !== 'number') return;
    const result = await opts.dispatcher.dispatch(msg.name, msg.input);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result } satisfies ServerMessage));
  };

  const unsubscribe = opts.dispatcher.subscribe((event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies ServerMessage);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    // The token rides in the fragment: browsers never send it to the server or in a Referer.
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveStatic(root: string, url: string): Promise<{ status: number; type: string; body: Buffer | string }> {
  const pathname = decodeURIComponent(new URL(url, 'http://x').pathname);
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return { status: 404, type: 'text/plain', body: 'Not found' };
  try {
    return { status: 200, type: TYPES[path.extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'Not found' };
  }
}
