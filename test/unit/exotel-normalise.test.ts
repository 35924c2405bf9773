import { describe, expect, it } from 'vitest';
import {
  agentsFromActiveCalls,
  legNumber,
  monitorModeOf,
  normaliseActiveCalls,
  normaliseAgentState,
  normaliseCallStatus,
  normaliseDetail,
  normaliseDirection,
  pickAgentLeg,
  sameNumber,
  sessionFromLeg,
  v1Time,
} from '../../main/vendors/exotel/normalise.js';
import type { V1Leg, V3ActiveCall, V3Stream } from '../../main/vendors/exotel/types.js';
import { zoneClock } from '../../main/vendors/shared/time.js';

// The document's v3 list example, verbatim in shape.
const DOC_ACTIVE: V3ActiveCall[] = [
  {
    call_sid: 'call_active_001',
    direction: 'outbound-api',
    status: 'in-progress',
    from: '+911234567890',
    to: '+919876543210',
    start_time: '2024-06-15T10:30:00.000Z',
    duration: 120,
    agent_details: { user_id: 'agent_uuid_001', name: 'John Agent', status: 'on-call' },
    recording_enabled: true,
  },
  {
    call_sid: 'call_active_002',
    direction: 'inbound',
    status: 'ringing',
    from: '+919876543211',
    to: '+911234567890',
    start_time: '2024-06-15T10:35:00.000Z',
    duration: 0,
    agent_details: null,
    recording_enabled: false,
  },
];

const leg = (over: Partial<V1Leg>): V1Leg => ({ Status: 'in-progress', LastAction: '', ...over });
const IST_MINUTES = 330;
const IST = zoneClock('Asia/Kolkata');

describe('Exotel v3 active calls → Call', () => {
  it('maps the documented example, including a null agent_details', () => {
    const [a, b] = normaliseActiveCalls('acc', DOC_ACTIVE);
    expect(a).toMatchObject({
      key: 'acc:call_active_001',
      vendor: 'exotel',
      direction: 'outbound',
      status: 'in_progress',
      agentKey: 'acc:agent_uuid_001',
      agentName: 'John Agent',
      startedAt: Date.UTC(2024, 5, 15, 10, 30),
      recording: true,
      legs: null,
      sessions: [],
    });
    expect(b).toMatchObject({ key: 'acc:call_active_002', direction: 'inbound', status: 'ringing', agentKey: null, agentName: null, recording: false });
  });

  it('drops rows without a call_sid and counts a call seen on two pages once', () => {
    const rows = [...DOC_ACTIVE, { ...DOC_ACTIVE[0]!, status: 'ringing' }, { direction: 'inbound' }];
    const calls = normaliseActiveCalls('acc', rows);
    expect(calls.map((c) => c.vendorCallId)).toEqual(['call_active_001', 'call_active_002']);
    expect(calls[0]!.status).toBe('in_progress');
  });

  it('reads missing fields as null rather than failing', () => {
    const [c] = normaliseActiveCalls('acc', [{ call_sid: 'x' }]);
    expect(c).toMatchObject({ direction: 'unknown', status: 'unknown', from: null, to: null, startedAt: null, recording: null, agentKey: null });
  });

  it.each([
    ['inbound', 'inbound'],
    ['outbound-api', 'outbound'],
    ['outbound-dial', 'outbound'],
    ['outbound', 'outbound'],
    ['sideways', 'unknown'],
    [null, 'unknown'],
  ] as const)('direction %s → %s', (raw, want) => {
    expect(normaliseDirection(raw)).toBe(want);
  });

  it.each([
    ['in-progress', 'in_progress'],
    ['ringing', 'ringing'],
    ['queued', 'queued'],
    ['completed', 'ended'],
    ['no-answer', 'ended'],
    ['teleporting', 'unknown'],
  ] as const)('status %s → %s', (raw, want) => {
    expect(normaliseCallStatus(raw)).toBe(want);
  });

  it('maps agent status and keeps unknown values as unknown', () => {
    expect(normaliseAgentState('on-call')).toBe('on_call');
    expect(normaliseAgentState('meditating')).toBe('unknown');
    expect(normaliseAgentState(undefined)).toBe('unknown');
  });

  it('derives agents from calls: only agents on calls, once each', () => {
    const rows: V3ActiveCall[] = [...DOC_ACTIVE, { ...DOC_ACTIVE[0]!, call_sid: 'call_active_003' }, { call_sid: 'c4', agent_details: { name: 'No Id' } }];
    const agents = agentsFromActiveCalls('acc', rows);
    expect(agents).toEqual([
      {
        key: 'acc:agent_uuid_001',
        accountId: 'acc',
        vendor: 'exotel',
        loginId: 'agent_uuid_001',
        name: 'John Agent',
        state: 'on_call',
        reason: null,
        since: Date.UTC(2024, 5, 15, 10, 30),
        currentCallKey: 'acc:call_active_001',
        service: null,
      },
    ]);
  });
});

describe('Exotel v1 legs', () => {
  it('reads both documented date forms, in the account zone', () => {
    const at = Date.UTC(2020, 11, 22, 17, 57, 40) - IST_MINUTES * 60_000;
    expect(v1Time('2020-12-22 17:57:40', IST)).toBe(at);
    expect(v1Time('2020-12-2217:57:40', IST)).toBe(at);
    expect(v1Time('', IST)).toBeNull();
    expect(v1Time(undefined, IST)).toBeNull();
  });

  it('takes a monitor leg number from EndUserNumber', () => {
    expect(legNumber(leg({ PhoneNumber: '+911' }))).toBe('+911');
    expect(legNumber(leg({ EndUserNumber: '+912', Origin: 'monitor' }))).toBe('+912');
    expect(legNumber(leg({ PhoneNumber: '', EndUserNumber: '+913' }))).toBe('+913');
    expect(legNumber(leg({}))).toBeNull();
  });

  it('reads LastAction as a mode only when it is one', () => {
    expect(monitorModeOf('barge')).toBe('barge');
    expect(monitorModeOf('WHISPER')).toBe('whisper');
    expect(monitorModeOf('')).toBeNull();
    expect(monitorModeOf('hangup')).toBeNull();
  });

  it('compares numbers by their last ten digits', () => {
    expect(sameNumber('+919876543210', '09876543210')).toBe(true);
    expect(sameNumber('9876543210', '+91 98765 43210')).toBe(true);
    expect(sameNumber('+919876543210', '+919876543211')).toBe(false);
    expect(sameNumber(null, null)).toBe(false);
  });

  describe('pickAgentLeg', () => {
    const customer = '+919876543210';
    const agent = '+919000000001';
    it('inbound: the non-monitor leg that is not the caller', () => {
      const legs = [
        leg({ Sid: 'c', PhoneNumber: customer, Origin: 'inbound' }),
        leg({ Sid: 'm', EndUserNumber: '+919111111111', Origin: 'monitor', LastAction: 'listen' }),
        leg({ Sid: 'a', PhoneNumber: agent, Origin: 'outbound-dial' }),
      ];
      expect(pickAgentLeg(legs, { direction: 'inbound', from: customer, to: '+918047112233' })?.Sid).toBe('a');
    });
    it('outbound: the called party is the customer, the From leg the agent', () => {
      const legs = [leg({ Sid: 'a', PhoneNumber: agent, Origin: 'outbound' }), leg({ Sid: 'c', PhoneNumber: customer, Origin: 'outbound-dial' })];
      expect(pickAgentLeg(legs, { direction: 'outbound', from: agent, to: customer })?.Sid).toBe('a');
    });
    it('falls back to Origin when numbers do not decide (the document masks them as xxxx)', () => {
      const legs = [leg({ Sid: 'o', PhoneNumber: 'xxxx', Origin: 'outbound' }), leg({ Sid: 'd', PhoneNumber: 'xxxx', Origin: 'outbound-dial' })];
      expect(pickAgentLeg(legs, { direction: 'outbound', from: null, to: null })?.Sid).toBe('o');
      expect(pickAgentLeg(legs, { direction: 'inbound', from: null, to: null })?.Sid).toBe('d');
    });
    it('gives up when nothing decides, and ignores legs without a Sid', () => {
      const legs = [leg({ Sid: 'x', PhoneNumber: customer, Origin: 'inbound' }), leg({ PhoneNumber: agent, Origin: 'outbound-dial' })];
      expect(pickAgentLeg(legs, { direction: 'inbound', from: customer, to: null })).toBeNull();
      expect(pickAgentLeg([], { direction: 'unknown', from: null, to: null })).toBeNull();
    });
  });

  it('turns a monitor leg into a session, falling back to the asked mode and to now', () => {
    const call = { key: 'acc:c1', accountId: 'acc', direction: 'inbound' as const, from: null, to: null };
    const s = sessionFromLeg(call, leg({ Sid: 'm1', LastAction: 'whisper', StartTime: '2020-12-2217:57:40' }), true, 5, IST);
    expect(s).toEqual({ callKey: 'acc:c1', accountId: 'acc', mode: 'whisper', handle: 'm1', startedAt: Date.UTC(2020, 11, 22, 17, 57, 40) - IST_MINUTES * 60_000, own: true });
    expect(sessionFromLeg(call, leg({ Sid: 'm2', LastAction: '' }), false, 5, IST, 'barge')).toMatchObject({ mode: 'barge', startedAt: 5 });
    expect(sessionFromLeg(call, leg({ LastAction: 'listen' }), false, 5, IST)).toBeNull();
    expect(sessionFromLeg(call, leg({ Sid: 'm3', LastAction: '' }), false, 5, IST)).toBeNull();
  });
});

describe('normaliseDetail (v3 stream + v1 ActiveLegs)', () => {
  const call = { key: 'acc:call_active_001', accountId: 'acc', direction: 'outbound' as const, from: '+911234567890', to: '+919876543210' };
  // The document's stream example.
  const stream: V3Stream = {
    call_sid: 'call_active_001',
    status: 'in-progress',
    duration: 180,
    legs: [
      { leg_sid: 'leg_agent_001', contact_uri: '+911234567890', direction: 'outbound', status: 'connected', network_type: 'pstn', audio_status: { muted: false, hold: false } },
      { leg_sid: 'leg_customer_001', contact_uri: '+919876543210', direction: 'outbound', status: 'connected', network_type: 'pstn', audio_status: { muted: false, hold: true } },
    ],
    bridge: { bridge_sid: 'bridge_001', status: 'active', created_at: '2024-06-15T10:30:05.000Z' },
    recording: { enabled: true, channels: 'dual', duration: 175 },
  };
  const v1: V1Leg[] = [
    leg({ Sid: 'v1a', PhoneNumber: '+911234567890', Origin: 'outbound' }),
    leg({ Sid: 'v1c', PhoneNumber: '+919876543210', Origin: 'outbound-dial' }),
    leg({ Sid: 'mon1', EndUserNumber: '+919111111111', Origin: 'monitor', LastAction: 'barge', DateCreated: '2020-12-22 17:57:40' }),
  ];

  it('takes call legs from the stream and monitor legs (as sessions, own false) from v1', () => {
    const d = normaliseDetail(call, stream, v1, 1, IST);
    expect(d.legs.map((l) => [l.id, l.role, l.onHold, l.monitorMode])).toEqual([
      ['leg_agent_001', 'agent', false, null],
      ['leg_customer_001', 'customer', true, null],
      ['mon1', 'monitor', null, 'barge'],
    ]);
    expect(d.legs[2]!.number).toBe('+919111111111');
    expect(d.bridge).toEqual({ id: 'bridge_001', status: 'active', createdAt: Date.UTC(2024, 5, 15, 10, 30, 5) });
    expect(d).toMatchObject({ recording: true, onHold: true, muted: false });
    expect(d.sessions).toEqual([
      { callKey: call.key, accountId: 'acc', mode: 'barge', handle: 'mon1', startedAt: Date.UTC(2020, 11, 22, 17, 57, 40) - IST_MINUTES * 60_000, own: false },
    ]);
  });

  it('uses v1 call legs when the stream lists none, and survives null bridge/recording', () => {
    const d = normaliseDetail(call, { call_sid: 'x', legs: null, bridge: null, recording: null }, v1, 1, IST);
    expect(d.legs.map((l) => [l.id, l.role])).toEqual([
      ['v1a', 'agent'],
      ['v1c', 'customer'],
      ['mon1', 'monitor'],
    ]);
    expect(d).toMatchObject({ bridge: null, recording: null, onHold: null, muted: null });
  });

  it('has no sessions when ActiveLegs was unavailable', () => {
    const d = normaliseDetail(call, stream, [], 1, IST);
    expect(d.sessions).toEqual([]);
    expect(d.legs.map((l) => l.role)).toEqual(['other', 'customer']);
  });
});
