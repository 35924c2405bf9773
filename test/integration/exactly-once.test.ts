// Exactly-once intents through the whole engine: every non-idempotent action sent twice at once (a
// double-click, two windows) reaches the vendor's simulator once, both callers get the same result,
// and the audit log holds one intent+outcome pair. A different action on a call or agent that is
// busy is refused at once, and nothing of it is sent or logged.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallAction } from '../../main/domain/actions.js';
import type { Agent, Call, Vendor } from '../../main/domain/model.js';
import type { AuditRecord } from '../../main/engine/audit-log.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 30, agents: 60 });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
});
afterAll(() => h.stop());

type Reply = Awaited<ReturnType<Harness['request']>>;

const accountOf = (vendor: Vendor): string => h.centre.byVendor(vendor).config.id;
const sim = (vendor: Vendor) => h.centre.byVendor(vendor).sim.server;
const used = new Set<string>();
/** A call in progress (with an agent, where the vendor lists agents) that no earlier case touched. */
function freshCall(vendor: Vendor): Call {
  const call = h.app.core.engine
    .calls()
    .find((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0 && (c.agentKey !== null || vendor === 'audian') && !used.has(c.key));
  expect(call, `an untouched ${vendor} call in progress`).toBeDefined();
  used.add(call!.key);
  return call!;
}
/** Agents free to change state: logged on, not on a call, untouched by earlier cases. */
function freshAgents(vendor: Vendor, n: number, states: readonly Agent['state'][] = ['ready', 'not_ready']): Agent[] {
  const list = h.app.core.engine
    .agents()
    .filter((a) => a.vendor === vendor && states.includes(a.state) && a.currentCallKey === null && !used.has(a.key))
    .slice(0, n);
  expect(list).toHaveLength(n);
  for (const a of list) used.add(a.key);
  return list;
}

const auditFile = (): string => path.join(h.app.dataDir, 'audit.jsonl');
function records(): AuditRecord[] {
  return readFileSync(auditFile(), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

/**
 * Sends the same request twice at once while the vendor holds the action a moment, so the second
 * surely arrives while the first is in flight. Returns both replies, the matching requests the
 * simulator received, and the audit lines written meanwhile.
 */
async function twice(vendor: Vendor, match: RegExp, name: string, input: unknown): Promise<{ replies: [Reply, Reply]; sent: string[]; logged: AuditRecord[] }> {
  const before = records().length;
  sim(vendor).clearLog();
  sim(vendor).injectFault({ kind: 'latency', ms: 150, times: 1, match });
  const replies = await Promise.all([h.request(name, input), h.request(name, input)]);
  sim(vendor).clearFaults();
  return { replies, sent: sim(vendor).calls(match), logged: records().slice(before) };
}

/**
 * Exactly one intent and its outcome for the action, under one id. (Other commands may be logged
 * meanwhile: monitoring a call first ends the session on another, which is a command of its own.)
 */
function expectOnePair(all: AuditRecord[], action: string, target?: string): void {
  const logged = all.filter((r) => r.action === action && (target === undefined || r.target === target));
  expect(logged.map((r) => ('phase' in r ? r.phase : 'complete'))).toEqual(['intent', 'outcome']);
  const [intent, outcome] = logged as [AuditRecord & { id: string }, AuditRecord & { id: string }];
  expect(intent.id).toBe(outcome.id);
  expect(intent).toMatchObject({ action, ...(target ? { target } : {}) });
  expect(outcome).toMatchObject({ action, ...(target ? { target } : {}) });
}

function expectSame([a, b]: [Reply, Reply]): void {
  expect(a.ok, JSON.stringify(a.error)).toBe(true);
  expect(b).toEqual(a);
}

describe('listen, whisper, barge and stop, sent twice at once', () => {
  const cases: { vendor: Vendor; start: RegExp; stop: RegExp | null }[] = [
    { vendor: 'engage-voice', start: /addSessionToCall$/, stop: /hangupSession$/ },
    { vendor: 'exotel', start: /^POST .*\/Legs(\.json)?$/, stop: /^PUT .*\/Legs\/[^/]+$/ },
    // LiveVox cannot end a session while the supervisor's phone is up: no stop request to count.
    { vendor: 'livevox', start: /^POST .*\/monitor\/barge$/, stop: null },
    { vendor: 'audian', start: /^POST .*\/conference$/, stop: /participants\/[^/]+\/remove$/ },
  ];
  it.each(cases)('$vendor: one barge at the vendor, one result, one audit pair; then one stop', async ({ vendor, start, stop }) => {
    const call = freshCall(vendor);
    const started = await twice(vendor, start, 'calls.monitor', { callKey: call.key, mode: 'barge' });
    expectSame(started.replies);
    expect((started.replies[0].value as Call).sessions[0]).toMatchObject({ own: true, mode: 'barge' });
    expect(started.sent).toHaveLength(1);
    expect(sim(vendor).calls(/monitor\/start$/).length).toBeLessThanOrEqual(1);
    expectOnePair(started.logged, 'monitor.barge', call.key);
    if (!stop) return;
    const stopped = await twice(vendor, stop, 'calls.stopMonitor', { callKey: call.key });
    expectSame(stopped.replies);
    expect(stopped.sent).toHaveLength(1);
    expectOnePair(stopped.logged, 'monitor.stop', call.key);
    expect(h.app.core.engine.runtime(accountOf(vendor))!.ownSession(call.key)).toBeNull();
  });
});

describe('call actions sent twice at once', () => {
  const audian: { action: CallAction; match: RegExp }[] = [
    { action: { type: 'hold' }, match: /\/hold$/ },
    { action: { type: 'resume' }, match: /\/resume$/ },
    { action: { type: 'mute' }, match: /\/mute$/ },
    { action: { type: 'unmute' }, match: /\/unmute$/ },
    { action: { type: 'play', message: 'Please hold', participant: 'both' }, match: /\/play-audio$/ },
    { action: { type: 'dtmf.send', digits: '12#' }, match: /\/send-dtmf$/ },
    { action: { type: 'dtmf.gather', maxDigits: 2 }, match: /\/gather-dtmf$/ },
    { action: { type: 'conference.add', participant: '+14155550177' }, match: /\/conference$/ },
    { action: { type: 'conference.remove', participant: '+14155550177' }, match: /participants\/[^/]+\/remove$/ },
    { action: { type: 'transfer', destination: '+14155550178', mode: 'blind' }, match: /\/transfer$/ },
    { action: { type: 'hangup' }, match: /\/hangup$/ },
  ];
  // One Audian call goes through them in order (hold before resume, add before remove, hang-up last).
  let audianCall: Call;
  it.each(audian)('audian $action.type: one request, one result, one audit pair', ({ action, match }) => {
    audianCall ??= freshCall('audian');
    return (async () => {
      const r = await twice('audian', match, 'calls.action', { callKey: audianCall.key, action });
      expectSame(r.replies);
      expect(r.sent).toHaveLength(1);
      expectOnePair(r.logged, `call.${action.type}`, audianCall.key);
    })();
  });

  const ev: { action: CallAction; match: RegExp }[] = [
    { action: { type: 'recording', on: true }, match: /toggleCallRecording$/ },
    { action: { type: 'disposition', disposition: 'Sale', callback: false }, match: /dispositionCall$/ },
    { action: { type: 'hangup' }, match: /hangupCall$/ },
  ];
  it.each(ev)('engage-voice $action.type: one request, one result, one audit pair', async ({ action, match }) => {
    const call = freshCall('engage-voice');
    const r = await twice('engage-voice', match, 'calls.action', { callKey: call.key, action });
    expectSame(r.replies);
    expect(r.sent).toHaveLength(1);
    expectOnePair(r.logged, `call.${action.type}`, call.key);
  });

  it('exotel hangup: one leg list read and each leg hung up once, one audit pair', async () => {
    const call = freshCall('exotel');
    const r = await twice('exotel', /^PUT .*\/Legs\/[^/]+$/, 'calls.action', { callKey: call.key, action: { type: 'hangup' } });
    expectSame(r.replies);
    expect(sim('exotel').calls(/ActiveLegs/)).toHaveLength(1);
    expect(r.sent.length).toBeGreaterThan(0);
    expect(new Set(r.sent).size).toBe(r.sent.length);
    expectOnePair(r.logged, 'call.hangup', call.key);
  });

  it('engage-voice manual agent call: one request, one audit pair', async () => {
    const agent = freshAgents('engage-voice', 1, ['ready'])[0]!;
    const call = { username: agent.loginId, destination: '+14155550123', ringDuration: 20, callerId: '+14155550100' };
    const r = await twice('engage-voice', /createManualAgentCall$/, 'accounts.manualCall', { accountId: accountOf('engage-voice'), call });
    expectSame(r.replies);
    expect(r.sent).toHaveLength(1);
    expectOnePair(r.logged, 'call.manualAgentCall');
  });
});

describe('agent actions and chat sent twice at once (LiveVox)', () => {
  it.each([
    { action: { type: 'notReady', reason: 'LUNCH' }, match: /agent\/status\/notReady$/ },
    { action: { type: 'ready' }, match: /agent\/status\/ready$/ },
    { action: { type: 'switchService', serviceId: '' }, match: /agent\/service\/switch$/ },
    { action: { type: 'logoff' }, match: /agent\/status\/logoff$/ },
  ] as const)('$action.type: one request for the agents, the same results, one audit pair', async ({ action, match }) => {
    const keys = freshAgents('livevox', 2).map((a) => a.key);
    let input = action as unknown as Record<string, unknown>;
    if (action.type === 'switchService') {
      const services = (await h.request('services.list', { accountId: accountOf('livevox') })).value as { id: string }[];
      input = { type: 'switchService', serviceId: services[0]!.id };
    }
    const r = await twice('livevox', match, 'agents.action', { agentKeys: keys, action: input });
    expectSame(r.replies);
    expect((r.replies[0].value as { agentKey: string; ok: boolean }[]).map((x) => [x.agentKey, x.ok])).toEqual(keys.map((k) => [k, true]));
    expect(r.sent).toHaveLength(1);
    expectOnePair(r.logged, `agent.${action.type}`, keys.join(' '));
  });

  it('overlapping selections: the shared agent joins the first request, only the new one is sent again', async () => {
    const [a, b, c] = freshAgents('livevox', 3).map((x) => x.key) as [string, string, string];
    sim('livevox').clearLog();
    sim('livevox').injectFault({ kind: 'latency', ms: 150, times: 1, match: /agent\/status\/notReady$/ });
    const action = { type: 'notReady', reason: 'BREAK' };
    const [first, second] = await Promise.all([h.request('agents.action', { agentKeys: [a, b], action }), h.request('agents.action', { agentKeys: [b, c], action })]);
    const bodies = sim('livevox')
      .log.filter((l) => /agent\/status\/notReady$/.test(l.path))
      .map((l) => (JSON.parse(l.body) as { agents: string[] }).agents);
    const login = (k: string): string => k.slice(accountOf('livevox').length + 1);
    expect(bodies).toEqual([[login(a), login(b)], [login(c)]]);
    const firstResults = first.value as { agentKey: string }[];
    const secondResults = second.value as { agentKey: string }[];
    expect(secondResults.map((x) => x.agentKey)).toEqual([b, c]);
    expect(secondResults[0]).toEqual(firstResults.find((x) => x.agentKey === b));
  });

  it('another action on an agent whose action is in flight is refused for that agent alone, and not sent', async () => {
    const [a, b] = freshAgents('livevox', 2).map((x) => x.key) as [string, string];
    sim('livevox').clearLog();
    sim('livevox').injectFault({ kind: 'latency', ms: 200, times: 1, match: /agent\/status\/ready$/ });
    const [ready, logoff] = await Promise.all([
      h.request('agents.action', { agentKeys: [a], action: { type: 'ready' } }),
      h.request('agents.action', { agentKeys: [a, b], action: { type: 'logoff' } }),
    ]);
    expect((ready.value as { ok: boolean }[])[0]!.ok).toBe(true);
    const results = logoff.value as { agentKey: string; ok: boolean; code: string | null; detail: string }[];
    expect(results[0]).toMatchObject({ agentKey: a, ok: false, code: 'invalid_state' });
    expect(results[0]!.detail).toMatch(/“ready” for this agent is still waiting/);
    expect(results[1]).toMatchObject({ agentKey: b, ok: true });
    const sent = sim('livevox')
      .log.filter((l) => /agent\/status\/logoff$/.test(l.path))
      .map((l) => (JSON.parse(l.body) as { agents: string[] }).agents);
    expect(sent).toEqual([[b.slice(accountOf('livevox').length + 1)]]);
  });

  it('chat broadcast, send and end: each sent once, recorded once in the history, one audit pair each', async () => {
    const [a, b] = freshAgents('livevox', 2);
    const text = 'Exactly once, please';
    const broadcast = await twice('livevox', /chat\/broadcast$/, 'chat.broadcast', { agentKeys: [a!.key, b!.key], message: text, canReply: false });
    expectSame(broadcast.replies);
    expect(broadcast.sent).toHaveLength(1);
    expectOnePair(broadcast.logged, 'chat.broadcast');

    const send = await twice('livevox', /chat\/send$/, 'chat.send', { agentKey: a!.key, message: 'Just once' });
    expectSame(send.replies);
    expect(send.sent).toHaveLength(1);
    expectOnePair(send.logged, 'chat.send', a!.key);
    const history = (await h.request('chat.history', {})).value as { agentLoginId: string; text: string; fromAgent: boolean }[];
    expect(history.filter((m) => m.agentLoginId === a!.loginId && !m.fromAgent && m.text === 'Just once')).toHaveLength(1);
    expect(history.filter((m) => m.agentLoginId === a!.loginId && !m.fromAgent && m.text === text)).toHaveLength(1);

    const end = await twice('livevox', /chat\/end$/, 'chat.end', { agentKey: a!.key });
    expectSame(end.replies);
    expect(end.sent).toHaveLength(1);
    expectOnePair(end.logged, 'chat.end', a!.key);
  });
});

describe('a different action while one is in flight', () => {
  it('is refused on the same call with what it waits for; nothing of it is sent or logged', async () => {
    const call = freshCall('audian');
    const before = records().length;
    sim('audian').clearLog();
    sim('audian').injectFault({ kind: 'latency', ms: 200, times: 1, match: /\/conference$/ });
    const [barge, hold] = await Promise.all([h.request('calls.monitor', { callKey: call.key, mode: 'barge' }), h.request('calls.action', { callKey: call.key, action: { type: 'hold' } })]);
    expect(barge.ok, JSON.stringify(barge.error)).toBe(true);
    expect(hold).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(hold.error!.message).toMatch(/still waiting for the vendor to answer “barge” on this call/);
    expect(sim('audian').calls(/\/hold$/)).toEqual([]);
    expectOnePair(records().slice(before), 'monitor.barge', call.key);
    expect(records().slice(before).filter((r) => r.action === 'call.hold')).toEqual([]);
    // Once the barge has answered, the call takes other actions again.
    expect((await h.request('calls.action', { callKey: call.key, action: { type: 'hold' } })).ok).toBe(true);
    expect((await h.request('calls.stopMonitor', { callKey: call.key })).ok).toBe(true);
  });

  it('is refused for another mode on the same call (barge while listen is starting)', async () => {
    const call = freshCall('engage-voice');
    sim('engage-voice').clearLog();
    sim('engage-voice').injectFault({ kind: 'latency', ms: 200, times: 1, match: /addSessionToCall$/ });
    const [listen, barge] = await Promise.all([h.request('calls.monitor', { callKey: call.key, mode: 'listen' }), h.request('calls.monitor', { callKey: call.key, mode: 'barge' })]);
    expect(listen.ok).toBe(true);
    expect(barge).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(barge.error!.message).toMatch(/“listen” on this call/);
    expect(sim('engage-voice').log.filter((l) => l.path.endsWith('/addSessionToCall')).map((l) => l.query.sessionType)).toEqual(['MONITOR']);
    expect((await h.request('calls.stopMonitor', { callKey: call.key })).ok).toBe(true);
  });

  it('is refused for monitoring another call while the phone is being joined to one', async () => {
    const [a, b] = [freshCall('exotel'), freshCall('exotel')];
    sim('exotel').clearLog();
    sim('exotel').injectFault({ kind: 'latency', ms: 200, times: 1, match: /^POST .*\/Legs(\.json)?$/ });
    const [first, second] = await Promise.all([h.request('calls.monitor', { callKey: a.key, mode: 'listen' }), h.request('calls.monitor', { callKey: b.key, mode: 'listen' })]);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(second.error!.message).toMatch(/your phone joins one call at a time/);
    expect(sim('exotel').calls(/^POST .*\/Legs(\.json)?$/)).toHaveLength(1);
    expect((await h.request('calls.stopMonitor', { callKey: a.key })).ok).toBe(true);
  });
});

describe('a session on another account, ended alongside a new one', () => {
  it('is ended once: a Stop clicked meanwhile joins that end, one request at the vendor, one audit pair', async () => {
    const [evCall, exCall] = [freshCall('engage-voice'), freshCall('exotel')];
    expect((await h.request('calls.monitor', { callKey: evCall.key, mode: 'listen' })).ok).toBe(true);
    const before = records().length;
    sim('engage-voice').clearLog();
    sim('engage-voice').injectFault({ kind: 'latency', ms: 1_500, times: 1, match: /hangupSession$/ }); // within the 2 s timeout
    // The Exotel session starts without waiting for Engage Voice's to end (that phone lane is this command's).
    expect((await h.request('calls.monitor', { callKey: exCall.key, mode: 'listen' })).ok).toBe(true);
    const evRuntime = h.app.core.engine.runtime(accountOf('engage-voice'))!;
    // Its end went out by itself, and is still waiting for Engage Voice's answer.
    await vi.waitFor(() => expect(sim('engage-voice').calls(/hangupSession$/)).toHaveLength(1), { timeout: 1_000 });
    expect(evRuntime.ownSession(evCall.key), 'the Engage Voice session is still being ended').not.toBeNull();
    const stop = await h.request('calls.stopMonitor', { callKey: evCall.key });
    sim('engage-voice').clearFaults();
    expect(stop.ok, JSON.stringify(stop.error)).toBe(true);
    expect(sim('engage-voice').calls(/hangupSession$/)).toHaveLength(1);
    expect(evRuntime.ownSession(evCall.key)).toBeNull();
    expectOnePair(records().slice(before), 'monitor.stop', evCall.key);
    expect((await h.request('calls.stopMonitor', { callKey: exCall.key })).ok).toBe(true);
  });
});
