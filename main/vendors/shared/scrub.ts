// No secret rides out in vendor text. A vendor may echo what it was sent (a key in an error body, a
// login form quoted back, an Authorization header in a debug message), so every text HttpCore passes
// on is searched for each secret of the account in every form the vendor may have turned it into,
// and for every credential header HttpCore has sent (a Basic pair, a session or access token).
import { SwitchboardError } from '../../domain/errors.js';

export const SECRET_MASK = '***';
/** What a JWT-shaped value becomes: a token of any issuer (RingCentral's, Engage's) is a credential. */
export const TOKEN_MASK = '[token]';
const JWT_LIKE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/** Shorter values are not searched for: masking two characters would garble every message and hide nothing. */
const MIN_SECRET_LENGTH = 4;
/** Tokens learned from headers (sessions renew): the latest this many are kept, never an unbounded list. */
const MAX_LEARNED = 32;

/** The forms a vendor may echo a value in: as sent, URL- or form-encoded, base64, JSON- or XML-escaped. */
export function formsOf(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const padded = Buffer.from(secret, 'utf8').toString('base64');
  const b64 = padded.replace(/=+$/, '');
  const forms = [
    secret,
    uri,
    // Percent escapes are case-insensitive; a vendor may echo them in lower case.
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    // Padded first where it matches (longest wins), unpadded where a vendor or a URL dropped it.
    padded,
    b64,
    b64.replace(/\+/g, '-').replace(/\//g, '_'),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
  ];
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SecretScrubber {
  private readonly fixed: string[];
  private readonly learned: string[] = [];
  private pattern: RegExp | null = null;

  constructor(secrets: Iterable<string | undefined>) {
    this.fixed = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  }

  /** A credential the account did not configure but now uses (a session id, an access token). */
  learn(value: string): void {
    const v = value.trim();
    if (v.length < MIN_SECRET_LENGTH || this.fixed.includes(v) || this.learned.includes(v)) return;
    this.learned.push(v);
    if (this.learned.length > MAX_LEARNED) this.learned.shift();
    this.pattern = null;
  }

  /** Every value of credential headers; for `Basic x` and `Bearer x` the credential alone as well. */
  learnHeaders(headers: Record<string, string>): void {
    for (const value of Object.values(headers)) {
      this.learn(value);
      const scheme = /^\s*(?:basic|bearer)\s+(\S+)\s*$/i.exec(value);
      if (scheme?.[1]) this.learn(scheme[1]);
    }
  }

  scrub(text: string): string;
  scrub(text: string | undefined): string | undefined;
  scrub(text: string | undefined): string | undefined {
    if (text === undefined || text === '') return text;
    return text.replace(this.regex(), SECRET_MASK).replace(JWT_LIKE, TOKEN_MASK);
  }

  /** The same error with its message and vendor message scrubbed (the very same object when clean). */
  scrubError(err: unknown): unknown {
    if (!(err instanceof SwitchboardError)) return err;
    const message = this.scrub(err.message);
    const vendorMessage = this.scrub(err.vendorMessage);
    if (message === err.message && vendorMessage === err.vendorMessage) return err;
    return new SwitchboardError(err.code, message, {
      ...(vendorMessage === undefined ? {} : { vendorMessage }),
      ...(err.retryAfterSec === undefined ? {} : { retryAfterSec: err.retryAfterSec }),
    });
  }

  private regex(): RegExp {
    if (this.pattern) return this.pattern;
    const forms = [...new Set([...this.fixed, ...this.learned].flatMap(formsOf))].sort((a, b) => b.length - a.length);
    // Longest first, so a secret inside a longer learned value (a Basic pair) does not leave the rest behind.
    this.pattern = forms.length === 0 ? /(?!)/g : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
    return this.pattern;
  }
}
