import { describe, expect, it } from 'vitest';
import { EngageVoiceClient } from '../../main/vendors/engage-voice/client.js';
import { connectedCall, harness, rejection, SUPERVISOR } from './engage-voice-harness.js';

describe('Engage Voice client › reads', () => {
  it('lists active calls as documented (GET activeCalls/list, X-Auth-Token)', async () => {
    const h = await harness({ calls: 12, agents: 20 });
    const rows = await h.client().listActiveCalls();
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatchObject({ uii: expect.any(String), callState: expect.any(String), archive: expect.any(Boolean) });
    const req = h.sim.server.log.at(-1)!;
    expect(`${req.method} ${req.path}`).toBe('GET /voice/api/v1/admin/accounts/12440001/activeCalls/list');
    expect(req.headers['x-auth-token']).toBe(h.sim.credentials.apiToken);
  });

  it('sends product, productId, page and maxRows as query parameters', async () => {
    const h = await harness({ calls: 12 });
    const rows = await h.client().listActiveCalls({ product: 'ACCOUNT', productId: '12440001', page: 2, maxRows: 5 });
    expect(rows).toHaveLength(5);
    expect(h.sim.server.log.at(-1)!.query).toEqual({ product: 'ACCOUNT', productId: '12440001', page: '2', maxRows: '5' });
  });

  it('refuses a product the vendor does not know (documented error body → invalid_input)', async () => {
    const h = await harness();
    const err = await rejection(h.client().listActiveCalls({ product: 'EVERYTHING' }));
    expect(err.code).toBe('invalid_input');
    expect(err.vendorMessage).toMatch(/product must be one of/);
  });

  it('lists agents from realTimeData/agent with the uii of their call', async () => {
    const h = await harness({ calls: 5, agents: 8 });
    const agents = await h.client().listAgentStates();
    expect(agents).toHaveLength(8);
    const { uii, agentId } = connectedCall(h.sim);
    expect(agents.find((a) => a.agentId === agentId)?.callUii).toBe(uii);
    expect(h.lines()).toEqual(['GET realTimeData/agent']);
  });

  it('reports a wrong account id as forbidden with the vendor message', async () => {
    const h = await harness({}, { accountId: '999' });
    const err = await rejection(h.client().listAgentStates());
    expect(err.code).toBe('forbidden');
    expect(err.vendorMessage).toContain('Access denied to account 999');
  });

  it('reports a bad API token as auth_failed without leaking it', async () => {
    const h = await harness();
    const client = new EngageVoiceClient(h.account, { apiToken: 'nope-secret' }, h.deps);
    const err = await rejection(client.listActiveCalls());
    expect(err.code).toBe('auth_failed');
    expect(JSON.stringify(err)).not.toContain('nope-secret');
    expect(err.vendorMessage).toBe('UNAUTHORIZED: Invalid API token');
  });

  it('refuses to send without an API token (not_configured)', async () => {
    const h = await harness();
    const client = new EngageVoiceClient(h.account, {}, h.deps);
    expect((await rejection(client.listActiveCalls())).code).toBe('not_configured');
    expect(h.sim.server.log).toHaveLength(0);
  });
});

describe('Engage Voice client › call actions', () => {
  it('addSessionToCall sends destination and sessionType as query parameters and records the session', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    await h.client().addSessionToCall(uii, { destination: SUPERVISOR, sessionType: 'COACHING' });
    const req = h.sim.server.log.at(-1)!;
    expect(`${req.method} ${req.path}`).toBe(`POST /voice/api/v1/admin/accounts/12440001/activeCalls/${uii}/addSessionToCall`);
    expect(req.query).toEqual({ destination: SUPERVISOR, sessionType: 'COACHING' });
    expect(req.body).toBe('');
    expect(h.sim.state.calls.get(uii)!.sessions.get(SUPERVISOR)).toBe('COACHING');
  });

  it('addSessionToCall on an unknown uii is not_found', async () => {
    const h = await harness();
    const err = await rejection(h.client().addSessionToCall('404404', { destination: SUPERVISOR, sessionType: 'MONITOR' }));
    expect(err.code).toBe('not_found');
    expect(err.vendorMessage).toContain('Active call 404404 not found');
  });

  it('hangupSession sends the phone and removes the session; a phone with no session answers false → action_failed', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const c = h.client();
    await c.addSessionToCall(uii, { destination: SUPERVISOR, sessionType: 'MONITOR' });
    await c.hangupSession(uii, { phone: SUPERVISOR });
    expect(h.sim.server.log.at(-1)!.query).toEqual({ phone: SUPERVISOR });
    expect(h.sim.state.calls.get(uii)!.sessions.size).toBe(0);
    const err = await rejection(c.hangupSession(uii, { phone: SUPERVISOR }));
    expect(err.code).toBe('action_failed');
  });

  it('toggleCallRecording flips archive, which the list then shows', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const c = h.client();
    for (const record of [false, true, false]) {
      await c.toggleCallRecording(uii, { record });
      expect(h.sim.server.log.at(-1)!.query).toEqual({ record: String(record) });
      expect((await c.listActiveCalls()).find((r) => r.uii === uii)?.archive).toBe(record);
    }
  });

  it('hangupCall removes the call and puts its agent in pending disposition; dispositionCall releases it', async () => {
    const h = await harness();
    const { uii, agentId } = connectedCall(h.sim);
    const c = h.client();
    await c.hangupCall(uii);
    expect(h.sim.server.log.at(-1)!.query).toEqual({});
    expect((await c.listActiveCalls()).some((r) => r.uii === uii)).toBe(false);
    expect((await c.listAgentStates()).find((a) => a.agentId === agentId)).toMatchObject({ agentState: 'WRAP_UP', pendingDisposition: true });
    await c.dispositionCall(uii, { disposition: 'Callback', callback: true, callBackDTS: '20260311093000', notes: 'call back tomorrow' });
    expect(h.sim.server.log.at(-1)!.query).toEqual({
      disposition: 'Callback',
      callback: 'true',
      callBackDTS: '20260311093000',
      notes: 'call back tomorrow',
    });
    expect((await c.listAgentStates()).find((a) => a.agentId === agentId)).toMatchObject({ agentState: 'AVAILABLE', pendingDisposition: false });
  });

  it('dispositionCall with a disposition the account does not have is invalid_input with the vendor list', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const err = await rejection(h.client().dispositionCall(uii, { disposition: 'Maybe', callback: false }));
    expect(err.code).toBe('invalid_input');
    expect(err.vendorMessage).toContain('Unknown disposition Maybe');
  });

  it('dispositionCall with a malformed callBackDTS is refused', async () => {
    const h = await harness();
    const { uii } = connectedCall(h.sim);
    const err = await rejection(h.client().dispositionCall(uii, { disposition: 'Sale', callback: true, callBackDTS: '2026-03-11 09:30' }));
    expect(err.code).toBe('invalid_input');
    expect(err.vendorMessage).toContain('yyyyMMddHHmmss');
  });

  it('createManualAgentCall starts a call for an available agent', async () => {
    const h = await harness();
    const agent = [...h.sim.state.agents.values()].find((a) => a.agentState === 'AVAILABLE')!;
    const c = h.client();
    await c.createManualAgentCall({ username: agent.username, destination: '6501234567', ringDuration: 5, callerId: '1234567890' });
    expect(h.sim.server.log.at(-1)!.query).toEqual({ username: agent.username, destination: '6501234567', ringDuration: '5', callerId: '1234567890' });
    const row = (await c.listAgentStates()).find((a) => a.username === agent.username)!;
    expect(row.agentState).toBe('ON_CALL');
    expect((await c.listActiveCalls()).find((r) => r.uii === row.callUii)).toMatchObject({ ani: '1234567890', dnis: '6501234567' });
  });

  it('createManualAgentCall for a busy agent is invalid_state, for an unknown one not_found', async () => {
    const h = await harness();
    const { agentId } = connectedCall(h.sim);
    const busy = h.sim.state.agents.get(agentId)!.username;
    const c = h.client();
    const p = { destination: '6501234567', ringDuration: 5, callerId: '1234567890' };
    expect((await rejection(c.createManualAgentCall({ username: busy, ...p }))).code).toBe('invalid_state');
    expect((await rejection(c.createManualAgentCall({ username: 'ghost@sim.example', ...p }))).code).toBe('not_found');
  });
});
