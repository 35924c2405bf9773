import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import type { Call } from '../../main/domain/model.js';
import {
  actionOutcome,
  applyWebhookEvent,
  audianTime,
  callStatus,
  callStatusToDetail,
  channelToCall,
  channelsToCalls,
  conferenceInfo,
  gatheredDigits,
  unwrap,
} from '../../main/vendors/audian/normalise.js';
import { WEBHOOK_EVENTS } from '../../main/vendors/audian/types.js';

const AT = Date.UTC(2024, 0, 15, 10, 30, 0);
const GREG = AT / 1000 + 62_167_219_200;

function badResponse(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    expect((err as SwitchboardError).code).toBe('bad_response');
    return;
  }
  throw new Error('expected bad_response');
}

const baseCall: Call = {
  key: 'acc:call_xyz789',
  accountId: 'acc',
  vendor: 'audian',
  vendorCallId: 'call_xyz789',
  direction: 'inbound',
  status: 'in_progress',
  from: '+14155552671',
  to: '+14155552672',
  agentKey: null,
  agentName: null,
  queue: null,
  startedAt: AT,
  onHold: false,
  muted: false,
  recording: null,
  legs: null,
  bridge: null,
  sessions: [],
};

describe('audianTime', () => {
  it.each([
    ['ISO with zone (document)', '2024-01-15T10:30:00Z', AT],
    ['Kazoo gregorian seconds as a number', GREG, AT],
    ['Kazoo gregorian seconds as a string', String(GREG), AT],
    ['epoch seconds', AT / 1000, AT],
    ['epoch milliseconds', AT, AT],
  ])('reads %s', (_name, input, expected) => {
    expect(audianTime(input)).toBe(expected);
  });
  it.each([null, undefined, '', 'soon', {}])('gives null for %s', (input) => {
    expect(audianTime(input)).toBeNull();
  });
});

describe('unwrap', () => {
  it('opens a Kazoo envelope around a documented body', () => {
    expect(unwrap({ data: { call_id: 'c1', status: 'held' }, status: 'success', request_id: 'r' })).toEqual({ call_id: 'c1', status: 'held' });
  });
  it('leaves a bare documented body alone, even one with a data field', () => {
    const bare = { call_id: 'c1', data: { other: 1 } };
    expect(unwrap(bare)).toBe(bare);
  });
  it('gives undefined for non-objects', () => {
    expect(unwrap('x')).toBeUndefined();
    expect(unwrap([1])).toBeUndefined();
  });
});

describe('channels', () => {
  const ch = { uuid: 'u1', call_id: 'c1', caller_id_number: '+1111', callee_id_number: '+2222', direction: 'inbound', answered: true, timestamp: GREG };

  it('maps a documented channel', () => {
    expect(channelToCall('acc', ch)).toMatchObject({
      key: 'acc:c1',
      vendor: 'audian',
      vendorCallId: 'c1',
      direction: 'inbound',
      status: 'in_progress',
      from: '+1111',
      to: '+2222',
      startedAt: AT,
      legs: null,
      sessions: [],
    });
  });
  it('falls back to uuid when call_id is missing, and skips channels with neither', () => {
    expect(channelToCall('acc', { ...ch, call_id: undefined })?.vendorCallId).toBe('u1');
    expect(channelToCall('acc', { ...ch, call_id: '', uuid: undefined })).toBeNull();
  });
  it('reads answered as a string and treats missing as unknown', () => {
    expect(channelToCall('acc', { ...ch, answered: 'false' })?.status).toBe('ringing');
    expect(channelToCall('acc', { ...ch, answered: 'true' })?.status).toBe('in_progress');
    expect(channelToCall('acc', { ...ch, answered: undefined })?.status).toBe('unknown');
  });
  it('accepts the other pages’ party field names', () => {
    const c = channelToCall('acc', { call_id: 'c2', from: '+3333', destination: '+4444' });
    expect([c?.from, c?.to]).toEqual(['+3333', '+4444']);
    expect(channelToCall('acc', { call_id: 'c3', to: '+5555', destination: '+6666' })?.to).toBe('+5555');
  });
  it('maps an unknown direction to unknown and a missing timestamp to null', () => {
    const c = channelToCall('acc', { call_id: 'c4', direction: 'sideways' });
    expect(c?.direction).toBe('unknown');
    expect(c?.startedAt).toBeNull();
  });
  it('accepts the bare list and the Kazoo envelope, one call per call id', () => {
    const list = [ch, { ...ch, uuid: 'u1-b' }, { call_id: 'c9' }, 'junk'];
    expect(channelsToCalls('acc', list).map((c) => c.vendorCallId)).toEqual(['c1', 'c9']);
    expect(channelsToCalls('acc', { data: list, status: 'success' }).map((c) => c.vendorCallId)).toEqual(['c1', 'c9']);
  });
  it('refuses a body that holds no list', () => {
    badResponse(() => channelsToCalls('acc', { data: { call_id: 'c1' } }));
    badResponse(() => channelsToCalls('acc', null));
  });
});

describe('call status', () => {
  it.each([
    ['answered', null, 'in_progress'],
    ['answered', true, 'on_hold'],
    ['held', null, 'on_hold'],
    ['resumed', null, 'in_progress'],
    ['transferred', null, 'in_progress'],
    ['completed', null, 'ended'],
    ['RINGING', null, 'ringing'],
    ['exploded', null, 'unknown'],
    [42, null, 'unknown'],
  ])('%s (on_hold %s) → %s', (word, onHold, expected) => {
    expect(callStatus(word, onHold)).toBe(expected);
  });

  const status = {
    call_id: 'call_xyz789',
    status: 'answered',
    duration: 125,
    from: '+14155552671',
    to: '+14155552672',
    muted: false,
    on_hold: true,
    recording_active: true,
    initiated_at: '2024-01-15T10:30:00Z',
    answered_at: '2024-01-15T10:30:05Z',
  };

  it('turns the status into details, with party legs by direction', () => {
    const own = { callKey: baseCall.key, accountId: 'acc', mode: 'barge' as const, handle: 'conf_1|+1', startedAt: 1, own: true };
    const d = callStatusToDetail(status, { ...baseCall, sessions: [own] });
    expect(d).toMatchObject({ recording: true, onHold: true, muted: false, bridge: null, sessions: [own] });
    expect(d.legs.map((l) => [l.role, l.number, l.startedAt])).toEqual([
      ['customer', '+14155552671', AT + 5000],
      ['agent', '+14155552672', AT + 5000],
    ]);
    const out = callStatusToDetail({ data: status, status: 'success' }, { ...baseCall, direction: 'outbound' });
    expect(out.legs.map((l) => l.role)).toEqual(['agent', 'customer']);
    expect(callStatusToDetail(status, { ...baseCall, direction: 'unknown' }).legs.map((l) => l.role)).toEqual(['other', 'other']);
  });
  it('falls back to initiated_at and leaves out missing parties', () => {
    const d = callStatusToDetail({ call_id: 'c', status: 'ringing', from: '+1', answered_at: null, initiated_at: '2024-01-15T10:30:00Z' }, baseCall);
    expect(d.legs).toHaveLength(1);
    expect(d.legs[0]?.startedAt).toBe(AT);
    expect(d.recording).toBeNull();
  });
  it('refuses a status without a call id', () => {
    badResponse(() => callStatusToDetail({ status: 'answered' }, baseCall));
  });
});

describe('action responses', () => {
  it('hold / resume / hangup patch the status and hold flag', () => {
    expect(actionOutcome({ call_id: 'c', status: 'held', held_at: 'x' }, 'd').callPatch).toEqual({ status: 'on_hold', onHold: true });
    expect(actionOutcome({ call_id: 'c', status: 'resumed' }, 'd').callPatch).toEqual({ status: 'in_progress', onHold: false });
    expect(actionOutcome({ data: { call_id: 'c', status: 'completed' } }, 'd').callPatch).toEqual({ status: 'ended' });
  });
  it('mute / unmute patch muted from the body', () => {
    expect(actionOutcome({ call_id: 'c', muted: true, muted_at: 'x' }, 'd').callPatch).toEqual({ muted: true });
    expect(actionOutcome({ call_id: 'c', muted: false }, 'd').callPatch).toEqual({ muted: false });
  });
  it('says nothing changed for unknown words or empty bodies', () => {
    expect(actionOutcome({ call_id: 'c', status: 'playing' }, 'Playing')).toEqual({ detail: 'Playing' });
    expect(actionOutcome(undefined, 'Sent')).toEqual({ detail: 'Sent' });
  });
  it('reads the gathered digits (string, or a number), else bad_response', () => {
    expect(gatheredDigits({ call_id: 'c', digits_collected: '2', input_type: 'dtmf' })).toBe('2');
    expect(gatheredDigits({ data: { call_id: 'c', digits_collected: 42 } })).toBe('42');
    expect(gatheredDigits({ call_id: 'c', digits_collected: '' })).toBe('');
    badResponse(() => gatheredDigits({ call_id: 'c' }));
  });
  it('reads the conference id and participants, else bad_response', () => {
    expect(conferenceInfo({ call_id: 'c', conference_id: 'conf_abc123', participants: ['+1', 7, '+2'] })).toEqual({
      conferenceId: 'conf_abc123',
      participants: ['+1', '+2'],
    });
    expect(conferenceInfo({ call_id: 'c', conference_id: 'conf_1' }).participants).toEqual([]);
    badResponse(() => conferenceInfo({ call_id: 'c', participants: [] }));
  });
});

describe('applyWebhookEvent', () => {
  const ev = (event: string, data: Record<string, unknown> = {}) => ({ event, data: { call_id: 'call_xyz789', ...data } });

  it('applies each call event', () => {
    expect(applyWebhookEvent(baseCall, ev('call.held', { held_at: '2024-01-15T10:33:30Z' }))).toMatchObject({ onHold: true, status: 'on_hold' });
    expect(applyWebhookEvent({ ...baseCall, onHold: true, status: 'on_hold' }, ev('call.resumed'))).toMatchObject({ onHold: false, status: 'in_progress' });
    expect(applyWebhookEvent(baseCall, ev('call.muted')).muted).toBe(true);
    expect(applyWebhookEvent({ ...baseCall, muted: true }, ev('call.unmuted')).muted).toBe(false);
    expect(applyWebhookEvent(baseCall, ev('call.transferred', { transfer_to: '+14155552673' })).to).toBe('+14155552673');
    expect(applyWebhookEvent(baseCall, ev('call.transferred', { destination: '+14155552674' })).to).toBe('+14155552674');
    expect(applyWebhookEvent(baseCall, ev('call.transferred')).to).toBe(baseCall.to);
    expect(applyWebhookEvent(baseCall, ev('call.completed')).status).toBe('ended');
  });
  it('changes the call for every documented call event (ivr input carries no call state)', () => {
    const input = { ...baseCall, muted: null, onHold: null, to: null };
    const changed = WEBHOOK_EVENTS.filter((e) => {
      const out = applyWebhookEvent(input, ev(e, { transfer_to: '+19999' }));
      return JSON.stringify(out) !== JSON.stringify(input);
    });
    expect(changed).toEqual(WEBHOOK_EVENTS.filter((e) => e !== 'ivr.input_received'));
  });
  it('leaves the call alone for DTMF input, unknown events and other calls', () => {
    expect(applyWebhookEvent(baseCall, ev('ivr.input_received', { digits: '2' }))).toBe(baseCall);
    expect(applyWebhookEvent(baseCall, ev('call.exploded'))).toBe(baseCall);
    expect(applyWebhookEvent(baseCall, { event: 'call.completed', data: { call_id: 'other' } })).toBe(baseCall);
  });
  it('does not mutate its input', () => {
    const copy = structuredClone(baseCall);
    applyWebhookEvent(baseCall, ev('call.held'));
    expect(baseCall).toEqual(copy);
  });
});
