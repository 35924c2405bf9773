// One typed method per Audian endpoint. Reads go through http.read (retried), call actions through
// http.act (sent once). Bodies are returned as the wire types, possibly in a Kazoo envelope;
// normalise.ts unwraps and interprets them.
import type { AudianAccount, Secrets } from '../../domain/account.js';
import { SwitchboardError } from '../../domain/errors.js';
import { HttpCore, LIST_MAX_RESPONSE_BYTES, parseJson, type HttpCoreOptions } from '../shared/http.js';
import { AudianAuth } from './auth.js';
import { describeAudianError } from './errors.js';
import type {
  CallStatusResponse,
  ChannelsResponse,
  ConferenceRequest,
  ConferenceResponse,
  GatherDtmfRequest,
  GatherDtmfResponse,
  HangupResponse,
  HoldRequest,
  HoldResponse,
  MaybeWrapped,
  MuteResponse,
  PlayAudioRequest,
  ResumeResponse,
  SendDtmfRequest,
  TransferRequest,
  TransferResponse,
  UndocumentedResponse,
} from './types.js';

export type AudianClientOptions = Pick<HttpCoreOptions, 'timeoutMs' | 'deadlineMs' | 'onSlow' | 'sleep' | 'gate' | 'maxReadRetries' | 'backoffBaseMs'>;

/** A path segment; `+` stays literal as in the document's `/participants/+14155552673/remove`. */
function seg(value: string): string {
  return encodeURIComponent(value).replace(/%2B/gi, '+');
}

export class AudianClient {
  readonly http: HttpCore;
  private readonly auth: AudianAuth;

  constructor(account: Pick<AudianAccount, 'baseUrl' | 'authHeader'>, secrets: Secrets, opts: AudianClientOptions = {}) {
    this.auth = new AudianAuth(secrets.apiKey, account.authHeader);
    this.http = new HttpCore({ ...opts, baseURL: account.baseUrl, auth: this.auth, describeError: describeAudianError, secrets: Object.values(secrets) });
  }

  /** PUT /v2/api_auth — a fresh token; answers the account id it belongs to. */
  async login(): Promise<{ accountId: string }> {
    const s = await this.auth.login(this.http);
    return { accountId: s.accountId };
  }

  /** GET /v2/accounts/{account_id}/channels (NOTES.md) — the live calls. */
  async listChannels(): Promise<ChannelsResponse> {
    const accountId = await this.auth.accountId(this.http);
    const res = await this.http.read({ method: 'GET', path: `/v2/accounts/${seg(accountId)}/channels`, maxBytes: LIST_MAX_RESPONSE_BYTES });
    const body = parseJson(res.text, 'channel list');
    if (!body || typeof body !== 'object') throw new SwitchboardError('bad_response', 'Audian sent a channel list that is neither a list nor an object.');
    return body as ChannelsResponse;
  }

  /** GET /v2/calls/{id} */
  async callStatus(callId: string): Promise<MaybeWrapped<CallStatusResponse>> {
    const res = await this.http.read({ method: 'GET', path: `/v2/calls/${seg(callId)}` });
    return objectBody(res.text, 'call status') as MaybeWrapped<CallStatusResponse>;
  }

  transfer(callId: string, body: TransferRequest): Promise<MaybeWrapped<TransferResponse>> {
    return this.action(callId, 'transfer', body);
  }

  /** Without hold music the document's first example sends no body at all. */
  hold(callId: string, body?: HoldRequest): Promise<MaybeWrapped<HoldResponse>> {
    return this.action(callId, 'hold', body);
  }

  resume(callId: string): Promise<MaybeWrapped<ResumeResponse>> {
    return this.action(callId, 'resume');
  }

  mute(callId: string): Promise<MaybeWrapped<MuteResponse>> {
    return this.action(callId, 'mute');
  }

  unmute(callId: string): Promise<MaybeWrapped<MuteResponse>> {
    return this.action(callId, 'unmute');
  }

  playAudio(callId: string, body: PlayAudioRequest): Promise<UndocumentedResponse> {
    return this.action(callId, 'play-audio', body, true);
  }

  hangup(callId: string): Promise<MaybeWrapped<HangupResponse>> {
    return this.action(callId, 'hangup');
  }

  gatherDtmf(callId: string, body: GatherDtmfRequest): Promise<MaybeWrapped<GatherDtmfResponse>> {
    return this.action(callId, 'gather-dtmf', body);
  }

  sendDtmf(callId: string, body: SendDtmfRequest): Promise<UndocumentedResponse> {
    return this.action(callId, 'send-dtmf', body, true);
  }

  conference(callId: string, body: ConferenceRequest): Promise<MaybeWrapped<ConferenceResponse>> {
    return this.action(callId, 'conference', body);
  }

  /**
   * POST /v2/conferences/{conf}/participants/{number}/remove. Other Audian pages show
   * `.../participants/{id}/disconnect`; the call-actions document is the contract, so we send
   * /remove (the simulator accepts both).
   */
  removeParticipant(conferenceId: string, participant: string): Promise<UndocumentedResponse> {
    const path = `/v2/conferences/${seg(conferenceId)}/participants/${seg(participant)}/remove`;
    return this.http.actAndRead({ method: 'POST', path }, (res) => objectBody(res.text, 'participant removal', true) as UndocumentedResponse);
  }

  private action<T>(callId: string, name: string, body?: object, emptyOk = false): Promise<T> {
    const req = { method: 'POST', path: `/v2/calls/${seg(callId)}/${name}`, ...(body === undefined ? {} : { body }) } as const;
    return this.http.actAndRead(req, (res) => objectBody(res.text, `${name} response`, emptyOk) as T);
  }
}

/** A JSON object body, or bad_response. Undocumented responses may also be empty. */
function objectBody(text: string, what: string, emptyOk = false): unknown {
  const parsed = parseJson(text, what);
  if (parsed === undefined && emptyOk) return undefined;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SwitchboardError('bad_response', `Audian sent an unexpected ${what} (not a JSON object).`);
  }
  return parsed;
}
