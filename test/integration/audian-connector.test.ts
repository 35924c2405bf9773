// The Audian connector over the simulator: request sequences in server.log, barge and stop,
// the call actions' bodies, and refusals of what Audian cannot do.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudianAccount, type AccountConfig } from '../../main/domain/account.js';
import type { CallAction } from '../../main/domain/actions.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import type { Call, SupervisorSession } from '../../main/domain/model.js';
import { audianCapabilities } from '../../main/vendors/audian/capabilities.js';
import { AudianConnector, createAudianConnector } from '../../main/vendors/audian/connector.js';
import type { SimCall } from '../../main/vendors/audian/sim-state.js';
import type { ConferenceResponse, GatherDtmfResponse } from '../../main/vendors/audian/types.js';
import { SIM_SUPERVISOR_PHONE, createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';
import type { VendorConnector } from '../../main/vendors/connector.js';

const NOW = 1_705_314_900_000;
const CTX = { supervisorPhone: SIM_SUPERVISOR_PHONE };
let sim: AudianSimulator;
let connector: VendorConnector;
let simCall: SimCall;
let call: Call;

function account(): AccountConfig {
  return AudianAccount.parse({ ...sim.accountSettings(), id: 'aud-1', label: 'Audian' });
}
async function refusal(p: Promise<unknown>): Promise<SwitchboardError> {
  const err: unknown = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchboardError);
  return err as SwitchboardError;
}
const requests = () => sim.server.log.map((r) => `${r.method} ${r.path}`);
const lastBody = (): unknown => {
  const body = sim.server.log.at(-1)?.body ?? '';
  return body === '' ? undefined : JSON.parse(body);
};

beforeEach(async () => {
  sim = createAudianSimulator({ seed: 21, calls: 15, now: () => NOW });
  await sim.start();
  connector = createAudianConnector(account(), sim.credentials, { timeoutMs: 2000, sleep: async () => {}, now: () => NOW });
  const calls = await connector.listCalls();
  for (const c of sim.state.live.values()) if (c.status === 'answered' && !c.on_hold) simCall = c;
  call = calls.find((c) => c.vendorCallId === simCall.call_id)!;
  sim.server.clearLog();
});
afterEach(async () => {
  await sim.stop();
});

describe('reads', () => {
  it('testConnection lists channels with the session it has; a fresh connector logs in first', async () => {
    await connector.testConnection();
    expect(requests()).toEqual([`GET /v2/accounts/${sim.state.accountId}/channels`]);
    sim.server.clearLog();
    const fresh = createAudianConnector(account(), sim.credentials, { timeoutMs: 2000, sleep: async () => {}, now: () => NOW });
    await fresh.testConnection();
    expect(requests()).toEqual(['PUT /v2/api_auth', `GET /v2/accounts/${sim.state.accountId}/channels`]);
  });
  it('listCalls gives one Call per live call, keyed by account', async () => {
    const calls = await connector.listCalls();
    expect(calls).toHaveLength(sim.counts().calls);
    expect(call).toMatchObject({ key: `aud-1:${simCall.call_id}`, accountId: 'aud-1', vendor: 'audian', from: simCall.from, to: simCall.to });
  });
  it('listAgents is empty without asking Audian', async () => {
    expect(await connector.listAgents()).toEqual([]);
    expect(requests()).toEqual([]);
  });
  it('callDetail reads GET /v2/calls/{id}', async () => {
    simCall.on_hold = true;
    const d = await connector.callDetail(call);
    expect(requests()).toEqual([`GET /v2/calls/${simCall.call_id}`]);
    expect(d).toMatchObject({ onHold: true, muted: false, recording: simCall.recording_active, bridge: null });
    expect(d.legs.map((l) => l.number)).toEqual([simCall.from, simCall.to]);
  });
});

describe('monitor', () => {
  async function barge(): Promise<SupervisorSession> {
    return connector.monitor(call, 'barge', CTX, null);
  }

  it('barge adds the supervisor to a conference on the call', async () => {
    const s = await barge();
    expect(requests()).toEqual([`POST /v2/calls/${simCall.call_id}/conference`]);
    expect(lastBody()).toEqual({ participant: SIM_SUPERVISOR_PHONE });
    expect(s).toEqual({ callKey: call.key, accountId: 'aud-1', mode: 'barge', handle: `${simCall.conference_id}|${SIM_SUPERVISOR_PHONE}`, startedAt: NOW, own: true });
    expect(simCall.participants).toContain(SIM_SUPERVISOR_PHONE);
  });
  it.each(['listen', 'whisper'] as const)('%s is refused with the reason, sending nothing', async (mode) => {
    const err = await refusal(connector.monitor(call, mode, CTX, null));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe(audianCapabilities['monitor.listen'].supported ? '' : audianCapabilities['monitor.listen'].reason);
    expect(requests()).toEqual([]);
  });
  it('a mode change away from barge is refused and leaves the barge in place', async () => {
    const s = await barge();
    sim.server.clearLog();
    expect((await refusal(connector.monitor(call, 'listen', CTX, s))).code).toBe('unsupported');
    expect(requests()).toEqual([]);
    expect(simCall.participants).toContain(SIM_SUPERVISOR_PHONE);
  });
  it('asking for barge while already barging keeps the session', async () => {
    const s = await barge();
    sim.server.clearLog();
    expect(await connector.monitor(call, 'barge', CTX, s)).toBe(s);
    expect(requests()).toEqual([]);
  });
  it('a session in another mode (seen elsewhere) is ended before barging anew', async () => {
    const first = await barge();
    sim.server.clearLog();
    const next = await connector.monitor(call, 'barge', CTX, { ...first, mode: 'listen' });
    expect(requests()).toEqual([
      `POST /v2/conferences/${simCall.conference_id}/participants/${SIM_SUPERVISOR_PHONE}/remove`,
      `POST /v2/calls/${simCall.call_id}/conference`,
    ]);
    expect(next.handle).toBe(first.handle);
  });
  it('needs the supervisor phone', async () => {
    expect((await refusal(connector.monitor(call, 'barge', { supervisorPhone: undefined }, null))).code).toBe('not_configured');
    expect(requests()).toEqual([]);
  });
  it('stop removes exactly the supervisor from the conference', async () => {
    await connector.callAction(call, { type: 'conference.add', participant: '+14155552673' });
    const s = await barge();
    sim.server.clearLog();
    await connector.stopMonitor(call, s, CTX);
    expect(requests()).toEqual([`POST /v2/conferences/${simCall.conference_id}/participants/${SIM_SUPERVISOR_PHONE}/remove`]);
    expect(simCall.participants).toEqual([simCall.from, simCall.to, '+14155552673']);
  });
  it('stop accepts a bare conference id as the handle, using the supervisor phone', async () => {
    const s = await barge();
    sim.server.clearLog();
    await connector.stopMonitor(call, { ...s, handle: simCall.conference_id! }, CTX);
    expect(simCall.participants).not.toContain(SIM_SUPERVISOR_PHONE);
  });
});

describe('call actions', () => {
  async function act(action: CallAction) {
    const out = await connector.callAction(call, action);
    const line = requests().at(-1);
    return { out, line, body: lastBody() };
  }
  const path = (a: string) => `POST /v2/calls/${simCall.call_id}/${a}`;

  it('hold sends no body; with music it sends hold_music', async () => {
    expect(await act({ type: 'hold' })).toEqual({
      out: { detail: 'Call on hold', callPatch: { status: 'on_hold', onHold: true } },
      line: path('hold'),
      body: undefined,
    });
    await act({ type: 'resume' });
    expect((await act({ type: 'hold', holdMusicUrl: 'https://example.com/m.mp3' })).body).toEqual({ hold_music: 'https://example.com/m.mp3' });
  });
  it('resume, mute, unmute, hangup patch the call', async () => {
    await act({ type: 'hold' });
    expect((await act({ type: 'resume' })).out.callPatch).toEqual({ status: 'in_progress', onHold: false });
    expect((await act({ type: 'mute' })).out.callPatch).toEqual({ muted: true });
    expect((await act({ type: 'unmute' })).out.callPatch).toEqual({ muted: false });
    expect(await act({ type: 'hangup' })).toMatchObject({ out: { callPatch: { status: 'ended' } }, line: path('hangup') });
    expect(simCall.status).toBe('completed');
  });
  it('blind transfer sends the table’s fields', async () => {
    const r = await act({ type: 'transfer', destination: '+14155552673', mode: 'blind', callerId: '+14155550001' });
    expect(r.line).toBe(path('transfer'));
    expect(r.body).toEqual({ destination: '+14155552673', caller_id: '+14155550001', transfer_type: 'blind' });
    expect(simCall.to).toBe('+14155552673');
  });
  it('attended transfer adds hold_original, as the attended example does', async () => {
    const r = await act({ type: 'transfer', destination: '+14155552673', mode: 'attended' });
    expect(r.body).toEqual({ destination: '+14155552673', transfer_type: 'attended', hold_original: true });
    expect(simCall.on_hold).toBe(true);
  });
  it('conference add, then remove on the conference Audian named', async () => {
    const add = await act({ type: 'conference.add', participant: '+14155552673' });
    expect(add.body).toEqual({ participant: '+14155552673' });
    expect(add.out.detail).toContain(simCall.conference_id!);
    const rm = await act({ type: 'conference.remove', participant: '+14155552673' });
    expect(rm.line).toBe(`POST /v2/conferences/${simCall.conference_id}/participants/+14155552673/remove`);
    expect(simCall.participants).not.toContain('+14155552673');
  });
  it('conference remove without a known conference is invalid_state, sending nothing', async () => {
    expect((await refusal(connector.callAction(call, { type: 'conference.remove', participant: '+14155552673' }))).code).toBe('invalid_state');
    expect(requests()).toEqual([]);
  });
  it('play: a file, or speech with its language', async () => {
    expect((await act({ type: 'play', audioUrl: 'https://example.com/a.mp3', participant: 'both' })).body).toEqual({
      audio_url: 'https://example.com/a.mp3',
      participant: 'both',
    });
    expect((await act({ type: 'play', message: 'Hello', language: 'en-US', participant: 'callee', interrupt: false })).body).toEqual({
      message: 'Hello',
      language: 'en-US',
      participant: 'callee',
      interrupt: false,
    });
    expect(simCall.played).toHaveLength(2);
  });
  it('dtmf send maps duration and pause', async () => {
    const r = await act({ type: 'dtmf.send', digits: '12#', durationMs: 120, pauseMs: 80 });
    expect([r.line, r.body]).toEqual([path('send-dtmf'), { digits: '12#', duration: 120, pause_between: 80 }]);
  });
  it('dtmf gather returns the digits collected', async () => {
    const r = await act({ type: 'dtmf.gather', prompt: 'Press 1', maxDigits: 3, timeoutSec: 5, finishKey: '#', language: 'en-US' });
    expect(r.body).toEqual({ prompt: 'Press 1', max_digits: 3, timeout: 5, finish_key: '#', language: 'en-US' });
    expect(r.out.digits).toMatch(/^[0-9]{3}$/);
    expect((await act({ type: 'dtmf.gather' })).body).toEqual({});
  });
  it('an accepted answer without the conference id or the digits is outcome_unknown, not a failure', async () => {
    // Audian took the request (2xx): the participant is being dialled, the gather ran.
    const client = (connector as AudianConnector).client;
    vi.spyOn(client, 'conference').mockResolvedValue({ call_id: simCall.call_id } as unknown as ConferenceResponse);
    vi.spyOn(client, 'gatherDtmf').mockResolvedValue({ call_id: simCall.call_id } as unknown as GatherDtmfResponse);
    expect((await refusal(connector.callAction(call, { type: 'conference.add', participant: '+14155552673' }))).code).toBe('outcome_unknown');
    expect((await refusal(connector.monitor(call, 'barge', CTX, null))).code).toBe('outcome_unknown');
    expect((await refusal(connector.callAction(call, { type: 'dtmf.gather' }))).code).toBe('outcome_unknown');
  });
  it('vendor errors arrive with their code and message', async () => {
    const ringing = [...sim.state.live.values()].find((c) => c.status === 'ringing')!;
    const err = await refusal(connector.callAction({ ...call, vendorCallId: ringing.call_id }, { type: 'transfer', destination: '+14155552673', mode: 'blind' }));
    expect([err.code, err.vendorMessage]).toEqual(['invalid_state', 'Cannot transfer a call that is not answered']);
  });
});

describe('refusals', () => {
  it.each([
    ['recording', () => connector.callAction(call, { type: 'recording', on: true }), 'call.recording'],
    ['disposition', () => connector.callAction(call, { type: 'disposition', disposition: 'Sale', callback: false }), 'call.disposition'],
    ['agent ready', () => connector.agentAction([], { type: 'ready' }), 'agent.ready'],
    ['agent not ready', () => connector.agentAction([], { type: 'notReady', reason: 'BREAK' }), 'agent.notReady'],
    ['agent logoff', () => connector.agentAction([], { type: 'logoff' }), 'agent.logoff'],
    ['switch service', () => connector.agentAction([], { type: 'switchService', serviceId: '1' }), 'agent.switchService'],
    ['manual agent call', () => connector.manualAgentCall({ username: 'a', destination: '+14155550000', ringDuration: 30, callerId: '+14155550001' }), 'call.manualAgentCall'],
    ['services', () => connector.listServices(), 'services.list'],
    ['chat messages', () => connector.chatMessages(null), 'chat'],
    ['chat broadcast', () => connector.chatBroadcast(['a'], 'hi', true), 'chat'],
    ['chat send', () => connector.chatSend('a', 'hi'), 'chat'],
    ['chat end', () => connector.chatEnd('a'), 'chat'],
  ] as const)('%s is unsupported with its reason, sending nothing', async (_name, run, cap) => {
    const err = await refusal(run());
    const c = audianCapabilities[cap];
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe(c.supported ? '' : c.reason);
    expect(requests()).toEqual([]);
  });
  it('the factory refuses another vendor’s account', () => {
    const other: AccountConfig = { ...account(), vendor: 'exotel', accountSid: 'x', v1BaseUrl: 'http://x', v3BaseUrl: 'http://x', v1Format: 'json' } as AccountConfig;
    expect(() => createAudianConnector(other, {}, {})).toThrow(SwitchboardError);
  });
});
