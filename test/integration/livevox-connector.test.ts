// The LiveVox connector against the simulator: the request sequence behind each verb.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveVoxAccount, type AccountConfig } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import type { Agent, Call } from '../../main/domain/model.js';
import type { VendorConnector } from '../../main/vendors/connector.js';
import { liveVoxCapabilities } from '../../main/vendors/livevox/capabilities.js';
import { createLiveVoxConnector, liveVoxConnectorFactory } from '../../main/vendors/livevox/connector.js';
import { STATE } from '../../main/vendors/livevox/sim-state.js';
import { createLiveVoxSimulator, type LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';

const CC = '/callControl/supervisor';
const NOW = 1_700_000_000_000;
const PHONE = { supervisorPhone: '6505317524' };
let sim: LiveVoxSimulator;

async function boot(overrides: Record<string, unknown> = {}, factory = createLiveVoxConnector): Promise<{ lv: VendorConnector; account: LiveVoxAccount }> {
  sim = createLiveVoxSimulator({ seed: 3, agents: 12, calls: 4, now: () => NOW });
  await sim.start();
  const account = LiveVoxAccount.parse({ id: 'lv1', label: 'LiveVox', ...sim.accountSettings(), ...overrides });
  const lv = factory(account, sim.credentials, { timeoutMs: 1000, sleep: async () => {}, now: () => NOW });
  return { lv, account };
}

afterEach(async () => {
  await sim.stop();
});

async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    return err as SwitchboardError;
  }
  throw new Error('expected a rejection');
}

async function callOf(lv: VendorConnector, loginId: string): Promise<Call> {
  const call = (await lv.listCalls()).find((c) => c.agentKey === `lv1:${loginId}`);
  if (!call) throw new Error(`no call for ${loginId}`);
  sim.server.clearLog();
  return call;
}

/** Requests after login, as "METHOD path?query". */
const sequence = () =>
  sim.server.log
    .filter((r) => r.path !== '/session/login')
    .map((r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString()}` : ''}`);

describe('board', () => {
  it('lists agents and one call per agent in call, from a single realtime request', async () => {
    const { lv } = await boot();
    const [agents, calls] = await Promise.all([lv.listAgents(), lv.listCalls()]);
    expect(sim.server.calls(/realtime/)).toEqual(['POST /realtime/service/agents/status']);
    expect(agents).toHaveLength(11);
    expect(calls.map((c) => c.agentKey)).toEqual(['lv1:LV_TEST', 'lv1:LV_SEB', 'lv1:lv_usr1', 'lv1:LV_AGENT_0004']);
    const test = sim.state.agents.get('LV_TEST')!;
    expect(calls[0]).toMatchObject({ vendor: 'livevox', vendorCallId: test.call!.id, from: test.call!.phoneNumber, startedAt: test.call!.startedAt, status: 'in_progress' });
    expect(agents.find((a) => a.loginId === 'LV_TEST')).toMatchObject({ state: 'on_call', currentCallKey: calls[0]!.key, service: String(test.serviceId) });
  });

  it('follows live traffic: a call that ends leaves the list', async () => {
    const { lv } = await boot();
    sim.state.endCall(sim.state.agents.get('LV_SEB')!);
    const calls = await lv.listCalls();
    expect(calls.some((c) => c.agentKey === 'lv1:LV_SEB')).toBe(false);
    expect((await lv.listAgents()).find((a) => a.loginId === 'LV_SEB')!.state).toBe('wrap_up');
  });

  it('tests the connection with the cheapest authenticated read, and fails on bad credentials', async () => {
    const { lv, account } = await boot();
    await lv.testConnection();
    expect(sim.server.calls()).toEqual(['POST /session/login', `GET ${CC}/monitor/state`]);
    const bad = createLiveVoxConnector(account, { accessToken: sim.credentials.accessToken!, password: 'nope' }, {});
    expect((await failure(bad.testConnection())).code).toBe('auth_failed');
  });

  it('lists services', async () => {
    const { lv } = await boot();
    const services = await lv.listServices();
    expect(services.map((s) => [s.id, s.callCenterName])).toEqual([
      ['23114', 'Call Center 2'],
      ['33722', 'Call Center 2'],
      ['45165', 'TEST Call Center'],
    ]);
  });

  it('refuses an account of another vendor', () => {
    const other = { vendor: 'audian', id: 'a', label: 'A', baseUrl: 'http://x', authHeader: 'x-auth-token', demo: false, enabled: true } as AccountConfig;
    expect(() => createLiveVoxConnector(other, {}, {})).toThrow(SwitchboardError);
  });
});

describe('monitor', () => {
  it('listen: checks the audio path, dials the supervisor, then listens to the agent', async () => {
    const { lv } = await boot({ supervisorExtension: '77' });
    const call = await callOf(lv, 'LV_TEST');
    const session = await lv.monitor(call, 'listen', PHONE, null);
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`, `POST ${CC}/monitor/start?numberToDial=6505317524&extension=77`, `POST ${CC}/monitor/listen?agentLoginId=LV_TEST`]);
    expect(session).toEqual({ callKey: call.key, accountId: 'lv1', mode: 'listen', handle: 'LV_TEST', startedAt: NOW, own: true });
    expect(sim.state.monitor).toMatchObject({ activeCall: true, verb: 'listen', agentLoginId: 'LV_TEST' });
  });

  it('whisper is coach, and reuses an audio path that is already up', async () => {
    const { lv } = await boot();
    sim.state.monitor.activeCall = true;
    const call = await callOf(lv, 'LV_SEB');
    await lv.monitor(call, 'whisper', { ...PHONE, supervisorExtension: '12' }, null);
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`, `POST ${CC}/monitor/coach?agentLoginId=LV_SEB`]);
  });

  it('barge, with the extension from the monitor context over the account', async () => {
    const { lv } = await boot({ supervisorExtension: '77' });
    const call = await callOf(lv, 'lv_usr1');
    await lv.monitor(call, 'barge', { ...PHONE, supervisorExtension: '12' }, null);
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`, `POST ${CC}/monitor/start?numberToDial=6505317524&extension=12`, `POST ${CC}/monitor/barge?agentLoginId=lv_usr1`]);
  });

  it('works when monitor/start answers the table form, 200 {activeCall}', async () => {
    const { lv } = await boot();
    sim.state.variants.monitorStartStatus = 200;
    const call = await callOf(lv, 'LV_TEST');
    await expect(lv.monitor(call, 'listen', PHONE, null)).resolves.toMatchObject({ mode: 'listen' });
  });

  it('says the audio path did not start when monitor/start answers 200 {activeCall: false}, and sends no verb', async () => {
    const { lv } = await boot();
    sim.state.variants.monitorStartStatus = 200;
    sim.state.supervisorAnswers = false;
    const call = await callOf(lv, 'LV_TEST');
    const err = await failure(lv.monitor(call, 'listen', PHONE, null));
    expect(err.code).toBe('invalid_state');
    expect(err.message).toMatch(/could not connect your phone .*not answered/);
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`, `POST ${CC}/monitor/start?numberToDial=6505317524`]);
  });

  it('needs the supervisor phone to start an audio path, and sends nothing that changes state without it', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    expect((await failure(lv.monitor(call, 'listen', { supervisorPhone: undefined }, null))).code).toBe('not_configured');
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`]);
  });

  it('changes mode in place: only the new verb is sent, and the session keeps its start', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    const first = await lv.monitor(call, 'listen', PHONE, null);
    sim.server.clearLog();
    const next = await lv.monitor(call, 'barge', PHONE, { ...first, startedAt: NOW - 5000 });
    expect(sequence()).toEqual([`POST ${CC}/monitor/barge?agentLoginId=LV_TEST`]);
    expect(next).toMatchObject({ mode: 'barge', handle: 'LV_TEST', startedAt: NOW - 5000 });
    expect(sim.state.monitor.verb).toBe('barge');
  });

  it('starts the audio path again when the supervisor hung up before changing mode', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    const first = await lv.monitor(call, 'listen', PHONE, null);
    sim.state.monitor.activeCall = false;
    sim.server.clearLog();
    await lv.monitor(call, 'whisper', PHONE, first);
    expect(sim.server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST ${CC}/monitor/coach 409`,
      `GET ${CC}/monitor/state 200`,
      `POST ${CC}/monitor/start 204`,
      `POST ${CC}/monitor/coach 204`,
    ]);
  });

  it('does not retry a mode change LiveVox refused for another reason', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    const first = await lv.monitor(call, 'listen', PHONE, null);
    sim.state.endCall(sim.state.agents.get('LV_TEST')!);
    sim.server.clearLog();
    expect((await failure(lv.monitor(call, 'barge', PHONE, first))).code).toBe('invalid_state');
    expect(sequence()).toEqual([`POST ${CC}/monitor/barge?agentLoginId=LV_TEST`, `GET ${CC}/monitor/state`]);
  });

  it('refuses a call without an agent', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    expect((await failure(lv.monitor({ ...call, agentKey: null }, 'listen', PHONE, null))).code).toBe('invalid_input');
    expect(sim.server.log).toHaveLength(0);
  });

  it('stop: refuses while the audio path is up (no API ends it), succeeds once the supervisor hung up', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    const session = await lv.monitor(call, 'listen', PHONE, null);
    const err = await failure(lv.stopMonitor(call, session, PHONE));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/hang up/);
    sim.state.monitor.activeCall = false;
    sim.server.clearLog();
    await expect(lv.stopMonitor(call, session, PHONE)).resolves.toBeUndefined();
    expect(sequence()).toEqual([`GET ${CC}/monitor/state`]);
  });
});

describe('capability refusals', () => {
  it.each([
    [{ type: 'hold' }, 'call.hold'],
    [{ type: 'hangup' }, 'call.hangup'],
    [{ type: 'transfer', destination: '+15550100', mode: 'blind' }, 'call.transfer.blind'],
    [{ type: 'recording', on: true }, 'call.recording'],
  ] as const)('%o is unsupported with the reason, and nothing is sent', async (action, cap) => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    const err = await failure(lv.callAction(call, action));
    const c = liveVoxCapabilities[cap];
    expect([err.code, c.supported ? '' : c.reason]).toEqual(['unsupported', err.message]);
    expect(sim.server.log).toHaveLength(0);
  });

  it('has no call details or manual agent call', async () => {
    const { lv } = await boot();
    const call = await callOf(lv, 'LV_TEST');
    expect((await failure(lv.callDetail(call))).code).toBe('unsupported');
    expect((await failure(lv.manualAgentCall({ username: 'a', destination: '+15550100', ringDuration: 10, callerId: '+15550101' }))).code).toBe('unsupported');
    expect(sim.server.log).toHaveLength(0);
  });
});

describe('agent actions', () => {
  const agent = (loginId: string) => ({ loginId }) as Agent;

  it('notReady with reason, then ready: per-agent results and the board follows', async () => {
    const { lv } = await boot();
    const nr = await lv.agentAction([agent('LV_AGENT_0005'), agent('LV_TEST')], { type: 'notReady', reason: 'TRAINING' });
    expect(nr).toEqual([
      { loginId: 'LV_AGENT_0005', ok: true, detail: 'Success' },
      { loginId: 'LV_TEST', ok: false, detail: 'Failed: agent is on a call' },
    ]);
    expect((await lv.listAgents()).find((a) => a.loginId === 'LV_AGENT_0005')).toMatchObject({ state: 'not_ready', reason: 'TRAINING' });
    expect(await lv.agentAction([agent('LV_AGENT_0005')], { type: 'ready', message: 'back' })).toEqual([{ loginId: 'LV_AGENT_0005', ok: true, detail: 'Success' }]);
    expect(sim.state.agents.get('LV_AGENT_0005')!.stateId).toBe(STATE.ready);
  });

  it('logoff removes the agent from the board', async () => {
    const { lv } = await boot();
    expect(await lv.agentAction([agent('LV_SEB')], { type: 'logoff' })).toEqual([{ loginId: 'LV_SEB', ok: true, detail: 'Successfully logged off.' }]);
    expect((await lv.listAgents()).some((a) => a.loginId === 'LV_SEB')).toBe(false);
  });

  it('switchService sends the id as a number and reads both result vocabularies', async () => {
    const { lv } = await boot();
    const res = await lv.agentAction([agent('LV_AGENT_0005'), agent('LV_TEST'), agent('GONE')], { type: 'switchService', serviceId: '45165' });
    expect(res.map((r) => [r.loginId, r.ok, r.detail])).toEqual([
      ['LV_AGENT_0005', true, 'Completed: Success'],
      ['LV_TEST', true, 'queued'],
      ['GONE', false, 'failed'],
    ]);
    expect(JSON.parse(sim.server.log.at(-1)!.body)).toMatchObject({ targetServiceId: 45165 });
  });

  it('sends nothing for an empty selection', async () => {
    const { lv } = await boot();
    expect(await lv.agentAction([], { type: 'ready' })).toEqual([]);
    expect(sim.server.log).toHaveLength(0);
  });
});

describe('chat', () => {
  it('broadcast marks agents who cannot receive chat as not sent', async () => {
    const { lv } = await boot();
    await lv.agentAction([{ loginId: 'LV_SEB' } as Agent], { type: 'logoff' });
    const res = await lv.chatBroadcast(['lv_usr1', 'LV_SEB'], 'Hello', true);
    expect(res.map((r) => [r.loginId, r.ok])).toEqual([
      ['lv_usr1', true],
      ['LV_SEB', false],
    ]);
  });

  it('send, agent reply on the next tick, then only newer messages; own messages are marked as the supervisor', async () => {
    const { lv } = await boot();
    await lv.chatSend('lv_usr1', 'I am free');
    const first = await lv.chatMessages(null);
    expect(first.messages.map((m) => [m.agentLoginId, m.fromAgent, m.text, m.canReply])).toEqual([['lv_usr1', false, 'I am free', true]]);
    sim.tick();
    const second = await lv.chatMessages(first.latestMs);
    expect(second.messages).toHaveLength(1);
    expect(second.messages[0]).toMatchObject({ agentLoginId: 'lv_usr1', fromAgent: true, senderId: 'lv_usr1' });
    expect(second.latestMs).toBeGreaterThan(first.latestMs!);
    expect(JSON.parse(sim.server.log.at(-1)!.body)).toEqual({ filter: { excludeOwn: false, messageReceivedAfter: String(first.latestMs) } });
  });

  it('asks LiveVox to leave out own messages when the account option says so', async () => {
    const { lv } = await boot({}, liveVoxConnectorFactory({ excludeOwnChat: true }));
    await lv.chatSend('lv_usr1', 'hi');
    expect((await lv.chatMessages(null)).messages).toEqual([]);
  });

  it('ends a chat session', async () => {
    const { lv } = await boot();
    await lv.chatSend('lv_usr1', 'bye');
    await lv.chatEnd('lv_usr1');
    expect(sim.state.chats.has('lv_usr1')).toBe(false);
  });
});
