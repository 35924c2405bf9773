// One HTTP core for every vendor client: timeouts, auth hooks, retries for reads only, and the
// mapping of transport failures to error codes. Vendor specifics (body parsing, error bodies, auth)
// come in through the options so each client stays a thin, typed list of endpoints.
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import { SwitchboardError, type ErrorCode } from '../../domain/errors.js';

export interface HttpRequest {
  method: Method;
  /** Path relative to the base URL, already encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body (objects) or a raw string body with its own content type. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Override the base URL for this request (auth endpoints on another host). */
  baseURL?: string;
  /** Skip the auth strategy (the login request itself). */
  noAuth?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface VendorErrorDetail {
  code: ErrorCode;
  message: string;
  vendorMessage?: string;
}

export interface AuthStrategy {
  /** Add auth headers (logging in first when there is no live token). */
  headers(http: HttpCore): Promise<Record<string, string>>;
  /** Called on 401: drop the token so the next headers() call logs in again. */
  invalidate(): void;
}

/**
 * Where every request waits for its turn: the account's request scheduler (main/engine/scheduler).
 * `pass` resolves when the request may go out; the pass then hears how the vendor answered, so a
 * 429's Retry-After (or X-RateLimit-* headers) can hold back the request's whole bucket.
 */
export interface RequestGate {
  pass(req: HttpRequest): Promise<GatePass>;
}

export interface GatePass {
  answered(res: HttpResponse): void;
}

/** Headers a vendor's document shows on every request, beyond auth and the body's own type. */
export interface DocumentedHeaders {
  /** Accept, where the document names one; otherwise a generic one listing what the clients read. */
  accept?: string;
  /**
   * A Content-Type on requests that carry no body. Only where the vendor's own examples show one
   * (LiveVox on every request, Exotel v3 on its GETs); otherwise a body-less request declares none.
   */
  bodyless?: (req: HttpRequest) => string | undefined;
}

export interface HttpCoreOptions {
  baseURL: string;
  timeoutMs?: number;
  auth?: AuthStrategy;
  /** Reads a vendor error body (JSON or XML) into a code and the vendor's own message. */
  describeError: (status: number, text: string) => VendorErrorDetail;
  maxReadRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * The longest Retry-After a read waits out, in seconds (default 60). A vendor asking for longer
   * fails the read with rate_limited carrying its wait, so a poll is not stalled for minutes.
   */
  maxRetryAfterSec?: number;
  /** The account's request scheduler; without one, requests go at once (client tests). */
  gate?: RequestGate;
  headers?: DocumentedHeaders;
  sleep?: (ms: number) => Promise<void>;
}

const GENERIC_ACCEPT = 'application/json, application/xml;q=0.9, text/plain;q=0.8';

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/** The wait a 429 asks for, in seconds; undefined for any other answer, or one that names none. */
export function retryAfterOf(res: Pick<HttpResponse, 'status' | 'headers'>): number | undefined {
  return res.status === 429 ? parseRetryAfter(res.headers['retry-after']) : undefined;
}

export class HttpCore {
  private readonly axios: AxiosInstance;
  private readonly opts: Required<Omit<HttpCoreOptions, 'auth' | 'gate' | 'headers'>> & Pick<HttpCoreOptions, 'auth' | 'gate' | 'headers'>;

  constructor(opts: HttpCoreOptions) {
    this.opts = {
      timeoutMs: 10_000,
      maxReadRetries: 3,
      backoffBaseMs: 250,
      backoffMaxMs: 8_000,
      maxRetryAfterSec: 60,
      sleep: defaultSleep,
      ...opts,
    };
    this.axios = axios.create({
      baseURL: opts.baseURL,
      timeout: this.opts.timeoutMs,
      // We parse bodies ourselves so a malformed payload is an error we can name, not a silent string.
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
      // Proxies from the environment would route vendor traffic (and credentials) elsewhere.
      proxy: false,
    });
  }

  /** A read: safe to repeat, so transient failures are retried with backoff, honouring Retry-After. */
  async read(req: HttpRequest): Promise<HttpResponse> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.sendWithAuth(req, 'read');
      } catch (err) {
        const retryable =
          err instanceof SwitchboardError &&
          ['rate_limited', 'vendor_unavailable', 'network', 'timeout'].includes(err.code);
        if (!retryable || attempt >= this.opts.maxReadRetries) throw err;
        if (err.retryAfterSec !== undefined && err.retryAfterSec > this.opts.maxRetryAfterSec) throw waitTooLong(err);
        const backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
        // With a scheduler, a 429 holds the request's whole bucket for its Retry-After (one window for
        // every request of that bucket, not one per retry loop): the retry simply queues behind it.
        const ownWait = err.retryAfterSec !== undefined && !this.opts.gate;
        const wait = ownWait ? Math.max(err.retryAfterSec! * 1000, backoff) : backoff;
        attempt += 1;
        await this.opts.sleep(wait);
      }
    }
  }

  /**
   * A call action: sent once. When the request may have reached the vendor but no answer came back
   * (timeout, dropped connection, 500, 502, 504), the outcome is reported as unknown instead of guessing.
   * A 401 means the vendor refused before acting, so re-authenticating and sending again is safe.
   */
  async act(req: HttpRequest): Promise<HttpResponse> {
    const progress = { dispatched: false };
    try {
      return await this.sendWithAuth(req, 'act', progress);
    } catch (err) {
      // A failure while logging in, before the action itself went out, is a plain failure.
      if (!progress.dispatched) throw err;
      if (err instanceof SwitchboardError && (err.code === 'timeout' || (err.code === 'network' && !isRefused(err)))) {
        throw new SwitchboardError(
          'outcome_unknown',
          'The vendor did not answer; the action may or may not have taken effect. Check the call before trying again.',
          err.vendorMessage === undefined ? {} : { vendorMessage: err.vendorMessage },
        );
      }
      throw err;
    }
  }

  /**
   * act(), then `parse` its 2xx answer. The vendor took the request, so an answer that cannot be read
   * leaves the outcome unknown rather than failed (see readActionReply).
   */
  async actAndRead<T>(req: HttpRequest, parse: (res: HttpResponse) => T): Promise<T> {
    const res = await this.act(req);
    return readActionReply(() => parse(res));
  }

  private async sendWithAuth(req: HttpRequest, mode: 'read' | 'act', progress?: { dispatched: boolean }): Promise<HttpResponse> {
    const first = await this.sendOnce(req, progress);
    if (first.status === 401 && this.opts.auth && !req.noAuth) {
      this.opts.auth.invalidate();
      // Refused before acting: until the request goes out again, nothing has been done.
      if (progress) progress.dispatched = false;
      const second = await this.sendOnce(req, progress);
      return this.check(second, mode);
    }
    return this.check(first, mode);
  }

  private check(res: HttpResponse, mode: 'read' | 'act'): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    const detail = this.opts.describeError(res.status, res.text);
    const retryAfterSec = retryAfterOf(res);
    // A 500 to an action may have been applied before the vendor failed, and a 502 or 504 from a
    // gateway may hide a vendor that applied it and then answered too late or garbled: not safe to
    // call a plain failure. A 503 says the vendor did not take the request. Reads (whatever their
    // method: some vendors read with POST) are simply unavailable.
    const unknown = UNKNOWN_AFTER_ACTION.has(res.status) && mode === 'act' && detail.code === 'vendor_unavailable';
    const code = unknown ? 'outcome_unknown' : detail.code;
    const message = unknown ? 'The vendor failed while handling the action; it may or may not have taken effect. Check before trying again.' : detail.message;
    throw new SwitchboardError(code, message, {
      ...(detail.vendorMessage === undefined ? {} : { vendorMessage: detail.vendorMessage }),
      ...(retryAfterSec === undefined ? {} : { retryAfterSec }),
    });
  }

  /** Sends one request and returns whatever came back; transport failures become typed errors. */
  async sendOnce(req: HttpRequest, progress?: { dispatched: boolean }): Promise<HttpResponse> {
    const documented = this.opts.headers;
    const headers: Record<string, string | false> = { Accept: documented?.accept ?? GENERIC_ACCEPT, ...req.headers };
    // Auth first (it may log in, itself a request through the gate), then this request's turn.
    if (this.opts.auth && !req.noAuth) Object.assign(headers, await this.opts.auth.headers(this));
    let data: string | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string') {
        data = req.body;
        headers['Content-Type'] = req.contentType ?? 'text/plain';
      } else {
        data = JSON.stringify(req.body);
        headers['Content-Type'] = req.contentType ?? 'application/json';
      }
    } else {
      // axios would declare a form body on every body-less POST or PUT; a request with no body
      // declares a type only where the vendor's own example shows one (docs/vendors.md).
      headers['Content-Type'] = req.contentType ?? documented?.bodyless?.(req) ?? false;
    }
    const pass = this.opts.gate ? await this.opts.gate.pass(req) : null;
    let res: AxiosResponse<string>;
    if (progress) progress.dispatched = true;
    try {
      res = await this.axios.request<string>({
        method: req.method,
        url: req.path,
        ...(req.baseURL === undefined ? {} : { baseURL: req.baseURL }),
        params: cleanQuery(req.query),
        data,
        headers,
      });
    } catch (err) {
      throw transportError(err);
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out[k.toLowerCase()] = v;
    const answer = { status: res.status, headers: out, text: typeof res.data === 'string' ? res.data : '' };
    pass?.answered(answer);
    return answer;
  }
}

/** Statuses after which an action may have been applied (see check()). */
const UNKNOWN_AFTER_ACTION: ReadonlySet<number> = new Set([500, 502, 504]);

/** The vendor asked for a longer pause than a poll may wait: fail now, saying how long it asked for. */
function waitTooLong(err: SwitchboardError): SwitchboardError {
  const secs = Math.ceil(err.retryAfterSec ?? 0);
  return new SwitchboardError('rate_limited', `The vendor is rate limiting and asked Switchboard to wait ${secs} s before trying again.`, {
    ...(err.vendorMessage === undefined ? {} : { vendorMessage: err.vendorMessage }),
    ...(err.retryAfterSec === undefined ? {} : { retryAfterSec: err.retryAfterSec }),
  });
}

function cleanQuery(q: HttpRequest['query']): Record<string, string> | undefined {
  if (!q) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = String(v);
  return out;
}

const REFUSED = 'connection refused';
function isRefused(err: SwitchboardError): boolean {
  return err.message.includes(REFUSED);
}

function transportError(err: unknown): SwitchboardError {
  const code = axios.isAxiosError(err) ? err.code : undefined;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new SwitchboardError('timeout', 'The vendor did not answer in time.');
  }
  if (code === 'ECONNREFUSED') {
    return new SwitchboardError('network', `The vendor's host is unreachable (${REFUSED}).`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SwitchboardError('network', "The vendor's host name could not be resolved; check the base URL or region.");
  }
  return new SwitchboardError('network', 'The connection to the vendor failed before an answer arrived.');
}

/**
 * Reads what a vendor answered (2xx) to an action. A body that cannot be read (bad_response) does not
 * mean the action failed: the vendor accepted it, so it has probably been applied and its outcome is
 * unknown. Only here is that decided; an unreadable answer to a read stays bad_response, since
 * nothing that changes anything was sent.
 */
export function readActionReply<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof SwitchboardError && err.code === 'bad_response')) throw err;
    throw new SwitchboardError('outcome_unknown', `${err.message} The vendor accepted the action, so it has probably taken effect; check before trying again.`, {
      ...(err.vendorMessage === undefined ? {} : { vendorMessage: err.vendorMessage }),
    });
  }
}

/** JSON body or a bad_response error naming what we expected. */
export function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SwitchboardError('bad_response', `The vendor sent a malformed ${what} (not valid JSON).`);
  }
}

/** Default mapping from HTTP status to code, for vendors whose body says nothing more specific. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 401) return 'auth_failed';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'invalid_state';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'vendor_unavailable';
  return 'action_failed';
}

export function messageForCode(code: ErrorCode): string {
  switch (code) {
    case 'invalid_input':
      return 'The vendor rejected the request as invalid.';
    case 'auth_failed':
      return 'The vendor rejected the credentials.';
    case 'forbidden':
      return 'The vendor refused: this account is not allowed to do that (feature not enabled or missing role).';
    case 'not_found':
      return 'The vendor could not find that call, leg or agent; it may have ended.';
    case 'invalid_state':
      return 'The call is not in a state that allows this action.';
    case 'rate_limited':
      return 'The vendor is rate limiting requests.';
    case 'vendor_unavailable':
      return 'The vendor is unavailable right now.';
    default:
      return 'The vendor refused the request.';
  }
}
