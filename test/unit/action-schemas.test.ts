// The action schemas refuse what a vendor must never be sent: URLs it would fetch that are not
// http(s), and identifiers or texts that are only whitespace.
import { describe, expect, it } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { CallAction } from '../../main/domain/actions.js';
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
