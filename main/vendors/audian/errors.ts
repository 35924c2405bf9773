// Audian error bodies come in two shapes: call actions answer {error, message, code} with a named
// error, the Kazoo auth layer answers {"error":"401","message":"unauthorized","status":"error"}.
// Both carry the vendor's words in `message`, which ride along as vendorMessage.
import type { ErrorCode } from '../../domain/errors.js';
import { codeForStatus, messageForCode, type VendorErrorDetail } from '../shared/http.js';

const NAMED: Record<string, ErrorCode> = {
  not_found: 'not_found',
  invalid_state: 'invalid_state',
  // The vendor accepted the request and tried; the destination refused. Not worth retrying blindly.
  transfer_failed: 'action_failed',
  unauthorized: 'auth_failed',
  forbidden: 'forbidden',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  action_failed: 'Audian could not complete the action.',
};

export function describeAudianError(status: number, text: string): VendorErrorDetail {
  const body = readBody(text);
  const named = body?.error === undefined ? undefined : NAMED[body.error];
  // The Kazoo shape puts the status in `error` ("401"); anything unnamed falls back to the status.
  const code = named ?? codeForStatus(status);
  const message = MESSAGES[code] ?? messageForCode(code);
  return body?.message === undefined ? { code, message } : { code, message, vendorMessage: body.message };
}

function readBody(text: string): { error?: string; message?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const rec = parsed as Record<string, unknown>;
  const out: { error?: string; message?: string } = {};
  if (typeof rec.error === 'string') out.error = rec.error;
  if (typeof rec.message === 'string') out.message = rec.message.slice(0, 500);
  return out;
}
