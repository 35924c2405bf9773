import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../main/domain/actions.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { liveVoxCapabilities } from '../../main/vendors/livevox/capabilities.js';
import { decode, describeLiveVoxError } from '../../main/vendors/livevox/decode.js';
import { HttpCore } from '../../main/vendors/shared/http.js';
import { MonitorStateResponse } from '../../main/vendors/livevox/types.js';

describe('LiveVox error bodies', () => {
  it.each([
    [400, 'invalid_input'],
    [401, 'auth_failed'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'invalid_state'],
    [429, 'rate_limited'],
    [503, 'vendor_unavailable'],
  ] as const)('%i → %s, keeping {code, message} as the vendor message', (status, code) => {
    const d = describeLiveVoxError(status, JSON.stringify({ code: 'E1', message: 'Agent busy' }));
    expect(d.code).toBe(code);
    expect(d.vendorMessage).toBe('E1: Agent busy');
    expect(d.message).not.toContain('Agent busy');
  });

  it('points a 401 at credentials and the environment', () => {
    expect(describeLiveVoxError(401, '{"code":401,"message":"x"}').message).toMatch(/environment/);
  });

  it('keeps a message without a code, and shows nothing of a body that is not JSON', () => {
    expect(describeLiveVoxError(400, '{"message":"bad"}').vendorMessage).toBe('bad');
    const html = describeLiveVoxError(502, '<html>proxy says no</html>');
    expect(html).toEqual({ code: 'vendor_unavailable', message: expect.any(String) });
  });

  it('redacts secrets the vendor echoes back (as the client reads errors: through HttpCore)', () => {
    const core = new HttpCore({ baseURL: 'http://127.0.0.1:9', describeError: describeLiveVoxError, secrets: ['hunter22', 'TOKEN-1', undefined] });
    const d = core.describe(401, JSON.stringify({ message: 'bad password hunter22 for token TOKEN-1' }));
    expect(d.vendorMessage).toBe('bad password *** for token ***');
  });

  it('turns a body of the wrong shape or not JSON into bad_response', () => {
    expect(decode(MonitorStateResponse, '{"activeCall":true}', 'state')).toEqual({ activeCall: true });
    for (const text of ['{"activeCall":"yes"}', '{"activeCall":', '']) {
      expect(() => decode(MonitorStateResponse, text, 'state')).toThrow(expect.objectContaining({ code: 'bad_response' }) as SwitchboardError);
    }
  });
});

describe('LiveVox capabilities', () => {
  it('supports monitoring (in place), agent states, service switching, chat and services', () => {
    const supported = CAPABILITIES.filter((c) => liveVoxCapabilities[c].supported);
    expect(supported).toEqual([
      'monitor.listen',
      'monitor.whisper',
      'monitor.barge',
      'monitor.changeInPlace',
      'agents.list',
      'agent.ready',
      'agent.notReady',
      'agent.logoff',
      'agent.switchService',
      'chat',
      'services.list',
    ]);
  });

  it('gives a readable reason for everything else', () => {
    for (const c of CAPABILITIES) {
      const cap = liveVoxCapabilities[c];
      if (!cap.supported) expect(cap.reason.length).toBeGreaterThan(30);
    }
  });
});
