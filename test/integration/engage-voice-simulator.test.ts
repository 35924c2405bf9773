// The simulator holds clients to the documents: it accepts every documented variant and refuses
// deviations with Engage's own error body.
import { describe, expect, it } from 'vitest';
import { createEngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import { connectedCall, harness, SUPERVISOR } from './engage-voice-harness.js';

async function raw(base: string, method: string, path: string, init: { token?: string | null; body?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers['X-Auth-Token'] = init.token ?? '';
  if (init.type) headers['Content-Type'] = init.type;
  const res = await fetch(`${base}/voice/api/v1/admin/accounts/12440001/${path}`, { method, headers, ...(init.body ? { body: init.body } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return null; } })() };
}

describe('Engage Voice simulator › documented variants', () => {
  it('accepts the prose path activeCall/... as well as activeCalls/...', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const token = h.sim.credentials.apiToken!;
    const r = await raw(h.sim.server.baseUrl, 'POST', `activeCall/${uii}/toggleCallRecording?record=true`, { token });
    expect(r).toMatchObject({ status: 200, text: 'true' });
    expect((await raw(h.sim.server.baseUrl, 'GET', 'activeCall/list', { token })).status).toBe(200);
  });

  it('accepts parameters as a JSON body and as the example\'s bare-key object literal', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const token = h.sim.credentials.apiToken!;
    const base = h.sim.server.baseUrl;
    const json = await raw(base, 'POST', `activeCalls/${uii}/addSessionToCall`, { token, type: 'application/json', body: JSON.stringify({ destination: '6501234567', sessionType: 'MONITOR' }) });
    expect(json.text).toBe('true');
    const literal = await raw(base, 'POST', `activeCalls/${uii}/toggleCallRecording`, { token, type: 'application/json', body: '{\n  record: false\n}' });
    expect(literal.text).toBe('true');
    expect(h.sim.state.calls.get(uii)).toMatchObject({ archive: false });
    expect(h.sim.state.calls.get(uii)!.sessions.get('6501234567')).toBe('MONITOR');
  });

  it('accepts the dispositionCall example body {phone} and hangupCall with {phone}', async () => {
    const h = await harness();
    const { uii, agentId } = connectedCall(h.sim);
    const token = h.sim.credentials.apiToken!;
    const base = h.sim.server.baseUrl;
    expect((await raw(base, 'POST', `activeCalls/${uii}/hangupCall`, { token, type: 'application/json', body: '{ phone: "6501234567" }' })).text).toBe('true');
    expect(h.sim.state.agents.get(agentId)!.pendingDisposition).toBe(true);
    expect((await raw(base, 'POST', `activeCalls/${uii}/dispositionCall`, { token, type: 'application/json', body: '{ phone: "6501234567" }' })).text).toBe('true');
    expect(h.sim.state.agents.get(agentId)).toMatchObject({ pendingDisposition: false, agentState: 'AVAILABLE' });
  });
});

describe('Engage Voice simulator › deviations are refused with the vendor error body', () => {
  it.each([
    ['wrong method', 'GET', 'activeCalls/UII/hangupCall', 405],
    ['unknown path', 'POST', 'activeCalls/UII/holdCall', 404],
    ['misspelled field', 'POST', `activeCalls/UII/addSessionToCall?destination=${SUPERVISOR.slice(1)}&sessionTyp=MONITOR`, 400],
    ['bad enum value', 'POST', `activeCalls/UII/addSessionToCall?destination=${SUPERVISOR.slice(1)}&sessionType=WHISPER`, 400],
    ['missing field', 'POST', 'activeCalls/UII/hangupSession', 400],
    ['non-boolean record', 'POST', 'activeCalls/UII/toggleCallRecording?record=yes', 400],
    ['bad phone', 'POST', 'activeCalls/UII/addSessionToCall?destination=call-me&sessionType=MONITOR', 400],
    ['ringDuration not a number', 'POST', 'activeCalls/createManualAgentCall?username=a&destination=6501234567&ringDuration=soon&callerId=1234567890', 400],
  ])('%s', async (_name, method, path, status) => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const r = await raw(h.sim.server.baseUrl, method, path.replace('UII', uii), { token: h.sim.credentials.apiToken! });
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({ errorCode: expect.any(String), generalMessage: expect.any(String), requestUri: expect.any(String), timestamp: expect.any(Number) });
    if (status === 400) expect(r.json?.validationErrors).toEqual([r.json?.generalMessage]);
  });

  it('refuses missing or wrong credentials with 401', async () => {
    const h = await harness();
    expect((await raw(h.sim.server.baseUrl, 'GET', 'activeCalls/list', { token: null })).status).toBe(401);
    const wrong = await raw(h.sim.server.baseUrl, 'GET', 'activeCalls/list', { token: 'guess' });
    expect(wrong).toMatchObject({ status: 401, json: { generalMessage: 'Invalid API token' } });
  });

  it('refuses a body that is not an object, and a form body', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const token = h.sim.credentials.apiToken!;
    expect((await raw(h.sim.server.baseUrl, 'POST', `activeCalls/${uii}/toggleCallRecording`, { token, type: 'application/json', body: '[true]' })).status).toBe(400);
    expect((await raw(h.sim.server.baseUrl, 'POST', `activeCalls/${uii}/toggleCallRecording`, { token, type: 'application/x-www-form-urlencoded', body: 'record=true' })).status).toBe(415);
  });

  it('enforces 120 requests a minute when asked, with Retry-After', async () => {
    const h = await harness({ enforceRateLimit: true });
    const token = h.sim.credentials.apiToken!;
    for (let i = 0; i < 120; i++) expect((await raw(h.sim.server.baseUrl, 'GET', 'realTimeData/agent', { token })).status).toBe(200);
    const res = await fetch(`${h.sim.server.baseUrl}/voice/api/v1/admin/accounts/12440001/realTimeData/agent`, { headers: { 'X-Auth-Token': token } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.advance(61_000);
    expect((await raw(h.sim.server.baseUrl, 'GET', 'realTimeData/agent', { token })).status).toBe(200);
  });
});

describe('Engage Voice simulator › scenarios', () => {
  it('is deterministic from the seed, including live traffic', () => {
    const now = () => 1_700_000_000_000;
    const a = createEngageVoiceSimulator({ seed: 42, calls: 50, agents: 40, now });
    const b = createEngageVoiceSimulator({ seed: 42, calls: 50, agents: 40, now });
    const c = createEngageVoiceSimulator({ seed: 43, calls: 50, agents: 40, now });
    for (let i = 0; i < 200; i++) {
      a.tick();
      b.tick();
      c.tick();
    }
    expect(JSON.stringify(a.state.callRows())).toBe(JSON.stringify(b.state.callRows()));
    expect(JSON.stringify(a.state.agentRows())).toBe(JSON.stringify(b.state.agentRows()));
    expect(JSON.stringify(a.state.callRows())).not.toBe(JSON.stringify(c.state.callRows()));
  });

  it('tick moves traffic: calls arrive, are answered, held and end; agents change state', () => {
    const sim = createEngageVoiceSimulator({ seed: 3, calls: 10, agents: 15, now: () => 1_700_000_000_000 });
    const seen = new Set<string>();
    const agentStates = new Set<string>();
    const before = new Set(sim.state.calls.keys());
    for (let i = 0; i < 300; i++) {
      sim.tick();
      for (const c of sim.state.calls.values()) seen.add(c.callState);
      for (const a of sim.state.agents.values()) agentStates.add(a.agentState);
    }
    expect(seen).toEqual(new Set(['QUEUED', 'ACTIVE', 'ON_HOLD']));
    expect(agentStates).toEqual(new Set(['AVAILABLE', 'ON_CALL', 'AWAY', 'WRAP_UP']));
    expect([...before].some((u) => !sim.state.calls.has(u))).toBe(true);
    expect(sim.counts().agents).toBe(15);
  });

  it('seeds 10,000 calls and 5,000 agents and serves them quickly', async () => {
    const started = Date.now();
    const h = await harness({ calls: 10_000, agents: 5_000 }, {}, 15_000);
    const client = h.client();
    const [calls, agents] = await Promise.all([client.listActiveCalls(), client.listAgentStates()]);
    expect(calls).toHaveLength(10_000);
    expect(agents).toHaveLength(5_000);
    expect(h.sim.counts()).toEqual({ calls: 10_000, agents: 5_000 });
    // Generous bound: the point is no O(n²) path, which would take minutes at this size.
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
