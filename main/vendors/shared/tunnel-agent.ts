// HTTPS through an HTTP(S) proxy: CONNECT host:port, then TLS with the vendor inside the tunnel,
// so the proxy sees only the host name. Why not https-proxy-agent (which axios bundles)? It hands a
// refused CONNECT (403, 407, 502 from the proxy) back as if the vendor had answered, and the
// supervisor would read "the vendor refused" for what the proxy did; here it is a ProxyFailure.
// Node's Agent pools the tunnelled TLS sockets like any others (keep-alive).
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ProxyFailure, proxyName } from './transport-errors.js';

export interface TunnelAgentOptions extends https.AgentOptions {
  /** How long the proxy may take to answer the CONNECT. */
  connectTimeoutMs: number;
}

export class TunnelAgent extends https.Agent {
  private readonly connectTimeoutMs: number;

  constructor(
    private readonly proxy: URL,
    opts: TunnelAgentOptions,
  ) {
    const { connectTimeoutMs, ...agentOpts } = opts;
    super(agentOpts);
    this.connectTimeoutMs = connectTimeoutMs;
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port) || 443;
    openTunnel(this.proxy, host, port, this.connectTimeoutMs, options.ca).then(
      (socket) => {
        // Only what TLS needs: host and port would be read as a new address, path as a pipe.
        const secure = tls.connect({
          socket,
          host,
          ...(isIP(host) ? {} : { servername: options.servername || host }),
          ...(options.ca === undefined ? {} : { ca: options.ca }),
          ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
          ALPNProtocols: ['http/1.1'],
        });
        callback?.(null, secure);
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** A socket connected through the proxy to host:port, or a ProxyFailure saying why not. */
function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number, ca: https.RequestOptions['ca']): Promise<Socket> {
  const name = proxyName(proxy);
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { Host: target };
  if (proxy.username) {
    const basic = Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
    headers['Proxy-Authorization'] = `Basic ${basic}`;
  }
  const secure = proxy.protocol === 'https:';
  const options: https.RequestOptions = {
    host: proxy.hostname,
    port: Number(proxy.port) || (secure ? 443 : 80),
    method: 'CONNECT',
    path: target,
    headers,
    agent: false,
    ...(secure && ca !== undefined ? { ca } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(options);
    const timer = setTimeout(() => {
      req.destroy();
      reject(new ProxyFailure('timeout', name));
    }, timeoutMs);
    req.once('connect', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
      clearTimeout(timer);
      if (res.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
        return;
      }
      socket.destroy();
      const status = res.statusCode ?? 0;
      reject(new ProxyFailure(status === 407 ? 'auth' : 'refused', name, { status }));
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProxyFailure('unreachable', name, err.code === undefined ? {} : { code: err.code }));
    });
    req.end();
  });
}
