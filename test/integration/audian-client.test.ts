// Every Audian endpoint through AudianClient against the simulator over loopback HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Secrets } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { AudianClient } from '../../main/vendors/audian/client.js';
import { channelsToCalls } from '../../main/vendors/audian/normalise.js';
import { SIM_ACCOUNT_ID } from '../../main/vendors/audian/sim-state.js';
import { UNREACHABLE_DESTINATION, createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';
import type { SimCall } from '../../main/vendors/audian/sim-state.js';

const NOW = Date.UTC(2024, 0, 15, 10, 35, 0);
let sim: AudianSimulator;
let client: AudianClient;

function makeClient(authHeader: 'x-auth-token' | 'bearer' = 'x-auth-token', secrets: Secrets = sim.credentials): AudianClient {
  return new AudianClient({ baseUrl: sim.server.baseUrl, authHeader }, secrets, { timeoutMs: 2000, sleep: async () => {} });
}
function callWhere(pred: (c: SimCall) => boolean): SimCall {
  for (const c of sim.state.live.values()) if (pred(c)) return c;
  throw new Error('no such call in the scenario');
}
const answered = () => callWhere((c) => c.status === 'answered' && !c.on_hold);
const ringing = () => callWhere((c) => c.status === 'ringing');
async function rejected(p: Promise<unknown>): Promise<SwitchboardError> {
  const err: unknown = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchboardError);
  return err as SwitchboardError;
}
const posts = (path: string) => sim.server.log.filter((r) => r.method === 'POST' && r.path === path);

beforeEach(async () => {
  sim = createAudianSimulator({ seed: 11, calls: 30, now: () => NOW });
  await sim.start();
  client = makeClient();
});
afterEach(async () => {
  await sim.stop();
});

describe('auth: PUT /v2/api_auth', () => {
  it('logs in with {"data":{"api_key"}} and learns the account id', async () => {
    expect(await client.login()).toEqual({ accountId: SIM_ACCOUNT_ID });
    const [req] = sim.server.log;
    expect(`${req?.method} ${req?.path}`).toBe('PUT /v2/api_auth');
    expect(JSON.parse(req?.body ?? '')).toEqual({ data: { api_key: sim.credentials.apiKey } });
  });
  it('refuses a wrong key as auth_failed without repeating the key', async () => {
    const err = await rejected(makeClient('x-auth-token', { apiKey: 'wrong-key-123' }).listChannels());
    expect(err.code).toBe('auth_failed');
    expect(err.vendorMessage).toBe('invalid credentials');
    expect(JSON.stringify(err.toInfo())).not.toContain('wrong-key-123');
  });
  it('says not_configured without a request when the account has no key', async () => {
    expect((await rejected(makeClient('x-auth-token', {}).listChannels())).code).toBe('not_configured');
    expect(sim.server.log).toHaveLength(0);
  });
  it('sends X-Auth-Token by default and Authorization: Bearer when the account says so', async () => {
    await client.listChannels();
    await makeClient('bearer').listChannels();
    const gets = sim.server.log.filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.status)).toEqual([200, 200]);
    expect(gets[0]?.headers['x-auth-token']).toMatch(/.+/);
    expect(gets[0]?.headers.authorization).toBeUndefined();
    expect(gets[1]?.headers.authorization).toMatch(/^Bearer .+/);
    expect(gets[1]?.headers['x-auth-token']).toBeUndefined();
  });
  it('shares one login between parallel first requests', async () => {
    await Promise.all([client.listChannels(), client.callStatus(answered().call_id), client.listChannels()]);
    expect(sim.server.calls(/api_auth/)).toHaveLength(1);
  });
});

describe('GET /v2/accounts/{account_id}/channels', () => {
  it('lists the live calls (Kazoo envelope)', async () => {
    const body = await client.listChannels();
    expect(sim.server.calls(/channels/)).toEqual([`GET /v2/accounts/${SIM_ACCOUNT_ID}/channels`]);
    const calls = channelsToCalls('acc', body);
    expect(calls).toHaveLength(30);
    const c = answered();
    expect(calls.find((x) => x.vendorCallId === c.call_id)).toMatchObject({ from: c.from, to: c.to, status: 'in_progress', direction: c.direction });
    expect(calls.every((x) => x.startedAt !== null && Math.abs(x.startedAt - NOW) < 3_600_000)).toBe(true);
  });
  it('accepts the bare array NOTES.md shows', async () => {
    sim.state.channelsWrapped = false;
    const body = await client.listChannels();
    expect(Array.isArray(body)).toBe(true);
    expect(channelsToCalls('acc', body)).toHaveLength(30);
  });
});

describe('GET /v2/calls/{id}', () => {
  it('answers the documented status', async () => {
    const c = answered();
    expect(await client.callStatus(c.call_id)).toMatchObject({
      call_id: c.call_id,
      status: 'answered',
      from: c.from,
      to: c.to,
      muted: false,
      on_hold: false,
      recording_active: c.recording_active,
    });
  });
  it('maps the not_found body, keeping the vendor message', async () => {
    const err = await rejected(client.callStatus('call_nope'));
    expect([err.code, err.vendorMessage]).toEqual(['not_found', 'Call not found']);
  });
});

describe('POST /v2/calls/{id}/transfer', () => {
  it('blind: changes the far party', async () => {
    const c = answered();
    const res = await client.transfer(c.call_id, { destination: '+14155552673', transfer_type: 'blind' });
    expect(res).toMatchObject({ call_id: c.call_id, status: 'transferred', transfer_to: '+14155552673' });
    expect([c.to, c.on_hold, c.lastTransfer?.transfer_type]).toEqual(['+14155552673', false, 'blind']);
  });
  it('attended with hold_original: holds the original call', async () => {
    const c = answered();
    await client.transfer(c.call_id, { destination: '+14155552673', transfer_type: 'attended', hold_original: true, caller_id: '+14155550000' });
    expect([c.to, c.on_hold, c.lastTransfer?.caller_id]).toEqual(['+14155552673', true, '+14155550000']);
  });
  it('refuses an unanswered call as invalid_state', async () => {
    const c = ringing();
    const err = await rejected(client.transfer(c.call_id, { destination: '+14155552673' }));
    expect([err.code, err.vendorMessage]).toEqual(['invalid_state', 'Cannot transfer a call that is not answered']);
  });
  it('reports transfer_failed as action_failed, sent once', async () => {
    const c = answered();
    const before = c.to;
    const err = await rejected(client.transfer(c.call_id, { destination: UNREACHABLE_DESTINATION }));
    expect([err.code, err.vendorMessage]).toEqual(['action_failed', 'Transfer destination is not available']);
    expect(posts(`/v2/calls/${c.call_id}/transfer`)).toHaveLength(1);
    expect(c.to).toBe(before);
  });
  it('refuses an unknown call as not_found', async () => {
    expect((await rejected(client.transfer('call_gone', { destination: '+14155552673' }))).code).toBe('not_found');
  });
});

describe('hold, resume, mute, unmute', () => {
  it('hold without a body, then resume', async () => {
    const c = answered();
    expect(await client.hold(c.call_id)).toMatchObject({ status: 'held' });
    expect(posts(`/v2/calls/${c.call_id}/hold`)[0]?.body).toBe('');
    expect(c.on_hold).toBe(true);
    expect(await client.callStatus(c.call_id)).toMatchObject({ on_hold: true });
    expect(await client.resume(c.call_id)).toMatchObject({ status: 'resumed' });
    expect(c.on_hold).toBe(false);
  });
  it('hold with hold music', async () => {
    const c = answered();
    await client.hold(c.call_id, { hold_music: 'https://example.com/hold-music.mp3' });
    expect(c.hold_music).toBe('https://example.com/hold-music.mp3');
  });
  it('resume on a call not on hold is invalid_state', async () => {
    expect((await rejected(client.resume(answered().call_id))).code).toBe('invalid_state');
  });
  it('mute and unmute', async () => {
    const c = answered();
    expect(await client.mute(c.call_id)).toMatchObject({ muted: true });
    expect(c.muted).toBe(true);
    expect(await client.unmute(c.call_id)).toMatchObject({ muted: false });
    expect(c.muted).toBe(false);
  });
});

describe('play-audio, gather-dtmf, send-dtmf', () => {
  it('plays a file or speaks a message', async () => {
    const c = answered();
    await client.playAudio(c.call_id, { audio_url: 'https://example.com/message.mp3', participant: 'both' });
    await client.playAudio(c.call_id, { message: 'Thank you for your patience.', language: 'en-US', participant: 'callee', interrupt: true });
    expect(c.played).toEqual([
      { audio_url: 'https://example.com/message.mp3', participant: 'both' },
      { message: 'Thank you for your patience.', language: 'en-US', participant: 'callee', interrupt: true },
    ]);
  });
  it('gathers as many digits as asked, deterministically from the seed', async () => {
    const c = answered();
    const one = await client.gatherDtmf(c.call_id, { prompt: 'Press 1 for billing', max_digits: 4, timeout: 10, finish_key: '#', language: 'en-US' });
    expect(one).toMatchObject({ call_id: c.call_id, input_type: 'dtmf' });
    const digits = 'data' in one ? '' : one.digits_collected;
    expect(digits).toMatch(/^[0-9]{4}$/);

    const twin = createAudianSimulator({ seed: 11, calls: 30, now: () => NOW });
    await twin.start();
    try {
      const twinClient = new AudianClient({ baseUrl: twin.server.baseUrl, authHeader: 'x-auth-token' }, twin.credentials, {});
      const again = await twinClient.gatherDtmf(c.call_id, { max_digits: 4 });
      expect('data' in again ? '' : again.digits_collected).toBe(digits);
    } finally {
      await twin.stop();
    }
  });
  it('sends digits', async () => {
    const c = answered();
    await client.sendDtmf(c.call_id, { digits: '1234', duration: 100, pause_between: 100 });
    expect(c.dtmfSent).toEqual(['1234']);
  });
});

describe('conference and participant removal', () => {
  it('adds a participant, then removes it by number with a literal +', async () => {
    const c = answered();
    const res = await client.conference(c.call_id, { participant: '+14155552673' });
    if ('data' in res) throw new Error('expected a bare body');
    expect(res.participants).toEqual([c.from, c.to, '+14155552673']);
    await client.removeParticipant(res.conference_id, '+14155552673');
    expect(sim.server.calls(/remove/)).toEqual([`POST /v2/conferences/${res.conference_id}/participants/+14155552673/remove`]);
    expect(c.participants).toEqual([c.from, c.to]);
    expect((await rejected(client.removeParticipant(res.conference_id, '+14155552673'))).code).toBe('not_found');
    expect((await rejected(client.removeParticipant('conf_none', '+14155552673'))).code).toBe('not_found');
  });
});

describe('POST /v2/calls/{id}/hangup', () => {
  it('ends the call: gone from the channel list, later actions refused', async () => {
    const c = answered();
    expect(await client.hangup(c.call_id)).toMatchObject({ status: 'completed' });
    expect(channelsToCalls('acc', await client.listChannels()).some((x) => x.vendorCallId === c.call_id)).toBe(false);
    expect(await client.callStatus(c.call_id)).toMatchObject({ status: 'completed' });
    expect((await rejected(client.hold(c.call_id))).code).toBe('invalid_state');
  });
});
