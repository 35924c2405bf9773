// Reading Exotel bodies: v1 answers XML or JSON (whichever it likes, whatever we asked for), v3
// answers a JSON envelope. Both end up as the same plain objects, checked against types.ts.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import { SwitchboardError } from '../../domain/errors.js';
import { codeForStatus, messageForCode, parseJson, type VendorErrorDetail } from '../shared/http.js';
import { V1Leg } from './types.js';

// Every XML value stays text: phone numbers such as "09876543210" must keep their leading zero.
const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true, ignoreDeclaration: true, trimValues: true });

function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** A v1 body as a plain object, XML or JSON decided by the body itself, never by what we asked for. */
export function decodeV1(text: string, what: string): unknown {
  if (!looksLikeXml(text)) return parseJson(text, what);
  if (XMLValidator.validate(text) !== true) {
    throw new SwitchboardError('bad_response', `Exotel sent a malformed ${what} (not valid XML).`);
  }
  return xml.parse(text) as unknown;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** XML wraps everything in <TwilioResponse>; Exotel's JSON usually drops that root. Accept both. */
function root(body: unknown): Record<string, unknown> | undefined {
  const top = record(body);
  return record(top?.TwilioResponse) ?? top;
}

function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new SwitchboardError('bad_response', `Exotel sent ${what} Switchboard could not read.`);
  return r.data;
}

/**
 * ActiveLegs: JSON `{"Legs":[...]}` (the document's samples, introduced as "an XML similar to");
 * XML `<Legs><Leg>..</Leg>...</Legs>`, where one leg parses as an object and none as "".
 */
export function readLegList(body: unknown): V1Leg[] {
  const r = root(body);
  if (!r || !('Legs' in r)) throw new SwitchboardError('bad_response', 'Exotel sent an active-legs answer without Legs.');
  const legs = r.Legs;
  let items: unknown;
  if (legs === '' || legs === null) items = [];
  else if (Array.isArray(legs)) items = legs;
  else {
    const inner = record(legs)?.Leg;
    items = inner === undefined ? undefined : Array.isArray(inner) ? inner : [inner];
  }
  return check(V1Leg.array(), items, 'a leg list');
}

/** POST/PUT Legs: `<TwilioResponse><Leg>` in XML; `{"Leg":{..}}` or a bare leg in JSON. */
export function readLeg(body: unknown): V1Leg {
  const r = root(body);
  const leg = record(r?.Leg) ?? (r && 'Sid' in r ? r : undefined);
  if (!leg) throw new SwitchboardError('bad_response', 'Exotel sent a leg answer without a Leg.');
  return check(V1Leg, leg, 'a leg');
}

/**
 * A v3 envelope. Its own http_code can report a failure inside an HTTP 200 (the envelope repeats the
 * status for a reason); such a body is read as the error it reports.
 */
export function readV3<T extends z.ZodType>(
  schema: T,
  text: string,
  what: string,
  describe: (status: number, text: string) => VendorErrorDetail,
): z.infer<T> {
  const body = parseJson(text, what);
  const inner = record(body)?.http_code;
  if (typeof inner === 'number' && inner >= 400) {
    const d = describe(inner, text);
    throw new SwitchboardError(d.code, d.message, d.vendorMessage === undefined ? {} : { vendorMessage: d.vendorMessage });
  }
  return check(schema, body, what);
}

// ---------------------------------------------------------------- errors

const MESSAGES: { test: RegExp; code: VendorErrorDetail['code']; message: string }[] = [
  {
    // "Given callSID is not in-progress": ringing, or already ended.
    test: /not in-progress/i,
    code: 'invalid_state',
    message: 'The call is not in progress on Exotel (still ringing, or already ended).',
  },
  { test: /legSID does not exist/i, code: 'not_found', message: 'That leg is no longer on the call; it may have hung up.' },
  {
    test: /PhoneNumber is missing or invalid/i,
    code: 'invalid_input',
    message: "Exotel refused the supervisor phone number; check it in this account's settings.",
  },
];

/** The vendor's own words from any Exotel error body: v1 RestException (XML or JSON), or the v3 envelope. */
export function vendorMessageOf(text: string): string | undefined {
  let body: unknown;
  try {
    // Lenient on purpose: the document's own failure sample has shell residue ("sh-3.2#") after the root.
    body = looksLikeXml(text) ? xml.parse(text) : JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = root(body);
  const rest = record(r?.RestException);
  if (rest && rest.Message !== undefined) return String(rest.Message);
  const response = record(r?.response);
  const data = record(response?.error_data);
  const said = data?.description ?? data?.message ?? response?.message ?? response?.error;
  return typeof said === 'string' && said !== '' ? said : undefined;
}

/** The describeError hook: a stable code and the vendor's own words (HttpCore masks any secret in them). */
export function describeExotelError(status: number, text: string): VendorErrorDetail {
  const said = vendorMessageOf(text);
  const known = said === undefined ? undefined : MESSAGES.find((m) => m.test.test(said));
  const code = known?.code ?? codeForStatus(status);
  const message = known?.message ?? messageForCode(code);
  return said === undefined ? { code, message } : { code, message, vendorMessage: said.slice(0, 500) };
}
