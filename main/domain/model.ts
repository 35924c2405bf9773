// The one model every vendor is normalised into. Schemas, so the contract can reuse them and
// TypeScript types are inferred from the same source; the hot path (normalising polls) only uses
// the inferred types and never parses through these schemas.
import { z } from 'zod';

export const VENDORS = ['engage-voice', 'exotel', 'audian', 'livevox'] as const;
export const Vendor = z.enum(VENDORS);
export type Vendor = z.infer<typeof Vendor>;

export const AccountHealth = z.enum(['ok', 'degraded', 'auth_failed', 'unreachable']);
export type AccountHealth = z.infer<typeof AccountHealth>;

export const MonitorMode = z.enum(['listen', 'whisper', 'barge']);
export type MonitorMode = z.infer<typeof MonitorMode>;

export const CallStatus = z.enum(['queued', 'ringing', 'in_progress', 'on_hold', 'wrap_up', 'ended', 'unknown']);
export type CallStatus = z.infer<typeof CallStatus>;

export const Direction = z.enum(['inbound', 'outbound', 'unknown']);
export type Direction = z.infer<typeof Direction>;

export const LegRole = z.enum(['agent', 'customer', 'monitor', 'other']);
export type LegRole = z.infer<typeof LegRole>;

export const Leg = z.object({
  id: z.string(),
  role: LegRole,
  number: z.string().nullable(),
  status: z.string(),
  muted: z.boolean().nullable(),
  onHold: z.boolean().nullable(),
  /** For monitor legs: the mode the leg is in, where the vendor says. */
  monitorMode: MonitorMode.nullable(),
  startedAt: z.number().nullable(),
});
export type Leg = z.infer<typeof Leg>;

export const Bridge = z.object({ id: z.string(), status: z.string(), createdAt: z.number().nullable() });
export type Bridge = z.infer<typeof Bridge>;

export const SupervisorSession = z.object({
  callKey: z.string(),
  accountId: z.string(),
  mode: MonitorMode,
  /** The vendor's handle for this session: Engage Voice the destination phone, Exotel the monitor leg sid, LiveVox the agent login id, Audian `conferenceId|participant`. */
  handle: z.string(),
  startedAt: z.number(),
  /** True when this supervisor started it from Switchboard; false for monitor legs seen on the call. */
  own: z.boolean(),
  /**
   * The vendor never said whether it started (or ended) this session: it may be live at the vendor.
   * Shown as possibly active; stopping it ends it at the vendor, finding it there when the handle is ''.
   */
  possiblyActive: z.boolean().optional(),
});
export type SupervisorSession = z.infer<typeof SupervisorSession>;

export const Call = z.object({
  key: z.string(),
  accountId: z.string(),
  vendor: Vendor,
  vendorCallId: z.string(),
  direction: Direction,
  status: CallStatus,
  from: z.string().nullable(),
  to: z.string().nullable(),
  agentKey: z.string().nullable(),
  agentName: z.string().nullable(),
  queue: z.string().nullable(),
  startedAt: z.number().nullable(),
  onHold: z.boolean().nullable(),
  muted: z.boolean().nullable(),
  recording: z.boolean().nullable(),
  /** null until the call's details have been fetched (only for calls being viewed or acted on). */
  legs: z.array(Leg).nullable(),
  bridge: Bridge.nullable(),
  sessions: z.array(SupervisorSession),
});
export type Call = z.infer<typeof Call>;

export const AgentState = z.enum(['ready', 'not_ready', 'on_call', 'wrap_up', 'logged_off', 'unknown']);
export type AgentState = z.infer<typeof AgentState>;

export const Agent = z.object({
  key: z.string(),
  accountId: z.string(),
  vendor: Vendor,
  loginId: z.string(),
  name: z.string(),
  state: AgentState,
  reason: z.string().nullable(),
  since: z.number().nullable(),
  currentCallKey: z.string().nullable(),
  service: z.string().nullable(),
});
export type Agent = z.infer<typeof Agent>;

export const ChatMessage = z.object({
  id: z.string(),
  accountId: z.string(),
  agentLoginId: z.string(),
  fromAgent: z.boolean(),
  senderId: z.string(),
  text: z.string(),
  at: z.number(),
  canReply: z.boolean().nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Service = z.object({
  accountId: z.string(),
  id: z.string(),
  name: z.string(),
  callCenterId: z.string().nullable(),
  callCenterName: z.string().nullable(),
});
export type Service = z.infer<typeof Service>;

export function callKey(accountId: string, vendorCallId: string): string {
  return `${accountId}:${vendorCallId}`;
}
export function agentKey(accountId: string, loginId: string): string {
  return `${accountId}:${loginId}`;
}
