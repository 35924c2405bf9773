// How the simulator reads Engage Voice parameters. The vendor's OpenAPI has them in the query string;
// the document's examples show a body, written as a JS object literal with bare keys
// (`{ username: "..." }`). A real server reading either must work, so the simulator reads the query,
// a JSON body and that literal form, and refuses anything the documents do not name.
import { SimReject, onlyFields, type SimRequest } from '../shared/sim-server.js';

export type Params = Record<string, unknown>;

export function readParams(req: SimRequest, allowed: readonly string[]): Params {
  const params: Params = Object.fromEntries(req.query);
  const body = req.body.trim();
  if (body !== '') {
    const type = String(req.headers['content-type'] ?? '');
    if (type !== '' && !type.includes('json') && !type.includes('text/plain')) {
      throw new SimReject(415, `Content type ${type} is not supported`);
    }
    Object.assign(params, parseObject(body));
  }
  onlyFields(params, allowed);
  return params;
}

const BARE_KEY = /([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g;

function parseObject(body: string): Params {
  for (const candidate of [body, body.replace(BARE_KEY, '$1"$2":')]) {
    try {
      const v = JSON.parse(candidate) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Params;
    } catch {
      /* try the next form */
    }
  }
  throw new SimReject(400, 'Request body is not a JSON object');
}

export function str(p: Params, name: string, required: true): string;
export function str(p: Params, name: string, required?: false): string | undefined;
export function str(p: Params, name: string, required = false): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw new SimReject(400, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new SimReject(400, `${name} must be a string`);
  return String(v);
}

export function bool(p: Params, name: string, required: boolean): boolean | undefined {
  const v = p[name];
  if (v === undefined) {
    if (required) throw new SimReject(400, `${name} is required`);
    return undefined;
  }
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new SimReject(400, `${name} must be true or false`);
}

export function int(p: Params, name: string, min: number, max: number, required: boolean): number | undefined {
  const v = p[name];
  if (v === undefined) {
    if (required) throw new SimReject(400, `${name} is required`);
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new SimReject(400, `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function oneOf<T extends string>(p: Params, name: string, values: readonly T[]): T {
  const v = str(p, name, true);
  if (!(values as readonly string[]).includes(v)) throw new SimReject(400, `${name} must be one of ${values.join(', ')}`);
  return v as T;
}

const PHONE = /^\+?\d{3,15}$/;
export function phone(p: Params, name: string): string {
  const v = str(p, name, true);
  if (!PHONE.test(v)) throw new SimReject(400, `${name} must be a phone number`);
  return v;
}

/** callBackDTS: yyyyMMddHHmmss, a real date. */
export function compactDate(p: Params, name: string): string {
  const v = str(p, name, true);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
  if (!m || !d || d.getUTCDate() !== +m[3]! || d.getUTCMonth() !== +m[2]! - 1 || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 59) {
    throw new SimReject(400, `${name} must be yyyyMMddHHmmss`);
  }
  return v;
}
