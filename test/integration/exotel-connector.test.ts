// The Exotel connector against the simulator: listing, detail, the one-click monitor sequence with
// its exact requests, mode changes, stop, hang-up and refusals; plus scenario size and determinism.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExotelAccount } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import type { Call, MonitorMode } from '../../main/domain/model.js';
import type { VendorConnector } from '../../main/vendors/connector.js';
import { exotelCapabilities } from '../../main/vendors/exotel/capabilities.js';
import { ExotelClient } from '../../main/vendors/exotel/client.js';
import { createExotelConnector, exotelConnectorFactory } from '../../main/vendors/exotel/connector.js';
import type { SimCall } from '../../main/vendors/exotel/sim-state.js';
import { createExotelSimulator, type ExotelSimulator } from '../../main/vendors/exotel/simulator.js';

const NOW = Date.UTC(2024, 5, 15, 10, 40);
const SUPERVISOR = '+919111111111';
const ctx = { supervisorPhone: SUPERVISOR };
let sim: ExotelSimulator;
let clock: number;

function connector(v1Format: 'json' | 'xml' = 'json', factory = createExotelConnector): VendorConnector {
  const account = ExotelAccount.parse({ id: 'exo', label: 'Exotel', ...sim.accountSettings(), v1Format });
  return factory(account, sim.credentials, { timeoutMs: 500, sleep: async () => undefined, now: () => clock });
}

async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SwitchboardError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A connected call of the given direction, as the connector lists it. */
async function liveCall(conn: VendorConnector, direction: SimCall['direction'] = 'inbound'): Promise<{ sim: SimCall; call: Call }> {
  const c = sim.state.addCall(NOW - 60_000, direction);
  expect(sim.state.answer(c)).toBe(true);
  const call = (await conn.listCalls()).find((x) => x.vendorCallId === c.sid)!;
  sim.server.clearLog();
  return { sim: c, call };
}
const agentLegOf = (c: SimCall) => c.legs.find((l) => l.number === c.agent?.phone)!;
const monitorLegs = (c: SimCall) => c.legs.filter((l) => l.origin === 'monitor');
const lines = () => sim.server.calls().map((l) => l.replace(`/v1/Accounts/${sim.state.accountSid}/Calls/`, '…/'));

beforeEach(async () => {
  clock = NOW;
  sim = createExotelSimulator({ seed: 3, calls: 8, now: () => NOW });
  await sim.start();
});
afterEach(async () => {
  await sim.stop();
});

describe('listing', () => {
  it('testConnection makes one cheap v3 read and one v1 probe, and reports bad credentials', async () => {
    await connector().testConnection();
    expect(sim.server.calls()).toEqual([
      `GET /v3/accounts/${sim.state.accountSid}/calls/active`,
      `GET /v1/Accounts/${sim.state.accountSid}/Calls/switchboard-connection-test/ActiveLegs.json`,
    ]);
    expect(sim.server.log[0]!.query.limit).toBe('1');
    const account = ExotelAccount.parse({ id: 'exo', label: 'Exotel', ...sim.accountSettings() });
    const bad = createExotelConnector(account, { apiKey: 'x', apiToken: 'y' }, { sleep: async () => undefined });
    expect((await failure(bad.testConnection())).code).toBe('auth_failed');
  });

  it('testConnection says when Listen / Whisper / Barge is not enabled on the account', async () => {
    sim.state.lwbEnabled = false;
    const err = await failure(connector().testConnection());
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/not enabled on this Exotel account.*beta/);
    expect(err.vendorMessage).toContain('not enabled for this account');
  });

  it('listCalls returns every active call, normalised', async () => {
    const calls = await connector().listCalls();
    expect(calls.map((c) => c.vendorCallId)).toEqual(sim.state.list().map((c) => c.sid));
    const withAgent = sim.state.list().find((c) => c.agent)!;
    expect(calls.find((c) => c.vendorCallId === withAgent.sid)).toMatchObject({ key: `exo:${withAgent.sid}`, agentKey: `exo:${withAgent.agent!.userId}`, agentName: withAgent.agent!.name });
  });

  it('listAgents: agents on calls, reusing a fresh listCalls and paging again once it is stale', async () => {
    const conn = connector();
    await conn.listCalls();
    const agents = await conn.listAgents();
    expect(agents.map((a) => a.loginId).sort()).toEqual(sim.state.list().flatMap((c) => (c.agent ? [c.agent.userId] : [])).sort());
    expect(agents.every((a) => a.state === 'on_call' && a.currentCallKey !== null)).toBe(true);
    expect(sim.server.log).toHaveLength(1);
    clock += 5_000;
    await conn.listAgents();
    expect(sim.server.log).toHaveLength(2);
  });

  it('handles a 10,000-call, 5,000-agent scenario quickly', async () => {
    await sim.stop();
    sim = createExotelSimulator({ seed: 9, calls: 10_000, agents: 5_000, now: () => NOW });
    await sim.start();
    const started = Date.now();
    const calls = await connector().listCalls();
    expect(calls).toHaveLength(10_000);
    expect(new Set(calls.map((c) => c.key)).size).toBe(10_000);
    expect(sim.server.log).toHaveLength(100);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('callDetail', () => {
  it('merges v3 stream legs with v1 monitor legs as sessions (own: false)', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    agentLegOf(c).muted = true;
    const other = sim.state.addMonitorLeg(c, 'whisper', '+919222222222');
    const d = await conn.callDetail(call);
    expect(d.legs.map((l) => [l.id, l.role, l.monitorMode])).toEqual([
      [c.legs[0]!.sid, 'customer', null],
      [agentLegOf(c).sid, 'agent', null],
      [other.sid, 'monitor', 'whisper'],
    ]);
    expect(d.muted).toBe(true);
    expect(d.sessions).toEqual([{ callKey: call.key, accountId: 'exo', mode: 'whisper', handle: other.sid, startedAt: NOW, own: false }]);
    expect(lines().sort()).toEqual([`GET …/${c.sid}/ActiveLegs.json`, `GET /v3/accounts/${sim.state.accountSid}/calls/${c.sid}/stream`].sort());
  });

  it('a ringing call still has detail: ActiveLegs refuses it, the stream does not', async () => {
    const conn = connector();
    const c = sim.state.addCall(NOW, 'inbound');
    const call = (await conn.listCalls()).find((x) => x.vendorCallId === c.sid)!;
    const d = await conn.callDetail(call);
    expect(d.legs.map((l) => l.id)).toEqual([c.legs[0]!.sid]);
    expect(d).toMatchObject({ bridge: null, sessions: [] });
  });

  it('an ended call is not_found', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    sim.state.endCall(c.sid);
    expect((await failure(conn.callDetail(call))).code).toBe('not_found');
  });
});

describe('monitor', () => {
  it.each(['listen', 'whisper', 'barge'] as const)('%s: GET ActiveLegs → POST Legs at the agent leg with the supervisor phone', async (mode) => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const session = await conn.monitor(call, mode, ctx, null);
    expect(lines()).toEqual([`GET …/${c.sid}/ActiveLegs.json`, `POST …/${c.sid}/Legs.json`]);
    expect(JSON.parse(sim.server.log[1]!.body)).toEqual({ Action: mode, TargetLegSid: agentLegOf(c).sid, PhoneNumber: SUPERVISOR });
    const [leg] = monitorLegs(c);
    expect(session).toEqual({ callKey: call.key, accountId: 'exo', mode, handle: leg!.sid, startedAt: NOW, own: true });
    expect(leg).toMatchObject({ lastAction: mode, number: SUPERVISOR });
  });

  it('XML accounts use the paths without .json; an outbound call targets the agent dialled first', async () => {
    const conn = connector('xml');
    const { sim: c, call } = await liveCall(conn, 'outbound-api');
    expect(call.direction).toBe('outbound');
    await conn.monitor(call, 'listen', ctx, null);
    expect(lines()).toEqual([`GET …/${c.sid}/ActiveLegs`, `POST …/${c.sid}/Legs`]);
    const target = JSON.parse(sim.server.log[1]!.body).TargetLegSid as string;
    expect(c.legs.find((l) => l.sid === target)).toMatchObject({ origin: 'outbound', number: c.from });
  });

  it('without a supervisor phone: not_configured, nothing sent', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    expect((await failure(conn.monitor(call, 'listen', { supervisorPhone: undefined }, null))).code).toBe('not_configured');
    expect(sim.server.log).toHaveLength(0);
  });

  it('refuses when the agent leg cannot be told apart, without creating a leg', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const e = await failure(conn.monitor({ ...call, direction: 'unknown' }, 'listen', ctx, null));
    expect(e.code).toBe('invalid_state');
    expect(lines()).toEqual([`GET …/${c.sid}/ActiveLegs.json`]);
  });

  it('a call not yet in progress: invalid_state with Exotel\'s words', async () => {
    const conn = connector();
    const c = sim.state.addCall(NOW, 'inbound');
    const call = (await conn.listCalls()).find((x) => x.vendorCallId === c.sid)!;
    const e = await failure(conn.monitor(call, 'listen', ctx, null));
    expect(e).toMatchObject({ code: 'invalid_state', vendorMessage: 'Given callSID is not in-progress' });
  });

  it('upgrades in place: one PUT {"Action": mode} on the same leg', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const listen = await conn.monitor(call, 'listen', ctx, null);
    sim.server.clearLog();
    const whisper = await conn.monitor(call, 'whisper', ctx, listen);
    const barge = await conn.monitor(call, 'barge', ctx, whisper);
    expect(lines()).toEqual([`PUT …/${c.sid}/Legs/${listen.handle}.json`, `PUT …/${c.sid}/Legs/${listen.handle}.json`]);
    expect(sim.server.log.map((r) => JSON.parse(r.body))).toEqual([{ Action: 'whisper' }, { Action: 'barge' }]);
    expect(barge).toEqual({ ...listen, mode: 'barge' });
    expect(monitorLegs(c).map((l) => [l.sid, l.lastAction])).toEqual([[listen.handle, 'barge']]);
  });

  it('the same mode again sends nothing', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    const s = await conn.monitor(call, 'whisper', ctx, null);
    sim.server.clearLog();
    expect(await conn.monitor(call, 'whisper', ctx, s)).toBe(s);
    expect(sim.server.log).toHaveLength(0);
  });

  it('a step down ends the leg and dials a new one', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const barge = await conn.monitor(call, 'barge', ctx, null);
    sim.server.clearLog();
    const listen = await conn.monitor(call, 'listen', ctx, barge);
    expect(lines()).toEqual([`PUT …/${c.sid}/Legs/${barge.handle}.json`, `GET …/${c.sid}/ActiveLegs.json`, `POST …/${c.sid}/Legs.json`]);
    expect(JSON.parse(sim.server.log[0]!.body)).toEqual({ Action: 'hangup' });
    expect(listen.handle).not.toBe(barge.handle);
    expect(monitorLegs(c).map((l) => [l.sid, l.lastAction])).toEqual([[listen.handle, 'listen']]);
  });

  it("an upgrade whose leg has dropped (404 legSID does not exist) dials the supervisor afresh", async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const listen = await conn.monitor(call, 'listen', ctx, null);
    sim.state.hangupLeg(c, monitorLegs(c)[0]!);
    sim.server.clearLog();
    const barge = await conn.monitor(call, 'barge', ctx, listen);
    expect(lines()).toEqual([`PUT …/${c.sid}/Legs/${listen.handle}.json`, `GET …/${c.sid}/ActiveLegs.json`, `POST …/${c.sid}/Legs.json`]);
    expect(sim.server.log[0]!.status).toBe(404);
    expect(barge.mode).toBe('barge');
  });

  it('an unreadable ActiveLegs answer is bad_response and no monitor leg is created', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /ActiveLegs/ });
    expect((await failure(conn.monitor(call, 'listen', ctx, null))).code).toBe('bad_response');
    expect(lines()).toEqual([`GET …/${call.vendorCallId}/ActiveLegs.json`]);
  });

  it('a monitor leg created without a Sid is outcome_unknown: the supervisor may be dialled all the same', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    const created = vi.spyOn(ExotelClient.prototype, 'createLeg').mockResolvedValueOnce({ Origin: 'monitor', LastAction: 'listen' });
    try {
      expect((await failure(conn.monitor(call, 'listen', ctx, null))).code).toBe('outcome_unknown');
    } finally {
      created.mockRestore();
    }
  });

  it('an upgrade whose outcome is unknown is not retried or replaced', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    const listen = await conn.monitor(call, 'listen', ctx, null);
    sim.server.clearLog();
    sim.server.injectFault({ kind: 'drop', times: 1 });
    expect((await failure(conn.monitor(call, 'barge', ctx, listen))).code).toBe('outcome_unknown');
    expect(lines()).toHaveLength(1);
  });

  it('stop hangs up exactly the supervisor leg and tolerates one already gone', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const someoneElse = sim.state.addMonitorLeg(c, 'listen', '+919222222222');
    const mine = await conn.monitor(call, 'whisper', ctx, null);
    sim.server.clearLog();
    await conn.stopMonitor(call, mine, ctx);
    expect(lines()).toEqual([`PUT …/${c.sid}/Legs/${mine.handle}.json`]);
    expect(JSON.parse(sim.server.log[0]!.body)).toEqual({ Action: 'hangup' });
    expect(monitorLegs(c).map((l) => l.sid)).toEqual([someoneElse.sid]);
    expect(c.legs).toHaveLength(3);
    await expect(conn.stopMonitor(call, mine, ctx)).resolves.toBeUndefined();
    expect(sim.server.log.at(-1)!.status).toBe(404);
  });
});

describe('call actions and refusals', () => {
  it('hangup: PUT hangup on the customer leg, then the agent leg (already gone is fine)', async () => {
    const conn = connector();
    const { sim: c, call } = await liveCall(conn);
    const customer = c.legs[0]!.sid;
    const agent = agentLegOf(c).sid;
    sim.state.addMonitorLeg(c, 'listen', '+919222222222');
    const out = await conn.callAction(call, { type: 'hangup' });
    expect(lines()).toEqual([`GET …/${c.sid}/ActiveLegs.json`, `PUT …/${c.sid}/Legs/${customer}.json`, `PUT …/${c.sid}/Legs/${agent}.json`]);
    expect(sim.server.log.map((r) => r.status)).toEqual([200, 200, 404]);
    expect(out).toEqual({ detail: 'Hung up', callPatch: { status: 'ended' } });
    expect(sim.state.calls.has(c.sid)).toBe(false);
  });

  it('hangup whose first leg gets no answer is outcome_unknown and stops there', async () => {
    const conn = connector();
    const { call } = await liveCall(conn);
    sim.server.injectFault({ kind: 'latency', ms: 1_000, times: 1, match: /^PUT/ });
    expect((await failure(conn.callAction(call, { type: 'hangup' }))).code).toBe('outcome_unknown');
    expect(sim.server.calls(/^PUT/)).toHaveLength(1);
  });

  it.each([
    ['hold', (c: VendorConnector, call: Call) => c.callAction(call, { type: 'hold' }), 'call.hold'],
    ['transfer', (c: VendorConnector, call: Call) => c.callAction(call, { type: 'transfer', destination: '+919333333333', mode: 'blind' }), 'call.transfer.blind'],
    ['recording', (c: VendorConnector, call: Call) => c.callAction(call, { type: 'recording', on: false }), 'call.recording'],
    ['agent ready', (c: VendorConnector) => c.agentAction([], { type: 'ready' }), 'agent.ready'],
    ['manual call', (c: VendorConnector) => c.manualAgentCall({ username: 'a', destination: '+919333333333', ringDuration: 10, callerId: '+919333333334' }), 'call.manualAgentCall'],
    ['services', (c: VendorConnector) => c.listServices(), 'services.list'],
    ['chat', (c: VendorConnector) => c.chatSend('a', 'hi'), 'chat'],
  ] as const)('%s is refused as unsupported with the capability reason, nothing sent', async (_n, act, cap) => {
    const conn = connector();
    const { call } = await liveCall(conn);
    const e = await failure(act(conn, call));
    const entry = exotelCapabilities[cap];
    expect(entry.supported).toBe(false);
    expect(e).toMatchObject({ code: 'unsupported', message: entry.supported ? '' : entry.reason });
    expect(sim.server.log).toHaveLength(0);
  });

  it('advertises monitor modes, in-place change, details, hangup and agents', () => {
    const supported = Object.entries(exotelCapabilities).filter(([, c]) => c.supported).map(([n]) => n);
    expect(supported.sort()).toEqual(['agents.list', 'call.details', 'call.hangup', 'monitor.barge', 'monitor.changeInPlace', 'monitor.listen', 'monitor.stop', 'monitor.whisper']);
  });

  it('per-account options: zone of v1 dates', async () => {
    const conn = connector('json', exotelConnectorFactory({ v1TimeZone: 'UTC' }));
    const { call } = await liveCall(conn);
    const s = await conn.monitor(call, 'listen' as MonitorMode, ctx, null);
    // The simulator writes IST; read as UTC it lands 5h30 later.
    expect(s.startedAt).toBe(NOW + 330 * 60_000);
  });
});

describe('simulator traffic', () => {
  it('tick() is deterministic from the seed and moves calls along', async () => {
    const a = createExotelSimulator({ seed: 42, calls: 30, now: () => NOW });
    const b = createExotelSimulator({ seed: 42, calls: 30, now: () => NOW });
    const snap = (s: ExotelSimulator) => JSON.stringify(s.state.list().map((c) => [c.sid, c.status, c.agent?.userId, c.legs.map((l) => [l.sid, l.hold, l.muted])]));
    const before = snap(a);
    for (let i = 0; i < 20; i += 1) {
      a.tick();
      b.tick();
    }
    expect(snap(a)).toBe(snap(b));
    expect(snap(a)).not.toBe(before);
    expect(a.counts().calls).toBeGreaterThan(10);
    expect(a.counts().agents).toBe(a.state.list().filter((c) => c.agent).length);
  });

  it('the connector follows live traffic', async () => {
    const conn = connector();
    for (let i = 0; i < 5; i += 1) sim.tick();
    expect((await conn.listCalls()).map((c) => c.vendorCallId)).toEqual(sim.state.list().map((c) => c.sid));
  });
});
