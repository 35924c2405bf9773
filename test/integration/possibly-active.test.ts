// A monitor session whose outcome is unknown (the vendor never answered) is not lost: the call shows
// it as possibly active, and stopping it ends it at the vendor, finding it there when Switchboard
// never learnt its handle. Checked against each vendor's simulator, which holds (or drops) the
// request past the engine's timeout and then carries it out all the same.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, Vendor } from '../../main/domain/model.js';
import { AuditLog, type AuditEntry } from '../../main/engine/audit-log.js';
import type { AccountView } from '../../preload/contract.js';
import type { AudianSimulator } from '../../main/vendors/audian/simulator.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import type { ExotelSimulator } from '../../main/vendors/exotel/simulator.js';
import type { LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

/** The engine gives up on an action after this long; the simulators answer later. */
const TIMEOUT_MS = 300;
const HELD_MS = 700;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 12, agents: 12, engine: { timeoutMs: TIMEOUT_MS } });
  for (const a of h.centre.accounts) await h.app.core.engine.runtime(a.config.id)!.pollCalls();
});
afterAll(() => h.stop());

const used = new Set<string>();
function freshCall(vendor: Vendor): Call {
  const call = h.app.core.engine
    .calls()
    .find((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0 && (vendor === 'audian' || c.agentKey !== null) && !used.has(c.key));
  expect(call, `an untouched ${vendor} call`).toBeDefined();
  used.add(call!.key);
  return call!;
}
const simOf = <T>(vendor: Vendor): T => h.centre.byVendor(vendor).sim as unknown as T;
const server = (vendor: Vendor) => h.centre.byVendor(vendor).sim.server;
const phoneOf = (vendor: Vendor): string => h.centre.byVendor(vendor).config.supervisorPhone!;
const own = (call: Call) => h.app.core.engine.runtime(call.accountId)!.ownSession(call.key);
const shown = (call: Call) => h.app.core.engine.calls().find((c) => c.key === call.key)!.sessions.filter((s) => s.own);
const settle = () => new Promise((r) => setTimeout(r, HELD_MS - TIMEOUT_MS + 150));
const latestAudit = async (action: string): Promise<AuditEntry> =>
  ((await h.request('audit.list', { limit: 50 })).value as { entries: AuditEntry[] }).entries.find((e) => e.action === action)!;

/** Barges while the vendor holds the request past the timeout: the outcome is unknown. */
async function bargeUnknown(vendor: Vendor, call: Call, match: RegExp, kind: 'latency' | 'drop' = 'latency'): Promise<void> {
  server(vendor).injectFault({ kind, ms: HELD_MS, times: 1, match });
  const r = await h.request('calls.monitor', { callKey: call.key, mode: 'barge' });
  expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
  expect(await latestAudit('monitor.barge')).toMatchObject({ target: call.key, outcome: 'unknown' });
  // Shown, not forgotten: the supervisor sees a barge that may be live, and can end it.
  expect(shown(call)).toEqual([expect.objectContaining({ mode: 'barge', own: true, possiblyActive: true })]);
  const pushed = h.events.filter((e) => e.name === 'calls.changed').flatMap((e) => (e.payload as { updated: Call[] }).updated).filter((c) => c.key === call.key);
  expect(pushed.at(-1)!.sessions[0]).toMatchObject({ possiblyActive: true, mode: 'barge' });
  await settle();
}

describe('a barge of unknown outcome', () => {
  it('engage-voice: the vendor took it late; the call shows it possibly active and Stop ends it at the vendor', async () => {
    const call = freshCall('engage-voice');
    const state = simOf<EngageVoiceSimulator>('engage-voice').state;
    await bargeUnknown('engage-voice', call, /addSessionToCall$/);
    expect([...state.calls.get(call.vendorCallId)!.sessions]).toEqual([[phoneOf('engage-voice'), 'BARGEIN']]);
    server('engage-voice').clearLog();
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    const sent = server('engage-voice').log.filter((l) => l.path.endsWith('/hangupSession'));
    expect(sent.map((l) => l.query.phone)).toEqual([phoneOf('engage-voice')]);
    expect(state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
    expect(own(call)).toBeNull();
    expect(await latestAudit('monitor.stop')).toMatchObject({ target: call.key, outcome: 'ok', detail: 'possibly active session' });
  });

  it('engage-voice: the request never arrived; Stop finds no session at the vendor and clears it', async () => {
    const call = freshCall('engage-voice');
    await bargeUnknown('engage-voice', call, /addSessionToCall$/, 'drop');
    expect(simOf<EngageVoiceSimulator>('engage-voice').state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    expect(own(call)).toBeNull();
  });

  it('engage-voice: choosing another mode ends the possible barge first, then starts the new mode', async () => {
    const call = freshCall('engage-voice');
    const state = simOf<EngageVoiceSimulator>('engage-voice').state;
    await bargeUnknown('engage-voice', call, /addSessionToCall$/);
    server('engage-voice').clearLog();
    const r = await h.request('calls.monitor', { callKey: call.key, mode: 'listen' });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect(server('engage-voice').calls(/hangupSession$|addSessionToCall$/).map((l) => l.split('/').at(-1))).toEqual(['hangupSession', 'addSessionToCall']);
    expect([...state.calls.get(call.vendorCallId)!.sessions]).toEqual([[phoneOf('engage-voice'), 'MONITOR']]);
    expect(shown(call)).toEqual([expect.objectContaining({ mode: 'listen' })]);
    expect(shown(call)[0]!.possiblyActive).toBeUndefined();
    expect((await h.request('calls.stopMonitor', { callKey: call.key })).ok).toBe(true);
  });

  it('exotel: the leg Sid never came back; Stop finds the monitor leg to the supervisor and hangs it up', async () => {
    const call = freshCall('exotel');
    const state = simOf<ExotelSimulator>('exotel').state;
    const monitorLegs = () => state.calls.get(call.vendorCallId)!.legs.filter((l) => l.origin === 'monitor');
    await bargeUnknown('exotel', call, /^POST .*\/Legs(\.json)?$/);
    expect(monitorLegs().map((l) => l.number)).toEqual([phoneOf('exotel')]);
    const [leg] = monitorLegs();
    server('exotel').clearLog();
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    expect(server('exotel').calls(/ActiveLegs|\/Legs\//).map((l) => l.replace(/^.*\/Calls\/[^/]+\//, ''))).toEqual(['ActiveLegs.json', `Legs/${leg!.sid}.json`]);
    expect(monitorLegs()).toEqual([]);
    expect(own(call)).toBeNull();
  });

  it('audian, conference known from an earlier answer: Stop removes the supervisor from it', async () => {
    const call = freshCall('audian');
    const state = simOf<AudianSimulator>('audian').state;
    expect((await h.request('calls.action', { callKey: call.key, action: { type: 'conference.add', participant: '+14155550190' } })).ok).toBe(true);
    await bargeUnknown('audian', call, /\/conference$/);
    expect(state.find(call.vendorCallId)!.participants).toContain(phoneOf('audian'));
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    expect(state.find(call.vendorCallId)!.participants).not.toContain(phoneOf('audian'));
    expect(own(call)).toBeNull();
  });

  it('audian, no conference known: Stop says to hang up the phone, sends nothing, and the session is no longer shown', async () => {
    const call = freshCall('audian');
    await bargeUnknown('audian', call, /\/conference$/);
    server('audian').clearLog();
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(stopped.error!.message).toMatch(/hang up your phone/);
    expect(server('audian').calls(/remove$/)).toEqual([]);
    expect(own(call)).toBeNull();
  });

  it('livevox: the audio path is up, so Stop says to hang up the phone LiveVox dialled, and the session is no longer shown', async () => {
    const call = freshCall('livevox');
    await bargeUnknown('livevox', call, /\/monitor\/barge$/);
    expect(simOf<LiveVoxSimulator>('livevox').state.monitor.activeCall).toBe(true);
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(stopped.error!.message).toMatch(/hang up/i);
    expect(own(call)).toBeNull();
  });
});

describe('a stop of unknown outcome', () => {
  it('keeps the session shown as possibly active, and a second Stop ends it', async () => {
    const call = freshCall('engage-voice');
    expect((await h.request('calls.monitor', { callKey: call.key, mode: 'whisper' })).ok).toBe(true);
    server('engage-voice').injectFault({ kind: 'drop', times: 1, match: /hangupSession$/ });
    expect(await h.request('calls.stopMonitor', { callKey: call.key })).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(own(call)).toMatchObject({ mode: 'whisper', possiblyActive: true });
    expect((await h.request('calls.stopMonitor', { callKey: call.key })).ok).toBe(true);
    expect(simOf<EngageVoiceSimulator>('engage-voice').state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
    expect(own(call)).toBeNull();
  });
});

describe('after a restart', () => {
  it('a barge the audit log holds without an outcome shows as possibly active once its call is seen, and Stop ends it', async () => {
    const call = freshCall('engage-voice');
    const state = simOf<EngageVoiceSimulator>('engage-voice').state;
    const file = path.join(h.app.dataDir, 'audit.jsonl');
    // What a killed run left: the barge reached the vendor, its intent is on file, no outcome.
    state.calls.get(call.vendorCallId)!.sessions.set(phoneOf('engage-voice'), 'BARGEIN');
    new AuditLog(file).begin({ accountId: call.accountId, target: call.key, action: 'monitor.barge' }, Date.now() - 5_000);
    // The account's runtime goes and comes back, as in a new run that reads the log before its first poll.
    const engine = h.app.core.engine;
    const configs = ((await h.request('accounts.list', {})).value as AccountView[]).map((v) => v.config);
    await engine.syncAccounts(configs.filter((c) => c.id !== call.accountId));
    engine.adoptInterrupted(new AuditLog(file).interrupted());
    await engine.syncAccounts(configs);
    expect(own(call)).toBeNull();
    await engine.runtime(call.accountId)!.pollCalls();
    expect(shown(call)).toEqual([expect.objectContaining({ mode: 'barge', possiblyActive: true })]);
    expect(engine.tray().monitoring).toMatchObject({ callKey: call.key, mode: 'barge' });
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    expect(state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
    expect(own(call)).toBeNull();
  });
});
