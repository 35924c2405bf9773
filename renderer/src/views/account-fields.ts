// The account form's field definitions, one table per vendor, mirroring the zod AccountConfig in
// main/domain/account.ts (keys are type-checked against it). The renderer validates with these
// before sending; the engine validates again with the schema itself and has the last word.
// Only types are imported from main: the schemas stay out of the renderer bundle (zod's JIT probe
// would trip the CSP).
import type { AccountConfig, AccountConfigInput, SecretField } from '../../../main/domain/account.js';
import type { Vendor } from '../../../main/domain/model.js';
import type { ErrorInfo, PollPaceView } from '../../../preload/contract.js';
import { credentialHosts, isPlainHttpToRemote, secretsUsed } from '../../../main/domain/credential-hosts.js';
// Plain functions, no zod: the form checks a zone exactly as the schema does.
import { hostTimeZone, timeZoneProblem } from '../../../main/domain/time-zone.js';

export const VENDOR_ORDER: readonly Vendor[] = ['engage-voice', 'exotel', 'audian', 'livevox'];

/** For tight table cells. */
export const VENDOR_SHORT: Record<Vendor, string> = {
  'engage-voice': 'Engage Voice',
  exotel: 'Exotel',
  audian: 'Audian',
  livevox: 'LiveVox',
};

export const VENDOR_NAMES: Record<Vendor, string> = {
  'engage-voice': 'RingCentral Engage Voice',
  exotel: 'Exotel',
  audian: 'Audian',
  livevox: 'LiveVox',
};

type ConfigOf<V extends Vendor> = Extract<AccountConfigInput, { vendor: V }>;
type CommonKey = 'vendor' | 'id' | 'label' | 'supervisorPhone' | 'demo' | 'enabled';
type VendorKey<V extends Vendor> = Exclude<keyof ConfigOf<V>, CommonKey> & string;

/** What a form input holds: text for text-like inputs, a flag for checkboxes. */
export type DraftValue = string | boolean;
export type Draft = Record<string, DraftValue>;

export interface Preset {
  label: string;
  value: string;
}

export interface FieldDef<K extends string = string> {
  key: K;
  label: string;
  kind: 'text' | 'url' | 'int' | 'select' | 'checkbox' | 'preset-url' | 'timezone';
  required?: boolean | ((d: Draft) => boolean);
  placeholder?: string;
  help?: string;
  options?: readonly Preset[];
  /** preset-url: the named choices; anything else is "Custom URL". */
  presets?: readonly Preset[];
  min?: number;
  max?: number;
  maxLength?: number;
  pattern?: { re: RegExp; message: string };
  /** Shown only when this holds (e.g. RingCentral fields in rc auth mode). */
  when?: (d: Draft) => boolean;
  initial: DraftValue;
  /** Rarely changed: tucked under "Advanced". */
  advanced?: boolean;
}

export interface SecretDef {
  key: SecretField;
  label: string;
  help: string;
  when?: (d: Draft) => boolean;
}

export const EXOTEL_REGIONS: readonly Preset[] = [
  { label: 'Singapore (api.exotel.com)', value: 'https://api.exotel.com' },
  { label: 'Mumbai (api.in.exotel.com)', value: 'https://api.in.exotel.com' },
];

export const LIVEVOX_ENVIRONMENTS: readonly Preset[] = [
  { label: 'NA3 (api.livevox.com)', value: 'https://api.livevox.com' },
  { label: 'NA4 (api.na4.livevox.com)', value: 'https://api.na4.livevox.com' },
  { label: 'NA5 (api.na5.livevox.com)', value: 'https://api.na5.livevox.com' },
  { label: 'NA6 (api.na6.livevox.com)', value: 'https://api.na6.livevox.com' },
];

const rc = (d: Draft): boolean => d.authMode === 'rc';
const apiTokenMode = (d: Draft): boolean => d.authMode !== 'rc';

type VendorFields = { [V in Vendor]: readonly FieldDef<VendorKey<V>>[] };

export const VENDOR_FIELDS: VendorFields = {
  'engage-voice': [
    {
      key: 'baseUrl',
      label: 'API base URL',
      kind: 'url',
      required: true,
      placeholder: 'https://engage.ringcentral.com/voice',
      help: 'RingCX: https://<host>/voice. Legacy Engage: https://portal.vacd.biz/api.',
      initial: '',
    },
    { key: 'accountId', label: 'Account id', kind: 'text', required: true, maxLength: 200, help: 'The Engage Voice account number shown in the admin portal.', initial: '' },
    {
      key: 'authMode',
      label: 'Sign-in method',
      kind: 'select',
      options: [
        { value: 'apiToken', label: 'API token (X-Auth-Token)' },
        { value: 'rc', label: 'RingCentral JWT app' },
      ],
      initial: 'apiToken',
    },
    { key: 'rcPlatformUrl', label: 'RingCentral platform URL', kind: 'url', required: rc, when: rc, initial: 'https://platform.ringcentral.com' },
    { key: 'rcClientId', label: 'RingCentral client id', kind: 'text', required: rc, when: rc, maxLength: 200, help: 'From the JWT app in the RingCentral developer console.', initial: '' },
    {
      key: 'authBaseUrl',
      label: 'Token exchange URL',
      kind: 'url',
      placeholder: 'derived from the base URL',
      help: 'Only when the Engage token exchange is on another host.',
      advanced: true,
      initial: '',
    },
    {
      key: 'timeZone',
      label: 'Time zone',
      kind: 'timezone',
      help: 'For timestamps the API sends without a zone, and callback times. An IANA zone (follows daylight saving) or UTC±HH:MM.',
      advanced: true,
      initial: hostTimeZone(),
    },
    { key: 'listPageSize', label: 'Active-call page size', kind: 'int', min: 1, max: 10_000, placeholder: 'whole list in one read', advanced: true, initial: '' },
    { key: 'listProduct', label: 'Active-call product filter', kind: 'text', maxLength: 50, placeholder: 'e.g. ACCOUNT', advanced: true, initial: '' },
    { key: 'listProductId', label: 'Active-call product id', kind: 'text', maxLength: 50, advanced: true, initial: '' },
    {
      key: 'pollEverySec',
      label: 'Refresh calls and agents every (seconds)',
      kind: 'int',
      min: 1,
      max: 60,
      placeholder: '5, as RingCX advises',
      help: 'Faster uses more of the 120 requests a minute Engage Voice allows; Switchboard never goes past it.',
      advanced: true,
      initial: '',
    },
  ],
  exotel: [
    { key: 'accountSid', label: 'Account SID', kind: 'text', required: true, maxLength: 200, help: 'Dashboard → API settings.', initial: '' },
    {
      key: 'v1BaseUrl',
      label: 'Region',
      kind: 'preset-url',
      required: true,
      presets: EXOTEL_REGIONS,
      help: 'The cluster your Exotel account lives in; a wrong region answers "not found".',
      initial: 'https://api.exotel.com',
    },
    {
      key: 'v3BaseUrl',
      label: 'v3 API base URL',
      kind: 'url',
      required: true,
      help: 'Active calls. Some accounts use https://ccm-api.exotel.com (or ccm-api.in.exotel.com).',
      initial: 'https://api.exotel.com',
    },
    {
      key: 'v1Format',
      label: 'v1 response format',
      kind: 'select',
      options: [
        { value: 'json', label: 'JSON' },
        { value: 'xml', label: 'XML' },
      ],
      advanced: true,
      initial: 'json',
    },
    {
      key: 'timeZone',
      label: 'Time zone',
      kind: 'timezone',
      help: 'v1 dates carry no zone; Exotel writes them in Asia/Kolkata (IST) unless your account is set to another zone.',
      advanced: true,
      initial: 'Asia/Kolkata',
    },
    { key: 'v3PageSize', label: 'v3 page size', kind: 'int', min: 1, max: 500, advanced: true, initial: '100' },
  ],
  audian: [
    { key: 'baseUrl', label: 'API base URL', kind: 'url', required: true, initial: 'https://api.audian.com:8443' },
    {
      key: 'authHeader',
      label: 'Send the API key as',
      kind: 'select',
      options: [
        { value: 'x-auth-token', label: 'X-Auth-Token header' },
        { value: 'bearer', label: 'Authorization: Bearer' },
      ],
      advanced: true,
      initial: 'x-auth-token',
    },
    {
      key: 'requestsPerMinute',
      label: 'Requests a minute',
      kind: 'int',
      min: 10,
      max: 6000,
      placeholder: '60 (Switchboard default)',
      help: 'Audian publishes no rate limit. Raise it only if Audian allows more for your account; a third is kept for your clicks.',
      advanced: true,
      initial: '',
    },
  ],
  livevox: [
    { key: 'baseUrl', label: 'Environment', kind: 'preset-url', required: true, presets: LIVEVOX_ENVIRONMENTS, initial: 'https://api.livevox.com' },
    { key: 'clientName', label: 'Client name', kind: 'text', required: true, maxLength: 200, initial: '' },
    { key: 'userName', label: 'User name', kind: 'text', required: true, maxLength: 200, help: 'A supervisor with the Sysadmin, Superuser or Manager role.', initial: '' },
    {
      key: 'supervisorExtension',
      label: 'Supervisor extension',
      kind: 'text',
      pattern: { re: /^[0-9]{0,10}$/, message: 'Digits only, at most 10.' },
      initial: '',
    },
    {
      key: 'apiVersion',
      label: 'API version',
      kind: 'text',
      placeholder: 'unversioned, e.g. v6.0',
      pattern: { re: /^(v[0-9.]+)?$/, message: 'Empty, or like v6.0.' },
      advanced: true,
      initial: '',
    },
    { key: 'excludeOwnChat', label: "Leave my own chat messages out of the vendor's history", kind: 'checkbox', advanced: true, initial: false },
    {
      key: 'requestsPerMinute',
      label: 'Requests a minute',
      kind: 'int',
      min: 10,
      max: 6000,
      placeholder: '60 (Switchboard default)',
      help: 'LiveVox publishes no rate limit. Raise it only if LiveVox allows more for your account; a third is kept for your clicks.',
      advanced: true,
      initial: '',
    },
  ],
};

export const VENDOR_SECRETS: Record<Vendor, readonly SecretDef[]> = {
  'engage-voice': [
    { key: 'apiToken', label: 'API token', help: 'Admin portal → API tokens.', when: apiTokenMode },
    { key: 'rcClientSecret', label: 'RingCentral client secret', help: 'From the JWT app.', when: rc },
    { key: 'rcJwt', label: 'RingCentral JWT', help: "The supervisor's JWT credential.", when: rc },
  ],
  exotel: [
    { key: 'apiKey', label: 'API key', help: 'Dashboard → API settings.' },
    { key: 'apiToken', label: 'API token', help: 'Dashboard → API settings.' },
  ],
  audian: [{ key: 'apiKey', label: 'API key', help: 'From your Audian portal.' }],
  livevox: [
    { key: 'accessToken', label: 'API access token', help: 'Issued by LiveVox for your client.' },
    { key: 'password', label: 'Password', help: "The supervisor user's password." },
  ],
};

export const SECRET_LABELS: Record<SecretField, string> = {
  apiToken: 'API token',
  rcClientSecret: 'Client secret',
  rcJwt: 'JWT',
  apiKey: 'API key',
  accessToken: 'Access token',
  password: 'Password',
};

/** The secrets an account of this shape needs (Engage Voice depends on its sign-in method). */
export function secretsNeeded(vendor: Vendor, d: Draft): readonly SecretDef[] {
  return VENDOR_SECRETS[vendor].filter((s) => !s.when || s.when(d));
}

export function isShown(f: FieldDef, d: Draft): boolean {
  return !f.when || f.when(d);
}

export function isRequired(f: FieldDef, d: Draft): boolean {
  return typeof f.required === 'function' ? f.required(d) : f.required === true;
}

// ---- drafts ---------------------------------------------------------------------------------

const asText = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function emptyDraft(vendor: Vendor): Draft {
  const d: Draft = { label: '', id: '', supervisorPhone: '', enabled: true };
  for (const f of VENDOR_FIELDS[vendor] as readonly FieldDef[]) d[f.key] = f.initial;
  return d;
}

export function draftFrom(config: AccountConfig): Draft {
  const d = emptyDraft(config.vendor);
  const source = config as unknown as Record<string, unknown>;
  d.label = config.label;
  d.id = config.id;
  d.supervisorPhone = config.supervisorPhone ?? '';
  d.enabled = config.enabled;
  for (const f of VENDOR_FIELDS[config.vendor] as readonly FieldDef[]) {
    const v = source[f.key];
    d[f.key] = f.kind === 'checkbox' ? v === true : asText(v);
  }
  return d;
}

/** A readable id from a label: "Mumbai Sales" → "mumbai-sales", unique among `taken`. */
export function slugify(label: string, taken: readonly string[]): string {
  let base = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  if (!base) base = 'account';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/** "Password" → "password", but "API key" stays as it is. */
const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/** Suggestions for a time zone field: the runtime's IANA zones, and the names a list may leave out. */
export function timeZoneChoices(): string[] {
  return [...new Set(['UTC', 'Asia/Kolkata', ...Intl.supportedValuesOf('timeZone')])];
}

// ---- validation ------------------------------------------------------------------------------

export const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const PHONE_RE = /^\+?[0-9]{3,15}$/;

export function urlProblem(value: string): string | null {
  if (value.length > 2048) return 'At most 2048 characters.';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'A full URL, like https://api.example.com.';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Must start with https://.';
  if (!u.hostname) return 'The URL needs a host name.';
  // Credentials travel to this URL: never unencrypted, except to a simulator on this computer.
  if (isPlainHttpToRemote(value)) return 'Must start with https:// (http:// only for a simulator on this computer).';
  return null;
}

export function validateDraft(
  vendor: Vendor,
  d: Draft,
  opts: { isNew: boolean; takenIds: readonly string[]; secrets: Record<string, string>; secretsSet: readonly string[] },
): Record<string, string> {
  const errors: Record<string, string> = {};
  const text = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

  if (!text('label')) errors.label = 'Give the account a name.';
  else if (text('label').length > 100) errors.label = 'At most 100 characters.';
  if (opts.isNew) {
    const id = text('id');
    if (!id) errors.id = 'Required: filled in from the name, or type one.';
    else if (!ID_RE.test(id)) errors.id = 'Lowercase letters, digits and dashes; starts with a letter or digit; at most 63.';
    else if (opts.takenIds.includes(id)) errors.id = 'Another account already uses this id.';
  }
  const phone = text('supervisorPhone');
  if (phone && !PHONE_RE.test(phone)) errors.supervisorPhone = 'Digits only, optionally starting with +, 3 to 15 digits (e.g. +14155550100).';

  for (const f of VENDOR_FIELDS[vendor] as readonly FieldDef[]) {
    if (!isShown(f, d) || f.kind === 'checkbox' || f.kind === 'select') continue;
    const v = text(f.key);
    if (!v) {
      if (isRequired(f, d)) errors[f.key] = f.kind === 'preset-url' ? 'Enter the custom URL.' : 'Required.';
      continue;
    }
    if (f.kind === 'url' || f.kind === 'preset-url') {
      const p = urlProblem(v);
      if (p) errors[f.key] = p;
    } else if (f.kind === 'timezone') {
      const p = timeZoneProblem(v);
      if (p) errors[f.key] = p;
    } else if (f.kind === 'int') {
      if (!/^-?[0-9]+$/.test(v)) errors[f.key] = 'A whole number.';
      else if ((f.min !== undefined && Number(v) < f.min) || (f.max !== undefined && Number(v) > f.max)) errors[f.key] = `Between ${f.min} and ${f.max}.`;
    } else {
      if (f.maxLength !== undefined && v.length > f.maxLength) errors[f.key] = `At most ${f.maxLength} characters.`;
      else if (f.pattern && !f.pattern.re.test(v)) errors[f.key] = f.pattern.message;
    }
  }

  for (const s of secretsNeeded(vendor, d)) {
    const given = opts.secrets[s.key] ?? '';
    if (!given && !opts.secretsSet.includes(s.key)) errors[`secret:${s.key}`] = `Enter the ${lowerFirst(s.label)}.`;
    else if (given.length > 8192) errors[`secret:${s.key}`] = 'At most 8192 characters.';
  }
  return errors;
}

/**
 * The AccountConfig to send: the existing config (so fields this form does not show survive) with
 * the draft on top; empty optional fields are left out so the schema's defaults apply.
 */
export function buildConfig(vendor: Vendor, d: Draft, existing: AccountConfig | null): AccountConfigInput {
  const out: Record<string, unknown> = existing ? { ...existing } : { vendor, demo: false };
  const text = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');
  out.id = existing ? existing.id : text('id');
  out.label = text('label');
  out.enabled = d.enabled === true;
  if (text('supervisorPhone')) out.supervisorPhone = text('supervisorPhone');
  else delete out.supervisorPhone;
  for (const f of VENDOR_FIELDS[vendor] as readonly FieldDef[]) {
    if (f.kind === 'checkbox') {
      out[f.key] = d[f.key] === true;
      continue;
    }
    const v = text(f.key);
    if (!isShown(f, d) && f.kind !== 'select') {
      // Hidden (e.g. RingCentral fields in token mode): keep what was saved, add nothing new.
      continue;
    }
    if (v === '') delete out[f.key];
    else if (f.kind === 'int') out[f.key] = Number(v);
    else if (f.kind === 'url' || f.kind === 'preset-url') out[f.key] = v.replace(/\/+$/, '');
    else out[f.key] = v;
  }
  return out as unknown as AccountConfigInput;
}

/**
 * Saved secrets the edited account would send to other hosts than they were entered for (a new base
 * URL, region or environment): the engine withholds them, so they must be typed in again.
 */
export function secretsToReenter(saved: AccountConfig, next: AccountConfigInput): SecretField[] {
  return secretsUsed(next).filter((f) => credentialHosts(saved, f) !== credentialHosts(next, f));
}

/** Only the secrets typed in (write-only: what is already stored is never read back). */
export function secretsToSend(vendor: Vendor, d: Draft, values: Record<string, string>): Partial<Record<SecretField, string>> {
  const out: Partial<Record<SecretField, string>> = {};
  for (const s of secretsNeeded(vendor, d)) {
    const v = values[s.key] ?? '';
    if (v !== '') out[s.key] = v;
  }
  return out;
}

// ---- presentation ----------------------------------------------------------------------------

/** Base URL or region, the way a supervisor names it. */
export function endpointOf(config: AccountConfig): { name: string | null; url: string } {
  const preset = (list: readonly Preset[], url: string): string | null => list.find((p) => p.value === url)?.label.split(' ')[0] ?? null;
  switch (config.vendor) {
    case 'engage-voice':
      return { name: null, url: config.baseUrl };
    case 'exotel':
      return { name: preset(EXOTEL_REGIONS, config.v1BaseUrl), url: config.v1BaseUrl };
    case 'audian':
      return { name: null, url: config.baseUrl };
    case 'livevox':
      return { name: preset(LIVEVOX_ENVIRONMENTS, config.baseUrl), url: config.baseUrl };
  }
}

/** What a failed connection test means, by error code: the headline a supervisor acts on. */
export function explainTestFailure(error: ErrorInfo, vendor: Vendor): { title: string; hint: string } {
  const where = vendor === 'exotel' ? 'region / base URLs' : vendor === 'livevox' ? 'environment / base URL' : 'base URL';
  switch (error.code) {
    case 'network':
      return { title: 'Host unreachable', hint: `Nothing answered at that address. Check the ${where} and this computer's network or proxy.` };
    case 'proxy':
      return { title: 'Proxy in the way', hint: 'A proxy between this computer and the vendor refused or could not be reached; the vendor was not contacted. Check the proxy settings, or ask your IT team to allow this host.' };
    case 'certificate':
      return { title: 'Certificate not trusted', hint: `The vendor's HTTPS certificate was refused, so nothing was sent. Check the ${where}; on a network that inspects HTTPS, its CA certificate must be trusted (Settings → Network).` };
    case 'timeout':
      return { title: 'No answer in time', hint: `The host did not answer within 8 seconds. Check the ${where}, or try again.` };
    case 'not_found':
      return { title: 'Wrong region or address', hint: `The host answered but does not know this account. Check the ${where} and the account identifiers.` };
    case 'auth_failed':
      return { title: 'Credentials rejected', hint: 'The vendor refused the credentials. Re-enter them (Replace) and check they belong to this account.' };
    case 'forbidden':
      return {
        title: 'Not allowed: feature or role missing',
        hint:
          vendor === 'exotel'
            ? 'Signed in, but this account may not use the API. Ask Exotel support to enable it (and Listen/Whisper/Barge), or check the region.'
            : 'Signed in, but this user or account is not allowed to do this. Check the role or ask the vendor to enable the feature.',
      };
    case 'rate_limited':
      return { title: 'Rate limited', hint: 'The vendor is throttling requests; wait a minute and test again.' };
    case 'vendor_unavailable':
      return { title: 'Vendor unavailable', hint: `The vendor's service is down or did not answer. Check the ${where}, then try again later.` };
    case 'bad_response':
      return { title: 'Unexpected answer', hint: `Something answered, but not like ${VENDOR_NAMES[vendor]}'s API. Check the ${where}.` };
    case 'not_configured':
      return { title: 'Not configured', hint: 'Something this account needs is missing.' };
    case 'invalid_input':
      return { title: 'Request refused', hint: 'The vendor rejected the request as invalid; check the account fields.' };
    default:
      return { title: 'Connection test failed', hint: '' };
  }
}

const LIST_NAMES: Record<PollPaceView['slowed'][number]['list'], string> = { calls: 'calls', agents: 'agents', chat: 'chat', details: 'call details' };

/** "Polling slower because of its limit: calls every 5 s instead of 3 s", and any hold by the vendor. */
export function describePace(pace: PollPaceView, now: number): string | null {
  const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const parts: string[] = [];
  if (pace.heldUntil !== null && pace.heldUntil > now) parts.push(`held by the vendor's rate limit for ${Math.ceil((pace.heldUntil - now) / 1000)} s more`);
  for (const s of pace.slowed) parts.push(`${LIST_NAMES[s.list]} every ${secs(s.everyMs)} instead of ${secs(s.normalMs)}`);
  return parts.length ? `Polling slower because of its limit: ${parts.join('; ')}` : null;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d`;
}
