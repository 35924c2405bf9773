// One typed method per LiveVox endpoint. Reads go through http.read() (retried); anything that
// changes state on the vendor goes through http.act() (sent once; no answer → outcome_unknown).
import type { z } from 'zod';
import type { LiveVoxAccount, Secrets } from '../../domain/account.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { ConnectorDeps } from '../connector.js';
import { HttpCore, LIST_MAX_RESPONSE_BYTES, coreOptionsOf, type HttpRequest, type HttpResponse } from '../shared/http.js';
import { decode, describeLiveVoxError } from './decode.js';
import { LiveVoxSession } from './session.js';
import {
  AgentStatusResponse,
  BroadcastResponse,
  ChatMessagesResponse,
  MonitorStateResponse,
  RealtimeAgentsResponse,
  ServiceAccessResponse,
  SwitchServiceResponse,
  type AgentStatusRequest,
  type BroadcastRequest,
  type BroadcastUser,
  type ChatFilter,
  type ChatMessagesRequest,
  type ChatSendRequest,
  type MonitorVerb,
  type NotReadyRequest,
  type ReasonCode,
  type SwitchServiceRequest,
} from './types.js';

export type LiveVoxClientDeps = ConnectorDeps & { maxReadRetries?: number; backoffBaseMs?: number };

export const REALTIME_AGENTS_PATH = '/realtime/service/agents/status';

/** `/callControl/supervisor`, or `/callControl/v6.0/supervisor` when the account pins a version. */
export function supervisorBase(apiVersion: string): string {
  return apiVersion ? `/callControl/${apiVersion}/supervisor` : '/callControl/supervisor';
}

export class LiveVoxClient {
  readonly http: HttpCore;
  readonly session: LiveVoxSession;
  private readonly base: string;

  constructor(account: LiveVoxAccount, secrets: Secrets, deps: LiveVoxClientDeps = {}) {
    this.session = new LiveVoxSession({ clientName: account.clientName, userName: account.userName, accessToken: secrets.accessToken, password: secrets.password });
    this.base = supervisorBase(account.apiVersion);
    this.http = new HttpCore({
      baseURL: account.baseUrl,
      auth: this.session,
      describeError: describeLiveVoxError,
      secrets: Object.values(secrets),
      // Every request example in livevox-supervisor.txt, with a body or without (GET monitor/state,
      // POST monitor/listen?agentLoginId=...), carries these two headers.
      headers: { accept: 'application/json', bodyless: () => 'application/json' },
      ...coreOptionsOf(deps),
      ...(deps.maxReadRetries === undefined ? {} : { maxReadRetries: deps.maxReadRetries }),
      ...(deps.backoffBaseMs === undefined ? {} : { backoffBaseMs: deps.backoffBaseMs }),
    });
  }

  /** Logs in now (reusing a live session); the cheapest proof that the credentials work. */
  async login(): Promise<void> {
    await this.session.ensure(this.http);
  }

  // ---- agent status ----

  readyAgents(agents: string[], message?: string): Promise<AgentStatusResponse> {
    const body: AgentStatusRequest = { agents, ...(message === undefined ? {} : { message }) };
    return this.actJson('POST', '/agent/status/ready', body, AgentStatusResponse, 'agent status result');
  }

  notReadyAgents(agents: string[], reasonCode?: ReasonCode, message?: string): Promise<AgentStatusResponse> {
    const body: NotReadyRequest = {
      agents,
      ...(reasonCode === undefined ? {} : { reasonCode }),
      ...(message === undefined ? {} : { message }),
    };
    return this.actJson('POST', '/agent/status/notReady', body, AgentStatusResponse, 'agent status result');
  }

  logoffAgents(agents: string[], message?: string): Promise<AgentStatusResponse> {
    const body: AgentStatusRequest = { agents, ...(message === undefined ? {} : { message }) };
    return this.actJson('POST', '/agent/status/logoff', body, AgentStatusResponse, 'logoff result');
  }

  // ---- chat ----

  /**
   * The parameter table prints `message` after the nested usersInfo rows, so it can be read as a
   * per-user field; its description ("to send to the Agents", plural) and the example make it the
   * one top-level message of the broadcast. Read that way table and example agree, so it is sent
   * top-level; the simulator accepts the per-user form too.
   */
  chatBroadcast(users: Omit<BroadcastUser, 'message'>[], message: string): Promise<BroadcastResponse> {
    const body: BroadcastRequest = { usersInfo: users.map((u) => ({ userLoginId: u.userLoginId, canReply: u.canReply })), message };
    return this.actJson('POST', '/chat/broadcast', body, BroadcastResponse, 'broadcast result');
  }

  /**
   * The Method line says /chat/messages, the example /chat/message: the Method line is sent.
   * excludeOwn is a boolean in the table and the string "false" in the example: a boolean is sent.
   * messageReceivedAfter is "dateTime" in the table; the example's epoch-millisecond string is sent.
   */
  chatMessages(afterMs: number | null, excludeOwn: boolean): Promise<ChatMessagesResponse> {
    const filter: ChatFilter = { excludeOwn, ...(afterMs === null ? {} : { messageReceivedAfter: String(afterMs) }) };
    const body: ChatMessagesRequest = { filter };
    return this.readJson({ method: 'POST', path: `${this.base}/chat/messages`, body, maxBytes: LIST_MAX_RESPONSE_BYTES }, ChatMessagesResponse, 'chat message list');
  }

  async chatSend(userLoginId: string, message: string): Promise<void> {
    const body: ChatSendRequest = { userLoginId, message };
    await this.http.act({ method: 'POST', path: `${this.base}/chat/send`, body });
  }

  async chatEnd(userLoginId: string): Promise<void> {
    await this.http.act({ method: 'POST', path: `${this.base}/chat/end`, query: { userLoginId } });
  }

  // ---- monitor ----

  /**
   * The table says 200 with {activeCall}; the example answers 204 with no body. Both are accepted:
   * the body when there is one, null when there is none (normalise.startedAudioPath reads it).
   */
  monitorStart(numberToDial: string, extension?: string): Promise<MonitorStateResponse | null> {
    const req: HttpRequest = { method: 'POST', path: `${this.base}/monitor/start`, query: { numberToDial, ...(extension ? { extension } : {}) } };
    return this.http.actAndRead(req, (res) =>
      res.status === 204 || res.text.trim() === '' ? null : decode(MonitorStateResponse, res.text, 'monitor start result'),
    );
  }

  async monitorState(): Promise<MonitorStateResponse> {
    const res = await this.http.read({ method: 'GET', path: `${this.base}/monitor/state` });
    return decode(MonitorStateResponse, res.text, 'monitor state');
  }

  listen(agentLoginId: string): Promise<void> {
    return this.monitorVerb('listen', agentLoginId);
  }

  coach(agentLoginId: string): Promise<void> {
    return this.monitorVerb('coach', agentLoginId);
  }

  barge(agentLoginId: string): Promise<void> {
    return this.monitorVerb('barge', agentLoginId);
  }

  async monitorVerb(verb: MonitorVerb, agentLoginId: string): Promise<void> {
    await this.http.act({ method: 'POST', path: `${this.base}/monitor/${verb}`, query: { agentLoginId } });
  }

  // ---- services ----

  async serviceAccess(): Promise<ServiceAccessResponse> {
    const res = await this.http.read({ method: 'GET', path: `${this.base}/service/access` });
    return decode(ServiceAccessResponse, res.text, 'service list');
  }

  switchService(agents: string[], targetServiceId: number, message?: string): Promise<SwitchServiceResponse> {
    const body: SwitchServiceRequest = { agents, targetServiceId, ...(message === undefined ? {} : { message }) };
    return this.actJson('POST', '/agent/service/switch', body, SwitchServiceResponse, 'service switch result');
  }

  // ---- realtime (NOTES.md, third-party; unversioned, as NOTES gives it) ----

  realtimeAgents(): Promise<RealtimeAgentsResponse> {
    return this.readJson({ method: 'POST', path: REALTIME_AGENTS_PATH, body: {}, maxBytes: LIST_MAX_RESPONSE_BYTES }, RealtimeAgentsResponse, 'agent status list');
  }

  // ---- plumbing ----

  /** A read, even when LiveVox sends it as POST (chat messages, realtime agents). */
  private async readJson<S extends z.ZodType>(req: HttpRequest, schema: S, what: string): Promise<z.output<S>> {
    const res = await this.http.read(req);
    return decode(schema, res.text, what);
  }

  private actJson<S extends z.ZodType>(method: 'POST', rest: string, body: unknown, schema: S, what: string): Promise<z.output<S>> {
    return this.http.actAndRead({ method, path: `${this.base}${rest}`, body }, (res) => decode(schema, res.text, what));
  }
}
