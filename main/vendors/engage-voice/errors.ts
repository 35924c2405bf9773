// Engage Voice error bodies → stable codes, keeping the vendor's own words. Engage answers JSON
// {errorCode, generalMessage, details, requestUri, timestamp, validationErrors?}; an expired token is a
// bare text `Jwt is expired`; the RingCentral platform (JWT grant) answers OAuth {error, error_description}.
import type { ErrorCode } from '../../domain/errors.js';
import { codeForStatus, messageForCode, type VendorErrorDetail } from '../shared/http.js';
import type { EvErrorBody } from './types.js';

const MAX_VENDOR_MESSAGE = 500;

/**
 * errorCode values are not documented (NOTES.md lists only the field). Engage's are HTTP-style names
 * such as NOT_FOUND; a name that plainly says what went wrong is the vendor's own verdict, so it decides
 * the code even when the status is a generic 400 or 500 (a NOT_FOUND under a 500 changed nothing).
 * Any other value leaves the decision to the status. INTERNAL_SERVER_ERROR is left out on purpose:
 * it says no more than the status, and a 500 to an action must stay outcome_unknown.
 */
const CODE_BY_ERROR_CODE: Readonly<Record<string, ErrorCode>> = {
  BAD_REQUEST: 'invalid_input',
  VALIDATION_ERROR: 'invalid_input',
  UNAUTHORIZED: 'auth_failed',
  FORBIDDEN: 'forbidden',
  ACCESS_DENIED: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'invalid_state',
  TOO_MANY_REQUESTS: 'rate_limited',
  SERVICE_UNAVAILABLE: 'vendor_unavailable',
};

export function describeError(status: number, text: string): VendorErrorDetail {
  const code = codeForErrorCode(errorCodeIn(jsonObject(text.trim()))) ?? codeForStatus(status);
  const vendorMessage = vendorWords(text);
  return vendorMessage === undefined
    ? { code, message: messageForCode(code) }
    : { code, message: messageForCode(code), vendorMessage };
}

/** The code a known errorCode name stands for; undefined when it names nothing we recognise. */
export function codeForErrorCode(errorCode: string | undefined): ErrorCode | undefined {
  return errorCode === undefined ? undefined : CODE_BY_ERROR_CODE[errorCode.trim().toUpperCase()];
}

type ErrorBodyLike = EvErrorBody & { error?: unknown; error_description?: unknown; message?: unknown };

/** A JSON object body, or undefined for text, HTML, arrays and anything unparsable. */
function jsonObject(trimmed: string): ErrorBodyLike | undefined {
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ErrorBodyLike) : undefined;
  } catch {
    return undefined;
  }
}

/** errorCode as text, or undefined when the body has none. */
function errorCodeIn(body: ErrorBodyLike | undefined): string | undefined {
  const v = body?.errorCode;
  const s = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
  return s === '' ? undefined : s;
}

/** The vendor's own message from any of its error forms, or undefined when it said nothing usable. */
export function vendorWords(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('<')) return undefined;
  const body = jsonObject(trimmed);
  if (!body) return clip(trimmed);
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
  // errorCode leads, as "errorCode: generalMessage", so support can quote the vendor's own reference.
  const errorCode = errorCodeIn(body);
  if (parts.length === 0) return errorCode === undefined ? undefined : clip(errorCode);
  const words = parts.join(' — ');
  return clip(errorCode === undefined ? words : `${errorCode}: ${words}`);
}

// Secrets and JWT-shaped tokens a vendor echoes are masked by HttpCore (shared/scrub.ts), for every vendor.
function clip(s: string): string {
  return s.length > MAX_VENDOR_MESSAGE ? `${s.slice(0, MAX_VENDOR_MESSAGE)}…` : s;
}
