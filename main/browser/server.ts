// The browser console: serves the built renderer on loopback and speaks the contract over a
// WebSocket, so the same renderer runs in any Chromium against the same engine as in Electron.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../engine/dispatcher.js';
import { BridgeHost, refuseUpgradeSocket, type BridgeDrop, type BridgeLimits } from '../engine/bridge-host.js';
import { browserCsp, hostAllowed, refuseUpgrade } from './guard.js';

export interface BrowserConsoleOptions {
  dispatcher: Dispatcher;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Overrides of the bridge's limits (tests use small ones). */
  limits?: Partial<BridgeLimits>;
  /** Told when the host disconnects a client (one that stopped reading, or broke the protocol). */
  onDrop?: (drop: BridgeDrop) => void;
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

export async function startBrowserConsole(opts: BrowserConsoleOptions): Promise<BrowserConsole> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const root = path.resolve(opts.rendererDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    // Any web page can make the supervisor's browser send a request here (<img src>), so nothing
    // a request carries may throw past this handler.
    const answer = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Security-Policy': browserCsp(port),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    res.on('error', () => undefined);
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(405, 'text/plain', 'Method not allowed');
      return;
    }
    serveStatic(root, req.url ?? '/')
      .then(
        ({ status, type, body }) => answer(status, type, body),
        () => answer(500, 'text/plain', 'Internal error'),
      )
      .catch(() => res.destroy());
  });
  // Once listening, an 'error' without a listener would end the process.
  server.on('error', () => undefined);

  const bridge = new BridgeHost(opts.dispatcher, { ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.onDrop ? { onDrop: opts.onDrop } : {}) });
  server.on('upgrade', (req, socket, head) => {
    // Node takes its own error listener off an upgraded socket: a reset before this one is attached
    // would throw. Both branches below attach one at once.
    try {
      const why = refuseUpgrade({ port, token }, { host: req.headers.host, origin: req.headers.origin }, req.url ?? '/');
      if (why !== null) return refuseUpgradeSocket(socket, 403, why);
      if (requestPath(req.url ?? '/') !== '/bridge') return refuseUpgradeSocket(socket, 404, 'not found');
      bridge.upgrade(req, socket, head);
    } catch {
      refuseUpgradeSocket(socket, 400, 'bad request');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    // The token rides in the fragment: browsers never send it to the server or in a Referer.
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The path of a request target, without query or fragment and without resolving a `//host` in it. */
function requestPath(target: string): string {
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

async function serveStatic(root: string, target: string): Promise<{ status: number; type: string; body: Buffer | string }> {
  const raw = requestPath(target);
  let pathname: string;
  try {
    pathname = decodeURIComponent(raw);
  } catch {
    return { status: 400, type: 'text/plain', body: 'Bad request: the path is not valid percent-encoding' };
  }
  if (!pathname.startsWith('/') || pathname.includes('\0')) return { status: 400, type: 'text/plain', body: 'Bad request' };
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return { status: 404, type: 'text/plain', body: 'Not found' };
  try {
    return { status: 200, type: TYPES[path.extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'Not found' };
  }
}
