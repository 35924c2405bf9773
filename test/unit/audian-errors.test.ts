import { describe, expect, it } from 'vitest';
import { audianCapabilities } from '../../main/vendors/audian/capabilities.js';
import { describeAudianError } from '../../main/vendors/audian/errors.js';

describe('describeAudianError', () => {
  it.each([
    [404, { error: 'not_found', message: 'Call not found', code: 404 }, 'not_found'],
    [409, { error: 'invalid_state', message: 'Cannot transfer a call that is not answered', code: 409 }, 'invalid_state'],
    [503, { error: 'transfer_failed', message: 'Transfer destination is not available', code: 503 }, 'action_failed'],
    [401, { error: '401', message: 'unauthorized', status: 'error' }, 'auth_failed'],
    [403, { error: '403', message: 'forbidden', status: 'error' }, 'forbidden'],
    [400, { error: 'invalid_request', message: 'Unknown field: x', code: 400 }, 'invalid_input'],
    [429, { error: 'too_many_requests', message: 'slow down', code: 429 }, 'rate_limited'],
    [503, { error: 'service_unavailable', message: 'down', code: 503 }, 'vendor_unavailable'],
  ])('%i %j → %s, keeping the vendor’s message', (status, body, code) => {
    const d = describeAudianError(status, JSON.stringify(body));
    expect(d.code).toBe(code);
    expect(d.vendorMessage).toBe(body.message);
    expect(d.message).not.toBe(body.message);
  });
  it('falls back to the status when the body is not JSON', () => {
    expect(describeAudianError(502, '<html>Bad gateway</html>')).toEqual({ code: 'vendor_unavailable', message: 'The vendor is unavailable right now.' });
    expect(describeAudianError(404, '')).toMatchObject({ code: 'not_found' });
  });
  it('names the failure even when the status disagrees with the error name', () => {
    expect(describeAudianError(400, JSON.stringify({ error: 'transfer_failed', message: 'x' })).code).toBe('action_failed');
  });
});

describe('Audian capabilities', () => {
  it('supports barge and the call actions, nothing quiet', () => {
    expect(audianCapabilities['monitor.barge'].supported).toBe(true);
    for (const name of ['call.details', 'call.hold', 'call.transfer.attended', 'call.conference.remove', 'call.dtmf.gather', 'call.hangup'] as const) {
      expect(audianCapabilities[name].supported).toBe(true);
    }
  });
  it('explains listen and whisper the way the supervisor needs to read it', () => {
    const listen = audianCapabilities['monitor.listen'];
    expect(listen).toEqual({
      supported: false,
      reason: 'Audian has no listen or whisper mode; a supervisor can only join the call through a conference, where everyone hears them (barge)',
    });
    expect(audianCapabilities['monitor.whisper']).toEqual(listen);
  });
  it.each([
    'monitor.changeInPlace',
    'call.recording',
    'call.disposition',
    'call.manualAgentCall',
    'agents.list',
    'agent.ready',
    'agent.notReady',
    'agent.logoff',
    'agent.switchService',
    'chat',
    'services.list',
  ] as const)('refuses %s with a reason', (name) => {
    const c = audianCapabilities[name];
    expect(c.supported).toBe(false);
    if (!c.supported) expect(c.reason.length).toBeGreaterThan(20);
  });
});
