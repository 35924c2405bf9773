// Engage Voice error bodies → stable codes, keeping the vendor's own words. Engage answers JSON
// {errorCode, generalMessage, details, requestUri, timestamp, validationErrors?}; an expired token is a
// bare text `Jwt is expired`; the RingCentral platform (JWT grant) answers OAuth {error, error_description}.
import { codeForStatus, messageForCode, type VendorErrorDetail } from '../shared/http.js';
import type { EvErrorBody } from './types.js';

const MAX_VENDOR_MESSAGE = 500;

export function describeError(status: number, text: string): VendorErrorDetail {
  const code = codeForStatus(status);
  const vendorMessage = vendorWords(text);
  return vendorMessage === undefined
    ? { code, message: messageForCode(code) }
    : { code, message: messageForCode(code), vendorMessage };
}

/** The vendor's own message from any of its error forms, or undefined when it said nothing usable. */
export function vendorWords(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('<')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return clip(trimmed);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return clip(trimmed);
  const body = parsed as EvErrorBody & { error?: unknown; error_description?: unknown; message?: unknown };
  const parts: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '' && !parts.includes(v.trim())) parts.push(v.trim());
  };
  push(body.generalMessage);
  push(body.details);
  for (const v of body.validationErrors ?? []) push(typeof v === 'string' ? v : (v.message ?? v.defaultMessage));
  push(body.error_description);
  push(body.message);
  if (parts.length === 0) push(body.error);
  if (parts.length === 0 && body.errorCode !== undefined) push(String(body.errorCode));
  return parts.length === 0 ? undefined : clip(parts.join(' — '));
}

// A vendor that echoes a request could echo a token; never let one reach a toast or a log.
const JWT_LIKE = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;
function clip(s: string): string {
  const clean = s.replace(JWT_LIKE, '[token]');
  return clean.length > MAX_VENDOR_MESSAGE ? `${clean.slice(0, MAX_VENDOR_MESSAGE)}…` : clean;
}
