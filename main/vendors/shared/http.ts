// One HTTP core for every vendor client: timeouts, a total deadline and a size cap per request, auth
// hooks, retries for reads only, the mapping of transport failures to error codes, and the scrubbing
// of the account's secrets from every vendor text it passes on. Vendor specifics (body parsing, error
// bodies, auth) come in through the options so each client stays a thin, typed list of endpoints.
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import { SwitchboardError, type ErrorCode } from '../../domain/errors.js';
import type { ConnectorDeps } from '../connector.js';
import { startRequestClock, type SlowRequest } from './request-clock.js';
import { SecretScrubber } from './scrub.js';

export type { SlowRequest } from './request-clock.js';
import { proxyAuthError } from './transport-errors.js';
import { vendorTransport, type VendorTransport } from './transport.js';

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
  /** The largest answer this request may read, in bytes (default: the core's maxResponseBytes). */
  maxBytes?: number;
}

/** Answers of a single object, an action's result or an error: far above any the documents show. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/**
 * Whole lists (active calls, agents, chat). 50,000 calls measured 15.9 MiB from the Engage Voice
 * simulator and 9.9 MiB from Audian's (5,000 LiveVox agents: 1.1 MiB); four times the largest leaves
 * room for vendors that send more per call, and still stops a runaway answer long before memory does.
 */
export const LIST_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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
  /**
   * How long the vendor may stay silent (axios' idle timeout), and how long a request may take before
   * it counts as slow (onSlow).
   */
  timeoutMs?: number;
  /**
   * The most one request may take, body included (default three timeouts): a vendor that sends its
   * headers and then trickles the body is cut off here, which the idle timeout never does.
   */
  deadlineMs?: number;
  /** Default size cap of an answer (per request: HttpRequest.maxBytes). */
  maxResponseBytes?: number;
  /** Told as soon as a request passes timeoutMs without a full answer, before it fails. */
  onSlow?: (slow: SlowRequest) => void;
  /** Every secret of the account: none of them, in any form, leaves in an error or vendor message. */
  secrets?: Iterable<string | undefined>;
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
  /** How requests reach the network (proxy, CA, Chromium); the host's choice (transport.ts) when absent. */
  transport?: VendorTransport;
}

const GENERIC_ACCEPT = 'application/json, application/xml;q=0.9, text/plain;q=0.8';

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type FromDeps = 'timeoutMs' | 'deadlineMs' | 'onSlow' | 'sleep' | 'gate';

/** The HttpCore options among the engine's ConnectorDeps, for a client to pass on whole (none forgotten). */
export function coreOptionsOf(deps: ConnectorDeps): Pick<HttpCoreOptions, FromDeps> {
  const out: Pick<HttpCoreOptions, FromDeps> = {};
  if (deps.timeoutMs !== undefined) out.timeoutMs = deps.timeoutMs;
  if (deps.deadlineMs !== undefined) out.deadlineMs = deps.deadlineMs;
  if (deps.onSlow !== undefined) out.onSlow = deps.onSlow;
  if (deps.sleep !== undefined) out.sleep = deps.sleep;
  if (deps.gate !== undefined) out.gate = deps.gate;
  return out;
}

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

type OptionalHooks = 'auth' | 'gate' | 'headers' | 'onSlow' | 'secrets' | 'deadlineMs' | 'transport';

export class HttpCore {
  private readonly axios: AxiosInstance;
  private readonly opts: Required<Omit<HttpCoreOptions, OptionalHooks>> & Pick<HttpCoreOptions, OptionalHooks>;
  private readonly scrubber: SecretScrubber;
  private readonly deadlineMs: number;

  constructor(opts: HttpCoreOptions) {
    this.opts = {
      timeoutMs: 10_000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      maxReadRetries: 3,
      backoffBaseMs: 250,
      backoffMaxMs: 8_000,
      maxRetryAfterSec: 60,
      sleep: defaultSleep,
      ...opts,
    };
    this.deadlineMs = Math.max(opts.deadlineMs ?? this.opts.timeoutMs * 3, this.opts.timeoutMs);
    this.scrubber = new SecretScrubber(opts.secrets ?? []);
    this.axios = axios.create({
      baseURL: opts.baseURL,
      timeout: this.opts.timeoutMs,
      // We parse bodies ourselves so a malformed payload is an error we can name, not a silent string.
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
      // Never axios's own reading of the environment: whether a proxy is used is the transport's call.
      proxy: false,
    });
  }

  /** The account's secrets, in every form, masked out of a vendor text. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  /** The vendor's error body read by describeError, with every secret masked out before and after. */
  describe(status: number, text: string): VendorErrorDetail {
    // Before as well: a secret cut in two by a describer's length limit would no longer match whole.
    const d = this.opts.describeError(status, this.scrubber.scrub(text));
    const vendorMessage = this.scrubber.scrub(d.vendorMessage);
    return { code: d.code, message: this.scrubber.scrub(d.message), ...(vendorMessage === undefined ? {} : { vendorMessage }) };
  }

  /** A read: safe to repeat, so transient failures are retried with backoff, honouring Retry-After. */
  read(req: HttpRequest): Promise<HttpResponse> {
    return this.scrubbed(this.readOnce(req));
  }

  private async readOnce(req: HttpRequest): Promise<HttpResponse> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.sendWithAuth(req, 'read');
      } catch (err) {
        // A vendor still sending when the deadline struck is answering, too slowly: asking again
        // would only repeat the wait.
        const retryable =
          err instanceof SwitchboardError &&
          !cutShort.has(err) &&
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
  act(req: HttpRequest): Promise<HttpResponse> {
    return this.scrubbed(this.actOnce(req));
  }

  private async actOnce(req: HttpRequest): Promise<HttpResponse> {
    const progress = { dispatched: false };
    try {
      return await this.sendWithAuth(req, 'act', progress);
    } catch (err) {
      // A failure while logging in, before the action itself went out, is a plain failure.
      if (!progress.dispatched) throw err;
      if (err instanceof SwitchboardError && cutShort.get(err) === 'size') {
        throw new SwitchboardError(
          'outcome_unknown',
          `The vendor's answer to the action was larger than ${mib(this.capOf(req))} and was not read; the action may or may not have taken effect. Check the call before trying again.`,
        );
      }
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
  actAndRead<T>(req: HttpRequest, parse: (res: HttpResponse) => T): Promise<T> {
    return this.scrubbed(this.actOnce(req).then((res) => readActionReply(() => parse(res))));
  }

  /** Whatever fails leaves HttpCore scrubbed, auth failures raised inside a request included. */
  private async scrubbed<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      throw this.scrubber.scrubError(err);
    }
  }

  private async sendWithAuth(req: HttpRequest, mode: 'read' | 'act', progress?: { dispatched: boolean }): Promise<HttpResponse> {
    const first = await this.exchange(req, progress);
    if (first.status === 401 && this.opts.auth && !req.noAuth) {
      this.opts.auth.invalidate();
      // Refused before acting: until the request goes out again, nothing has been done.
      if (progress) progress.dispatched = false;
      const second = await this.exchange(req, progress);
      return this.check(second, mode);
    }
    return this.check(first, mode);
  }

  private check(res: HttpResponse, mode: 'read' | 'act'): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    const detail = mode === 'read' ? asReadFailure(res.status, this.describe(res.status, res.text)) : this.describe(res.status, res.text);
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
  sendOnce(req: HttpRequest, progress?: { dispatched: boolean }): Promise<HttpResponse> {
    return this.scrubbed(this.exchange(req, progress));
  }

  private capOf(req: HttpRequest): number {
    return req.maxBytes ?? this.opts.maxResponseBytes;
  }

  private async exchange(req: HttpRequest, progress?: { dispatched: boolean }): Promise<HttpResponse> {
    const documented = this.opts.headers;
    const headers: Record<string, string | false> = { Accept: documented?.accept ?? GENERIC_ACCEPT, ...req.headers };
    // Auth first (it may log in, itself a request through the gate), then this request's turn.
    const auth = this.opts.auth && !req.noAuth ? await this.opts.auth.headers(this) : {};
    Object.assign(headers, auth);
    // What a vendor can echo is what it was sent: the auth strategy's headers (a session id, an access
    // token, a Basic pair in which no secret appears in plain form) and a login's own Authorization.
    this.scrubber.learnHeaders(auth);
    for (const [name, value] of Object.entries(req.headers ?? {})) if (name.toLowerCase() === 'authorization') this.scrubber.learnHeaders({ [name]: value });
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
    const clock = startRequestClock(this.opts.timeoutMs, this.deadlineMs, this.opts.onSlow);
    const transport = this.opts.transport ?? vendorTransport();
    let target: URL | null = null;
    try {
      target = new URL(req.baseURL ?? this.opts.baseURL);
      res = await this.axios.request<string>({
        method: req.method,
        url: req.path,
        ...(req.baseURL === undefined ? {} : { baseURL: req.baseURL }),
        params: cleanQuery(req.query),
        data,
        headers,
        signal: clock.signal,
        maxContentLength: this.capOf(req),
        ...transport.configFor(target),
      });
    } catch (err) {
      // Past the deadline the request's own clock says why; before it, a proxy or certificate may.
      const failure = (clock.expired ? null : target && transport.explain(err, target)) ?? transportError(err, clock.expired, this.deadlineMs, this.capOf(req));
      if (failure.code === 'timeout') clock.timedOut();
      throw failure;
    } finally {
      clock.stop();
    }
    // Only a proxy answers 407: the request never reached the vendor.
    if (res.status === 407) throw proxyAuthError(target.hostname);
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

/** Errors for an answer cut off by the core itself: at the deadline, or at the size cap. */
const cutShort = new WeakMap<SwitchboardError, 'deadline' | 'size'>();
function cut(err: SwitchboardError, why: 'deadline' | 'size'): SwitchboardError {
  cutShort.set(err, why);
  return err;
}

const mib = (bytes: number): string => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/**
 * A read has nothing to complete: a vendor that names an action failure (Audian's documented
 * transfer_failed comes as a 503) is, to a poll, simply failing, and is described by its status.
 */
function asReadFailure(status: number, d: VendorErrorDetail): VendorErrorDetail {
  if (d.code !== 'action_failed') return d;
  const code = status >= 500 ? 'vendor_unavailable' : codeForStatus(status);
  return { ...d, code, message: messageForCode(code) };
}

function transportError(err: unknown, deadlineStruck: boolean, deadlineMs: number, capBytes: number): SwitchboardError {
  if (deadlineStruck) {
    return cut(new SwitchboardError('timeout', `The vendor did not finish answering within ${Math.round(deadlineMs / 100) / 10} s; Switchboard stopped waiting.`), 'deadline');
  }
  // axios names a broken size cap only in its message (code ERR_BAD_RESPONSE is shared with other failures).
  if (axios.isAxiosError(err) && err.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(err.message)) {
    return cut(new SwitchboardError('bad_response', `The vendor's answer was larger than ${mib(capBytes)}; Switchboard stopped reading it.`), 'size');
  }
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
