// Every LiveVox endpoint through its client method, against the simulator over loopback HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveVoxAccount } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { LiveVoxClient } from '../../main/vendors/livevox/client.js';
import { IDLE_LIMIT_MS, STATE } from '../../main/vendors/livevox/sim-state.js';
import { createLiveVoxSimulator, type LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';

const BASE = '/callControl/supervisor';
let sim: LiveVoxSimulator;
let clock = 1_700_000_000_000;

async function boot(overrides: Record<string, unknown> = {}, secrets?: Record<string, string>) {
  clock = 1_700_000_000_000;
  sim = createLiveVoxSimulator({ seed: 11, agents: 12, calls: 4, now: () => clock });
  await sim.start();
  const account = LiveVoxAccount.parse({ id: 'lv1', label: 'LiveVox', ...sim.accountSettings(), ...overrides });
  const client = new LiveVoxClient(account, secrets ?? sim.credentials, { timeoutMs: 1000, sleep: async () => {} });
  return { client, account };
}

afterEach(async () => {
  await sim.stop();
});

/** The error a promise rejects with, failing the test if it resolves. */
async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    return err as SwitchboardError;
  }
  throw new Error('expected a rejection');
}

const lines = (re: RegExp) => sim.server.calls(re);
const lastBody = (path: string) => JSON.parse(sim.server.log.filter((r) => r.path === path).at(-1)!.body) as unknown;

describe('session', () => {
  it('logs in with LV-Access and the documented body, then sends LV-Session and LV-Access on every request', async () => {
    const { client } = await boot();
    await client.monitorState();
    await client.serviceAccess();
    const [login, ...rest] = sim.server.log;
    expect(`${login!.method} ${login!.path}`).toBe('POST /session/login');
    expect(login!.headers['lv-access']).toBe(sim.credentials.accessToken);
    expect(JSON.parse(login!.body)).toEqual({ clientName: 'SWITCHBOARD_DEMO', userName: 'SEBYSA', password: sim.credentials.password, agent: false });
    expect(rest).toHaveLength(2);
    for (const r of rest) {
      expect(r.headers['lv-access']).toBe(sim.credentials.accessToken);
      expect(r.headers['lv-session']).toMatch(/^LVS-/);
    }
    expect(client.session.userId).toBe('90125');
  });

  it('shares one login between concurrent first requests', async () => {
    const { client } = await boot();
    await Promise.all([client.monitorState(), client.serviceAccess(), client.realtimeAgents()]);
    expect(lines(/session\/login/)).toHaveLength(1);
  });

  it('logs in again after 2 hours idle, without the caller noticing', async () => {
    const { client } = await boot();
    await client.monitorState();
    clock += IDLE_LIMIT_MS + 1;
    await expect(client.monitorState()).resolves.toEqual({ activeCall: false });
    expect(sim.server.log.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/session/login 200',
      `${BASE}/monitor/state 200`,
      `${BASE}/monitor/state 401`,
      '/session/login 200',
      `${BASE}/monitor/state 200`,
    ]);
  });

  it('reports a refused login as auth_failed without the password anywhere in the error', async () => {
    const { client } = await boot({}, { accessToken: createLiveVoxSimulator({ seed: 11 }).credentials.accessToken!, password: 'wrong-password' });
    const err = await failure(client.monitorState());
    expect(err.code).toBe('auth_failed');
    expect(err.vendorMessage).toBe('401: Invalid client name, user name or password');
    expect(`${err.message} ${err.vendorMessage}`).not.toContain('wrong-password');
  });

  it('reports a wrong access token as auth_failed', async () => {
    const { client } = await boot({}, { accessToken: 'nope', password: 'x' });
    expect((await failure(client.serviceAccess())).code).toBe('auth_failed');
  });

  it('asks for missing credentials before sending anything', async () => {
    const { client } = await boot({}, { accessToken: 'token-only' });
    expect((await failure(client.monitorState())).code).toBe('not_configured');
    expect(sim.server.log).toHaveLength(0);
  });

  it('puts the account version segment into supervisor paths only', async () => {
    const { client } = await boot({ apiVersion: 'v6.0' });
    await client.monitorState();
    await client.realtimeAgents();
    expect(sim.server.calls()).toEqual(['POST /session/login', 'GET /callControl/v6.0/supervisor/monitor/state', 'POST /realtime/service/agents/status']);
  });
});

describe('agent status', () => {
  it('changes agents to ready, with the documented body', async () => {
    const { client } = await boot();
    sim.state.setState(sim.state.agents.get('LV_AGENT_0005')!, STATE.notReady, 'LUNCH');
    const res = await client.readyAgents(['LV_AGENT_0005'], 'Get in ready');
    expect(res).toEqual({ agents: [{ agentLoginId: 'LV_AGENT_0005', status: 'Success' }] });
    expect(lastBody(`${BASE}/agent/status/ready`)).toEqual({ agents: ['LV_AGENT_0005'], message: 'Get in ready' });
    expect(sim.state.agents.get('LV_AGENT_0005')!.stateId).toBe(STATE.ready);
  });

  it('changes agents to not ready with a reason, which the realtime list then shows', async () => {
    const { client } = await boot();
    await client.notReadyAgents(['LV_AGENT_0005'], 'LUNCH', 'Change to not ready when going to lunch');
    expect(lastBody(`${BASE}/agent/status/notReady`)).toEqual({ agents: ['LV_AGENT_0005'], reasonCode: 'LUNCH', message: 'Change to not ready when going to lunch' });
    const row = (await client.realtimeAgents()).agentDetails.find((a) => a.agentLoginId === 'LV_AGENT_0005');
    expect(row).toMatchObject({ stateId: STATE.notReady, notReadyReasonCode: 'LUNCH' });
  });

  it('sends no message field when there is no message', async () => {
    const { client } = await boot();
    await client.notReadyAgents(['LV_AGENT_0005']);
    expect(lastBody(`${BASE}/agent/status/notReady`)).toEqual({ agents: ['LV_AGENT_0005'] });
  });

  it('logs agents off, and they leave the realtime list', async () => {
    const { client } = await boot();
    const res = await client.logoffAgents(['LV_SEB'], 'Take a break');
    expect(res.agents).toEqual([{ agentLoginId: 'LV_SEB', status: 'Successfully logged off.' }]);
    expect((await client.realtimeAgents()).agentDetails.some((a) => a.agentLoginId === 'LV_SEB')).toBe(false);
  });

  it('answers per agent for agents it cannot change', async () => {
    const { client } = await boot();
    const res = await client.readyAgents(['LV_TEST', 'NOBODY']);
    expect(res.agents).toEqual([
      { agentLoginId: 'LV_TEST', status: 'Failed: agent is on a call' },
      { agentLoginId: 'NOBODY', status: 'Failed: agent is not logged in' },
    ]);
  });

  it('surfaces the vendor refusal of an empty agent list as invalid_input with its message', async () => {
    const { client } = await boot();
    const err = await failure(client.readyAgents([]));
    expect(err.code).toBe('invalid_input');
    expect(err.vendorMessage).toBe('400: agents must be a non-empty array of agent login IDs');
  });
});

describe('chat', () => {
  it('broadcasts with a top-level message and reads either status field name', async () => {
    const { client } = await boot();
    sim.state.logoff(sim.state.agents.get('LV_SEB')!);
    const res = await client.chatBroadcast([{ userLoginId: 'lv_usr1', canReply: true }, { userLoginId: 'LV_SEB', canReply: true }], 'Hello');
    expect(lastBody(`${BASE}/chat/broadcast`)).toEqual({ usersInfo: [{ userLoginId: 'lv_usr1', canReply: true }, { userLoginId: 'LV_SEB', canReply: true }], message: 'Hello' });
    expect(res.broadcastStatus).toEqual([
      { usersLoginId: 'lv_usr1', sent: true },
      { usersLoginId: 'LV_SEB', sent: false },
    ]);
    sim.state.variants.broadcastIdField = 'userLoginId';
    expect((await client.chatBroadcast([{ userLoginId: 'lv_usr1', canReply: false }], 'Again')).broadcastStatus).toEqual([{ userLoginId: 'lv_usr1', sent: true }]);
  });

  it('fetches new messages from /chat/messages with a boolean excludeOwn and an epoch-ms string', async () => {
    const { client } = await boot();
    await client.chatSend('lv_usr1', 'I am free');
    const all = await client.chatMessages(null, false);
    expect(lastBody(`${BASE}/chat/messages`)).toEqual({ filter: { excludeOwn: false } });
    expect(all.chatList).toEqual([{ userLoginId: 'lv_usr1', canReply: true, messageList: [{ message: 'I am free', senderId: 'SEBYSA', timestamp: String(clock) }] }]);
    expect(all.timestamp).toBe(String(clock));
    sim.tick();
    const after = await client.chatMessages(clock, true);
    expect(lastBody(`${BASE}/chat/messages`)).toEqual({ filter: { excludeOwn: true, messageReceivedAfter: String(clock) } });
    expect(after.chatList).toHaveLength(1);
    expect(after.chatList[0]!.messageList).toEqual([expect.objectContaining({ senderId: 'lv_usr1' })]);
  });

  it('reads canReply on each message when the vendor answers the table form', async () => {
    const { client } = await boot();
    sim.state.variants.chatCanReplyAt = 'message';
    await client.chatSend('lv_usr1', 'hi');
    const res = await client.chatMessages(null, false);
    expect(res.chatList[0]).not.toHaveProperty('canReply');
    expect(res.chatList[0]!.messageList![0]!.canReply).toBe(true);
  });

  it('sends a chat message (204) and refuses one to an unknown agent', async () => {
    const { client } = await boot();
    await expect(client.chatSend('lv_usr1', 'I am free')).resolves.toBeUndefined();
    expect(lastBody(`${BASE}/chat/send`)).toEqual({ userLoginId: 'lv_usr1', message: 'I am free' });
    expect(sim.state.messages.at(-1)).toMatchObject({ userLoginId: 'lv_usr1', message: 'I am free', senderId: 'SEBYSA' });
    expect((await failure(client.chatSend('NOBODY', 'x'))).code).toBe('not_found');
  });

  it('ends a chat session by query parameter, and says so when there is none', async () => {
    const { client } = await boot();
    await client.chatSend('lv_usr1', 'bye');
    await client.chatEnd('lv_usr1');
    const end = sim.server.log.at(-1)!;
    expect([end.method, end.path, end.query, end.body, end.status]).toEqual(['POST', `${BASE}/chat/end`, { userLoginId: 'lv_usr1' }, '', 204]);
    expect(sim.state.chats.has('lv_usr1')).toBe(false);
    expect((await failure(client.chatEnd('lv_usr1'))).code).toBe('not_found');
  });
});

describe('monitor', () => {
  it('reads the audio path state', async () => {
    const { client } = await boot();
    expect(await client.monitorState()).toEqual({ activeCall: false });
    sim.state.monitor.activeCall = true;
    expect(await client.monitorState()).toEqual({ activeCall: true });
  });

  it('starts the audio path with numberToDial and extension, accepting 204 (example) and 200 {activeCall} (table)', async () => {
    const { client } = await boot();
    expect(await client.monitorStart('6505317524')).toBeNull();
    expect(sim.server.log.at(-1)!.query).toEqual({ numberToDial: '6505317524' });
    sim.state.variants.monitorStartStatus = 200;
    expect(await client.monitorStart('6505317524', '42')).toEqual({ activeCall: true });
    expect(sim.server.log.at(-1)!.query).toEqual({ numberToDial: '6505317524', extension: '42' });
    expect(sim.state.monitor).toMatchObject({ activeCall: true, numberToDial: '6505317524', extension: '42' });
  });

  it('refuses a number that is not a phone number', async () => {
    const { client } = await boot();
    expect((await failure(client.monitorStart('call me'))).code).toBe('invalid_input');
  });

  it.each(['listen', 'coach', 'barge'] as const)('%s on an agent in call once the audio path is up', async (verb) => {
    const { client } = await boot();
    await client.monitorStart('6505317524');
    await client[verb]('LV_TEST');
    const r = sim.server.log.at(-1)!;
    expect([r.path, r.query, r.status]).toEqual([`${BASE}/monitor/${verb}`, { agentLoginId: 'LV_TEST' }, 204]);
    expect(sim.state.monitor).toMatchObject({ verb, agentLoginId: 'LV_TEST' });
  });

  it('refuses to listen without an audio path, to an agent not on a call, or to an unknown agent', async () => {
    const { client } = await boot();
    expect((await failure(client.listen('LV_TEST'))).code).toBe('invalid_state');
    await client.monitorStart('6505317524');
    expect((await failure(client.coach('LV_AGENT_0005'))).vendorMessage).toBe('409: Agent LV_AGENT_0005 is not on a call');
    expect((await failure(client.barge('NOBODY'))).code).toBe('not_found');
  });
});

describe('services and realtime', () => {
  it('lists the call centres and services the supervisor may use', async () => {
    const { client } = await boot();
    const res = await client.serviceAccess();
    expect(res.callCenters.map((c) => [c.callCenterId, c.services!.map((s) => s.serviceId)])).toEqual([
      [1718, [23114, 33722]],
      [3086, [45165]],
    ]);
  });

  it('switches agents to a service by numeric id, queueing those on a call', async () => {
    const { client } = await boot();
    const res = await client.switchService(['LV_AGENT_0005', 'LV_TEST'], 33722, 'new skill');
    expect(lastBody(`${BASE}/agent/service/switch`)).toEqual({ agents: ['LV_AGENT_0005', 'LV_TEST'], targetServiceId: 33722, message: 'new skill' });
    expect(res.agents).toEqual([
      { agentLoginId: 'LV_AGENT_0005', message: 'Completed: Success' },
      { agentLoginId: 'LV_TEST', message: 'queued' },
    ]);
    expect(sim.state.agents.get('LV_AGENT_0005')!.serviceId).toBe(33722);
    sim.state.endCall(sim.state.agents.get('LV_TEST')!);
    expect(sim.state.agents.get('LV_TEST')!.serviceId).toBe(33722);
    sim.state.variants.switchSuccess = 'successful';
    expect((await client.switchService(['LV_AGENT_0005'], 23114)).agents[0]!.message).toBe('successful');
  });

  it('refuses a service the supervisor cannot use', async () => {
    const { client } = await boot();
    expect((await failure(client.switchService(['LV_TEST'], 999))).code).toBe('not_found');
  });

  it('lists logged-on agents from the realtime feed with an empty JSON body', async () => {
    const { client } = await boot();
    const res = await client.realtimeAgents();
    expect(sim.server.log.at(-1)!.body).toBe('{}');
    expect(res.agentDetails).toHaveLength(11);
    expect(res.agentDetails[0]).toMatchObject({ agentLoginId: 'LV_TEST', stateId: STATE.inCall, callSessionId: expect.any(String), phoneNumber: expect.stringMatching(/^\+1\d{10}$/) });
  });
});
