// The LiveVox simulator itself: it refuses what the document does not allow (in the vendor's
// {code, message} shape), accepts every form the document shows, is stateful, and scales.
import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_LIMIT_MS, STATE } from '../../main/vendors/livevox/sim-state.js';
import { createLiveVoxSimulator, type LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';

const CC = '/callControl/supervisor';
let sim: LiveVoxSimulator;
let clock = 1_700_000_000_000;

async function boot(size: { agents?: number; calls?: number } = { agents: 12, calls: 4 }) {
  clock = 1_700_000_000_000;
  sim = createLiveVoxSimulator({ seed: 9, ...size, now: () => clock });
  await sim.start();
}

afterEach(async () => {
  await sim?.stop();
});

interface Reply {
  status: number;
  body: unknown;
}

async function raw(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const res = await fetch(`${sim.server.baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...opts.headers },
    ...(opts.body === undefined ? {} : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function login(): Promise<Record<string, string>> {
  const access = { 'LV-Access': sim.credentials.accessToken! };
  const res = await raw('POST', '/session/login', {
    headers: access,
    body: { clientName: 'SWITCHBOARD_DEMO', userName: 'SEBYSA', password: sim.credentials.password, agent: false },
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ sessionId: expect.any(String), clientId: expect.any(Number), userId: expect.any(Number), daysUntilPasswordExpires: expect.any(Number) });
  return { ...access, 'LV-Session': (res.body as { sessionId: string }).sessionId };
}

const refused = (status: number, message: string | RegExp) => ({ status, body: { code: status, message: typeof message === 'string' ? message : expect.stringMatching(message) } });

describe('refuses deviations in the vendor error shape', () => {
  it('wrong method, unknown path, bad version segment', async () => {
    await boot();
    const h = await login();
    expect(await raw('GET', `${CC}/agent/status/ready`, { headers: h })).toEqual(refused(405, /not allowed/));
    expect(await raw('POST', `${CC}/agent/status/busy`, { headers: h, body: { agents: ['LV_TEST'] } })).toEqual(refused(404, /No such resource/));
    expect(await raw('GET', '/callControl/latest/supervisor/monitor/state', { headers: h })).toEqual(refused(404, /No such resource/));
    expect((await raw('GET', '/callControl/v6.0/supervisor/monitor/state', { headers: h })).status).toBe(200);
  });

  it('missing or bad auth, and logins that do not follow the document', async () => {
    await boot();
    const h = await login();
    expect(await raw('GET', `${CC}/monitor/state`)).toEqual(refused(401, /LV-Access/));
    expect(await raw('GET', `${CC}/monitor/state`, { headers: { 'LV-Access': h['LV-Access']! } })).toEqual(refused(401, /LV-Session/));
    expect(await raw('GET', `${CC}/monitor/state`, { headers: { ...h, 'LV-Session': 'forged' } })).toEqual(refused(401, /LV-Session/));
    const access = { 'LV-Access': sim.credentials.accessToken! };
    const good = { clientName: 'SWITCHBOARD_DEMO', userName: 'SEBYSA', password: sim.credentials.password };
    expect(await raw('POST', '/session/login', { body: { ...good, agent: false } })).toEqual(refused(401, /LV-Access/));
    expect(await raw('POST', '/session/login', { headers: access, body: { ...good, agent: true } })).toEqual(refused(403, /agent session/));
    expect(await raw('POST', '/session/login', { headers: access, body: { ...good, agent: false, user: 'x' } })).toEqual(refused(400, 'Unknown field: user'));
    expect(await raw('POST', '/session/login', { headers: access, body: good })).toEqual(refused(400, /agent must be a boolean/));
  });

  it('unknown, missing and misspelled body fields; bad enum values and types', async () => {
    await boot();
    const h = await login();
    const post = (path: string, body: unknown) => raw('POST', `${CC}${path}`, { headers: h, body });
    expect(await post('/agent/status/ready', { agent: ['LV_TEST'] })).toEqual(refused(400, 'Unknown field: agent'));
    expect(await post('/agent/status/ready', { message: 'x' })).toEqual(refused(400, /agents must be/));
    expect(await post('/agent/status/ready', { agents: ['LV_TEST'], reasonCode: 'LUNCH' })).toEqual(refused(400, 'Unknown field: reasonCode'));
    expect(await post('/agent/status/notReady', { agents: ['LV_AGENT_0005'], reasonCode: 'NAP' })).toEqual(refused(400, /reasonCode must be one of/));
    expect(await post('/agent/service/switch', { agents: ['LV_TEST'], targetServiceId: '33722' })).toEqual(refused(400, /integer/));
    expect(await post('/chat/send', { userLoginId: 'lv_usr1', text: 'x' })).toEqual(refused(400, 'Unknown field: text'));
    expect(await post('/chat/messages', { filter: { excludeOwn: 'no' } })).toEqual(refused(400, /excludeOwn/));
    expect(await post('/chat/messages', { filter: { messageReceivedAfter: 'yesterday', excludeOwn: true } })).toEqual(refused(400, /messageReceivedAfter/));
    expect(await post('/chat/messages', { filter: { excludeOwn: true, since: '1' } })).toEqual(refused(400, 'Unknown field: since'));
    expect(await post('/chat/broadcast', { usersInfo: [{ userLoginId: 'lv_usr1', canReply: true }] })).toEqual(refused(400, 'message is required'));
    expect(await post('/chat/broadcast', { usersInfo: [{ userLoginId: 'lv_usr1', canReply: 'yes' }], message: 'x' })).toEqual(refused(400, /canReply/));
    expect(await raw('POST', '/realtime/service/agents/status', { headers: h, body: { serviceId: 1 } })).toEqual(refused(400, 'Unknown field: serviceId'));
  });

  it('query parameters: missing, unknown (the document misspells extension as a variable name only), and bodies where none belong', async () => {
    await boot();
    const h = await login();
    expect(await raw('POST', `${CC}/monitor/start`, { headers: h })).toEqual(refused(400, /numberToDial/));
    expect(await raw('POST', `${CC}/monitor/start?numberToDial=6505317524&extention=1`, { headers: h })).toEqual(refused(400, 'Unknown parameter: extention'));
    expect(await raw('POST', `${CC}/monitor/listen?agent=LV_TEST`, { headers: h })).toEqual(refused(400, 'Unknown parameter: agent'));
    expect(await raw('POST', `${CC}/chat/end`, { headers: h, body: { userLoginId: 'lv_usr1' } })).toEqual(refused(400, /no body/));
  });
});

describe('accepts every documented form', () => {
  it('the example paths and bodies: /chat/message, excludeOwn "false", per-user broadcast message', async () => {
    await boot();
    const h = await login();
    const perUser = await raw('POST', `${CC}/chat/broadcast`, { headers: h, body: { usersInfo: [{ userLoginId: 'lv_usr1', canReply: false, message: 'Hello' }] } });
    expect(perUser).toEqual({ status: 200, body: { broadcastStatus: [{ usersLoginId: 'lv_usr1', sent: true }] } });
    const example = await raw('POST', `${CC}/chat/message`, { headers: h, body: { filter: { messageReceivedAfter: '1416817899000', excludeOwn: 'false' } } });
    expect(example.body).toEqual({
      chatList: [{ messageList: [{ message: 'Hello', senderId: 'SEBYSA', timestamp: String(clock) }], userLoginId: 'lv_usr1', canReply: false }],
      timestamp: String(clock),
    });
  });
});

describe('state', () => {
  it('is the same scenario for the same seed, and a different one for another', async () => {
    const a = createLiveVoxSimulator({ seed: 4, agents: 50, now: () => clock });
    const b = createLiveVoxSimulator({ seed: 4, agents: 50, now: () => clock });
    const c = createLiveVoxSimulator({ seed: 5, agents: 50, now: () => clock });
    for (let i = 0; i < 20; i++) [a, b].forEach((s) => s.tick());
    expect(a.state.loggedOnAgents()).toEqual(b.state.loggedOnAgents());
    expect(a.state.loggedOnAgents()).not.toEqual(c.state.loggedOnAgents());
  });

  it('ticks move traffic: calls start and end and agents change state', async () => {
    await boot({ agents: 200, calls: 50 });
    const before = JSON.stringify(sim.state.loggedOnAgents());
    const callsBefore = new Set(sim.state.loggedOnAgents().map((a) => a.callSessionId).filter(Boolean));
    for (let i = 0; i < 30; i++) sim.tick();
    const after = sim.state.loggedOnAgents();
    expect(JSON.stringify(after)).not.toBe(before);
    const callsAfter = new Set(after.map((a) => a.callSessionId).filter(Boolean));
    expect([...callsAfter].some((id) => !callsBefore.has(id))).toBe(true);
    expect([...callsBefore].some((id) => !callsAfter.has(id))).toBe(true);
  });

  it('agents reply to a supervisor chat on the next tick, but not after the chat ended', async () => {
    await boot();
    sim.state.supervisorSays('lv_usr1', 'ping', true);
    sim.state.supervisorSays('LV_SEB', 'ping', true);
    sim.state.chats.delete('LV_SEB');
    sim.tick();
    expect(sim.state.messages.filter((m) => m.senderId !== 'SEBYSA').map((m) => m.userLoginId)).toEqual(['lv_usr1']);
  });

  it('expires sessions after 2 hours idle and on expire_auth', async () => {
    await boot();
    const h = await login();
    clock += IDLE_LIMIT_MS - 1;
    expect((await raw('GET', `${CC}/monitor/state`, { headers: h })).status).toBe(200);
    clock += IDLE_LIMIT_MS + 1;
    expect(await raw('GET', `${CC}/monitor/state`, { headers: h })).toEqual(refused(401, /expired/));
    const h2 = await login();
    sim.server.injectFault({ kind: 'expire_auth' });
    expect(await raw('GET', `${CC}/monitor/state`, { headers: h2 })).toEqual(refused(401, /expired/));
  });

  it('answers injected faults in the vendor shape', async () => {
    await boot();
    const h = await login();
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 7, times: 1 });
    const res = await fetch(`${sim.server.baseUrl}${CC}/monitor/state`, { headers: h });
    expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([429, '7', { code: 429, message: 'Too many requests' }]);
    sim.server.injectFault({ kind: 'malformed', times: 1 });
    const bad = await fetch(`${sim.server.baseUrl}${CC}/monitor/state`, { headers: h });
    await expect(bad.json()).rejects.toThrow();
  });
});

describe('scale', () => {
  it('seeds 5,000 agents and 10,000 calls (capped at one call per agent) and lists them fast', async () => {
    const t0 = performance.now();
    await boot({ agents: 5000, calls: 10_000 });
    expect(sim.counts()).toEqual({ calls: 5000, agents: 5000 });
    const h = await login();
    const t1 = performance.now();
    const res = await raw('POST', '/realtime/service/agents/status', { headers: h, body: {} });
    expect((res.body as { agentDetails: unknown[] }).agentDetails).toHaveLength(5000);
    for (let i = 0; i < 100; i++) sim.tick();
    expect(performance.now() - t1).toBeLessThan(1500);
    expect(t1 - t0).toBeLessThan(1500);
  });

  it('seeds 10,000 calls with an agent each when no agent count is given', async () => {
    await boot({ calls: 10_000 });
    expect(sim.counts()).toEqual({ calls: 10_000, agents: 10_000 });
    expect(sim.state.loggedOnAgents().filter((a) => a.stateId === STATE.inCall)).toHaveLength(10_000);
  });

  it('points account settings at itself with the credentials it accepts', async () => {
    await boot();
    expect(sim.accountSettings()).toEqual({ vendor: 'livevox', baseUrl: sim.server.baseUrl, apiVersion: '', clientName: 'SWITCHBOARD_DEMO', userName: 'SEBYSA', supervisorPhone: '6505317524' });
    expect(Object.keys(sim.credentials).sort()).toEqual(['accessToken', 'password']);
  });
});
