// LiveVox Supervisor API wire types (livevox-supervisor.txt, plus NOTES.md for login and the
// realtime agent list). Responses are zod schemas so a body of the wrong shape is a bad_response at
// the client; they are deliberately loose about the fields the documents disagree on (both names,
// strings or numbers, nullish) because reconciling those is the normaliser's job, not the parser's.
import { z } from 'zod';
import { NOT_READY_REASONS, type NotReadyReason } from '../../domain/actions.js';

/** The documents give ids as integers; lenient vendors and proxies send them as strings. */
const IdValue = z.union([z.number(), z.string()]);
/** "dateTime" in the tables, an epoch-millisecond string in every example. */
const TimeValue = z.union([z.string(), z.number()]);

// ---- session (NOTES.md, official) ----

export interface LoginRequest {
  clientName: string;
  userName: string;
  password: string;
  /** Always false: the supervisor APIs need a non-agent session. */
  agent: false;
}
export const LoginResponse = z.object({
  sessionId: z.string().min(1),
  clientId: IdValue.nullish(),
  userId: IdValue.nullish(),
  daysUntilPasswordExpires: z.number().nullish(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Every error the vendor sends: `{code, message}`. */
export const ErrorBody = z.object({ code: IdValue.nullish(), message: z.string().nullish() });
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---- agent status ----

export const REASON_CODES = NOT_READY_REASONS;
export type ReasonCode = NotReadyReason;

export interface AgentStatusRequest {
  agents: string[];
  message?: string;
}
export interface NotReadyRequest extends AgentStatusRequest {
  reasonCode?: ReasonCode;
}
export const AgentStatusResponse = z.object({
  agents: z.array(z.object({ agentLoginId: z.string().nullish(), status: z.string().nullish() })),
});
export type AgentStatusResponse = z.infer<typeof AgentStatusResponse>;

// ---- chat ----

export interface BroadcastUser {
  userLoginId: string;
  canReply: boolean;
  /** Only in one reading of the parameter table; this client never sends it (see client.ts). */
  message?: string;
}
export interface BroadcastRequest {
  usersInfo: BroadcastUser[];
  message?: string;
}
export const BroadcastResponse = z.object({
  broadcastStatus: z.array(
    z.object({
      /** The table's name. */
      userLoginId: z.string().nullish(),
      /** The example's name. */
      usersLoginId: z.string().nullish(),
      sent: z.boolean().nullish(),
    }),
  ),
});
export type BroadcastResponse = z.infer<typeof BroadcastResponse>;

export interface ChatFilter {
  /** Epoch milliseconds as a string, as the example sends it. */
  messageReceivedAfter?: string;
  /** A boolean in the table, the string "false" in the example. */
  excludeOwn: boolean | 'true' | 'false';
}
export interface ChatMessagesRequest {
  filter: ChatFilter;
}
const ChatItem = z.object({
  message: z.string().nullish(),
  senderId: z.string().nullish(),
  timestamp: TimeValue.nullish(),
  /** The table puts canReply on each message. */
  canReply: z.boolean().nullish(),
});
const ChatEntry = z.object({
  userLoginId: z.string().nullish(),
  /** The example puts canReply on the chat, beside messageList. */
  canReply: z.boolean().nullish(),
  messageList: z.array(ChatItem).nullish(),
});
export const ChatMessagesResponse = z.object({
  chatList: z.array(ChatEntry),
  timestamp: TimeValue.nullish(),
});
export type ChatMessagesResponse = z.infer<typeof ChatMessagesResponse>;
export type ChatEntry = z.infer<typeof ChatEntry>;
export type ChatItem = z.infer<typeof ChatItem>;

export interface ChatSendRequest {
  userLoginId: string;
  message: string;
}

// ---- monitor ----

export type MonitorVerb = 'listen' | 'coach' | 'barge';

/** monitor/state, and monitor/start when it answers 200 with a body (the example answers 204). */
export const MonitorStateResponse = z.object({ activeCall: z.boolean() });
export type MonitorStateResponse = z.infer<typeof MonitorStateResponse>;

// ---- services ----

export const ServiceAccessResponse = z.object({
  callCenters: z.array(
    z.object({
      callCenterId: IdValue.nullish(),
      callCenterName: z.string().nullish(),
      services: z.array(z.object({ serviceId: IdValue.nullish(), serviceName: z.string().nullish() })).nullish(),
    }),
  ),
});
export type ServiceAccessResponse = z.infer<typeof ServiceAccessResponse>;

export interface SwitchServiceRequest {
  agents: string[];
  targetServiceId: number;
  message?: string;
}
export const SwitchServiceResponse = z.object({
  agents: z.array(z.object({ agentLoginId: z.string().nullish(), message: z.string().nullish() })),
});
export type SwitchServiceResponse = z.infer<typeof SwitchServiceResponse>;

// ---- realtime agent list (NOTES.md, third-party) ----

/**
 * serviceId, agentLoginId and stateId are the third-party fields NOTES.md names. The rest are
 * UNCONFIRMED guesses at what the realtime feed carries (names, reason, call details); all optional,
 * and the board works without them.
 */
export const RealtimeAgent = z.looseObject({
  serviceId: IdValue.nullish(),
  agentLoginId: z.string().nullish(),
  stateId: IdValue.nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  serviceName: z.string().nullish(),
  stateChangeTime: TimeValue.nullish(),
  notReadyReasonCode: z.string().nullish(),
  /** The customer's number on the agent's current call. */
  phoneNumber: z.string().nullish(),
  callStartTime: TimeValue.nullish(),
  callSessionId: IdValue.nullish(),
});
export type RealtimeAgent = z.infer<typeof RealtimeAgent>;
export const RealtimeAgentsResponse = z.object({ agentDetails: z.array(RealtimeAgent) });
export type RealtimeAgentsResponse = z.infer<typeof RealtimeAgentsResponse>;
