// Injected faults against the LiveVox client: the right error code, reads recover once the fault
// clears, and no action is ever accepted twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveVoxAccount } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { LiveVoxClient } from '../../main/vendors/livevox/client.js';
import { createLiveVoxSimulator, type LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';

const STATE_PATH = /GET \/callControl\/supervisor\/monitor\/state/;
const REALTIME = /POST \/realtime\/service\/agents\/status/;
const READY = /POST \/callControl\/supervisor\/agent\/status\/ready/;
const LISTEN = /POST \/callControl\/supervisor\/monitor\/listen/;

let sim: LiveVoxSimulator;
let client: LiveVoxClient;
let sleeps: number[];

beforeEach(async () => {
  sim = createLiveVoxSimulator({ seed: 5, agents: 12, calls: 4 });
  await sim.start();
  sleeps = [];
  const account = LiveVoxAccount.parse({ id: 'lv1', label: 'LiveVox', ...sim.accountSettings() });
  client = new LiveVoxClient(account, sim.credentials, {
    timeoutMs: 150,
    maxReadRetries: 2,
    sleep: async (ms) => void sleeps.push(ms),
  });
  // Log in and open the audio path first, so each test's log shows only what the fault touches.
  await client.monitorStart('6505317524');
  sim.server.clearLog();
});

afterEach(async () => {
  await sim.stop();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    return (err as SwitchboardError).code;
  }
  return 'resolved';
}

/** How many times the vendor accepted (2xx) a request matching the line. */
const accepted = (re: RegExp) => sim.server.log.filter((r) => re.test(`${r.method} ${r.path}`) && r.status >= 200 && r.status < 300).length;
const sent = (re: RegExp) => sim.server.calls(re).length;

describe('latency beyond the client timeout', () => {
  it('times a read out after its retries, and the read recovers when the fault clears', async () => {
    sim.server.injectFault({ kind: 'latency', ms: 400, match: STATE_PATH });
    expect(await code(client.monitorState())).toBe('timeout');
    expect(sent(STATE_PATH)).toBe(3);
    sim.server.clearFaults();
    await expect(client.monitorState()).resolves.toEqual({ activeCall: true });
  });

  it('reports an action as outcome_unknown and never resends it', async () => {
    sim.server.injectFault({ kind: 'latency', ms: 400, match: LISTEN });
    expect(await code(client.listen('LV_TEST'))).toBe('outcome_unknown');
    expect(sent(LISTEN)).toBe(1);
  });
});

describe('429 with Retry-After', () => {
  it('waits as long as the vendor asked, then the read succeeds', async () => {
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 3, times: 1, match: REALTIME });
    const res = await client.realtimeAgents();
    expect(res.agentDetails.length).toBeGreaterThan(0);
    expect(sleeps).toEqual([3000]);
    expect(sent(REALTIME)).toBe(2);
  });

  it('surfaces rate_limited for an action without resending it', async () => {
    sim.server.injectFault({ kind: 'status', status: 429, times: 1, match: READY });
    expect(await code(client.readyAgents(['LV_AGENT_0005']))).toBe('rate_limited');
    expect(sent(READY)).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe('500 and 503', () => {
  it('retries a GET read through a passing 500', async () => {
    sim.server.injectFault({ kind: 'status', status: 500, times: 1, match: STATE_PATH });
    await expect(client.monitorState()).resolves.toEqual({ activeCall: true });
    expect(sent(STATE_PATH)).toBe(2);
  });

  it('reports a lasting 503 on a read as vendor_unavailable, and recovers when it clears', async () => {
    sim.server.injectFault({ kind: 'status', status: 503, match: REALTIME });
    expect(await code(client.realtimeAgents())).toBe('vendor_unavailable');
    expect(sent(REALTIME)).toBe(3);
    sim.server.clearFaults();
    await expect(client.realtimeAgents()).resolves.toHaveProperty('agentDetails');
  });

  it('treats a 500 on a read sent as POST as a read: retried, then vendor_unavailable, never outcome_unknown', async () => {
    const before = sent(REALTIME);
    sim.server.injectFault({ kind: 'status', status: 500, times: 1, match: REALTIME });
    await expect(client.realtimeAgents()).resolves.toHaveProperty('agentDetails');
    expect(sent(REALTIME) - before).toBe(2);
    sim.server.injectFault({ kind: 'status', status: 500, match: REALTIME });
    expect(await code(client.realtimeAgents())).toBe('vendor_unavailable');
    sim.server.clearFaults();
    await expect(client.realtimeAgents()).resolves.toHaveProperty('agentDetails');
  });

  it('reports a 500 on an action as outcome_unknown and a 503 as vendor_unavailable, each sent once', async () => {
    sim.server.injectFault({ kind: 'status', status: 500, times: 1, match: LISTEN });
    expect(await code(client.listen('LV_TEST'))).toBe('outcome_unknown');
    sim.server.injectFault({ kind: 'status', status: 503, times: 1, match: READY });
    expect(await code(client.readyAgents(['LV_AGENT_0005']))).toBe('vendor_unavailable');
    expect([sent(LISTEN), sent(READY)]).toEqual([1, 1]);
  });
});

describe('dropped connection', () => {
  it('retries a read through one drop and reports network when it lasts', async () => {
    sim.server.injectFault({ kind: 'drop', times: 1, match: STATE_PATH });
    await expect(client.monitorState()).resolves.toEqual({ activeCall: true });
    sim.server.injectFault({ kind: 'drop', match: STATE_PATH });
    expect(await code(client.monitorState())).toBe('network');
    sim.server.clearFaults();
    await expect(client.monitorState()).resolves.toEqual({ activeCall: true });
  });

  it('reports a dropped action as outcome_unknown, sent once', async () => {
    sim.server.injectFault({ kind: 'drop', match: /POST \/callControl\/supervisor\/chat\/send/ });
    expect(await code(client.chatSend('lv_usr1', 'hello'))).toBe('outcome_unknown');
    expect(sent(/chat\/send/)).toBe(1);
  });
});

describe('malformed body', () => {
  it('is bad_response for a read, and the read works once the body is whole again', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1, match: REALTIME });
    expect(await code(client.realtimeAgents())).toBe('bad_response');
    await expect(client.realtimeAgents()).resolves.toHaveProperty('agentDetails');
    sim.server.injectFault({ kind: 'malformed', times: 1, match: STATE_PATH });
    expect(await code(client.monitorState())).toBe('bad_response');
  });

  it('is outcome_unknown for an action answered 2xx (probably applied), sent once', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1, match: READY });
    expect(await code(client.readyAgents(['LV_AGENT_0005']))).toBe('outcome_unknown');
    expect(sent(READY)).toBe(1);
    sim.state.variants.monitorStartStatus = 200;
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /monitor\/start/ });
    expect(await code(client.monitorStart('6505317524'))).toBe('outcome_unknown');
  });

  it('is ignored where success has no body (chat send answers 204)', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /chat\/send/ });
    await expect(client.chatSend('lv_usr1', 'hello')).resolves.toBeUndefined();
  });
});

describe('login failures before an action', () => {
  it('are reported as themselves, not as an action of unknown outcome, and the action is not sent', async () => {
    const account = LiveVoxAccount.parse({ id: 'lv1', label: 'LiveVox', ...sim.accountSettings() });
    const fresh = new LiveVoxClient(account, sim.credentials, { timeoutMs: 150, sleep: async () => {} });
    sim.server.injectFault({ kind: 'latency', ms: 400, times: 1, match: /session\/login/ });
    expect(await code(fresh.listen('LV_TEST'))).toBe('timeout');
    sim.server.injectFault({ kind: 'status', status: 503, times: 1, match: /session\/login/ });
    expect(await code(fresh.listen('LV_TEST'))).toBe('vendor_unavailable');
    expect(sent(LISTEN)).toBe(0);
    await fresh.listen('LV_TEST');
    expect(accepted(LISTEN)).toBe(1);
  });
});

describe('a rate-limited login', () => {
  it('keeps the vendor’s Retry-After, which a read then waits out before logging in again', async () => {
    const account = LiveVoxAccount.parse({ id: 'lv1', label: 'LiveVox', ...sim.accountSettings() });
    const fresh = new LiveVoxClient(account, sim.credentials, { timeoutMs: 150, sleep: async (ms) => void sleeps.push(ms) });
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 7, times: 1, match: /session\/login/ });
    await expect(fresh.monitorState()).resolves.toEqual({ activeCall: true });
    expect(sleeps).toEqual([7_000]);
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 9, times: 1, match: /session\/login/ });
    const other = new LiveVoxClient(account, sim.credentials, { timeoutMs: 150, sleep: async () => {} });
    await expect(other.listen('LV_TEST')).rejects.toMatchObject({ code: 'rate_limited', retryAfterSec: 9 });
    expect(sent(LISTEN)).toBe(0);
  });
});

describe('expired session', () => {
  it('logs in again silently for a read', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    await expect(client.monitorState()).resolves.toEqual({ activeCall: true });
    expect(sim.server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /callControl/supervisor/monitor/state 401',
      'POST /session/login 200',
      'GET /callControl/supervisor/monitor/state 200',
    ]);
  });

  it('logs in again for an action, which the vendor accepts exactly once', async () => {
    sim.server.injectFault({ kind: 'expire_auth' });
    await client.listen('LV_TEST');
    expect(accepted(LISTEN)).toBe(1);
    expect(sim.server.calls(/session\/login/)).toHaveLength(1);
    expect(sim.state.monitor.verb).toBe('listen');
  });
});
