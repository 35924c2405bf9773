// HttpCore on its own, against a loopback server that answers whatever each test scripts: which
// statuses leave an action's outcome unknown, and how long a read will wait out a Retry-After.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { HttpCore, codeForStatus, messageForCode, type HttpCoreOptions } from '../../main/vendors/shared/http.js';

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

let server: http.Server;
let baseURL: string;
let answers: Scripted[] = [];
let hits = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits += 1;
    const a = answers.shift() ?? { status: 200, body: '{}' };
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  answers = [];
  hits = 0;
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
