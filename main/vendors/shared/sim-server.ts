// The HTTP half every vendor simulator shares: routing, a request log tests can read, and fault
// injection. Each vendor's simulator supplies its routes, its auth check and its own error shape,
// so a deviation from the documents is refused the way that vendor would refuse it.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are (set a content type for XML or text). */
  body?: unknown;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
  /** Bytes of the answer written before the client went away (trickle and oversize faults only). */
  sent?: number;
  /** When the request arrived, on the scenario's clock (wall time unless a test hands in its own). */
  at: number;
}

/**
 * trickle: the real answer, its headers at once and then its body one byte at a time (`ms` apart,
 * default 1 s), after sixty bytes of leading whitespace (valid before JSON) so that even a
 * four-byte `true` takes a minute: what an idle timeout never catches. oversize: a 200 whose JSON body runs to `bytes`
 * (default 300 MB), written as the client reads it, never held whole.
 */
export type FaultKind = 'latency' | 'status' | 'drop' | 'malformed' | 'expire_auth' | 'trickle' | 'oversize';

export interface Fault {
  kind: FaultKind;
  /** latency: how long to wait before answering. */
  ms?: number;
  /** status: which status to answer (429, 500, 503 ...). */
  status?: number;
  /** With status 429: the Retry-After header value in seconds. */
  retryAfterSec?: number;
  /** status: the vendor's words in its error body (instead of a generic line). */
  message?: string;
  /** status: the error body also quotes what the request carried (headers, query and body), as a careless vendor does. */
  echo?: boolean;
  /** oversize: how long the body runs, in bytes. */
  bytes?: number;
  /** Extra headers on the fault's answer (a 429's X-RateLimit-*). */
  headers?: Record<string, string>;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
  /** Only requests whose "METHOD path" matches. */
  match?: RegExp;
}

/** Which request an error or malformed body answers (formats can differ by path). */
export interface SimRequestLine {
  method: string;
  path: string;
}

export interface VendorSimHooks {
  /** The vendor's error body for a status and message. */
  errorResponse(status: number, message: string, req: SimRequestLine): SimResponse;
  /** A body that claims to be the vendor's format but does not parse. */
  malformedResponse(req: SimRequestLine): SimResponse;
  /** Refuse requests without valid credentials; null when they pass. */
  authenticate?(req: SimRequest): SimResponse | null;
  /** Make every issued token expired (the next authenticated request gets the vendor's 401). */
  expireAuth?(): void;
  /** The scenario's clock, for the request log's `at`; wall time by default. */
  now?(): number;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: SimHandler;
  noAuth: boolean;
}

export class SimServer {
  readonly log: LoggedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Fault[] = [];
  private server: http.Server | https.Server | null = null;
  private readonly sockets = new Set<import('node:net').Socket>();
  baseUrl = '';

  constructor(private readonly hooks: VendorSimHooks) {}

  /** Register a route; `:name` segments become params. Path patterns match the whole path. */
  route(method: string, path: string, handler: SimHandler, opts: { noAuth?: boolean } = {}): void {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          keys.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler, noAuth: opts.noAuth ?? false });
  }

  injectFault(fault: Fault): void {
    if (fault.kind === 'expire_auth') {
      this.hooks.expireAuth?.();
      return;
    }
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests seen, as "METHOD /path" lines, for asserting a sequence. */
  calls(filter?: RegExp): string[] {
    return this.log.map((r) => `${r.method} ${r.path}`).filter((l) => (filter ? filter.test(l) : true));
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** With `tls` (a key and certificate), the simulator answers HTTPS, as vendors do. */
  async listen(port = 0, host = '127.0.0.1', tls?: { key: string; cert: string }): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => void this.handle(req, res);
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.baseUrl = `${tls ? 'https' : 'http'}://${host}:${addr.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private takeFault(line: string, kind: (f: Fault) => boolean): Fault | undefined {
    const i = this.faults.findIndex((f) => kind(f) && (!f.match || f.match.test(line)));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.faults.splice(i, 1);
    }
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const line = `${method} ${url.pathname}`;
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body,
      status: 0,
      at: this.hooks.now ? this.hooks.now() : Date.now(),
    };
    this.log.push(entry);

    // At most one latency fault per request, then at most one other fault.
    const latency = this.takeFault(line, (f) => f.kind === 'latency');
    if (latency) await new Promise((r) => setTimeout(r, latency.ms ?? 5000));
    const fault = this.takeFault(line, (f) => f.kind !== 'latency');
    if (fault?.kind === 'drop') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'oversize') {
      entry.status = 200;
      await flood(res, fault.bytes ?? 300_000_000, entry);
      return;
    }
    let out: SimResponse;
    if (fault?.kind === 'status') {
      const status = fault.status ?? 503;
      const said = fault.message ?? (status === 429 ? 'Too many requests' : 'Service unavailable');
      const echoed = fault.echo ? `request: ${JSON.stringify({ headers: entry.headers, query: entry.query, body })}; ${said}` : said;
      out = this.hooks.errorResponse(status, echoed, { method, path: url.pathname });
      if (status === 429) out = { ...out, headers: { ...out.headers, 'Retry-After': String(fault.retryAfterSec ?? 1) } };
      if (fault.headers) out = { ...out, headers: { ...out.headers, ...fault.headers } };
    } else if (fault?.kind === 'malformed') {
      out = this.hooks.malformedResponse({ method, path: url.pathname });
    } else {
      out = await this.dispatch(method, url, req.headers, body);
    }
    entry.status = out.status;
    if (fault?.kind === 'trickle') trickle(res, this.encode(out), fault.ms ?? 1000, entry);
    else this.write(res, out);
  }

  private async dispatch(method: string, url: URL, headers: http.IncomingHttpHeaders, body: string): Promise<SimResponse> {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      const simReq: SimRequest = { method, path: url.pathname, params, query: url.searchParams, headers, body };
      if (!r.noAuth && this.hooks.authenticate) {
        const denied = this.hooks.authenticate(simReq);
        if (denied) return denied;
      }
      try {
        return await r.handler(simReq);
      } catch (err) {
        if (err instanceof SimReject) return this.hooks.errorResponse(err.status, err.message, { method, path: url.pathname });
        throw err;
      }
    }
    const line = { method, path: url.pathname };
    return pathMatched
      ? this.hooks.errorResponse(405, `Method ${method} not allowed on ${url.pathname}`, line)
      : this.hooks.errorResponse(404, `No such resource: ${url.pathname}`, line);
  }

  private write(res: http.ServerResponse, out: SimResponse): void {
    const { headers, payload } = this.encode(out);
    res.writeHead(out.status, headers);
    res.end(payload);
  }

  private encode(out: SimResponse): { status: number; headers: Record<string, string>; payload: string } {
    const headers: Record<string, string> = { ...out.headers };
    let payload = '';
    if (out.body !== undefined) {
      if (typeof out.body === 'string') {
        payload = out.body;
        headers['Content-Type'] ??= 'text/plain';
      } else {
        payload = JSON.stringify(out.body);
        headers['Content-Type'] ??= 'application/json';
      }
    }
    return { status: out.status, headers, payload };
  }
}

const TRICKLE_PADDING = 60;

/** Headers now, then the body a byte at a time, until it is all sent or the client gives up. */
function trickle(res: http.ServerResponse, out: { status: number; headers: Record<string, string>; payload: string }, everyMs: number, entry: LoggedRequest): void {
  const body = Buffer.from(`${' '.repeat(TRICKLE_PADDING)}${out.payload}`, 'utf8');
  res.writeHead(out.status, out.headers);
  res.flushHeaders();
  entry.sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || entry.sent! >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(body.subarray(entry.sent, entry.sent! + 1));
    entry.sent! += 1;
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A JSON array of filler strings running to `bytes`, written only as fast as the client takes it. */
async function flood(res: http.ServerResponse, bytes: number, entry: LoggedRequest): Promise<void> {
  const chunk = Buffer.from(`"${'x'.repeat(64 * 1024 - 3)}",`, 'utf8');
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('[');
  entry.sent = 1;
  while (entry.sent + chunk.length < bytes && !res.destroyed) {
    const more = res.write(chunk);
    entry.sent += chunk.length;
    if (!more) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end('"end"]');
}

/** Thrown by a route handler to answer with the vendor's error shape. */
export class SimReject extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parse a JSON request body or reject it as the vendor would. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  if (req.body.trim() === '') return {};
  try {
    const v = JSON.parse(req.body) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new SimReject(400, 'Request body is not a JSON object');
}

/** Reject fields the documents do not name: the simulator's guard against a client drifting from the docs. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(body)) if (!allowed.includes(k)) throw new SimReject(400, `Unknown field: ${k}`);
}

/**
 * A vendor's published limit as a sliding one-minute window: counts a request at `now`, or returns
 * the seconds to wait (at least 1) when `limit` requests were already made in the last minute.
 */
export function overLimit(times: number[], limit: number, now: number): number | null {
  while (times.length > 0 && times[0]! <= now - 60_000) times.shift();
  if (times.length >= limit) return Math.max(1, Math.ceil((times[0]! + 60_000 - now) / 1000));
  times.push(now);
  return null;
}

/** Deterministic PRNG (mulberry32) so a seed reproduces a scenario. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- outgoing callbacks ----

/** A simulator's outgoing POST body: JSON, or fields sent as multipart/form-data. */
export type OutgoingBody = { json: unknown } | { form: Record<string, string> };

/**
 * What a vendor sends on its own (webhooks, status callbacks), POSTed in the background one at a
 * time, so a receiver sees them in the order the changes happened. The API request that caused a
 * delivery never waits for it and never sees it fail: a refused connection, a timeout or a non-2xx
 * answer only counts in `failed`. Real vendors retry; the simulator sends once, since tests read
 * what was sent and the counts.
 */
export class SimOutbox {
  delivered = 0;
  failed = 0;
  /** Short, so a receiver that hangs holds up only the deliveries queued behind it. */
  timeoutMs = 1000;
  /** Beyond this many waiting deliveries new ones are dropped (counted as failed): a dead receiver cannot grow memory. */
  maxQueued = 1000;
  private queued = 0;
  private tail: Promise<void> = Promise.resolve();

  post(url: string, body: OutgoingBody): void {
    if (this.queued >= this.maxQueued) {
      this.failed += 1;
      return;
    }
    this.queued += 1;
    this.tail = this.tail.then(async () => {
      await this.send(url, body);
      this.queued -= 1;
    });
  }

  /** Resolves once every delivery queued so far has been delivered or has failed. */
  idle(): Promise<void> {
    return this.tail;
  }

  private async send(url: string, body: OutgoingBody): Promise<void> {
    try {
      const init: RequestInit =
        'json' in body
          ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body.json) }
          : { body: toFormData(body.form) }; // fetch sets multipart/form-data with its boundary
      const res = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(this.timeoutMs) });
      // Read the answer to the end so the connection is released (the timeout covers this too).
      await res.arrayBuffer();
      if (res.ok) this.delivered += 1;
      else this.failed += 1;
    } catch {
      // Refused, timed out, or not a URL at all: counted, never thrown at the simulator.
      this.failed += 1;
    }
  }
}

function toFormData(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}
