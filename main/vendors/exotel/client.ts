// One typed method per Exotel endpoint Switchboard uses: v3 active calls and streams, v1 legs.
// Both APIs go through one HttpCore; v1 requests override the base URL with the account's v1 host.
import type { ExotelAccount, Secrets } from '../../domain/account.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { ConnectorDeps } from '../connector.js';
import { HttpCore, LIST_MAX_RESPONSE_BYTES, coreOptionsOf, type AuthStrategy, type HttpRequest, type VendorErrorDetail } from '../shared/http.js';
import { decodeV1, describeExotelError, readLeg, readLegList, readV3 } from './codec.js';
import {
  V3ActiveCallsPage,
  V3StreamResponse,
  v3Envelope,
  type V1CreateLegRequest,
  type V1Leg,
  type V1MonitorAction,
  type V1UpdateLegRequest,
  type V3ActiveCall,
  type V3ActiveCallsQuery,
  type V3Stream,
} from './types.js';

export interface ExotelClientOptions extends ConnectorDeps {
  /**
   * Rows per page when listing active calls. The document's default is 20 and no maximum is given;
   * 100 keeps a large floor to a few requests per poll within Exotel's 300 GETs/minute.
   */
  pageSize?: number;
  maxReadRetries?: number;
  backoffBaseMs?: number;
}

/** Stops a misbehaving total_active from paging forever (100 rows x 1000 pages = 100k calls). */
const MAX_PAGES = 1000;

const ActiveCallsEnvelope = v3Envelope(V3ActiveCallsPage);
const StreamEnvelope = v3Envelope(V3StreamResponse);

/** HTTP Basic with the API key as user and the API token as password (NOTES.md, official). */
function basicAuth(secrets: Secrets): AuthStrategy {
  return {
    headers: async () => {
      if (!secrets.apiKey || !secrets.apiToken) {
        throw new SwitchboardError('not_configured', 'The Exotel API key and API token are not set for this account.');
      }
      return { Authorization: `Basic ${Buffer.from(`${secrets.apiKey}:${secrets.apiToken}`).toString('base64')}` };
    },
    // Basic credentials do not expire: after a 401 the core simply sends them once more.
    invalidate: () => undefined,
  };
}

const seg = encodeURIComponent;

export class ExotelClient {
  private readonly http: HttpCore;
  private readonly v3Base: string;
  private readonly v1Base: string;
  private readonly ext: string;
  private readonly pageSize: number;
  /** An error inside a 200 envelope is described like any other: scrubbed by the core. */
  private readonly describe = (status: number, text: string): VendorErrorDetail => this.http.describe(status, text);

  constructor(
    private readonly account: ExotelAccount,
    secrets: Secrets,
    opts: ExotelClientOptions = {},
  ) {
    const sid = seg(account.accountSid);
    this.v3Base = `/v3/accounts/${sid}`;
    this.v1Base = `/v1/Accounts/${sid}/Calls`;
    // v1 answers XML by default and JSON when the path ends in .json; the account picks.
    this.ext = account.v1Format === 'json' ? '.json' : '';
    this.pageSize = opts.pageSize ?? 100;
    this.http = new HttpCore({
      baseURL: account.v3BaseUrl,
      auth: basicAuth(secrets),
      describeError: describeExotelError,
      secrets: Object.values(secrets),
      // The v3 example GET sends `Content-Type: application/json` with no body; the v1 GET example
      // sends no header at all (its POST and PUT carry JSON bodies, typed as such).
      headers: { bodyless: (req) => (req.method === 'GET' && req.path.startsWith('/v3/') ? 'application/json' : undefined) },
      ...coreOptionsOf(opts),
      ...(opts.maxReadRetries === undefined ? {} : { maxReadRetries: opts.maxReadRetries }),
      ...(opts.backoffBaseMs === undefined ? {} : { backoffBaseMs: opts.backoffBaseMs }),
    });
  }

  // ------------------------------------------------------------ v3

  /** GET /v3/accounts/<sid>/calls/active: one page. */
  async activeCallsPage(query: V3ActiveCallsQuery = {}): Promise<V3ActiveCallsPage> {
    const res = await this.http.read({ method: 'GET', path: `${this.v3Base}/calls/active`, query: { ...query }, maxBytes: LIST_MAX_RESPONSE_BYTES });
    return readV3(ActiveCallsEnvelope, res.text, 'active-calls list', this.describe).response;
  }

  /** Every active call: pages with limit/offset until total_active rows have been read. */
  async allActiveCalls(filter: Pick<V3ActiveCallsQuery, 'agent_id' | 'direction'> = {}): Promise<V3ActiveCall[]> {
    const rows: V3ActiveCall[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const got = await this.activeCallsPage({ ...filter, limit: this.pageSize, offset: rows.length });
      for (const c of got.active_calls) rows.push(c);
      const total = got.total_active ?? null;
      // Without total_active, a short page is the last one.
      const done = total === null ? got.active_calls.length < this.pageSize : rows.length >= total;
      if (done || got.active_calls.length === 0) break;
    }
    return rows;
  }

  /** GET /v3/accounts/<sid>/calls/<call_sid>/stream */
  async stream(callSid: string): Promise<V3Stream> {
    const res = await this.http.read({ method: 'GET', path: `${this.v3Base}/calls/${seg(callSid)}/stream` });
    return readV3(StreamEnvelope, res.text, 'stream detail', this.describe).response.stream;
  }

  // ------------------------------------------------------------ v1

  /** GET /v1/Accounts/<sid>/Calls/<CallSid>/ActiveLegs(.json) */
  async activeLegs(callSid: string): Promise<V1Leg[]> {
    const res = await this.http.read(this.v1({ method: 'GET', path: `/${seg(callSid)}/ActiveLegs${this.ext}` }));
    return readLegList(decodeV1(res.text, 'active-legs list'));
  }

  /** POST /v1/Accounts/<sid>/Calls/<CallSid>/Legs(.json): creates the supervisor's monitor leg. */
  createLeg(callSid: string, body: V1CreateLegRequest): Promise<V1Leg> {
    return this.http.actAndRead(this.v1({ method: 'POST', path: `/${seg(callSid)}/Legs${this.ext}`, body }), (res) => readLeg(decodeV1(res.text, 'leg')));
  }

  /** PUT .../Legs/<LegSid>(.json) {"Action": listen|whisper|barge}: changes a monitor leg in place. */
  upgradeLeg(callSid: string, legSid: string, mode: V1MonitorAction): Promise<V1Leg> {
    return this.updateLeg(callSid, legSid, { Action: mode }, (text) => readLeg(decodeV1(text, 'leg')));
  }

  /**
   * PUT .../Legs/<LegSid>(.json) {"Action":"hangup"}. The document's hangup response samples are
   * empty headings, so an empty body is accepted as well as a Leg.
   */
  hangupLeg(callSid: string, legSid: string): Promise<V1Leg | null> {
    return this.updateLeg(callSid, legSid, { Action: 'hangup' }, (text) => (text.trim() === '' ? null : readLeg(decodeV1(text, 'leg'))));
  }

  private updateLeg<T>(callSid: string, legSid: string, body: V1UpdateLegRequest, read: (text: string) => T): Promise<T> {
    const path = `/${seg(callSid)}/Legs/${seg(legSid)}${this.ext}`;
    return this.http.actAndRead(this.v1({ method: 'PUT', path, body }), (res) => read(res.text));
  }

  private v1(req: HttpRequest): HttpRequest {
    return { ...req, baseURL: this.account.v1BaseUrl, path: `${this.v1Base}${req.path}` };
  }
}
