// Injected faults against the Audian client: the right error code, reads recover once the fault
// clears, and no call action is ever sent twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { AudianClient } from '../../main/vendors/audian/client.js';
import { channelsToCalls } from '../../main/vendors/audian/normalise.js';
import type { SimCall } from '../../main/vendors/audian/sim-state.js';
import { createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';

const TIMEOUT_MS = 150;
let sim: AudianSimulator;
let client: AudianClient;
let sleeps: number[];
let call: SimCall;

beforeEach(async () => {
  sim = createAudianSimulator({ seed: 5, calls: 10 });
  await sim.start();
  sleeps = [];
  client = new AudianClient({ baseUrl: sim.server.baseUrl, authHeader: 'x-auth-token' }, sim.credentials, {
    timeoutMs: TIMEOUT_MS,
    sleep: async (ms) => void sleeps.push(ms),
  });
  await client.login();
  for (const c of sim.state.live.values()) if (c.status === 'answered' && !c.on_hold) call = c;
  sim.server.clearLog();
});
afterEach(async () => {
  await sim.stop();
});

async function code(p: Promise<unknown>): Promise<string> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof SwitchboardError)) throw new Error(`expected a SwitchboardError, got ${String(err)}`);
  return err.code;
}
const channelGets = () => sim.server.log.filter((r) => r.method === 'GET' && r.path.endsWith('/channels'));
const holdPosts = () => sim.server.log.filter((r) => r.method === 'POST' && r.path === `/v2/calls/${call.call_id}/hold`);
/** The simulator finishes a delayed request after the client gave up; wait for it before reading state. */
async function settled(): Promise<void> {
  for (let i = 0; i < 100 && sim.server.log.some((r) => r.status === 0); i++) await new Promise((r) => setTimeout(r, 20));
}
const READ = /GET .*\/channels$/;
const HOLD = /POST .*\/hold$/;

describe('latency beyond the client timeout', () => {
  it('a read times out after its retries, then recovers', async () => {
    sim.server.injectFault({ kind: 'latency', ms: TIMEOUT_MS * 3, times: 12, match: READ });
    expect(await code(client.listChannels())).toBe('timeout');
    expect(channelGets()).toHaveLength(4);
    sim.server.clearFaults();
    expect(channelsToCalls('a', await client.listChannels())).toHaveLength(10);
  });
  it('an action is outcome_unknown and sent once (it did take effect late)', async () => {
    sim.server.injectFault({ kind: 'latency', ms: TIMEOUT_MS * 2, times: 1, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('outcome_unknown');
    await settled();
    expect(holdPosts()).toHaveLength(1);
    expect(call.on_hold).toBe(true);
  });
});

describe('429 with Retry-After', () => {
  it('a read waits as long as asked, then succeeds', async () => {
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 3, times: 1, match: READ });
    expect(channelsToCalls('a', await client.listChannels())).toHaveLength(10);
    expect(sleeps).toEqual([3000]);
    expect(channelGets().map((r) => r.status)).toEqual([429, 200]);
  });
  it('an action is rate_limited and not repeated', async () => {
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 1, times: 1, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('rate_limited');
    expect(holdPosts()).toHaveLength(1);
    expect(call.on_hold).toBe(false);
  });
});

describe('500 and 503', () => {
  it('a read retries through a 500 and a 503 with backoff', async () => {
    sim.server.injectFault({ kind: 'status', status: 500, times: 1, match: READ });
    sim.server.injectFault({ kind: 'status', status: 503, times: 1, match: READ });
    await client.listChannels();
    expect(channelGets().map((r) => r.status)).toEqual([500, 503, 200]);
    expect(sleeps).toHaveLength(2);
  });
  it('a read that keeps failing is vendor_unavailable, and recovers once the fault clears', async () => {
    sim.server.injectFault({ kind: 'status', status: 503, match: READ });
    expect(await code(client.listChannels())).toBe('vendor_unavailable');
    expect(channelGets()).toHaveLength(4);
    sim.server.clearFaults();
    await client.listChannels();
  });
  it('an action answered 500 is outcome_unknown, sent once', async () => {
    sim.server.injectFault({ kind: 'status', status: 500, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('outcome_unknown');
    expect(holdPosts()).toHaveLength(1);
  });
  it('an action answered 503 is vendor_unavailable, sent once', async () => {
    sim.server.injectFault({ kind: 'status', status: 503, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('vendor_unavailable');
    expect(holdPosts()).toHaveLength(1);
  });
});

describe('dropped connection', () => {
  it('a read is retried and then network; it recovers when the fault clears', async () => {
    sim.server.injectFault({ kind: 'drop', match: READ });
    expect(await code(client.listChannels())).toBe('network');
    expect(channelGets()).toHaveLength(4);
    sim.server.clearFaults();
    await client.listChannels();
  });
  it('an action is outcome_unknown, sent once', async () => {
    sim.server.injectFault({ kind: 'drop', times: 1, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('outcome_unknown');
    expect(holdPosts()).toHaveLength(1);
  });
});

describe('malformed body', () => {
  it('a read is bad_response (not retried), then recovers', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1, match: READ });
    expect(await code(client.listChannels())).toBe('bad_response');
    expect(channelGets()).toHaveLength(1);
    await client.listChannels();
  });
  it('an action answered 2xx with it is outcome_unknown (probably applied), sent once', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1, match: HOLD });
    expect(await code(client.hold(call.call_id))).toBe('outcome_unknown');
    expect(holdPosts()).toHaveLength(1);
  });
  it('a login answer before an action is bad_response, and the action is not applied', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /PUT \/v2\/api_auth/ });
    expect(await code(client.hold(call.call_id))).toBe('bad_response');
    expect(holdPosts().map((r) => r.status)).toEqual([401]);
    expect(call.on_hold).toBe(false);
  });
});

describe('expired auth', () => {
  it('a read logs in again silently', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    await client.listChannels();
    expect(sim.server.log.map((r) => `${r.method} ${r.path.replace(/accounts\/[^/]+/, 'accounts/A')} ${r.status}`)).toEqual([
      'GET /v2/accounts/A/channels 401',
      'PUT /v2/api_auth 201',
      'GET /v2/accounts/A/channels 200',
    ]);
  });
  it('an action refused with 401 is re-sent once after login and takes effect once', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    await client.mute(call.call_id);
    expect(sim.server.calls().map((l, i) => `${l} ${sim.server.log[i]?.status}`)).toEqual([
      `POST /v2/calls/${call.call_id}/mute 401`,
      'PUT /v2/api_auth 201',
      `POST /v2/calls/${call.call_id}/mute 200`,
    ]);
    expect(call.muted).toBe(true);
  });
});

describe('faults on the login itself', () => {
  it('a transient login failure is retried like any read', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    sim.server.injectFault({ kind: 'status', status: 503, times: 1, match: /PUT \/v2\/api_auth/ });
    await client.listChannels();
    expect(sim.server.calls(/api_auth/)).toHaveLength(2);
  });
  it('a login that never answers before an action is reported as itself (not outcome_unknown), and the action is not applied', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    sim.server.injectFault({ kind: 'drop', match: /PUT \/v2\/api_auth/ });
    // The hold was refused with 401 before acting; the re-login then failed on the network.
    expect(await code(client.hold(call.call_id))).toBe('network');
    expect(holdPosts().map((r) => r.status)).toEqual([401]);
    expect(call.on_hold).toBe(false);
  });
});
