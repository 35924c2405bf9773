// Reading LiveVox bodies: success bodies against their schema, error bodies ({code, message}) into
// a stable code with the vendor's own words kept aside.
import type { z } from 'zod';
import { SwitchboardError } from '../../domain/errors.js';
import { codeForStatus, messageForCode, parseJson, type VendorErrorDetail } from '../shared/http.js';
import { ErrorBody } from './types.js';

/** A body that is not JSON, or JSON of the wrong shape, is a bad_response naming what we expected. */
export function decode<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  const raw = parseJson(text, `LiveVox ${what}`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new SwitchboardError('bad_response', `LiveVox sent an unexpected ${what}.`);
  return parsed.data;
}

export function describeLiveVoxError(status: number, text: string): VendorErrorDetail {
  const code = codeForStatus(status);
  const message =
    status === 401
      ? 'LiveVox rejected the session or credentials (a base URL for the wrong environment answers this way too).'
      : messageForCode(code);
  let body: ErrorBody | null = null;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text) as unknown);
    body = parsed.success ? parsed.data : null;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone decides, and the page is not shown.
  }
  const vendorMessage = body?.message ? (body.code === null || body.code === undefined ? body.message : `${String(body.code)}: ${body.message}`) : undefined;
  return vendorMessage === undefined ? { code, message } : { code, message, vendorMessage };
}
