// LiveVox wire → domain model. Every quirk of the documents is reconciled here and only here:
// field names that change between table and example, canReply at two levels, 200-with-body vs 204,
// epoch-millisecond strings for "dateTime", result texts in two vocabularies, missing ids.
import type { PerAgentResult } from '../connector.js';
import { agentKey, callKey, type Agent, type AgentState, type Call, type ChatMessage, type Service } from '../../domain/model.js';
import { parseVendorTime } from '../shared/time.js';
import type {
  AgentStatusResponse,
  BroadcastResponse,
  ChatMessagesResponse,
  MonitorStateResponse,
  RealtimeAgent,
  RealtimeAgentsResponse,
  ServiceAccessResponse,
  SwitchServiceResponse,
} from './types.js';

/**
 * realtime stateId → agent state. The only place the numbers live; they come from third-party code
 * (NOTES.md) and are UNCONFIRMED, so a correction is one line here. Anything else is 'unknown'.
 */
export const AGENT_STATE_BY_ID: Readonly<Record<string, { state: AgentState; label: string }>> = {
  '1': { state: 'not_ready', label: 'Logged on, not yet ready' },
  '2': { state: 'ready', label: 'Ready' },
  '3': { state: 'not_ready', label: 'Not ready' },
  '4': { state: 'on_call', label: 'In call' },
  '5': { state: 'wrap_up', label: 'Wrap-up' },
};

function text(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function idText(v: string | number | null | undefined): string | null {
  return v === null || v === undefined ? null : text(String(v));
}

/**
 * LiveVox has no call list in these documents: a call is derived from each agent in call, keyed
 * by the call id the feed carries (unconfirmed field) or else by the agent, which is also how
 * monitor addresses it (agentLoginId).
 */
function derivedCall(accountId: string, a: RealtimeAgent, loginId: string, agent: Agent): Call {
  const startedAt = parseVendorTime(a.callStartTime) ?? agent.since;
  const vendorCallId = idText(a.callSessionId) ?? (startedAt === null ? loginId : `${loginId}@${startedAt}`);
  return {
    key: callKey(accountId, vendorCallId),
    accountId,
    vendor: 'livevox',
    vendorCallId,
    direction: 'unknown',
    status: 'in_progress',
    // The feed does not say which way the call goes; the customer's number is shown as the other party.
    from: text(a.phoneNumber),
    to: null,
    agentKey: agent.key,
    agentName: agent.name,
    queue: agent.service,
    startedAt,
    onHold: null,
    muted: null,
    recording: null,
    legs: null,
    bridge: null,
    sessions: [],
  };
}

/** The realtime agent list as agents, plus one derived call per agent in call. */
export function normaliseRealtime(accountId: string, res: RealtimeAgentsResponse): { agents: Agent[]; calls: Call[] } {
  const agents: Agent[] = [];
  const calls: Call[] = [];
  const seen = new Set<string>();
  for (const a of res.agentDetails) {
    const loginId = text(a.agentLoginId);
    // Without a login id there is nothing to act on or address; an agent listed under two services appears once.
    if (loginId === null || seen.has(loginId)) continue;
    seen.add(loginId);
    const stateId = idText(a.stateId);
    const known = stateId === null ? undefined : AGENT_STATE_BY_ID[stateId];
    const state: AgentState = known?.state ?? 'unknown';
    const name = [text(a.firstName), text(a.lastName)].filter((p) => p !== null).join(' ');
    const agent: Agent = {
      key: agentKey(accountId, loginId),
      accountId,
      vendor: 'livevox',
      loginId,
      name: name || loginId,
      state,
      reason: state === 'not_ready' ? (text(a.notReadyReasonCode) ?? (stateId === '1' ? known?.label ?? null : null)) : null,
      since: parseVendorTime(a.stateChangeTime),
      currentCallKey: null,
      service: text(a.serviceName) ?? idText(a.serviceId),
    };
    if (state === 'on_call') {
      const call = derivedCall(accountId, a, loginId, agent);
      agent.currentCallKey = call.key;
      calls.push(call);
    }
    agents.push(agent);
  }
  return { agents, calls };
}

/** The agent a derived call belongs to: monitor verbs address the agent, not the call. */
export function loginIdOfCall(call: Call): string | null {
  const prefix = `${call.accountId}:`;
  return call.agentKey?.startsWith(prefix) ? text(call.agentKey.slice(prefix.length)) : null;
}

/**
 * Agent status answers "Success" / "Successfully logged off."; service switch answers one of
 * successful | queued | failed in the table but "Completed: Success" in the example. All map here;
 * queued counts as accepted (the switch happens when the agent's call ends).
 */
export function outcomeOk(result: string | null): boolean {
  if (result === null) return false;
  const t = result.toLowerCase();
  if (/fail|error|unsuccess|\bnot\b|denied|invalid/.test(t)) return false;
  return /success|queued|completed/.test(t);
}

/** Per-agent results in the order asked; an agent the vendor did not mention is a failure, never a guess. */
function perAgent(requested: readonly string[], rows: readonly { id: string | null; detail: string | null; ok: boolean }[]): PerAgentResult[] {
  const byId = new Map<string, { detail: string | null; ok: boolean }>();
  for (const r of rows) if (r.id !== null && !byId.has(r.id)) byId.set(r.id, r);
  // A lone row without an id answers a lone request.
  const only = requested.length === 1 && rows.length === 1 && rows[0]!.id === null ? rows[0] : undefined;
  return requested.map((loginId) => {
    const r = byId.get(loginId) ?? only;
    if (!r) return { loginId, ok: false, detail: 'LiveVox returned no result for this agent.' };
    return { loginId, ok: r.ok, detail: r.detail ?? (r.ok ? 'Done' : 'Failed') };
  });
}

export function agentStatusResults(requested: readonly string[], res: AgentStatusResponse): PerAgentResult[] {
  return perAgent(
    requested,
    res.agents.map((r) => ({ id: text(r.agentLoginId), detail: text(r.status), ok: outcomeOk(text(r.status)) })),
  );
}

/** The table names the field `message`; so does the example (with different values, see outcomeOk). */
export function switchServiceResults(requested: readonly string[], res: SwitchServiceResponse): PerAgentResult[] {
  return perAgent(
    requested,
    res.agents.map((r) => ({ id: text(r.agentLoginId), detail: text(r.message), ok: outcomeOk(text(r.message)) })),
  );
}

/** The table says userLoginId, the example usersLoginId: either names the agent. */
export function broadcastResults(requested: readonly string[], res: BroadcastResponse): PerAgentResult[] {
  return perAgent(
    requested,
    res.broadcastStatus.map((r) => ({
      id: text(r.userLoginId) ?? text(r.usersLoginId),
      ok: r.sent === true,
      detail: r.sent === true ? 'Sent' : 'Not sent: the agent cannot receive chat now (logged off or logging out).',
    })),
  );
}

/** FNV-1a, so a message id is stable across polls without keeping state. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * Chat list → messages. Timestamps are epoch-ms strings in the example ("dateTime" in the table:
 * parseVendorTime reads both). canReply sits on the chat in the example and on each message in the
 * table: the message's own value wins, then the chat's. `selfIds` are the supervisor's names (user
 * name, login userId) so their own messages are not shown as coming from the agent.
 */
export function normaliseChat(
  accountId: string,
  res: ChatMessagesResponse,
  selfIds: readonly string[],
  fallbackAt: number,
): { messages: ChatMessage[]; latestMs: number | null } {
  const self = new Set(selfIds.map((s) => s.toLowerCase()));
  const listAt = parseVendorTime(res.timestamp);
  const messages: ChatMessage[] = [];
  let latest: number | null = listAt;
  for (const chat of res.chatList) {
    const agentLoginId = text(chat.userLoginId);
    if (agentLoginId === null) continue;
    for (const m of chat.messageList ?? []) {
      if (m.message === null || m.message === undefined) continue;
      const senderId = text(m.senderId) ?? '';
      const at = parseVendorTime(m.timestamp) ?? listAt ?? fallbackAt;
      if (latest === null || at > latest) latest = at;
      messages.push({
        id: `${agentLoginId}:${at}:${senderId}:${hash(m.message)}`,
        accountId,
        agentLoginId,
        // Messages come to the supervisor; without a sender it can only be the agent.
        fromAgent: senderId === '' || !self.has(senderId.toLowerCase()),
        senderId,
        text: m.message,
        at,
        canReply: m.canReply ?? chat.canReply ?? null,
      });
    }
  }
  return { messages, latestMs: latest };
}

export function normaliseServices(accountId: string, res: ServiceAccessResponse): Service[] {
  const out: Service[] = [];
  for (const cc of res.callCenters) {
    const callCenterId = idText(cc.callCenterId);
    for (const s of cc.services ?? []) {
      const id = idText(s.serviceId);
      if (id === null) continue;
      out.push({ accountId, id, name: text(s.serviceName) ?? `Service ${id}`, callCenterId, callCenterName: text(cc.callCenterName) });
    }
  }
  return out;
}

/** monitor/start: the table's 200 {activeCall} says; the example's 204 says nothing (null). */
export function startedAudioPath(res: MonitorStateResponse | null): boolean | null {
  return res === null ? null : res.activeCall;
}
