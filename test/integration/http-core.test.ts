// HttpCore on its own, against a loopback server that answers whatever each test scripts: which
// statuses leave an action's outcome unknown, how long a read will wait out a Retry-After, the total
// deadline (a body that trickles), the size cap (a body that never ends) and the scrubbing of secrets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { describeAudianError } from '../../main/vendors/audian/errors.js';
import { HttpCore, LIST_MAX_RESPONSE_BYTES, codeForStatus, messageForCode, type HttpCoreOptions, type SlowRequest } from '../../main/vendors/shared/http.js';

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Send the headers, then the body one byte every this many ms. */
  trickleMs?: number;
  /** A body of this many bytes, written only as the client reads it. */
  floodBytes?: number;
}

let server: http.Server;
let baseURL: string;
let answers: Scripted[] = [];
let hits = 0;
/** Bytes of body written for the last answer (trickled or flooded). */
let sent = 0;
let lastRequest: { headers: http.IncomingHttpHeaders } | null = null;

function drip(res: http.ServerResponse, body: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(body[i++]!);
    sent = i;
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

async function flood(res: http.ServerResponse, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  while (sent < bytes && !res.destroyed) {
    const more = res.write(chunk);
    sent += chunk.length;
    if (!more) await new Promise<void>((r) => {
      const done = () => (res.off('drain', done), res.off('close', done), r());
      res.on('drain', done);
      res.on('close', done);
    });
  }
  if (!res.destroyed) res.end();
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits += 1;
    sent = 0;
    lastRequest = { headers: req.headers };
    const a = answers.shift() ?? { status: 200, body: '{}' };
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    if (a.floodBytes !== undefined) void flood(res, a.floodBytes);
    else if (a.trickleMs !== undefined) {
      res.flushHeaders();
      drip(res, a.body ?? '', a.trickleMs);
    } else res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));
beforeEach(() => {
  answers = [];
  hits = 0;
  sent = 0;
});

const sleeps: number[] = [];
function core(opts: Partial<HttpCoreOptions> = {}): HttpCore {
  sleeps.length = 0;
  return new HttpCore({
    baseURL,
    describeError: (status) => ({ code: codeForStatus(status), message: messageForCode(codeForStatus(status)) }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...opts,
  });
}

async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SwitchboardError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const ACTION = { method: 'POST', path: '/act' } as const;
const READ = { method: 'GET', path: '/read' } as const;

describe('an action answered 5xx', () => {
  it.each([500, 502, 504])('%i may have been applied: outcome_unknown, sent once', async (status) => {
    answers = [{ status, body: '<html>gateway</html>' }];
    expect((await failure(core().act(ACTION))).code).toBe('outcome_unknown');
    expect(hits).toBe(1);
  });

  it('503 says the vendor did not take it: vendor_unavailable, sent once', async () => {
    answers = [{ status: 503 }];
    expect((await failure(core().act(ACTION))).code).toBe('vendor_unavailable');
    expect(hits).toBe(1);
  });

  it.each([500, 502, 503, 504])('a read answered %i is retried and ends as vendor_unavailable', async (status) => {
    answers = Array.from({ length: 4 }, () => ({ status }));
    expect((await failure(core().read(READ))).code).toBe('vendor_unavailable');
    expect(hits).toBe(4);
  });
});

describe('Retry-After on a read', () => {
  it('waits out a short Retry-After, then reads', async () => {
    answers = [{ status: 429, headers: { 'Retry-After': '30' } }, { status: 200, body: '[]' }];
    expect((await core().read(READ)).text).toBe('[]');
    expect(sleeps).toEqual([30_000]);
  });

  it('fails at once with rate_limited and the vendor’s wait when it asks for longer than the cap', async () => {
    answers = [{ status: 429, headers: { 'Retry-After': '3600' } }, { status: 200, body: '[]' }];
    const err = await failure(core().read(READ));
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterSec: 3600 });
    expect(err.message).toContain('3600 s');
    expect(sleeps).toEqual([]);
    expect(hits).toBe(1);
  });

  it('takes the cap from the options', async () => {
    answers = [{ status: 429, headers: { 'Retry-After': '20' } }];
    expect(await failure(core({ maxRetryAfterSec: 10 }).read(READ))).toMatchObject({ code: 'rate_limited', retryAfterSec: 20 });
    expect(sleeps).toEqual([]);
    answers = [{ status: 429, headers: { 'Retry-After': '20' } }, { status: 200, body: '[]' }];
    expect((await core({ maxRetryAfterSec: 20 }).read(READ)).text).toBe('[]');
    expect(sleeps).toEqual([20_000]);
  });
});

/** A core whose onSlow calls are recorded with the time they came, counted from `t0`. */
function timed(opts: Partial<HttpCoreOptions> = {}) {
  const slow: (SlowRequest & { at: number })[] = [];
  const t0 = Date.now();
  const c = core({ ...opts, onSlow: (s) => void slow.push({ ...s, at: Date.now() - t0 }) });
  return { c, slow, t0 };
}

describe('a total deadline', () => {
  // Each byte arrives well inside the idle timeout, so only a deadline on the whole request ends it.
  const TRICKLE = { status: 200, body: JSON.stringify({ calls: 'x'.repeat(200) }), trickleMs: 100 };

  it('a read whose body trickles fails at its deadline, is told slow at its timeout first, and is not sent again', async () => {
    answers = [TRICKLE, TRICKLE];
    const { c, slow, t0 } = timed({ timeoutMs: 300, deadlineMs: 1_200 });
    const err = await failure(c.read(READ));
    const took = Date.now() - t0;
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not finish answering within 1\.2 s/);
    expect(took).toBeGreaterThanOrEqual(1_150);
    expect(took).toBeLessThan(4_000);
    expect(sent).toBeGreaterThan(3);
    expect(hits).toBe(1);
    // Told once, at its timeout: long before the request gave up.
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ waitedMs: 300, deadlineMs: 1_200 });
    expect(slow[0]!.at).toBeLessThan(took - 500);
  });

  it('an action whose answer trickles ends outcome_unknown at its deadline, sent once', async () => {
    answers = [TRICKLE, TRICKLE];
    const { c, slow } = timed({ timeoutMs: 300, deadlineMs: 900 });
    const err = await failure(c.act(ACTION));
    expect(err.code).toBe('outcome_unknown');
    expect(hits).toBe(1);
    expect(slow).toHaveLength(1);
  });

  it('a vendor that stays silent times out on its idle timeout and is told slow once; a prompt one never is', async () => {
    answers = [{ status: 200, body: '{}', trickleMs: 5_000 }];
    const { c, slow } = timed({ timeoutMs: 250, maxReadRetries: 0 });
    expect((await failure(c.read(READ))).code).toBe('timeout');
    expect(slow).toHaveLength(1);
    const prompt = timed({ timeoutMs: 250 });
    answers = [{ status: 200, body: '[]' }];
    expect((await prompt.c.read(READ)).text).toBe('[]');
    await new Promise((r) => setTimeout(r, 350));
    expect(prompt.slow).toHaveLength(0);
  });

  it('a deadline shorter than the timeout is raised to it', async () => {
    answers = [TRICKLE];
    const { c } = timed({ timeoutMs: 600, deadlineMs: 50 });
    const t0 = Date.now();
    await failure(c.read(READ));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(580);
  });
});

describe('a size cap', () => {
  const HUGE = 300_000_000;

  it('cuts a read at its cap with a clear error, having taken only a little more than the cap from the wire', async () => {
    answers = [{ status: 200, floodBytes: HUGE }];
    const err = await failure(core().read({ ...READ, maxBytes: 1024 * 1024 }));
    expect(err.code).toBe('bad_response');
    expect(err.message).toBe("The vendor's answer was larger than 1 MiB; Switchboard stopped reading it.");
    expect(hits).toBe(1);
    // What the server managed to hand over before the client hung up: the cap plus socket buffers, not 300 MB.
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBeLessThan(24 * 1024 * 1024);
  });

  it('caps at the core default when the request names none', async () => {
    answers = [{ status: 200, floodBytes: 3 * 1024 * 1024 }];
    expect(await failure(core({ maxResponseBytes: 2 * 1024 * 1024 }).read(READ))).toMatchObject({ code: 'bad_response', message: expect.stringContaining('2 MiB') });
    answers = [{ status: 200, floodBytes: 2 * 1024 * 1024 }];
    expect(await failure(core().read(READ))).toMatchObject({ code: 'bad_response', message: expect.stringContaining('1 MiB') });
  });

  it('lets a list the size of 50,000 calls through at the list cap', async () => {
    const body = JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ uii: `2026${i}`, pad: 'x'.repeat(320) })));
    expect(body.length).toBeGreaterThan(16 * 1024 * 1024);
    answers = [{ status: 200, body }];
    expect((await core().read({ ...READ, maxBytes: LIST_MAX_RESPONSE_BYTES })).text.length).toBe(body.length);
  });

  it('an action whose answer runs past the cap is outcome_unknown, sent once', async () => {
    answers = [{ status: 200, floodBytes: HUGE }];
    const err = await failure(core().act(ACTION));
    expect(err.code).toBe('outcome_unknown');
    expect(err.message).toContain('larger than 1 MiB');
    expect(hits).toBe(1);
  });
});

describe('secrets in what the vendor says', () => {
  const KEY = 'key+/secret 01';
  const SESSION = 'sess-0123456789';
  const auth = {
    headers: async () => ({ 'X-Session': SESSION }),
    invalidate: () => undefined,
  };
  const echoing = (words: string) => (status: number, text: string) => ({ code: codeForStatus(status), message: messageForCode(codeForStatus(status)), vendorMessage: `${words} ${text}` });

  it('masks the account secrets in every form and the credentials it sent, in vendorMessage and message alike', async () => {
    const forms = [KEY, encodeURIComponent(KEY), Buffer.from(KEY).toString('base64'), JSON.stringify(KEY).slice(1, -1), SESSION];
    answers = [{ status: 403, body: forms.join(' | ') }];
    const c = core({ secrets: [KEY], auth, describeError: echoing(`you sent ${KEY}:`) });
    const err = await failure(c.read(READ));
    expect(lastRequest?.headers['x-session']).toBe(SESSION);
    expect(err.code).toBe('forbidden');
    expect(err.vendorMessage).toBe('you sent ***: *** | *** | *** | *** | ***');
    for (const f of forms) expect(`${err.message} ${err.vendorMessage}`).not.toContain(f);
  });

  it('masks a secret a describer would have cut in two at its length limit', async () => {
    answers = [{ status: 400, body: `${'x'.repeat(495)}${KEY}` }];
    const clipping = (status: number, text: string) => ({ code: codeForStatus(status), message: 'refused', vendorMessage: text.slice(0, 500) });
    const err = await failure(core({ secrets: [KEY], describeError: clipping }).act(ACTION));
    expect(err.vendorMessage).toBe(`${'x'.repeat(495)}***`);
  });

  it('masks a secret in an error raised while authenticating inside a request', async () => {
    const failingAuth = {
      headers: async () => {
        throw new SwitchboardError('auth_failed', 'Login refused', { vendorMessage: `bad key ${KEY}` });
      },
      invalidate: () => undefined,
    };
    const err = await failure(core({ secrets: [KEY], auth: failingAuth }).act(ACTION));
    expect(err).toMatchObject({ code: 'auth_failed', vendorMessage: 'bad key ***' });
  });
});

describe('a read never reports an action failure', () => {
  // Audian's document answers its transfer_failed with a 503: to a poll that is an unavailable vendor.
  const body = JSON.stringify({ error: 'transfer_failed', message: 'Transfer destination is not available', code: 503 });

  it('a read answered with a named action failure is the vendor being unavailable, in words about no action', async () => {
    answers = Array.from({ length: 4 }, () => ({ status: 503, body }));
    const err = await failure(core({ describeError: describeAudianError }).read(READ));
    expect(err.code).toBe('vendor_unavailable');
    expect(err.message).toBe('The vendor is unavailable right now.');
    expect(err.message).not.toMatch(/action/);
    expect(err.vendorMessage).toBe('Transfer destination is not available');
  });

  it('the same answer to an action is that action failing', async () => {
    answers = [{ status: 503, body }];
    expect(await failure(core({ describeError: describeAudianError }).act(ACTION))).toMatchObject({ code: 'action_failed', message: 'Audian could not complete the action.' });
  });
});
