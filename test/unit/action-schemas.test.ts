// The action schemas refuse what a vendor must never be sent: URLs it would fetch that are not
// http(s), and identifiers or texts that are only whitespace (the rest are trimmed).
import { describe, expect, it } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { CallAction, ManualAgentCall } from '../../main/domain/actions.js';
import { Dispatcher, type Handlers } from '../../main/engine/dispatcher.js';

const NOT_HTTP = ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.com/a.wav', 'ws://example.com/a', 'not a url'];
const HTTP = ['https://example.com/hold.wav', 'http://127.0.0.1:8080/a.mp3?x=1', 'HTTPS://EXAMPLE.COM/A'];

/** Every call action that carries a URL, with that URL in it. */
const withUrl = (url: string) => [
  { type: 'hold', holdMusicUrl: url },
  { type: 'play', audioUrl: url, participant: 'both' },
];

describe('call action URLs', () => {
  it('take http and https URLs', () => {
    for (const url of HTTP) for (const a of withUrl(url)) expect(CallAction.safeParse(a).success, `${a.type} ${url}`).toBe(true);
  });

  it('refuse any other scheme, saying what is wanted', () => {
    for (const url of NOT_HTTP) {
      for (const a of withUrl(url)) {
        const r = CallAction.safeParse(a);
        expect(r.success, `${a.type} ${url}`).toBe(false);
        expect(r.error!.issues[0]!.message).toBe('an http:// or https:// URL');
      }
    }
  });

  it('account URLs are restricted by the same rule', () => {
    const audian = (baseUrl: string) => AccountConfig.safeParse({ vendor: 'audian', id: 'a', label: 'A', baseUrl });
    expect(audian('https://api.audian.com:8443/').data).toMatchObject({ baseUrl: 'https://api.audian.com:8443' });
    for (const url of NOT_HTTP) expect(audian(url).error?.issues[0]?.message, url).toBe('an http:// or https:// URL');
  });

  it('a file: or javascript: URL is invalid_input at the dispatcher, and no handler runs', async () => {
    let ran = 0;
    const d = new Dispatcher(
      new Proxy({} as Handlers, {
        get: () => () => {
          ran++;
          return null;
        },
      }),
    );
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)']) {
      const r = await d.dispatch('calls.action', { callKey: 'a:1', action: { type: 'hold', holdMusicUrl: url } });
      expect(r).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid calls.action request: action.holdMusicUrl: an http:// or https:// URL' } });
    }
    expect(ran).toBe(0);
  });
});

describe('identifiers and texts a vendor needs', () => {
  const BLANK = ['', ' ', '   ', '\t\n', '\u00a0\u3000'];
  const call = { username: 'agent1@sim.example', destination: '+14155550123', ringDuration: 20, callerId: '+14155550100' };

  it('a manual call\'s username is trimmed, and only spaces is refused', () => {
    expect(ManualAgentCall.parse({ ...call, username: '  agent1@sim.example\n' }).username).toBe('agent1@sim.example');
    for (const username of BLANK) {
      const r = ManualAgentCall.safeParse({ ...call, username });
      expect(r.success, JSON.stringify(username)).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({ path: ['username'], message: 'must not be empty or only spaces' });
    }
  });

  it('the numbers of a manual call are trimmed too', () => {
    expect(ManualAgentCall.parse({ ...call, destination: ' +14155550123 ', callerId: '\t+14155550100' })).toMatchObject({ destination: '+14155550123', callerId: '+14155550100' });
    expect(ManualAgentCall.safeParse({ ...call, destination: '   ' }).success).toBe(false);
  });

  it('a disposition and a speech message are trimmed, and only spaces is refused', () => {
    expect(CallAction.parse({ type: 'disposition', disposition: ' Sale ', callback: false })).toMatchObject({ disposition: 'Sale' });
    expect(CallAction.parse({ type: 'play', message: ' Please hold ', participant: 'both' })).toMatchObject({ message: 'Please hold' });
    for (const blank of BLANK) {
      expect(CallAction.safeParse({ type: 'disposition', disposition: blank, callback: false }).success, JSON.stringify(blank)).toBe(false);
      expect(CallAction.safeParse({ type: 'play', message: blank, participant: 'both' }).success, JSON.stringify(blank)).toBe(false);
    }
  });

  it('the handler gets the trimmed username; a blank one is invalid_input and no handler runs', async () => {
    const got: unknown[] = [];
    const d = new Dispatcher(
      new Proxy({} as Handlers, {
        get: () => (input: unknown) => {
          got.push(input);
          return { detail: null };
        },
      }),
    );
    expect(await d.dispatch('accounts.manualCall', { accountId: 'ev', call: { ...call, username: ' agent1@sim.example ' } })).toMatchObject({ ok: true });
    expect(got).toEqual([{ accountId: 'ev', call }]);
    const r = await d.dispatch('accounts.manualCall', { accountId: 'ev', call: { ...call, username: '   ' } });
    expect(r).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid accounts.manualCall request: call.username: must not be empty or only spaces' } });
    expect(got).toHaveLength(1);
  });
});
