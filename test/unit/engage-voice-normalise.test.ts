import { describe, expect, it } from 'vitest';
import { engageVoiceCapabilities } from '../../main/vendors/engage-voice/capabilities.js';
import { describeError } from '../../main/vendors/engage-voice/errors.js';
import { HttpCore } from '../../main/vendors/shared/http.js';
import {
  agentLogin,
  agentState,
  callbackDts,
  callStatus,
  flag,
  isoWithZone,
  normaliseAgent,
  normaliseCall,
  normaliseCalls,
  sessionTypeFor,
  stateSince,
  text,
  vendorTime,
  type NormaliseContext,
} from '../../main/vendors/engage-voice/normalise.js';
import type { EvActiveCall, EvAgent } from '../../main/vendors/engage-voice/types.js';
import { UTC_CLOCK, parseVendorTime, zoneClock } from '../../main/vendors/shared/time.js';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const ctx: NormaliseContext = { accountId: 'acc', zone: UTC_CLOCK, now: NOW };
const AT = Date.UTC(2020, 4, 8, 14, 40, 47);

describe('Engage Voice normalise › scalars', () => {
  it.each([
    ['  x ', 'x'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
    [12440001, '12440001'],
    [Number.NaN, null],
  ])('text(%j) → %j', (v, out) => expect(text(v)).toBe(out));

  it.each([
    [true, true],
    ['false', false],
    ['yes', null],
    [null, null],
  ])('flag(%j) → %j', (v, out) => expect(flag(v)).toBe(out));

  it.each([
    ['2020-05-08T14:40:47.000+0000', AT], // the vendor's example form
    ['2020-05-08T14:40:47Z', AT],
    [AT, AT],
    [String(AT), AT],
    [' 2020-05-08 14:40:47 ', AT],
    ['soon', null],
    [null, null],
  ])('vendorTime(%j)', (v, out) => expect(vendorTime(v, ctx)).toBe(out));

  it('reads zone-less times in the configured zone', () => {
    expect(vendorTime('2020-05-08 14:40:47', { zone: zoneClock('UTC-05:00') })).toBe(AT + 300 * 60_000);
    // 8 May is daylight time in New York: four hours behind UTC, not five.
    expect(vendorTime('2020-05-08 14:40:47', { zone: zoneClock('America/New_York') })).toBe(AT + 240 * 60_000);
  });
});

describe('Engage Voice normalise › states', () => {
  it.each([
    ['ACTIVE', 'in_progress'],
    ['active', 'in_progress'],
    ['QUEUED', 'queued'],
    ['RINGING', 'ringing'],
    ['ON_HOLD', 'on_hold'],
    ['on-hold', 'on_hold'],
    ['WRAP_UP', 'wrap_up'],
    ['PARKED', 'unknown'],
    [null, 'unknown'],
    [42, 'unknown'],
  ])('call state %j → %s', (v, out) => expect(callStatus(v)).toBe(out));

  it.each([
    [{ agentState: 'AVAILABLE' }, 'ready'],
    [{ agentState: 'ON_CALL' }, 'on_call'],
    [{ agentState: 'AWAY' }, 'not_ready'],
    [{ agentState: 'WRAP_UP' }, 'wrap_up'],
    [{ agentState: 'ON_CALL', pendingDisposition: 'true' }, 'wrap_up'],
    [{ agentState: 'AVAILABLE', pendingDisposition: true }, 'wrap_up'],
    [{ agentState: 'TRANSITION' }, 'unknown'],
    [{}, 'unknown'],
  ] as const)('agent %j → %s', (row, out) => expect(agentState(row)).toBe(out));

  it('maps monitor modes to session types', () => {
    expect([sessionTypeFor('listen'), sessionTypeFor('whisper'), sessionTypeFor('barge')]).toEqual(['MONITOR', 'COACHING', 'BARGEIN']);
  });
});

describe('Engage Voice normalise › agents', () => {
  const base: EvAgent = { agentId: 1001, username: 'paco@abc.com', firstName: 'Paco', lastName: 'Vu', agentState: 'ON_CALL', callUii: '777', gateId: 501 };

  it('uses username as login id, falling back to agentLoginId then agentId; no id → left out', () => {
    expect(agentLogin(base)).toBe('paco@abc.com');
    expect(agentLogin({ ...base, username: '', agentLoginId: 7001 })).toBe('7001');
    expect(agentLogin({ ...base, username: null })).toBe('1001');
    expect(normaliseAgent({ agentState: 'AVAILABLE' }, ctx)).toBeNull();
  });

  it('normalises a full row', () => {
    expect(normaliseAgent({ ...base, stateTime: AT }, ctx)).toEqual({
      key: 'acc:paco@abc.com',
      accountId: 'acc',
      vendor: 'engage-voice',
      loginId: 'paco@abc.com',
      name: 'Paco Vu',
      state: 'on_call',
      reason: null,
      since: AT,
      currentCallKey: 'acc:777',
      service: '501',
    });
  });

  it('keeps an unknown state word as the reason, and names an agent without names by login', () => {
    const a = normaliseAgent({ username: 'x', agentState: 'RNA-STATE', campaignId: 9, callUii: '' }, ctx)!;
    expect(a).toMatchObject({ state: 'unknown', reason: 'RNA-STATE', name: 'x', currentCallKey: null, service: '9' });
  });

  it('reads stateTime as a timestamp, or as seconds in state counted back from lastUpdate or now', () => {
    expect(stateSince({ stateTime: '2020-05-08T14:40:47.000+0000' }, ctx)).toBe(AT);
    expect(stateSince({ stateTime: 90, lastUpdate: '2020-05-08T14:40:47.000+0000' }, ctx)).toBe(AT - 90_000);
    expect(stateSince({ stateTime: '30' }, ctx)).toBe(NOW - 30_000);
    expect(stateSince({ stateTime: null }, ctx)).toBeNull();
  });
});

describe('Engage Voice normalise › calls', () => {
  const example: EvActiveCall = {
    uii: '202005081040440132050000019657',
    accountId: '12440001',
    ani: '6501234567',
    dnis: '8661234567',
    enqueueTime: '2020-05-08T14:40:47.000+0000',
    dequeueTime: null,
    callState: 'ACTIVE',
    archive: false,
    agentFirstName: 'Paco',
    agentLastName: 'Vu',
    destinationName: null,
  };

  it("normalises the vendor's example row", () => {
    expect(normaliseCall(example, undefined, ctx)).toEqual({
      key: 'acc:202005081040440132050000019657',
      accountId: 'acc',
      vendor: 'engage-voice',
      vendorCallId: '202005081040440132050000019657',
      direction: 'unknown',
      status: 'in_progress',
      from: '6501234567',
      to: '8661234567',
      agentKey: null,
      agentName: 'Paco Vu',
      queue: null,
      startedAt: AT,
      onHold: false,
      muted: null,
      recording: false,
      legs: null,
      bridge: null,
      sessions: [],
    });
  });

  it('prefers dnisE164, reads numeric uii, string archive, dequeueTime when enqueueTime is missing', () => {
    const c = normaliseCall({ ...example, uii: 12345, dnisE164: '+18661234567', archive: 'true', enqueueTime: null, dequeueTime: AT, callState: 'HOLD' }, undefined, ctx)!;
    expect(c).toMatchObject({ vendorCallId: '12345', to: '+18661234567', recording: true, startedAt: AT, status: 'on_hold', onHold: true });
  });

  it('leaves out calls without a uii', () => {
    expect(normaliseCall({ ...example, uii: null }, undefined, ctx)).toBeNull();
    expect(normaliseCalls([{ ...example, uii: '' }, example], [], ctx)).toHaveLength(1);
  });

  it('joins agents on callUii: agent key, direction from gate or campaign, name when the row has none', () => {
    const agents: EvAgent[] = [
      { agentId: 1, username: 'in@x', firstName: 'In', lastName: 'Bound', callUii: 'a', gateId: 501 },
      { agentId: 2, username: 'out@x', callUii: 'b', campaignId: 901 },
      { agentId: 3, username: 'both@x', callUii: 'c', gateId: 1, campaignId: 2 },
    ];
    const rows = ['a', 'b', 'c', 'd'].map((uii) => ({ ...example, uii, agentFirstName: null, agentLastName: null }));
    const calls = normaliseCalls(rows, agents, ctx);
    expect(calls.map((c) => [c.agentKey, c.direction])).toEqual([
      ['acc:in@x', 'inbound'],
      ['acc:out@x', 'outbound'],
      ['acc:both@x', 'unknown'],
      [null, 'unknown'],
    ]);
    expect(calls[0]!.agentName).toBe('In Bound');
  });

  it('writes callBackDTS in the account zone; an unreadable time is null', () => {
    expect(callbackDts('2026-03-11T09:30:00Z', UTC_CLOCK)).toBe('20260311093000');
    expect(callbackDts('2026-03-11T09:30:00+02:00', zoneClock('UTC-05:00'))).toBe('20260311023000');
    // 11 March 2026 is after New York moved its clocks forward (8 March): UTC-4, not UTC-5.
    expect(callbackDts('2026-03-11T09:30:00+02:00', zoneClock('America/New_York'))).toBe('20260311033000');
    expect(callbackDts('tomorrow', UTC_CLOCK)).toBeNull();
  });
});

describe('Engage Voice errors', () => {
  it('keeps generalMessage, details and validationErrors', () => {
    const body = JSON.stringify({ errorCode: 'BAD_REQUEST', generalMessage: 'Validation failed', details: 'sessionType', validationErrors: ['sessionType must be one of MONITOR'], requestUri: '/x', timestamp: 1 });
    expect(describeError(400, body)).toEqual({
      code: 'invalid_input',
      message: 'The vendor rejected the request as invalid.',
      vendorMessage: 'BAD_REQUEST: Validation failed — sessionType — sessionType must be one of MONITOR',
    });
  });

  it('reads the bare-text expiry, OAuth bodies and bare error codes', () => {
    expect(describeError(401, 'Jwt is expired')).toMatchObject({ code: 'auth_failed', vendorMessage: 'Jwt is expired' });
    expect(describeError(400, '{"error":"invalid_grant","error_description":"Invalid assertion"}').vendorMessage).toBe('Invalid assertion');
    expect(describeError(404, '{"errorCode":"NOT_FOUND"}')).toMatchObject({ code: 'not_found', vendorMessage: 'NOT_FOUND' });
    expect(describeError(429, '')).toEqual({ code: 'rate_limited', message: 'The vendor is rate limiting requests.' });
  });

  it('drops HTML pages and never repeats a token', () => {
    expect(describeError(502, '<html><body>Bad gateway</body></html>').vendorMessage).toBeUndefined();
    // Tokens are masked where every vendor's errors pass: HttpCore.describe.
    const core = new HttpCore({ baseURL: 'http://127.0.0.1:9', describeError });
    expect(core.describe(401, '{"generalMessage":"bad token eyJhbGciOi.eyJzdWIiOjF9.sig"}').vendorMessage).toBe('bad token [token]');
    expect(describeError(400, 'x'.repeat(2000)).vendorMessage!.length).toBeLessThan(510);
  });
});

describe('Engage Voice capabilities', () => {
  it('supports exactly what the Active Call API does', () => {
    const supported = Object.entries(engageVoiceCapabilities)
      .filter(([, c]) => c.supported)
      .map(([n]) => n)
      .sort();
    expect(supported).toEqual(
      ['agents.list', 'call.disposition', 'call.hangup', 'call.manualAgentCall', 'call.recording', 'monitor.barge', 'monitor.listen', 'monitor.stop', 'monitor.whisper'].sort(),
    );
    expect(engageVoiceCapabilities['call.hold']).toEqual({
      supported: false,
      reason: "Engage Voice's Active Call API has no hold; ask the agent to hold from their desktop.",
    });
  });
});

describe('Engage Voice normalise › fast paths agree with the general ones', () => {
  // vendorTime reads the vendor's ISO forms directly (isoWithZone) and leaves everything else to
  // parseVendorTime; for every string it must give what parseVendorTime gives.
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const generated: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const y = [1970, 2020, 2024, 99, 100, 9999, 50][rnd(7)]!;
    const field = (lo: number, hi: number, w = 2) => pad(rnd(5) === 0 ? [0, hi + 1, 99, lo][rnd(4)]! : lo + rnd(hi - lo + 1), w);
    const base = `${pad(y, 4)}-${field(1, 12)}-${field(1, 31)}T${field(0, 23)}:${field(0, 59)}:${field(0, 59)}`;
    const frac = ['', '.000', `.${pad(rnd(1000), 3)}`, '.5', '.12', '.1234'][rnd(6)]!;
    const oh = field(0, 23);
    const om = field(0, 59);
    const zone = ['Z', '', `+${oh}${om}`, `-${oh}${om}`, `+${oh}:${om}`, `-${oh}:${om}`, '+00', 'z', ' Z', `+${oh}${om}x`][rnd(10)]!;
    generated.push(base + frac + zone);
  }
  const edges = [
    '2020-05-08T14:40:47.000+0000',
    '2020-05-08T24:00:00+0000',
    '2020-02-30T10:00:00Z',
    '2019-02-29T00:00:00+0000',
    '0050-05-08T14:40:47Z',
    '2020-05-08T14:40:47+2400',
    '2020-05-08T14:40:47+0060',
    '2020-05-08T14:40:47.000+05:30',
    '2020-05-08 14:40:47+0000',
    '2020-05-08T14:40:47',
    '2020-5-08T14:40:47Z',
    '2020-05-08T14:40:4aZ',
    ' 2020-05-08T14:40:47.000+0000 ',
    '１２３４-05-08T14:40:47Z',
  ];

  it('isoWithZone gives parseVendorTime’s answer or none', () => {
    for (const s of [...edges, ...generated]) {
      const fast = isoWithZone(s);
      if (fast !== null) expect([s, fast]).toEqual([s, parseVendorTime(s)]);
    }
    expect(generated.filter((s) => isoWithZone(s) !== null).length).toBeGreaterThan(500); // the fast path is exercised
    expect(isoWithZone('2020-05-08T14:40:47.000+0000')).toBe(AT);
    expect(isoWithZone('2020-05-08T14:40:47.000-01:30')).toBe(AT + 90 * 60_000);
  });

  it('vendorTime equals parseVendorTime of the trimmed string, in any zone', () => {
    const zone = zoneClock('Asia/Kolkata');
    for (const s of [...edges, ...generated]) {
      expect([s, vendorTime(s, { zone })]).toEqual([s, parseVendorTime(s.trim(), zone)]);
    }
  });

  it('reads names, states and gate/campaign presence as before', () => {
    const row = (over: Partial<EvActiveCall>): EvActiveCall => ({ uii: 'u', ...over });
    expect(normaliseCall(row({ agentFirstName: ' Ada ', agentLastName: null }), undefined, ctx)!.agentName).toBe('Ada');
    expect(normaliseCall(row({ agentFirstName: '', agentLastName: 'Lovelace' }), undefined, ctx)!.agentName).toBe('Lovelace');
    expect(normaliseCall(row({ agentFirstName: 'Ada', agentLastName: 'Lovelace' }), undefined, ctx)!.agentName).toBe('Ada Lovelace');
    expect(normaliseCall(row({ agentFirstName: ' ', agentLastName: '' }), undefined, ctx)!.agentName).toBeNull();
    expect([' ACTIVE', 'Hold', 'on hold', 'ENDED', 'TERMINATED', 'toString', 'constructor', '__proto__'].map(callStatus)).toEqual([
      'in_progress',
      'on_hold',
      'on_hold',
      'ended',
      'ended',
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect([{ agentState: ' away ' }, { agentState: 'wrap-up' }, { agentState: 'constructor' }].map((r) => agentState(r))).toEqual(['not_ready', 'wrap_up', 'unknown']);
    const dir = (agent: EvAgent) => normaliseCalls([row({})], [{ username: 'a', callUii: 'u', ...agent }], ctx)[0]!.direction;
    expect(dir({ gateId: 501, campaignId: '  ' })).toBe('inbound');
    expect(dir({ gateId: '', campaignId: 901 })).toBe('outbound');
    expect(dir({ gateId: Number.NaN, campaignId: null })).toBe('unknown');
    expect(dir({ gateId: 0, campaignId: '7' })).toBe('unknown');
    expect(dir({ gateId: ' 12 ' })).toBe('inbound');
  });
});
