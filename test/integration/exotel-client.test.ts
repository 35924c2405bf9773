// Every Exotel endpoint through ExotelClient against the simulator over loopback, in both v1
// formats, with the documented errors and every injected fault.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExotelAccount } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { ExotelClient, type ExotelClientOptions } from '../../main/vendors/exotel/client.js';
import type { SimCall } from '../../main/vendors/exotel/sim-state.js';
import { createExotelSimulator, type ExotelSimulator } from '../../main/vendors/exotel/simulator.js';

const NOW = Date.UTC(2024, 5, 15, 10, 40);
let sim: ExotelSimulator;
let waits: number[];

function client(v1Format: 'json' | 'xml' = 'json', opts: ExotelClientOptions = {}, secrets = sim.credentials): ExotelClient {
  const account = ExotelAccount.parse({ id: 'exo', label: 'Exotel', ...sim.accountSettings(), v1Format });
  return new ExotelClient(account, secrets, { timeoutMs: 250, maxReadRetries: 2, sleep: async (ms) => void waits.push(ms), ...opts });
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

/** A connected inbound call: customer leg + agent leg. */
function liveInbound(): SimCall {
  const c = sim.state.addCall(NOW - 60_000, 'inbound');
  expect(sim.state.answer(c)).toBe(true);
  return c;
}
const agentLegOf = (c: SimCall) => c.legs.find((l) => l.number === c.agent?.phone)!;
const count = (re: RegExp) => sim.server.calls(re).length;

beforeEach(async () => {
  sim = createExotelSimulator({ seed: 11, calls: 45, now: () => NOW });
  await sim.start();
  waits = [];
});
afterEach(async () => {
  await sim.stop();
});

describe('v3 GET /v3/accounts/<sid>/calls/active', () => {
  it('returns one page with the documented envelope fields and sends the documented query', async () => {
    const page = await client().activeCallsPage({ limit: 5, offset: 10 });
    expect(page.active_calls).toHaveLength(5);
    expect(page.total_active).toBe(45);
    expect(page.active_calls[0]!.call_sid).toBe(sim.state.list()[10]!.sid);
    const req = sim.server.log.at(-1)!;
    expect(req.path).toBe(`/v3/accounts/${sim.state.accountSid}/calls/active`);
    expect(req.query).toEqual({ limit: '5', offset: '10' });
    expect(req.headers.authorization).toMatch(/^Basic /);
  });

  it('pages with limit/offset until total_active rows are read', async () => {
    const rows = await client('json', { pageSize: 20 }).allActiveCalls();
    expect(rows.map((r) => r.call_sid)).toEqual(sim.state.list().map((c) => c.sid));
    expect(sim.server.log.map((r) => r.query.offset)).toEqual(['0', '20', '40']);
  });

  it('filters by agent_id and direction', async () => {
    const withAgent = sim.state.list().find((c) => c.agent)!;
    const byAgent = await client().allActiveCalls({ agent_id: withAgent.agent!.userId });
    expect(byAgent.map((r) => r.call_sid)).toEqual([withAgent.sid]);
    const outbound = await client().allActiveCalls({ direction: 'outbound' });
    expect(outbound.length).toBe(sim.state.list().filter((c) => c.direction === 'outbound-api').length);
    expect(outbound.every((r) => r.direction === 'outbound-api')).toBe(true);
    expect(sim.server.log.at(-1)!.query.direction).toBe('outbound');
  });

  it('refuses bad credentials (auth_failed) and missing ones (not_configured, nothing sent)', async () => {
    const bad = await failure(client('json', {}, { apiKey: 'k', apiToken: 'wrong' }).activeCallsPage());
    expect(bad.code).toBe('auth_failed');
    expect(bad.message).not.toContain('wrong');
    sim.server.clearLog();
    expect((await failure(client('json', {}, {}).activeCallsPage())).code).toBe('not_configured');
    expect(sim.server.log).toHaveLength(0);
  });
});

describe('v3 GET /v3/accounts/<sid>/calls/<call_sid>/stream', () => {
  it('returns legs with audio status, bridge and recording', async () => {
    const c = liveInbound();
    agentLegOf(c).muted = true;
    const s = await client().stream(c.sid);
    expect(s.call_sid).toBe(c.sid);
    expect(s.legs?.map((l) => [l.contact_uri, l.audio_status?.muted])).toEqual([
      [c.from, false],
      [c.agent!.phone, true],
    ]);
    expect(s.bridge?.bridge_sid).toBe(c.bridge!.sid);
    expect(s.recording?.enabled).toBe(c.recording);
  });

  it('answers an unknown call with not_found and the vendor message', async () => {
    const e = await failure(client().stream('nope'));
    expect(e.code).toBe('not_found');
    expect(e.vendorMessage).toMatch(/not found/i);
  });
});

describe.each(['json', 'xml'] as const)('v1 legs API, %s', (format) => {
  const ext = format === 'json' ? '.json' : '';

  it('GET ActiveLegs lists the call legs', async () => {
    const c = liveInbound();
    const legs = await client(format).activeLegs(c.sid);
    expect(legs.map((l) => [l.Sid, l.Origin, l.PhoneNumber, l.LastAction])).toEqual([
      [c.legs[0]!.sid, 'inbound', c.from, ''],
      [agentLegOf(c).sid, 'outbound-dial', c.agent!.phone, ''],
    ]);
    expect(legs[0]!.DateCreated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(sim.server.log.at(-1)!.path).toBe(`/v1/Accounts/${sim.state.accountSid}/Calls/${c.sid}/ActiveLegs${ext}`);
    expect(sim.server.log.at(-1)!.query).toEqual({});
  });

  it('GET ActiveLegs on a call not in progress: 404 "Given callSID is not in-progress"', async () => {
    const ringing = sim.state.addCall(NOW, 'inbound');
    const e = await failure(client(format).activeLegs(ringing.sid));
    expect(e).toMatchObject({ code: 'invalid_state', vendorMessage: 'Given callSID is not in-progress' });
    expect(sim.server.log.at(-1)!.status).toBe(404);
  });

  it('POST Legs creates a monitor leg that ActiveLegs then shows with EndUserNumber', async () => {
    const c = liveInbound();
    const target = agentLegOf(c).sid;
    const leg = await client(format).createLeg(c.sid, { Action: 'listen', TargetLegSid: target, PhoneNumber: '+919111111111' });
    expect(leg).toMatchObject({ Origin: 'monitor', LastAction: 'listen', PhoneNumber: '+919111111111', Status: 'in-progress' });
    expect(leg.StartTime).toMatch(/^\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}$/);
    const req = sim.server.log.at(-1)!;
    expect(`${req.method} ${req.path}`).toBe(`POST /v1/Accounts/${sim.state.accountSid}/Calls/${c.sid}/Legs${ext}`);
    expect(JSON.parse(req.body)).toEqual({ Action: 'listen', TargetLegSid: target, PhoneNumber: '+919111111111' });
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    const listed = (await client(format).activeLegs(c.sid)).find((l) => l.Sid === leg.Sid)!;
    expect(listed).toMatchObject({ Origin: 'monitor', LastAction: 'listen', EndUserNumber: '+919111111111' });
    expect(listed.PhoneNumber).toBeUndefined();
  });

  it('POST Legs accepts every field of the document sample, including TargetLegSid ""', async () => {
    const c = liveInbound();
    const leg = await client(format).createLeg(c.sid, {
      Action: 'barge',
      TargetLegSid: '',
      PhoneNumber: '+919111111111',
      StatusCallback: '',
      CustomField: 'LegsCustom',
      StatusCallbackContentType: 'application/json',
      'StatusCallbackEvents[0]': 'terminal',
    });
    expect(leg.LastAction).toBe('barge');
  });

  it('POST Legs with a bad phone: 400 "Invalid Parameter: PhoneNumber is missing or invalid"', async () => {
    const c = liveInbound();
    const e = await failure(client(format).createLeg(c.sid, { Action: 'listen', TargetLegSid: agentLegOf(c).sid, PhoneNumber: 'call me' }));
    expect(e).toMatchObject({ code: 'invalid_input', vendorMessage: 'Invalid Parameter: PhoneNumber is missing or invalid' });
    expect(c.legs.some((l) => l.origin === 'monitor')).toBe(false);
  });

  it('PUT Legs/<LegSid> {"Action":"barge"} upgrades the monitor leg in place', async () => {
    const c = liveInbound();
    const leg = sim.state.addMonitorLeg(c, 'listen', '+919111111111');
    const up = await client(format).upgradeLeg(c.sid, leg.sid, 'barge');
    expect(up).toMatchObject({ Sid: leg.sid, LastAction: 'barge' });
    expect(leg.lastAction).toBe('barge');
    const req = sim.server.log.at(-1)!;
    expect(`${req.method} ${req.path}`).toBe(`PUT /v1/Accounts/${sim.state.accountSid}/Calls/${c.sid}/Legs/${leg.sid}${ext}`);
    expect(JSON.parse(req.body)).toEqual({ Action: 'barge' });
  });

  it('PUT on a leg that is gone: 404 "Given legSID does not exist"', async () => {
    const c = liveInbound();
    const e = await failure(client(format).upgradeLeg(c.sid, 'gone', 'whisper'));
    expect(e.code).toBe('not_found');
    expect(e.vendorMessage).toMatch(/^Given legSID does not exist/);
  });

  it('PUT Legs/<LegSid> {"Action":"hangup"} removes exactly that leg', async () => {
    const c = liveInbound();
    const mine = sim.state.addMonitorLeg(c, 'whisper', '+919111111111');
    const theirs = sim.state.addMonitorLeg(c, 'listen', '+919222222222');
    await client(format).hangupLeg(c.sid, mine.sid);
    expect(JSON.parse(sim.server.log.at(-1)!.body)).toEqual({ Action: 'hangup' });
    expect((await client(format).activeLegs(c.sid)).map((l) => l.Sid)).toEqual([c.legs[0]!.sid, agentLegOf(c).sid, theirs.sid]);
  });
});

describe('faults', () => {
  it('latency beyond the timeout: reads time out (after retries), then recover', async () => {
    sim.server.injectFault({ kind: 'latency', ms: 600, times: 3, match: /calls\/active/ });
    expect((await failure(client().activeCallsPage())).code).toBe('timeout');
    expect(count(/calls\/active/)).toBe(3);
    expect((await client().activeCallsPage()).total_active).toBe(45);
  });

  it('latency on an action: outcome_unknown, sent once', async () => {
    const c = liveInbound();
    sim.server.injectFault({ kind: 'latency', ms: 600, times: 1, match: /^POST/ });
    const e = await failure(client().createLeg(c.sid, { Action: 'listen', TargetLegSid: agentLegOf(c).sid, PhoneNumber: '+919111111111' }));
    expect(e.code).toBe('outcome_unknown');
    expect(count(/^POST/)).toBe(1);
  });

  it('429 with Retry-After: waits as asked, then succeeds', async () => {
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 3, times: 1 });
    const c = liveInbound();
    expect(await client().activeLegs(c.sid)).toHaveLength(2);
    expect(waits).toEqual([3000]);
    expect(sim.server.log.map((r) => r.status)).toEqual([429, 200]);
  });

  it('429 on an action is reported, not retried', async () => {
    const c = liveInbound();
    sim.server.injectFault({ kind: 'status', status: 429, retryAfterSec: 1, times: 1 });
    expect((await failure(client().upgradeLeg(c.sid, 'x', 'barge'))).code).toBe('rate_limited');
    expect(count(/^PUT/)).toBe(1);
  });

  it.each([500, 503])('%i on reads is retried and recovers; persistent, it surfaces as vendor_unavailable', async (status) => {
    sim.server.injectFault({ kind: 'status', status, times: 1 });
    await expect(client().activeCallsPage()).resolves.toBeTruthy();
    sim.server.injectFault({ kind: 'status', status });
    expect((await failure(client().stream('x'))).code).toBe('vendor_unavailable');
    expect(count(/stream$/)).toBe(3);
    sim.server.clearFaults();
    expect((await failure(client().stream('x'))).code).toBe('not_found');
  });

  it('500 on an action: outcome_unknown; 503: vendor_unavailable; each sent once', async () => {
    const c = liveInbound();
    const body = { Action: 'listen', TargetLegSid: agentLegOf(c).sid, PhoneNumber: '+919111111111' } as const;
    sim.server.injectFault({ kind: 'status', status: 500, times: 1 });
    expect((await failure(client().createLeg(c.sid, body))).code).toBe('outcome_unknown');
    sim.server.injectFault({ kind: 'status', status: 503, times: 1 });
    expect((await failure(client().createLeg(c.sid, body))).code).toBe('vendor_unavailable');
    expect(count(/^POST/)).toBe(2);
    expect(c.legs.some((l) => l.origin === 'monitor')).toBe(false);
  });

  it('dropped connection: reads retry and recover; actions are outcome_unknown, sent once', async () => {
    const c = liveInbound();
    sim.server.injectFault({ kind: 'drop', times: 1 });
    expect(await client().activeLegs(c.sid)).toHaveLength(2);
    expect(sim.server.log.map((r) => r.status)).toEqual([-1, 200]);
    sim.server.injectFault({ kind: 'drop', times: 1 });
    expect((await failure(client().hangupLeg(c.sid, agentLegOf(c).sid))).code).toBe('outcome_unknown');
    expect(count(/^PUT/)).toBe(1);
    sim.server.injectFault({ kind: 'drop' });
    expect((await failure(client().activeLegs(c.sid))).code).toBe('network');
  });

  it.each([
    ['v3 JSON', 'json', (cl: ExotelClient) => cl.activeCallsPage()],
    ['v1 JSON', 'json', (cl: ExotelClient) => cl.activeLegs(sim.state.list().find((c) => c.status === 'in-progress')!.sid)],
    ['v1 XML', 'xml', (cl: ExotelClient) => cl.activeLegs(sim.state.list().find((c) => c.status === 'in-progress')!.sid)],
  ] as const)('malformed %s body → bad_response, then recovers', async (_n, format, call) => {
    sim.server.injectFault({ kind: 'malformed', times: 1 });
    expect((await failure(call(client(format)))).code).toBe('bad_response');
    await expect(call(client(format))).resolves.toBeTruthy();
  });

  it('malformed 2xx answer to an action → outcome_unknown (it was probably applied), not resent', async () => {
    const c = liveInbound();
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /^POST/ });
    const e = await failure(client('xml').createLeg(c.sid, { Action: 'whisper', TargetLegSid: agentLegOf(c).sid, PhoneNumber: '+919111111111' }));
    expect(e.code).toBe('outcome_unknown');
    expect(count(/^POST/)).toBe(1);
    sim.server.injectFault({ kind: 'malformed', times: 1, match: /^PUT/ });
    expect((await failure(client('json').upgradeLeg(c.sid, agentLegOf(c).sid, 'barge'))).code).toBe('outcome_unknown');
    expect(count(/^PUT/)).toBe(1);
  });

  it('expired auth: the 401 is absorbed by sending the Basic credentials again', async () => {
    const c = liveInbound();
    const cl = client();
    sim.server.injectFault({ kind: 'expire_auth' });
    expect(await cl.activeLegs(c.sid)).toHaveLength(2);
    expect(sim.server.log.map((r) => r.status)).toEqual([401, 200]);
    sim.server.clearLog();
    sim.server.injectFault({ kind: 'expire_auth' });
    const leg = await cl.createLeg(c.sid, { Action: 'listen', TargetLegSid: agentLegOf(c).sid, PhoneNumber: '+919111111111' });
    expect(leg.Origin).toBe('monitor');
    // Refused before acting, then sent once more: exactly one monitor leg exists.
    expect(sim.server.log.map((r) => r.status)).toEqual([401, 200]);
    expect(c.legs.filter((l) => l.origin === 'monitor')).toHaveLength(1);
  });
});

describe('simulator refuses what the documents do not show', () => {
  const auth = () => ({ Authorization: `Basic ${Buffer.from(`${sim.credentials.apiKey}:${sim.credentials.apiToken}`).toString('base64')}` });
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { ...auth(), 'Content-Type': 'application/json' }) => {
    const res = await fetch(`${sim.server.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, text: await res.text() };
  };
  const v1 = (c: SimCall, rest: string) => `/v1/Accounts/${sim.state.accountSid}/Calls/${c.sid}/${rest}`;

  it('bad or missing Basic auth: 401 RestException in the requested format', async () => {
    const c = liveInbound();
    const xml = await send('GET', v1(c, 'ActiveLegs'), undefined, {});
    expect(xml.status).toBe(401);
    expect(xml.text).toContain('<RestException><Status>401</Status>');
    const json = await send('GET', v1(c, 'ActiveLegs.json'), undefined, { Authorization: 'Basic Zm9vOmJhcg==' });
    expect(JSON.parse(json.text)).toEqual({ RestException: { Status: 401, Message: expect.any(String) } });
    const v3 = await send('GET', `/v3/accounts/${sim.state.accountSid}/calls/active`, undefined, {});
    expect(JSON.parse(v3.text)).toMatchObject({ http_code: 401, response: { status: 'failure' } });
  });

  it('another account sid: 403', async () => {
    expect((await send('GET', '/v3/accounts/other/calls/active')).status).toBe(403);
  });

  it('wrong method, wrong case, unknown query: refused', async () => {
    const c = liveInbound();
    expect((await send('GET', v1(c, 'Legs.json'))).status).toBe(405);
    expect((await send('POST', v1(c, 'ActiveLegs.json'), {})).status).toBe(405);
    expect((await send('GET', `/v1/accounts/${sim.state.accountSid}/calls/${c.sid}/ActiveLegs.json`)).status).toBe(404);
    expect((await send('GET', `/v3/accounts/${sim.state.accountSid}/calls/active?page=2`)).status).toBe(400);
    expect((await send('GET', `/v3/accounts/${sim.state.accountSid}/calls/active?direction=outbound-api`)).status).toBe(400);
    expect((await send('GET', `/v3/accounts/${sim.state.accountSid}/calls/active?limit=0`)).status).toBe(400);
  });

  it('misspelled, unknown, missing or out-of-range body fields: 400', async () => {
    const c = liveInbound();
    const target = agentLegOf(c).sid;
    const ok = { Action: 'listen', TargetLegSid: target, PhoneNumber: '+919111111111' };
    expect((await send('POST', v1(c, 'Legs.json'), { ...ok, Actoin: 'listen' })).status).toBe(400);
    expect((await send('POST', v1(c, 'Legs.json'), { ...ok, Action: 'spy' })).status).toBe(400);
    expect((await send('POST', v1(c, 'Legs.json'), { Action: 'listen', PhoneNumber: '+919111111111' })).status).toBe(400);
    expect((await send('POST', v1(c, 'Legs.json'), { ...ok, TargetLegSid: 'not-a-leg' })).status).toBe(400);
    expect((await send('POST', v1(c, 'Legs.json'), { ...ok, 'StatusCallbackEvents[0]': 'answered' })).status).toBe(400);
    const form = await send('POST', v1(c, 'Legs.json'), undefined, { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    const leg = sim.state.addMonitorLeg(c, 'whisper', '+919111111111');
    expect((await send('PUT', v1(c, `Legs/${leg.sid}.json`), { Action: 'barge', PhoneNumber: '+91' })).status).toBe(400);
    expect((await send('PUT', v1(c, `Legs/${leg.sid}.json`), { Action: 'mute' })).status).toBe(400);
    // Only upgrades are documented; a step down is refused.
    expect((await send('PUT', v1(c, `Legs/${leg.sid}.json`), { Action: 'listen' })).status).toBe(400);
    expect((await send('PUT', v1(c, `Legs/${target}.json`), { Action: 'barge' })).status).toBe(400);
    expect(c.legs.filter((l) => l.origin === 'monitor').map((l) => l.lastAction)).toEqual(['whisper']);
  });

  it('errors: 404s say <Code>, others <Status>, as in the document', async () => {
    const c = liveInbound();
    const nf = await send('PUT', v1(c, 'Legs/zzz'), { Action: 'hangup' });
    expect(nf.text).toContain('<Code>404</Code><Message>Given legSID does not exist. Please check the legSID passed</Message>');
    const bad = await send('POST', v1(c, 'Legs'), { Action: 'listen', TargetLegSid: '', PhoneNumber: '' });
    expect(bad.text).toContain('<Status>400</Status><Message>Invalid Parameter: PhoneNumber is missing or invalid</Message>');
  });
});
