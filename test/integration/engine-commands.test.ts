// Every other command through the engine: capability checks first, vendor outcomes reported as they
// are (unknown when unknown), bulk results per agent, chat both ways, and all of it audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Call } from '../../main/domain/model.js';
import type { AuditEntry } from '../../main/engine/audit-log.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 10, agents: 24 });
  const engine = h.app.core.engine;
  for (const a of h.centre.accounts) {
    const rt = engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
});
afterAll(() => h.stop());

const id = (vendor: Parameters<Harness['centre']['byVendor']>[0]) => h.centre.byVendor(vendor).config.id;
const calls = (accountId: string): Call[] => h.app.core.engine.calls().filter((c) => c.accountId === accountId && c.status === 'in_progress');
const agents = (accountId: string): Agent[] => h.app.core.engine.agents().filter((a) => a.accountId === accountId);
const lastAudit = async (): Promise<AuditEntry> => ((await h.request('audit.list', { limit: 1 })).value as { entries: AuditEntry[] }).entries[0]!;

describe('call actions', () => {
  it('holds an Audian call, shows it held, and audits it', async () => {
    const call = calls(id('audian')).find((c) => c.onHold !== true)!;
    const r = await h.request('calls.action', { callKey: call.key, action: { type: 'hold' } });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect(h.app.core.engine.runtime(id('audian'))!.calls.get(call.key)!.onHold).toBe(true);
    expect(await lastAudit()).toMatchObject({ accountId: id('audian'), target: call.key, action: 'call.hold', outcome: 'ok' });
  });

  it('refuses what the vendor cannot do before any request, with the reason', async () => {
    const call = calls(id('engage-voice'))[0]!;
    const sim = h.centre.byVendor('engage-voice').sim.server;
    sim.clearLog();
    const r = await h.request('calls.action', { callKey: call.key, action: { type: 'hold' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(r.error!.message).toMatch(/hold/i);
    expect(sim.log).toHaveLength(0);
    expect(await lastAudit()).toMatchObject({ action: 'call.hold', outcome: 'refused', error: { code: 'unsupported' } });
  });

  it('reports an action whose answer was lost as unknown, sent exactly once, and audits that', async () => {
    const call = calls(id('audian')).find((c) => c.onHold !== true && c.muted !== true)!;
    const sim = h.centre.byVendor('audian').sim.server;
    sim.clearLog();
    sim.injectFault({ kind: 'drop', times: 1, match: /\/mute$/ });
    const r = await h.request('calls.action', { callKey: call.key, action: { type: 'mute' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(sim.calls(/\/mute$/)).toHaveLength(1);
    expect(await lastAudit()).toMatchObject({ action: 'call.mute', outcome: 'unknown' });
  });

  it('toggles Engage Voice recording and sets a disposition with a callback date', async () => {
    const [a, b] = calls(id('engage-voice'));
    const sim = h.centre.byVendor('engage-voice').sim.server;
    sim.clearLog();
    expect((await h.request('calls.action', { callKey: a!.key, action: { type: 'recording', on: true } })).ok).toBe(true);
    expect(sim.calls(/toggleCallRecording$/)).toHaveLength(1);
    const r = await h.request('calls.action', {
      callKey: b!.key,
      action: { type: 'disposition', disposition: 'Callback', callback: true, callbackAt: '2026-11-23T15:30:00Z', notes: 'Wants a quote' },
    });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const sent = sim.log.find((l) => l.path.endsWith('/dispositionCall'))!;
    expect(sent.query.callBackDTS ?? JSON.parse(sent.body || '{}').callBackDTS).toBe('20261123153000');
  });

  it('insists on a date for a callback disposition', async () => {
    const call = calls(id('engage-voice'))[2]!;
    const r = await h.request('calls.action', { callKey: call.key, action: { type: 'disposition', disposition: 'CALLBACK', callback: true } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('places a manual agent call on Engage Voice and refuses it elsewhere', async () => {
    const ready = agents(id('engage-voice')).find((a) => a.state === 'ready')!;
    const r = await h.request('accounts.manualCall', {
      accountId: id('engage-voice'),
      call: { username: ready.loginId, destination: '+14155550123', ringDuration: 20, callerId: '+14155550100' },
    });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const refused = await h.request('accounts.manualCall', {
      accountId: id('exotel'),
      call: { username: 'x', destination: '+14155550123', ringDuration: 20, callerId: '+14155550100' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});

describe('agents', () => {
  it('puts several LiveVox agents not ready with a reason in one request and shows it on the board', async () => {
    const picked = agents(id('livevox')).filter((a) => a.state === 'ready').slice(0, 3);
    expect(picked.length).toBe(3);
    const sim = h.centre.byVendor('livevox').sim.server;
    sim.clearLog();
    const r = await h.request('agents.action', { agentKeys: picked.map((a) => a.key), action: { type: 'notReady', reason: 'LUNCH', message: 'Team lunch' } });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect((r.value as { agentKey: string; ok: boolean }[]).map((x) => [x.agentKey, x.ok])).toEqual(picked.map((a) => [a.key, true]));
    expect(sim.calls(/agent\/status\/notReady$/)).toHaveLength(1);
    for (const a of picked) expect(h.app.core.engine.runtime(id('livevox'))!.agents.get(a.key)).toMatchObject({ state: 'not_ready', reason: 'LUNCH' });
    const back = await h.request('agents.action', { agentKeys: picked.map((a) => a.key), action: { type: 'ready' } });
    expect((back.value as { ok: boolean }[]).every((x) => x.ok)).toBe(true);
  });

  it('gives each agent its own result when a selection spans vendors', async () => {
    const lv = agents(id('livevox')).find((a) => a.state === 'ready')!;
    const ev = agents(id('engage-voice'))[0]!;
    const r = await h.request('agents.action', { agentKeys: [lv.key, ev.key, 'sim-livevox:NOBODY'], action: { type: 'logoff' } });
    const results = r.value as { agentKey: string; ok: boolean; detail: string }[];
    expect(results.map((x) => [x.agentKey, x.ok])).toEqual([
      [lv.key, true],
      [ev.key, false],
      ['sim-livevox:NOBODY', false],
    ]);
    expect(results[1]!.detail).toMatch(/Engage Voice/);
  });

  it('switches an agent to a service from the service-access list', async () => {
    const services = (await h.request('services.list', { accountId: id('livevox') })).value as { id: string; name: string }[];
    expect(services.length).toBeGreaterThan(0);
    const agent = agents(id('livevox')).find((a) => a.state !== 'logged_off')!;
    const r = await h.request('agents.action', { agentKeys: [agent.key], action: { type: 'switchService', serviceId: services[0]!.id } });
    expect((r.value as { ok: boolean }[])[0]!.ok).toBe(true);
  });
});

describe('chat', () => {
  it('broadcasts, sends, receives replies through messageReceivedAfter polling, and ends the chat', async () => {
    const rt = h.app.core.engine.runtime(id('livevox'))!;
    const [a, b] = agents(id('livevox')).filter((x) => x.state !== 'logged_off');
    const sim = h.centre.byVendor('livevox').sim;
    const broadcast = await h.request('chat.broadcast', { agentKeys: [a!.key, b!.key], message: 'Queue is long, wrap up quickly please', canReply: true });
    expect((broadcast.value as { ok: boolean }[]).map((x) => x.ok)).toEqual([true, true]);
    expect((await h.request('chat.send', { agentKey: a!.key, message: 'Thanks <b>Ana</b>' })).ok).toBe(true);
    await rt.pollChat();
    sim.tick();
    sim.tick();
    await rt.pollChat();
    const history = (await h.request('chat.history', {})).value as { agentLoginId: string; fromAgent: boolean; text: string }[];
    const mine = history.filter((m) => m.agentLoginId === a!.loginId);
    // Recorded once: the vendor's echo of our own message is not a second message.
    expect(mine.filter((m) => !m.fromAgent && m.text === 'Thanks <b>Ana</b>')).toHaveLength(1);
    expect(mine.some((m) => m.fromAgent)).toBe(true);
    // The second poll asked only for messages after the newest one already seen.
    const polls = sim.server.log.filter((l) => /chat\/messages?$/.test(l.path));
    const last = JSON.parse(polls[polls.length - 1]!.body) as { filter: { messageReceivedAfter?: string } };
    expect(Number(last.filter.messageReceivedAfter)).toBeGreaterThan(0);
    expect(h.events.some((e) => e.name === 'chat.messages')).toBe(true);
    expect((await h.request('chat.end', { agentKey: a!.key })).ok).toBe(true);
  });
});

describe('audit log', () => {
  it('exports every attempt as CSV with a header, never a secret', async () => {
    const csv = (await h.request('audit.exportCsv', {})).value as string;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('time,account,target,action,detail,outcome,error');
    expect(lines.length).toBeGreaterThan(8);
    expect(csv).toMatch(/call\.mute,,unknown/);
    for (const a of h.centre.accounts) for (const s of Object.values(a.secrets)) expect(csv).not.toContain(s);
  });
});
