// The one scrubber every vendor's texts pass through (HttpCore): each secret in every form a vendor
// may echo it in, credential headers it learns from what was sent, and errors scrubbed whole.
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { SecretScrubber, formsOf } from '../../main/vendors/shared/scrub.js';

const SECRET = 'p@ss w/rd+"<&>';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('SecretScrubber', () => {
  const scrubber = new SecretScrubber([SECRET, undefined, 'abc']);

  it.each([
    ['as sent', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['URL-encoded in lower case', encodeURIComponent(SECRET).toLowerCase().replace(/p@ss/, 'p@ss')],
    ['form-encoded', new URLSearchParams({ k: SECRET }).toString().slice(2)],
    ['base64', b64(SECRET)],
    ['base64 without padding', b64(SECRET).replace(/=+$/, '')],
    ['base64url', b64(SECRET).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['XML-escaped', SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')],
  ])('masks a secret echoed %s', (_form, echoed) => {
    const out = scrubber.scrub(`refused: ${echoed} (see docs)`);
    expect(out).toBe('refused: *** (see docs)');
  });

  it('every form it searches for is one of the above, and the secret itself comes first', () => {
    const forms = formsOf(SECRET);
    expect(forms[0]).toBe(SECRET);
    expect(forms).toContain(encodeURIComponent(SECRET));
    expect(forms).toContain(b64(SECRET).replace(/=+$/, ''));
  });

  it('leaves text without a secret exactly as it was, and ignores values too short to mean anything', () => {
    const text = 'Call not found: abc is not a call id';
    expect(scrubber.scrub(text)).toBe(text);
    expect(scrubber.scrub(undefined)).toBeUndefined();
  });

  it('masks anything shaped like a JWT, whoever issued it', () => {
    expect(new SecretScrubber([]).scrub('bad token eyJhbGciOi.eyJzdWIiOjF9.sig here')).toBe('bad token [token] here');
  });

  it('learns credential headers it sent: the Basic pair and bearer tokens, whole and bare', () => {
    const s = new SecretScrubber(['key-1234', 'token-5678']);
    const pair = b64('key-1234:token-5678');
    s.learnHeaders({ Authorization: `Basic ${pair}`, 'LV-Session': 'session-abcdef' });
    expect(s.scrub(`got ${pair}`)).toBe('got ***');
    expect(s.scrub(`header was "Basic ${pair}"`)).toBe('header was "***"');
    expect(s.scrub('session session-abcdef expired')).toBe('session *** expired');
  });

  it('keeps only the latest learned tokens', () => {
    const s = new SecretScrubber([]);
    for (let i = 0; i < 40; i++) s.learn(`session-${String(i).padStart(3, '0')}`);
    expect(s.scrub('session-039')).toBe('***');
    expect(s.scrub('session-000')).toBe('session-000');
  });

  it('scrubs an error whole, keeping its code and Retry-After, and returns a clean one as it is', () => {
    const s = new SecretScrubber(['hunter22']);
    const dirty = new SwitchboardError('rate_limited', 'slow down hunter22', { vendorMessage: 'you sent hunter22', retryAfterSec: 3 });
    const clean = s.scrubError(dirty) as SwitchboardError;
    expect(clean).toBeInstanceOf(SwitchboardError);
    expect(clean).toMatchObject({ code: 'rate_limited', message: 'slow down ***', vendorMessage: 'you sent ***', retryAfterSec: 3 });
    const ok = new SwitchboardError('not_found', 'Call not found');
    expect(s.scrubError(ok)).toBe(ok);
  });
});
