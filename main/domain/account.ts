// Account settings: everything non-secret about a vendor account. Secrets live only in the vault,
// addressed by (account id, secret field); SECRET_FIELDS names which fields each vendor needs.
import { z } from 'zod';
import { HttpUrl, PhoneNumber } from './actions.js';
import { HTTPS_ONLY_MESSAGE, isPlainHttpToRemote } from './credential-hosts.js';
import { hostTimeZone, timeZoneProblem } from './time-zone.js';

/** Where credentials go: https only, except a simulator on loopback (see credential-hosts.ts). */
const Url = HttpUrl.refine((u) => !isPlainHttpToRemote(u), { error: HTTPS_ONLY_MESSAGE }).transform((u) => u.replace(/\/+$/, ''));
const Id = z.string().trim().min(1).max(200);
/** An IANA time zone (follows daylight saving) or a fixed UTC±HH:MM; see time-zone.ts. */
export const TimeZoneName = z.string().superRefine((name, ctx) => {
  const problem = timeZoneProblem(name);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  label: z.string().trim().min(1).max(100),
  /** The supervisor's own phone, dialled for listen / whisper / barge. */
  supervisorPhone: PhoneNumber.optional(),
  /** Demo accounts are created by demo mode and removed (with their secrets) when it ends. */
  demo: z.boolean().default(false),
  enabled: z.boolean().default(true),
};

export const EngageVoiceAccount = z.object({
  ...common,
  vendor: z.literal('engage-voice'),
  /** `https://<host>/voice` (RingCX), or a legacy `https://portal.vacd.biz/api`. */
  baseUrl: Url,
  accountId: Id,
  /** apiToken: permanent X-Auth-Token. rc: RingCentral JWT login exchanged for an Engage token. */
  authMode: z.enum(['apiToken', 'rc']).default('apiToken'),
  /** Where the Engage token exchange lives, `https://<host>`; derived from baseUrl when absent. */
  authBaseUrl: Url.optional(),
  /** RingCentral platform for the JWT grant. */
  rcPlatformUrl: Url.default('https://platform.ringcentral.com'),
  rcClientId: z.string().max(200).optional(),
  /**
   * The zone of zone-less timestamps and of callBackDTS, which the documents never give: by default
   * the zone this computer is set to (a supervisor usually sits in the contact centre's zone).
   */
  timeZone: TimeZoneName.default(hostTimeZone),
  /** activeCalls/list paging (`maxRows`); the whole list in one read when absent. */
  listPageSize: z.int().min(1).max(10_000).optional(),
  /** activeCalls/list `product` / `productId` filter, e.g. ACCOUNT and the account id. */
  listProduct: z.string().max(50).optional(),
  listProductId: z.string().max(50).optional(),
  /** Calls and agents are read this often in view; RingCX advises 5–10 s (the default, 5). Faster stays within the limit. */
  pollEverySec: z.int().min(1).max(60).optional(),
});

/** A limit the vendor does not publish, raised (or lowered) by the supervisor for this account. */
const RequestsPerMinute = z.int().min(10).max(6000).optional();

export const ExotelAccount = z.object({
  ...common,
  vendor: z.literal('exotel'),
  accountSid: Id,
  /** v1 (Listen/Whisper/Barge legs): `https://api.exotel.com` (Singapore) or `https://api.in.exotel.com` (Mumbai). */
  v1BaseUrl: Url.default('https://api.exotel.com'),
  /** v3 (active calls, streams): the documents show api.exotel.com, the wider docs ccm-api.*; configurable. */
  v3BaseUrl: Url.default('https://api.exotel.com'),
  /** v1 answers XML by default and JSON with `.json`. */
  v1Format: z.enum(['json', 'xml']).default('json'),
  /** v1 dates carry no zone: the account's wall-clock zone they are read in (IST by default, as Exotel's samples are). */
  timeZone: TimeZoneName.default('Asia/Kolkata'),
  /** v3 active-call page size (`limit`); the document's default is 20, its maximum is not documented. */
  v3PageSize: z.int().min(1).max(500).default(100),
});

export const AudianAccount = z.object({
  ...common,
  vendor: z.literal('audian'),
  baseUrl: Url.default('https://api.audian.com:8443'),
  /** One document sample sends `Authorization: Bearer`; the auth reference says X-Auth-Token. */
  authHeader: z.enum(['x-auth-token', 'bearer']).default('x-auth-token'),
  requestsPerMinute: RequestsPerMinute,
});

export const LiveVoxAccount = z.object({
  ...common,
  vendor: z.literal('livevox'),
  /** NA3 https://api.livevox.com, NA4..NA6 https://api.na<N>.livevox.com */
  baseUrl: Url.default('https://api.livevox.com'),
  /** Optional version segment, e.g. `v6.0` → /callControl/v6.0/supervisor/...; unversioned when empty. */
  apiVersion: z.string().regex(/^(v[0-9.]+)?$/).default(''),
  clientName: Id,
  userName: Id,
  supervisorExtension: z.string().regex(/^[0-9]{0,10}$/).optional(),
  /** chat/messages `excludeOwn`: leave out the supervisor's own messages (Switchboard records its own). */
  excludeOwnChat: z.boolean().default(false),
  requestsPerMinute: RequestsPerMinute,
});

export const AccountConfig = z.discriminatedUnion('vendor', [EngageVoiceAccount, ExotelAccount, AudianAccount, LiveVoxAccount]);
export type AccountConfig = z.infer<typeof AccountConfig>;
export type AccountConfigInput = z.input<typeof AccountConfig>;
export type EngageVoiceAccount = z.infer<typeof EngageVoiceAccount>;
export type ExotelAccount = z.infer<typeof ExotelAccount>;
export type AudianAccount = z.infer<typeof AudianAccount>;
export type LiveVoxAccount = z.infer<typeof LiveVoxAccount>;

export const SECRET_FIELDS = {
  'engage-voice': ['apiToken', 'rcClientSecret', 'rcJwt'],
  exotel: ['apiKey', 'apiToken'],
  audian: ['apiKey'],
  livevox: ['accessToken', 'password'],
} as const;
export type SecretField = (typeof SECRET_FIELDS)[keyof typeof SECRET_FIELDS][number];
export const SecretFieldName = z.enum(['apiToken', 'rcClientSecret', 'rcJwt', 'apiKey', 'accessToken', 'password']);

/** Secrets a connector receives from the vault; only those set are present. */
export type Secrets = Partial<Record<SecretField, string>>;
