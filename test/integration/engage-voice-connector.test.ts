// The connector: Engage's monitor sequences behind one verb, joined call/agent lists, actions and refusals.
import { describe, expect, it } from 'vitest';
import type { Call, SupervisorSession } from '../../main/domain/model.js';
import { connectedCall, harness, rejection, SUPERVISOR, T0 } from './engage-voice-harness.js';

async function liveCall(h: Awaited<ReturnType<typeof harness>>): Promise<Call> {
  const { uii } = connectedCall(h.sim);
  const call = (await h.connector().listCalls()).find((c) => c.vendorCallId === uii)!;
  h.sim.server.clearLog();
  return call;
}

describe('Engage Voice connector › monitor', () => {
  it.each([
    ['listen', 'MONITOR'],
    ['whisper', 'COACHING'],
    ['barge', 'BARGEIN'],
  ] as const)('%s is one addSessionToCall with sessionType %s to the supervisor phone', async (mode, sessionType) => {
    const h = await harness();
    const call = await liveCall(h);
    const session = await h.connector().monitor(call, mode, { supervisorPhone: SUPERVISOR }, null);
    expect(h.lines()).toEqual([`POST activeCalls/${call.vendorCallId}/addSessionToCall`]);
    expect(h.sim.server.log[0]!.query).toEqual({ destination: SUPERVISOR, sessionType });
    expect(session).toEqual({ callKey: call.key, accountId: 'ev-test', mode, handle: SUPERVISOR, startedAt: T0, own: true });
    expect([...h.sim.state.calls.get(call.vendorCallId)!.sessions]).toEqual([[SUPERVISOR, sessionType]]);
  });

  it('changing mode ends the session and starts a new one (no in-place change)', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const conn = h.connector();
    const listen = await conn.monitor(call, 'listen', { supervisorPhone: SUPERVISOR }, null);
    const whisper = await conn.monitor(call, 'whisper', { supervisorPhone: SUPERVISOR }, listen);
    expect(h.lines()).toEqual([
      `POST activeCalls/${call.vendorCallId}/addSessionToCall`,
      `POST activeCalls/${call.vendorCallId}/hangupSession`,
      `POST activeCalls/${call.vendorCallId}/addSessionToCall`,
    ]);
    expect(h.sim.server.log[1]!.query).toEqual({ phone: SUPERVISOR });
    expect(whisper.mode).toBe('whisper');
    expect([...h.sim.state.calls.get(call.vendorCallId)!.sessions]).toEqual([[SUPERVISOR, 'COACHING']]);
    expect(conn.capabilities['monitor.changeInPlace'].supported).toBe(false);
  });

  it('asking for the mode already on is a no-op', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const conn = h.connector();
    const s = await conn.monitor(call, 'barge', { supervisorPhone: SUPERVISOR }, null);
    expect(await conn.monitor(call, 'barge', { supervisorPhone: SUPERVISOR }, s)).toBe(s);
    expect(h.lines()).toHaveLength(1);
  });

  it('if ending the old session fails, no new session is dialled', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const stale: SupervisorSession = { callKey: call.key, accountId: 'ev-test', mode: 'listen', handle: SUPERVISOR, startedAt: T0, own: true };
    const err = await rejection(h.connector().monitor(call, 'barge', { supervisorPhone: SUPERVISOR }, stale));
    expect(err.code).toBe('action_failed');
    expect(h.lines()).toEqual([`POST activeCalls/${call.vendorCallId}/hangupSession`]);
  });

  it('stop ends exactly the supervisor session, with the phone it was started with', async () => {
    const h = await harness();
    const call = await liveCall(h);
    h.sim.state.calls.get(call.vendorCallId)!.sessions.set('6509990000', 'MONITOR'); // someone else's
    const conn = h.connector();
    const s = await conn.monitor(call, 'listen', { supervisorPhone: SUPERVISOR }, null);
    await conn.stopMonitor(call, s, { supervisorPhone: SUPERVISOR });
    expect(h.lines().at(-1)).toBe(`POST activeCalls/${call.vendorCallId}/hangupSession`);
    expect(h.sim.server.log.at(-1)!.query).toEqual({ phone: SUPERVISOR });
    expect([...h.sim.state.calls.get(call.vendorCallId)!.sessions.keys()]).toEqual(['6509990000']);
  });

  it('without a supervisor phone it is not_configured and sends nothing', async () => {
    const h = await harness();
    const call = await liveCall(h);
    expect((await rejection(h.connector().monitor(call, 'listen', { supervisorPhone: undefined }, null))).code).toBe('not_configured');
    expect(h.sim.server.log).toHaveLength(0);
  });
});

describe('Engage Voice connector › lists', () => {
  it('a calls poll reuses an agent list read in the last few seconds, and reads it again after', async () => {
    const h = await harness();
    const conn = h.connector();
    await conn.listAgents();
    await conn.listCalls();
    expect(h.lines(/realTimeData\/agent/)).toHaveLength(1);
    h.clock.advance(6_000);
    const calls = await conn.listCalls();
    expect(h.lines(/realTimeData\/agent/)).toHaveLength(2);
    expect(calls.some((c) => c.agentName !== null)).toBe(true);
    const fresh = h.connector({ agentReuseMs: 0 });
    await fresh.listAgents();
    await fresh.listCalls();
    expect(h.lines(/realTimeData\/agent/)).toHaveLength(4);
  });

  it('joins calls to agents on uii and normalises both', async () => {
    const h = await harness({ calls: 12, agents: 20 });
    const conn = h.connector();
    const [calls, agents] = await Promise.all([conn.listCalls(), conn.listAgents()]);
    expect(calls).toHaveLength(12);
    const { uii, agentId } = connectedCall(h.sim);
    const simAgent = h.sim.state.agents.get(agentId)!;
    const call = calls.find((c) => c.vendorCallId === uii)!;
    const agent = agents.find((a) => a.loginId === simAgent.username)!;
    expect(call).toMatchObject({ key: `ev-test:${uii}`, agentKey: agent.key, agentName: `${simAgent.firstName} ${simAgent.lastName}`, status: 'in_progress' });
    expect(call.direction).toBe(simAgent.gateId !== null ? 'inbound' : 'outbound');
    expect(agent).toMatchObject({ state: 'on_call', currentCallKey: call.key });
    expect(calls.filter((c) => c.status === 'queued').every((c) => c.agentKey === null)).toBe(true);
  });

  it('pages through activeCalls/list when a page size is configured', async () => {
    const h = await harness({ calls: 12 });
    const calls = await h.connector({ listPageSize: 5, listProduct: { product: 'ACCOUNT', productId: '12440001' } }).listCalls();
    expect(calls).toHaveLength(12);
    expect(h.sim.server.log.filter((r) => r.path.endsWith('/list')).map((r) => r.query)).toEqual(
      [1, 2, 3].map((page) => ({ product: 'ACCOUNT', productId: '12440001', page: String(page), maxRows: '5' })),
    );
  });

  it('testConnection is one cheap authenticated read', async () => {
    const h = await harness();
    await h.connector().testConnection();
    expect(h.lines()).toEqual(['GET activeCalls/list']);
    expect(h.sim.server.log[0]!.query).toEqual({ maxRows: '1' });
  });

  it('callDetail has no legs (Engage has no legs endpoint) and sends nothing', async () => {
    const h = await harness();
    const call = await liveCall(h);
    expect(await h.connector().callDetail(call)).toEqual({ legs: [], bridge: null, recording: call.recording, onHold: false, muted: null, sessions: [] });
    expect(h.sim.server.log).toHaveLength(0);
  });

  it('handles 10,000 calls joined to 5,000 agents', async () => {
    const h = await harness({ calls: 10_000, agents: 5_000 }, {}, 15_000);
    const calls = await h.connector().listCalls();
    expect(calls).toHaveLength(10_000);
    expect(calls.filter((c) => c.agentKey !== null).length).toBe([...h.sim.state.agents.values()].filter((a) => a.callUii !== null).length);
  });
});

describe('Engage Voice connector › actions', () => {
  it('recording toggles and patches the call', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const out = await h.connector().callAction(call, { type: 'recording', on: false });
    expect(out.callPatch).toEqual({ recording: false });
    expect(h.sim.state.calls.get(call.vendorCallId)!.archive).toBe(false);
  });

  it('hangup then disposition with a callback: callBackDTS in yyyyMMddHHmmss in the configured zone', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const conn = h.connector({ timeZone: 'UTC+01:00' });
    expect((await conn.callAction(call, { type: 'hangup' })).callPatch).toEqual({ status: 'ended' });
    await conn.callAction(call, { type: 'disposition', disposition: 'Callback', callback: true, callbackAt: '2026-03-11T09:30:00Z', notes: 'n' });
    expect(h.sim.server.log.at(-1)!.query).toEqual({ disposition: 'Callback', callback: 'true', callBackDTS: '20260311103000', notes: 'n' });
    expect((await conn.listAgents()).find((a) => a.key === call.agentKey)?.state).toBe('ready');
  });

  it('a callback without a time is invalid_input, sent nowhere', async () => {
    const h = await harness();
    const call = await liveCall(h);
    const err = await rejection(h.connector().callAction(call, { type: 'disposition', disposition: 'Sale', callback: true }));
    expect(err.code).toBe('invalid_input');
    expect(h.sim.server.log).toHaveLength(0);
  });

  it('a manual agent call appears as the agent\'s call', async () => {
    const h = await harness();
    const agent = [...h.sim.state.agents.values()].find((a) => a.agentState === 'AVAILABLE')!;
    const conn = h.connector();
    await conn.manualAgentCall({ username: agent.username, destination: '6501234567', ringDuration: 20, callerId: '4155550123' });
    const calls = await conn.listCalls();
    expect(calls.find((c) => c.agentKey === `ev-test:${agent.username}`)).toMatchObject({ from: '4155550123', to: '6501234567', status: 'in_progress' });
  });

  it.each([
    ['hold', { type: 'hold' }],
    ['mute', { type: 'mute' }],
    ['transfer', { type: 'transfer', destination: '6501234567', mode: 'blind' }],
    ['dtmf', { type: 'dtmf.send', digits: '12' }],
  ] as const)('refuses %s as unsupported with a reason, sending nothing', async (_n, action) => {
    const h = await harness();
    const call = await liveCall(h);
    const err = await rejection(h.connector().callAction(call, action));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/Engage Voice/);
    expect(h.sim.server.log).toHaveLength(0);
  });

  it('refuses agent state changes, chat and services', async () => {
    const h = await harness();
    const conn = h.connector();
    for (const p of [
      conn.agentAction([], { type: 'ready' }),
      conn.agentAction([], { type: 'notReady', reason: 'BREAK' }),
      conn.chatMessages(null),
      conn.chatBroadcast(['a'], 'hi', false),
      conn.chatSend('a', 'hi'),
      conn.chatEnd('a'),
      conn.listServices(),
    ]) {
      const err = await rejection(p);
      expect(err.code).toBe('unsupported');
      expect(err.message.length).toBeGreaterThan(20);
    }
    expect(h.sim.server.log).toHaveLength(0);
  });
});
