// The LiveVox simulator's world: agents (with the call each is on), the supervisor's audio path,
// chat, services and sessions. Everything random comes from the seed, so a scenario replays exactly.
// Lists are built in one pass over the roster; chat lookups binary-search an append-only log.
import { NOT_READY_REASONS } from '../../domain/actions.js';
import { seededRandom } from '../shared/sim-server.js';
import type { MonitorVerb, RealtimeAgent, ReasonCode } from './types.js';

export const SIM_SUPERVISOR = { clientName: 'SWITCHBOARD_DEMO', userName: 'SEBYSA', clientId: 1718, userId: 90125 } as const;
/** Sessions die after 2 hours idle (NOTES.md). */
export const IDLE_LIMIT_MS = 2 * 60 * 60 * 1000;

export const SIM_CALL_CENTERS = [
  {
    callCenterId: 1718,
    callCenterName: 'Call Center 2',
    services: [
      { serviceId: 23114, serviceName: 'Inskill feature code 1' },
      { serviceId: 33722, serviceName: 'New skill' },
    ],
  },
  { callCenterId: 3086, callCenterName: 'TEST Call Center', services: [{ serviceId: 45165, serviceName: 'TEST_MANUAL' }] },
] as const;
const SERVICE_IDS: readonly number[] = SIM_CALL_CENTERS.flatMap((c) => c.services.map((s) => s.serviceId));

/** realtime stateId values (NOTES.md, third-party). */
export const STATE = { loggedOn: 1, ready: 2, notReady: 3, inCall: 4, wrapUp: 5 } as const;
export type StateId = (typeof STATE)[keyof typeof STATE];

export interface SimCall {
  id: string;
  phoneNumber: string;
  startedAt: number;
}
export interface SimAgent {
  loginId: string;
  firstName: string;
  lastName: string;
  loggedOn: boolean;
  stateId: StateId;
  reasonCode: ReasonCode | null;
  serviceId: number;
  /** A switch asked for while the agent was on a call ("queued"): applied when the call ends. */
  pendingServiceId: number | null;
  since: number;
  call: SimCall | null;
}
export interface SimMessage {
  userLoginId: string;
  message: string;
  senderId: string;
  at: number;
  canReply: boolean;
}

/** Which of the documents' contradictory forms the simulator answers with (tests flip these). */
export interface SimVariants {
  /** The table says 200 {activeCall}; the example answers 204. */
  monitorStartStatus: 200 | 204;
  /** The example's usersLoginId or the table's userLoginId. */
  broadcastIdField: 'usersLoginId' | 'userLoginId';
  /** canReply on the chat (example) or on each message (table). */
  chatCanReplyAt: 'chat' | 'message';
  /** Switch success as the example's "Completed: Success" or the table's "successful". */
  switchSuccess: 'Completed: Success' | 'successful';
}

const FIRST = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kofi', 'Lena'];
const LAST = ['Silva', 'Okafor', 'Nguyen', 'Kowalski', 'Haddad', 'Larsen', 'Moreau', 'Tanaka', 'Reyes', 'Brown'];
/** The documents' own example agents come first, so their examples replay against the simulator. */
const DOC_AGENTS = ['LV_TEST', 'LV_SEB', 'lv_usr1'];
const OPENERS = ['Caller is asking for a manager, can you join?', 'Can I take my break after this call?', 'System is slow on my side.', 'Customer wants a refund over the limit, OK?'];
const REPLIES = ['OK, on it.', 'Sure, one moment.', 'Thanks!', 'Will do after this call.', 'Can you listen in on this one?'];

export class LiveVoxSimState {
  readonly agents = new Map<string, SimAgent>();
  private readonly roster: SimAgent[] = [];
  readonly monitor = {
    activeCall: false,
    numberToDial: null as string | null,
    extension: null as string | null,
    verb: null as MonitorVerb | null,
    agentLoginId: null as string | null,
  };
  /** Open chat sessions by agent, with whether the agent may reply. */
  readonly chats = new Map<string, { canReply: boolean }>();
  /** Append-only, in time order (stamps are strictly increasing). */
  readonly messages: SimMessage[] = [];
  private pendingReplies: { userLoginId: string; dueTick: number }[] = [];
  private readonly sessions = new Map<string, { lastUsed: number; expired: boolean }>();
  /** Whether the supervisor answers the phone monitor/start dials; when not, the audio path stays down. */
  supervisorAnswers = true;
  variants: SimVariants = { monitorStartStatus: 204, broadcastIdField: 'usersLoginId', chatCanReplyAt: 'chat', switchSuccess: 'Completed: Success' };
  ticks = 0;
  private readonly rng: () => number;
  private lastStamp = 0;
  private seq = 0;

  constructor(
    seed: number,
    readonly now: () => number,
    size: { agents?: number; calls?: number },
  ) {
    this.rng = seededRandom(seed);
    // LiveVox calls exist only as agents in call, so there are never more calls than agents.
    const n = size.agents ?? Math.max(12, size.calls ?? 0);
    const calls = Math.min(size.calls ?? Math.ceil(n / 3), n);
    const t = now();
    for (let i = 0; i < n; i++) {
      const a: SimAgent = {
        loginId: DOC_AGENTS[i] ?? `LV_AGENT_${String(i + 1).padStart(4, '0')}`,
        firstName: this.pick(FIRST),
        lastName: this.pick(LAST),
        loggedOn: true,
        stateId: STATE.ready,
        reasonCode: null,
        serviceId: this.pick(SERVICE_IDS),
        pendingServiceId: null,
        since: t - Math.floor(this.rng() * 600_000),
        call: null,
      };
      if (i < calls) {
        a.stateId = STATE.inCall;
        a.call = this.newCall(a.since);
      } else if (i % 10 === 9) {
        a.loggedOn = false;
      } else {
        const r = this.rng();
        if (r < 0.2) a.stateId = STATE.loggedOn;
        else if (r < 0.45) [a.stateId, a.reasonCode] = [STATE.notReady, this.pick(NOT_READY_REASONS)];
        else if (r < 0.55) a.stateId = STATE.wrapUp;
      }
      this.agents.set(a.loginId, a);
      this.roster.push(a);
    }
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rng() * list.length)]!;
  }

  /** Strictly increasing, so "after T" never splits two messages stamped alike. */
  stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  private newCall(startedAt: number): SimCall {
    this.seq += 1;
    const digits = String(Math.floor(this.rng() * 1e10)).padStart(10, '0');
    return { id: `LVC${String(this.seq).padStart(8, '0')}`, phoneNumber: `+1${digits}`, startedAt };
  }

  // ---- sessions ----

  login(): string {
    this.seq += 1;
    const id = `LVS-${this.seq}-${Math.floor(this.rng() * 1e9).toString(36)}`;
    this.sessions.set(id, { lastUsed: this.now(), expired: false });
    return id;
  }

  /** Checks and touches a session: idle time counts from its last use. */
  useSession(id: string | undefined): 'ok' | 'expired' | 'invalid' {
    const s = id === undefined ? undefined : this.sessions.get(id);
    if (!s) return 'invalid';
    if (s.expired || this.now() - s.lastUsed > IDLE_LIMIT_MS) {
      s.expired = true;
      return 'expired';
    }
    s.lastUsed = this.now();
    return 'ok';
  }

  expireSessions(): void {
    for (const s of this.sessions.values()) s.expired = true;
  }

  // ---- agents ----

  loggedOnAgents(): RealtimeAgent[] {
    const out: RealtimeAgent[] = [];
    for (const a of this.roster) {
      if (!a.loggedOn) continue;
      out.push({
        serviceId: a.serviceId,
        agentLoginId: a.loginId,
        stateId: a.stateId,
        firstName: a.firstName,
        lastName: a.lastName,
        stateChangeTime: String(a.since),
        ...(a.reasonCode ? { notReadyReasonCode: a.reasonCode } : {}),
        ...(a.call ? { phoneNumber: a.call.phoneNumber, callStartTime: String(a.call.startedAt), callSessionId: a.call.id } : {}),
      });
    }
    return out;
  }

  setState(a: SimAgent, stateId: StateId, reasonCode: ReasonCode | null = null): void {
    a.stateId = stateId;
    a.reasonCode = stateId === STATE.notReady ? reasonCode : null;
    a.since = this.stamp();
  }

  logon(a: SimAgent): void {
    a.loggedOn = true;
    this.setState(a, STATE.loggedOn);
  }

  logoff(a: SimAgent): void {
    if (a.call) this.endCall(a);
    a.loggedOn = false;
    this.chats.delete(a.loginId);
    a.since = this.stamp();
  }

  startCall(a: SimAgent): void {
    this.setState(a, STATE.inCall);
    a.call = this.newCall(a.since);
  }

  endCall(a: SimAgent): void {
    a.call = null;
    if (this.monitor.agentLoginId === a.loginId) this.monitor.verb = null;
    if (a.pendingServiceId !== null) [a.serviceId, a.pendingServiceId] = [a.pendingServiceId, null];
    this.setState(a, STATE.wrapUp);
  }

  /** The call moves to another agent; the first goes to wrap-up. */
  transfer(from: SimAgent, to: SimAgent): void {
    const call = from.call;
    if (!call) return;
    this.endCall(from);
    this.setState(to, STATE.inCall);
    to.call = call;
  }

  serviceAccessible(id: number): boolean {
    return SERVICE_IDS.includes(id);
  }

  // ---- chat ----

  addMessage(userLoginId: string, message: string, senderId: string, canReply: boolean): void {
    this.messages.push({ userLoginId, message, senderId, at: this.stamp(), canReply });
  }

  /** A message from the supervisor; an agent allowed to reply answers on the next tick. */
  supervisorSays(userLoginId: string, message: string, canReply: boolean): void {
    this.chats.set(userLoginId, { canReply });
    this.addMessage(userLoginId, message, SIM_SUPERVISOR.userName, canReply);
    if (canReply) this.pendingReplies.push({ userLoginId, dueTick: this.ticks + 1 });
  }

  /** Messages stamped after `afterMs` (all when null), oldest first. */
  messagesAfter(afterMs: number | null, excludeOwn: boolean): SimMessage[] {
    let lo = 0;
    let hi = this.messages.length;
    if (afterMs !== null) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.messages[mid]!.at <= afterMs) lo = mid + 1;
        else hi = mid;
      }
    }
    const out = this.messages.slice(afterMs === null ? 0 : lo);
    return excludeOwn ? out.filter((m) => m.senderId !== SIM_SUPERVISOR.userName) : out;
  }

  private agentSays(userLoginId: string): void {
    const chat = this.chats.get(userLoginId);
    const a = this.agents.get(userLoginId);
    if (chat?.canReply && a?.loggedOn) this.addMessage(userLoginId, this.pick(REPLIES), userLoginId, true);
  }

  // ---- live traffic ----

  tick(): void {
    this.ticks += 1;
    const due = this.pendingReplies.filter((r) => r.dueTick <= this.ticks);
    this.pendingReplies = this.pendingReplies.filter((r) => r.dueTick > this.ticks);
    for (const r of due) this.agentSays(r.userLoginId);
    const n = this.roster.length;
    if (n === 0) return;
    // A few agents move per tick, however large the scenario: a tick costs the same at 10 or 5,000.
    const steps = Math.min(25, Math.max(2, Math.ceil(n / 100)));
    for (let i = 0; i < steps; i++) this.step(this.roster[Math.floor(this.rng() * n)]!);
    if (this.chats.size > 0 && this.rng() < 0.2) this.agentSays(this.pick([...this.chats.keys()]));
    // Now and then an agent asks the supervisor something first, as agents do from their desktop.
    if (this.rng() < 0.08) {
      const a = this.roster[Math.floor(this.rng() * n)]!;
      if (a.loggedOn) {
        this.chats.set(a.loginId, { canReply: true });
        this.addMessage(a.loginId, this.pick(OPENERS), a.loginId, true);
      }
    }
  }

  private step(a: SimAgent): void {
    const r = this.rng();
    if (!a.loggedOn) {
      if (r < 0.3) this.logon(a);
      return;
    }
    switch (a.stateId) {
      case STATE.loggedOn:
      case STATE.wrapUp:
        this.setState(a, STATE.ready);
        return;
      case STATE.notReady:
        if (r < 0.5) this.setState(a, STATE.ready);
        return;
      case STATE.ready:
        if (r < 0.6) this.startCall(a);
        else if (r < 0.75) this.setState(a, STATE.notReady, this.pick(NOT_READY_REASONS));
        return;
      case STATE.inCall: {
        if (r < 0.35) this.endCall(a);
        else if (r < 0.45) {
          const to = this.findReady();
          if (to && to !== a) this.transfer(a, to);
        }
        return;
      }
    }
  }

  /** A ready agent by a few random probes: bounded work, not a scan. */
  private findReady(): SimAgent | undefined {
    for (let i = 0; i < 8; i++) {
      const a = this.roster[Math.floor(this.rng() * this.roster.length)]!;
      if (a.loggedOn && a.stateId === STATE.ready) return a;
    }
    return undefined;
  }

  counts(): { calls: number; agents: number } {
    let calls = 0;
    for (const a of this.roster) if (a.call) calls += 1;
    return { calls, agents: this.roster.length };
  }
}
