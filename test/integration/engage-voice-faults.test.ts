// Injected faults: reads recover (retried with backoff, Retry-After honoured), call actions are sent
// exactly once and report what is known.
import { describe, expect, it } from 'vitest';
import { connectedCall, harness, rejection, SUPERVISOR } from './engage-voice-harness.js';

const LIST = /GET .*activeCalls\/list$/;
const ADD = /POST .*addSessionToCall$/;
/** Client timeout for the latency faults (600 ms), well under the injected delay. */
const SHORT = 200;

describe('Engage Voice faults › reads', () => {
  it('latency beyond the timeout is a timeout; the read recovers once the fault clears', async () => {
    const h = await harness({}, {}, SHORT);
    h.sim.server.injectFault({ kind: 'latency', ms: 600, match: LIST });
    const c = h.client();
    expect((await rejection(c.listActiveCalls())).code).toBe('timeout');
    expect(h.sim.server.calls(LIST)).toHaveLength(4); // first try + 3 retries
    h.sim.server.clearFaults();
    h.sim.server.injectFault({ kind: 'latency', ms: 600, match: LIST, times: 1 });
    expect(await c.listActiveCalls()).toHaveLength(12);
  });

  it('429 waits at least Retry-After, then succeeds', async () => {
    const h = await harness();
    h.sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 7, times: 1, match: LIST });
    expect(await h.client().listActiveCalls()).toHaveLength(12);
    expect(h.sleeps).toEqual([7000]);
    expect(h.sim.server.log.map((r) => r.status)).toEqual([429, 200]);
  });

  it.each([500, 503])('%i is retried with backoff and recovers', async (status) => {
    const h = await harness();
    h.sim.server.injectFault({ kind: 'status', status, times: 2 });
    expect(await h.client().listAgentStates()).toHaveLength(20);
    expect(h.sleeps).toEqual([250, 500]);
  });

  it('a persistent 503 surfaces as vendor_unavailable with the vendor message', async () => {
    const h = await harness();
    h.sim.server.injectFault({ kind: 'status', status: 503 });
    const err = await rejection(h.client().listAgentStates());
    expect(err.code).toBe('vendor_unavailable');
    expect(err.vendorMessage).toBe('SERVICE_UNAVAILABLE: Service unavailable');
  });

  it('a dropped connection is retried; persistent drops are a network error', async () => {
    const h = await harness();
    h.sim.server.injectFault({ kind: 'drop', times: 1 });
    expect(await h.client().listActiveCalls()).toHaveLength(12);
    h.sim.server.injectFault({ kind: 'drop' });
    expect((await rejection(h.client().listActiveCalls())).code).toBe('network');
  });

  it('a malformed body is bad_response (not retried); the next read is fine', async () => {
    const h = await harness();
    h.sim.server.injectFault({ kind: 'malformed', times: 1 });
    const c = h.client();
    expect((await rejection(c.listActiveCalls())).code).toBe('bad_response');
    expect(h.sim.server.log).toHaveLength(1);
    expect(await c.listActiveCalls()).toHaveLength(12);
  });
});

describe('Engage Voice faults › call actions are never sent twice', () => {
  const add = (h: Awaited<ReturnType<typeof harness>>) => h.client().addSessionToCall(connectedCall(h.sim).uii, { destination: SUPERVISOR, sessionType: 'MONITOR' });

  it.each([
    ['latency', { kind: 'latency', ms: 600 } as const, 'outcome_unknown'],
    ['drop', { kind: 'drop' } as const, 'outcome_unknown'],
    ['500', { kind: 'status', status: 500 } as const, 'outcome_unknown'],
    ['503', { kind: 'status', status: 503 } as const, 'vendor_unavailable'],
    ['429', { kind: 'status', status: 429, retryAfterSec: 3 } as const, 'rate_limited'],
    // Accepted (2xx) but neither true nor false: probably applied, so unknown rather than failed.
    ['malformed', { kind: 'malformed' } as const, 'outcome_unknown'],
  ])('%s → %s, sent once', async (_name, fault, code) => {
    const h = await harness({}, {}, SHORT);
    h.sim.server.injectFault({ ...fault, match: ADD });
    const err = await rejection(add(h));
    expect(err.code).toBe(code);
    expect(h.sim.server.calls(ADD)).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    if (code === 'rate_limited') expect(err.retryAfterSec).toBe(3);
  });
});
