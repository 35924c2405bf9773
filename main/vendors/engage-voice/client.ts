// One typed method per Engage Voice endpoint (engage-voice-active-calls.txt + NOTES.md). Reads go
// through http.read() (retried), call actions through http.act() (sent once).
import type { EngageVoiceAccount, Secrets } from '../../domain/account.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { ConnectorDeps } from '../connector.js';
import { HttpCore, parseJson, type AuthStrategy, type HttpRequest } from '../shared/http.js';
import { ApiTokenAuth, RcLoginAuth } from './auth.js';
import { describeError } from './errors.js';
import { DEFAULT_OPTIONS, type EngageVoiceOptions } from './options.js';
import type {
  EvActiveCall,
  EvAddSessionParams,
  EvAgent,
  EvDispositionParams,
  EvHangupSessionParams,
  EvListQuery,
  EvManualAgentCallParams,
  EvToggleRecordingParams,
} from './types.js';

type Query = NonNullable<HttpRequest['query']>;

/** `https://<host>/voice` → `https://<host>`, where the token exchange lives (NOTES.md). */
export function authBaseFor(account: Pick<EngageVoiceAccount, 'baseUrl' | 'authBaseUrl'>): string {
  return account.authBaseUrl ?? account.baseUrl.replace(/\/voice\/?$/, '');
}

export class EngageVoiceClient {
  readonly http: HttpCore;
  private readonly root: string;

  constructor(account: EngageVoiceAccount, secrets: Secrets, deps: ConnectorDeps = {}, options: EngageVoiceOptions = DEFAULT_OPTIONS) {
    const now = deps.now ?? Date.now;
    const auth: AuthStrategy =
      account.authMode === 'rc'
        ? new RcLoginAuth({
            rcPlatformUrl: account.rcPlatformUrl,
            authBaseUrl: authBaseFor(account),
            clientId: account.rcClientId,
            clientSecret: secrets.rcClientSecret,
            jwt: secrets.rcJwt,
            options,
            now,
          })
        : new ApiTokenAuth(secrets.apiToken);
    this.http = new HttpCore({
      baseURL: account.baseUrl,
      auth,
      describeError,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      ...(deps.gate === undefined ? {} : { gate: deps.gate }),
    });
    this.root = `/api/v1/admin/accounts/${encodeURIComponent(account.accountId)}`;
  }

  /** GET .../activeCalls/list → array of active calls (one page when page/maxRows are given). */
  async listActiveCalls(query: EvListQuery = {}): Promise<EvActiveCall[]> {
    const res = await this.http.read({ method: 'GET', path: `${this.root}/activeCalls/list`, query: { ...query } });
    return parseRecordList<EvActiveCall>(res.text, 'active call list');
  }

  /** GET .../realTimeData/agent (NOTES.md) → every agent's live state, with the uii of its call. */
  async listAgentStates(): Promise<EvAgent[]> {
    const res = await this.http.read({ method: 'GET', path: `${this.root}/realTimeData/agent` });
    return parseRecordList<EvAgent>(res.text, 'agent list');
  }

  createManualAgentCall(p: EvManualAgentCallParams): Promise<void> {
    return this.control('createManualAgentCall', { ...p });
  }

  addSessionToCall(uii: string, p: EvAddSessionParams): Promise<void> {
    return this.control(`${enc(uii)}/addSessionToCall`, { ...p });
  }

  /**
   * The document's example body for dispositionCall is `{phone}`, contradicting its parameter table;
   * we send the table's fields (disposition, callback, callBackDTS, notes).
   */
  dispositionCall(uii: string, p: EvDispositionParams): Promise<void> {
    return this.control(`${enc(uii)}/dispositionCall`, { ...p });
  }

  /**
   * hangupCall has no parameter table; its example shows `{phone}`, which names nothing the call
   * needs (the uii is in the path), so nothing is sent. The simulator accepts `phone` as well.
   */
  hangupCall(uii: string): Promise<void> {
    return this.control(`${enc(uii)}/hangupCall`, {});
  }

  hangupSession(uii: string, p: EvHangupSessionParams): Promise<void> {
    return this.control(`${enc(uii)}/hangupSession`, { ...p });
  }

  toggleCallRecording(uii: string, p: EvToggleRecordingParams): Promise<void> {
    return this.control(`${enc(uii)}/toggleCallRecording`, { ...p });
  }

  /**
   * Control endpoints. The prose writes `activeCall/...`, the URLs `activeCalls/...`: we send the
   * URL form. Parameters go in the query string as the vendor's OpenAPI has them, although the
   * document's examples show JSON bodies (NOTES.md). The answer is text/plain `true` or `false`.
   */
  private control(rest: string, query: Query): Promise<void> {
    return this.http.actAndRead({ method: 'POST', path: `${this.root}/activeCalls/${rest}`, query }, (res) => readControlAnswer(res.text));
  }
}

/** A control endpoint's text/plain answer: `true` done, `false` refused; anything else is unreadable. */
export function readControlAnswer(text: string): void {
  const answer = text.trim().toLowerCase();
  if (answer === 'true') return;
  if (answer === 'false') throw new SwitchboardError('action_failed', 'Engage Voice answered false: the action was not carried out.');
  throw new SwitchboardError('bad_response', 'Engage Voice answered a call action with something other than true or false.');
}

function enc(uii: string): string {
  return encodeURIComponent(uii);
}

/** A JSON array of records, or bad_response: the one parse every list endpoint shares (and the ingest benchmark measures). */
export function parseRecordList<T>(text: string, what: string): T[] {
  const body = parseJson(text, what);
  if (!Array.isArray(body) || body.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new SwitchboardError('bad_response', `The vendor sent an ${what} that is not a list of records.`);
  }
  return body as T[];
}
