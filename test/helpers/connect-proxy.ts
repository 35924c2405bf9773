// A small, real HTTP proxy on loopback that logs and counts what passes through it: CONNECT
// tunnels (HTTPS) and absolute-form requests (plain HTTP), as corporate proxies take them. Host
// names ending in `.test` are reached on 127.0.0.1 (the simulators), so a client can use a name
// only the proxy can resolve, as on a network where only the proxy reaches the internet.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface ProxyLogEntry {
  method: string;
  /** host:port for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The Proxy-Authorization header as received, if any. */
  auth: string | null;
  status: number;
}

export interface ProxyOptions {
  /** Require this user and password (Basic); others get 407. */
  credentials?: { user: string; password: string };
  /** Hosts the proxy refuses to reach (403), as a proxy with an allow-list does. */
  blockedHosts?: string[];
}

export class CountingProxy {
  readonly log: ProxyLogEntry[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  url = '';

  constructor(private readonly opts: ProxyOptions = {}) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => this.tunnel(req, client, head));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  count(method?: string): number {
    return method === undefined ? this.log.length : this.log.filter((e) => e.method === method).length;
  }

  private resolve(host: string): string {
    return host.endsWith('.test') ? '127.0.0.1' : host;
  }

  /** 0 when the request may pass, else the status to refuse it with. */
  private verdict(req: http.IncomingMessage, host: string): number {
    const c = this.opts.credentials;
    if (c && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`) return 407;
    return this.opts.blockedHosts?.includes(host) ? 403 : 0;
  }

  private record(req: http.IncomingMessage, target: string, status: number): void {
    this.log.push({ method: req.method ?? '?', target, auth: req.headers['proxy-authorization'] ?? null, status });
  }

  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const target = req.url ?? '';
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(target.slice(colon + 1));
    const refused = this.verdict(req, host);
    if (refused) {
      this.record(req, target, refused);
      const challenge = refused === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : '';
      client.end(`HTTP/1.1 ${refused} ${refused === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n${challenge}Content-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = net.connect(port, this.resolve(host), () => {
      this.record(req, target, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      this.record(req, target, 502);
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/');
    const refused = this.verdict(req, url.hostname);
    if (refused) {
      this.record(req, url.href, refused);
      res.writeHead(refused, refused === 407 ? { 'Proxy-Authenticate': 'Basic realm="test"' } : {}).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request({ host: this.resolve(url.hostname), port: url.port || 80, method: req.method, path: url.pathname + url.search, headers }, (up) => {
      this.record(req, url.href, up.statusCode ?? 0);
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      this.record(req, url.href, 502);
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  }
}
