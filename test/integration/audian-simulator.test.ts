// The Audian simulator itself: it refuses what the documents do not allow, in Audian's own error
// shapes, accepts every documented variant, and is deterministic and fast at scale.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AudianAccount } from '../../main/domain/account.js';
import { AudianClient } from '../../main/vendors/audian/client.js';
import { channelsToCalls } from '../../main/vendors/audian/normalise.js';
import type { SimCall } from '../../main/vendors/audian/sim-state.js';
import { createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';

const NOW = Date.UTC(2024, 0, 15, 10, 35, 0);
let sim: AudianSimulator;
let token: string;
let call: SimCall;

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'X-Auth-Token': token }) {
  const res = await fetch(`${sim.server.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

beforeEach(async () => {
  sim = createAudianSimulator({ seed: 3, calls: 8, now: () => NOW });
  await sim.start();
  const auth = await send('PUT', '/v2/api_auth', { data: { api_key: sim.credentials.apiKey } }, {});
  token = (auth.body as { auth_token: string }).auth_token;
  for (const c of sim.state.live.values()) if (c.status === 'answered') call = c;
});
afterEach(async () => {
  await sim.stop();
});

describe('refusing deviations', () => {
  const unauthorized = { error: '401', message: 'unauthorized', status: 'error' };

  it('without auth, with a bad token, or after expiry: Kazoo 401', async () => {
    expect(await send('GET', `/v2/calls/${call.call_id}`, undefined, {})).toEqual({ status: 401, body: unauthorized });
    expect(await send('GET', `/v2/calls/${call.call_id}`, undefined, { 'X-Auth-Token': 'forged' })).toEqual({ status: 401, body: unauthorized });
    expect((await send('GET', `/v2/calls/${call.call_id}`, undefined, { Authorization: `Bearer ${token}` })).status).toBe(200);
    sim.server.injectFault({ kind: 'expire_auth' });
    expect(await send('GET', `/v2/calls/${call.call_id}`)).toEqual({ status: 401, body: unauthorized });
  });
  it('a login body not shaped {"data":{"api_key"}}', async () => {
    expect((await send('PUT', '/v2/api_auth', { api_key: sim.credentials.apiKey }, {})).status).toBe(400);
    expect((await send('PUT', '/v2/api_auth', { data: { apikey: sim.credentials.apiKey } }, {})).status).toBe(400);
    expect((await send('POST', '/v2/api_auth', { data: { api_key: sim.credentials.apiKey } }, {})).status).toBe(405);
  });
  it('another account’s channels: Kazoo 403', async () => {
    expect(await send('GET', '/v2/accounts/someone-else/channels')).toEqual({ status: 403, body: { error: '403', message: 'forbidden', status: 'error' } });
  });
  it('wrong method and unknown path in the action error shape', async () => {
    expect(await send('GET', `/v2/calls/${call.call_id}/hold`)).toMatchObject({ status: 405, body: { error: 'method_not_allowed', code: 405 } });
    expect(await send('POST', `/v2/calls/${call.call_id}/pause`)).toMatchObject({ status: 404, body: { error: 'not_found', code: 404 } });
  });
  it.each([
    ['misspelled field', 'transfer', { destinaton: '+14155552673' }, 'Unknown field: destinaton'],
    ['missing required field', 'transfer', { transfer_type: 'blind' }, 'Missing required field: destination'],
    ['bad enum', 'transfer', { destination: '+14155552673', transfer_type: 'warm' }, 'Field transfer_type must be one of: blind, attended'],
    ['wrong type', 'transfer', { destination: '+14155552673', hold_original: 'yes' }, 'Field hold_original must be a boolean'],
    ['body on a body-less action', 'mute', { participant: 'caller' }, 'Unknown field: participant'],
    ['both audio and speech', 'play-audio', { audio_url: 'https://x/a.mp3', message: 'hi' }, 'Give either audio_url or message'],
    ['bad participant', 'play-audio', { message: 'hi', participant: 'everyone' }, 'Field participant must be one of: caller, callee, both'],
    ['string max_digits', 'gather-dtmf', { max_digits: '1' }, 'Field max_digits must be an integer'],
    ['bad finish key', 'gather-dtmf', { finish_key: '##' }, 'Field finish_key must be one key'],
    ['bad digits', 'send-dtmf', { digits: '12x' }, 'Field digits must be DTMF digits'],
    ['conference without participant', 'conference', {}, 'Missing required field: participant'],
    ['not JSON', 'hold', '{hold_music:', 'Request body is not a JSON object'],
  ])('%s → 400', async (_name, action, body, message) => {
    expect(await send('POST', `/v2/calls/${call.call_id}/${action}`, body)).toEqual({ status: 400, body: { error: 'invalid_request', message, code: 400 } });
  });
  it('accepts {} on a body-less action, as the Node example sends for hold', async () => {
    expect((await send('POST', `/v2/calls/${call.call_id}/hold`, {})).status).toBe(200);
  });
});

describe('documented variants', () => {
  it('removes a participant by /disconnect as well as /remove', async () => {
    const conf = await send('POST', `/v2/calls/${call.call_id}/conference`, { participant: '+14155552673' });
    const id = (conf.body as { conference_id: string }).conference_id;
    await send('POST', `/v2/calls/${call.call_id}/conference`, { participant: '+14155552674' });
    expect((await send('POST', `/v2/conferences/${id}/participants/+14155552673/disconnect`)).status).toBe(200);
    expect((await send('POST', `/v2/conferences/${id}/participants/%2B14155552674/remove`)).status).toBe(200);
    expect(call.participants).toEqual([call.from, call.to]);
  });
  it('ends the conference with the call', async () => {
    const conf = await send('POST', `/v2/calls/${call.call_id}/conference`, { participant: '+14155552673' });
    const id = (conf.body as { conference_id: string }).conference_id;
    await send('POST', `/v2/calls/${call.call_id}/hangup`);
    expect(await send('POST', `/v2/conferences/${id}/participants/+14155552673/remove`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
  it('sends a malformed body when asked to', async () => {
    sim.server.injectFault({ kind: 'malformed', times: 1 });
    const res = await fetch(`${sim.server.baseUrl}/v2/calls/${call.call_id}`, { headers: { 'X-Auth-Token': token } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
  it('gives account settings the schema accepts', () => {
    expect(AudianAccount.parse({ ...sim.accountSettings(), id: 'a', label: 'A' })).toMatchObject({ baseUrl: sim.server.baseUrl, authHeader: 'x-auth-token' });
  });
});

describe('determinism and live traffic', () => {
  const snapshot = (s: AudianSimulator) => JSON.stringify(s.state.channels());

  it('the same seed gives the same scenario and the same ticks; another seed does not', () => {
    const a = createAudianSimulator({ seed: 42, calls: 50, now: () => NOW });
    const b = createAudianSimulator({ seed: 42, calls: 50, now: () => NOW });
    const c = createAudianSimulator({ seed: 43, calls: 50, now: () => NOW });
    expect(snapshot(a)).toBe(snapshot(b));
    expect(snapshot(a)).not.toBe(snapshot(c));
    for (let i = 0; i < 40; i++) {
      a.tick();
      b.tick();
    }
    expect(snapshot(a)).toBe(snapshot(b));
  });
  it('ticks move calls through their lives and keep the population near the seeded size', () => {
    const s = createAudianSimulator({ seed: 9, calls: 40, now: () => NOW });
    const before = new Map([...s.state.live.values()].map((c) => [c.call_id, { ...c }]));
    const seen = { arrived: 0, answered: 0, held: 0, ended: 0, transferred: 0 };
    for (let i = 0; i < 60; i++) s.tick();
    const after = new Map([...s.state.live.values()].map((c) => [c.call_id, c]));
    for (const [id, c] of after) {
      const old = before.get(id);
      if (!old) seen.arrived++;
      else {
        if (old.status === 'ringing' && c.status === 'answered') seen.answered++;
        if (old.on_hold !== c.on_hold) seen.held++;
        if (old.to !== c.to) seen.transferred++;
      }
    }
    for (const id of before.keys()) if (!after.has(id)) seen.ended++;
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
    expect(s.counts().calls).toBeGreaterThan(20);
    expect(s.counts().calls).toBeLessThan(80);
    expect(s.counts().agents).toBe(0);
  });
});

describe('scale', () => {
  it('lists 10,000 calls quickly, and again after a change', async () => {
    const big = createAudianSimulator({ seed: 1, calls: 10_000, agents: 5_000 });
    await big.start();
    try {
      const client = new AudianClient({ baseUrl: big.server.baseUrl, authHeader: 'x-auth-token' }, big.credentials, {});
      const t0 = performance.now();
      expect(channelsToCalls('a', await client.listChannels())).toHaveLength(10_000);
      big.tick();
      expect(channelsToCalls('a', await client.listChannels()).length).toBe(big.counts().calls);
      expect(performance.now() - t0).toBeLessThan(3_000);
    } finally {
      await big.stop();
    }
  });
});
