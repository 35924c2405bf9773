// What the engine asks of every vendor. Each vendor folder implements this once (connector.ts),
// hiding its own request sequence behind the same verbs; the engine never sees a vendor path.
import type { AccountConfig, Secrets } from '../domain/account.js';
import type { AgentAction, CallAction, Capabilities, ManualAgentCall } from '../domain/actions.js';
import type { Agent, Bridge, Call, ChatMessage, Leg, MonitorMode, Service, SupervisorSession } from '../domain/model.js';
import type { RequestGate } from './shared/http.js';
import type { SlowRequest } from './shared/request-clock.js';

export interface CallDetail {
  legs: Leg[];
  bridge: Bridge | null;
  recording: boolean | null;
  onHold: boolean | null;
  muted: boolean | null;
  /** Monitor legs or sessions on the call, including ones started elsewhere (own: false). */
  sessions: SupervisorSession[];
}

export interface ActionOutcome {
  /** What the vendor said, for the toast and the audit log. */
  detail?: string;
  /** DTMF gather: the digits collected. */
  digits?: string;
  /** Fields of the call known to have changed (hold, mute, recording), applied before the next poll. */
  callPatch?: Partial<Pick<Call, 'onHold' | 'muted' | 'recording' | 'status'>>;
}

export interface PerAgentResult {
  loginId: string;
  ok: boolean;
  /** The vendor's words for this agent ("Success", "queued", "failed" ...). */
  detail: string;
}

export interface MonitorContext {
  supervisorPhone: string | undefined;
  supervisorExtension?: string | undefined;
}

export interface ConnectorDeps {
  /** The account's request scheduler: every request the connector makes waits there for its turn. */
  gate?: RequestGate;
  timeoutMs?: number;
  /** The most one request may take, body included (HttpCore's default: three timeouts). */
  deadlineMs?: number;
  /** A request has passed its timeout and is still waiting (the account's health says so at once). */
  onSlow?: (slow: SlowRequest) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface VendorConnector {
  readonly capabilities: Capabilities;
  /** Checks reachability and credentials with the cheapest authenticated read. */
  testConnection(): Promise<void>;
  listCalls(): Promise<Call[]>;
  /** Vendors without an agent list return agents derived from calls, or []. */
  listAgents(): Promise<Agent[]>;
  callDetail(call: Call): Promise<CallDetail>;
  /** Starts a session, or changes the mode of `current` (in place where the vendor allows). */
  monitor(call: Call, mode: MonitorMode, ctx: MonitorContext, current: SupervisorSession | null): Promise<SupervisorSession>;
  /**
   * Ends the session. A `possiblyActive` one (the vendor never answered whether it started) may not
   * exist, and its handle is only a hint ('' when none is known): find it at the vendor, end it if
   * it is there, and succeed when there is nothing to end.
   */
  stopMonitor(call: Call, session: SupervisorSession, ctx: MonitorContext): Promise<void>;
  callAction(call: Call, action: CallAction): Promise<ActionOutcome>;
  agentAction(agents: Agent[], action: AgentAction): Promise<PerAgentResult[]>;
  manualAgentCall(req: ManualAgentCall): Promise<ActionOutcome>;
  listServices(): Promise<Service[]>;
  /** New chat messages after the given epoch ms (LiveVox messageReceivedAfter). */
  chatMessages(afterMs: number | null): Promise<{ messages: ChatMessage[]; latestMs: number | null }>;
  chatBroadcast(loginIds: string[], message: string, canReply: boolean): Promise<PerAgentResult[]>;
  chatSend(loginId: string, message: string): Promise<void>;
  chatEnd(loginId: string): Promise<void>;
}

export type ConnectorFactory = (account: AccountConfig, secrets: Secrets, deps: ConnectorDeps) => VendorConnector;
