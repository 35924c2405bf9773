// One account, live: its pollers, its slice of the model and its health. Its requests wait in the
// account's scheduler (polls in the poll lane, the viewed call's details in the detail lane); how
// much slower than their normal pace its lists are polled because of its limit is part of its state.
// Failures stay inside it (one account failing never stalls another) and surface as health, never
// as a throw.
import type { AccountConfig } from '../domain/account.js';
import { SwitchboardError, toErrorInfo } from '../domain/errors.js';
import type { Agent, AgentState, Call, ChatMessage, SupervisorSession } from '../domain/model.js';
import type { ActionOutcome, CallDetail, VendorConnector } from '../vendors/connector.js';
import type { Clock } from './clock.js';
import { Pacer } from './pacer.js';
import { applySnapshot, isEmptyDelta, sameCall, type Delta } from './diff.js';
import { afterFailure, afterSlow, afterSuccess, initialHealth, isStale, slowDetail, type HealthState } from './health.js';
import { TRAY_INTERVALS, VISIBLE_INTERVALS, staleAfterMs, type PollIntervals } from './intervals.js';
import { clockTime, LoginBackoff } from './login-backoff.js';
import { PollPace, type PaceView, type PolledList } from './poll-pace.js';
import { inLane, laneContext, runInLane } from './scheduler/lane.js';

export interface RuntimeListener {
  calls(accountId: string, delta: Delta<Call>): void;
  agents(accountId: string, delta: Delta<Agent>): void;
  health(accountId: string): void;
  /** A list poll succeeded (data age reset). */
  polled(accountId: string): void;
  chat(accountId: string, messages: ChatMessage[]): void;
}

type CallState = Pick<Call, 'onHold' | 'muted' | 'recording'>;

/** What the engine knows about a call beyond its list entry: details, own session, action results. */
interface Overlay {
  detail: CallDetail | null;
  own: SupervisorSession | null;
  state: Partial<CallState>;
}

export interface RuntimeOptions {
  config: AccountConfig;
  connector: VendorConnector;
  clock: Clock;
  listener: RuntimeListener;
  timeoutMs: number;
  visible?: PollIntervals;
  hidden?: PollIntervals;
  /** When the vendor's hold on the account's requests ends (429 / X-RateLimit), if it holds them now. */
  heldUntil?: () => number | null;
}

/** What an agent action is known to have done to one agent, applied until the next poll says otherwise. */
export interface AgentChange {
  key: string;
  state: AgentState;
  reason: string | null;
}

export class AccountRuntime {
  readonly calls = new Map<string, Call>();
  readonly agents = new Map<string, Agent>();
  private polled = new Map<string, Call>();
  private readonly overlays = new Map<string, Overlay>();
  private healthState: HealthState = initialHealth();
  private wasStale = true;
  private running = false;
  private inView = true;
  private viewed: string | null = null;
  private chatAfter: number | null = null;
  private readonly pacer: Pacer;
  private loops: Promise<void>[] = [];
  private readonly backoff = new LoginBackoff();
  private readonly paces = new Map<PolledList, PollPace>();
  private stopping = false;

  constructor(private readonly opts: RuntimeOptions) {
    this.pacer = new Pacer(opts.clock);
  }

  get id(): string {
    return this.opts.config.id;
  }
  get config(): AccountConfig {
    return this.opts.config;
  }
  get connector(): VendorConnector {
    return this.opts.connector;
  }
  get health(): HealthState {
    return this.healthState;
  }
  private get intervals(): PollIntervals {
    return this.inView ? (this.opts.visible ?? VISIBLE_INTERVALS) : (this.opts.hidden ?? TRAY_INTERVALS);
  }

  /**
   * Stale after three missed calls polls. When the account's limit slows its calls poll (and the
   * polls succeed), the pace it can keep is the one missed polls are counted against: its data is as
   * fresh as the limit allows, and the console says so (pace) rather than calling it stale.
   */
  stale(now = this.opts.clock.now()): boolean {
    const slowed = this.healthState.health === 'ok' ? (this.paces.get('calls')?.slowedEveryMs() ?? null) : null;
    const i = slowed === null ? this.intervals : { ...this.intervals, callsMs: Math.max(this.intervals.callsMs, slowed) };
    return isStale(this.healthState, now, staleAfterMs(i, this.opts.timeoutMs));
  }

  /** Lists polled slower than their normal pace because of the account's limit, and any vendor hold. */
  pace(now = this.opts.clock.now()): PaceView | null {
    const slowed = [...this.paces.values()].flatMap((p) => {
      const everyMs = p.slowedEveryMs();
      return everyMs === null ? [] : [{ list: p.list, everyMs, normalMs: p.every(this.intervals) }];
    });
    const until = this.opts.heldUntil?.() ?? null;
    const heldUntil = until !== null && until > now ? until : null;
    return slowed.length || heldUntil !== null ? { slowed, heldUntil } : null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const caps = this.opts.connector.capabilities;
    this.loops = [this.loop(new PollPace('calls', (i) => i.callsMs), () => this.pollCalls(), true)];
    if (caps['agents.list'].supported) this.loops.push(this.loop(new PollPace('agents', (i) => i.agentsMs), () => this.pollAgents()));
    if (caps.chat.supported) this.loops.push(this.loop(new PollPace('chat', (i) => i.chatMs), () => this.pollChat()));
    if (caps['call.details'].supported) this.loops.push(this.loop(new PollPace('details', (i) => i.detailMs), () => this.refreshViewed()));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.pacer.wakeAll();
    await Promise.all(this.loops);
    this.stopping = false;
  }

  setVisible(visible: boolean): void {
    if (this.inView === visible) return;
    this.inView = visible;
    this.pacer.wakeAll(); // re-plan sleeps at the new pace now, not after the old one ends
  }

  /** The call the supervisor is looking at: its details are polled while it stays in view. */
  async view(callKey: string | null): Promise<Call | null> {
    this.viewed = callKey;
    if (callKey === null) return null;
    if (!this.calls.has(callKey)) throw new SwitchboardError('not_found', 'That call has ended.');
    if (this.opts.connector.capabilities['call.details'].supported) await inLane('detail', 'details', () => this.refreshDetail(callKey));
    return this.calls.get(callKey) ?? null;
  }

  /**
   * Polls one list at its pace: each round starts an interval after the last one started (not after
   * it ended), so a round that waited for the account's limit is not followed by a full interval
   * more; a quarter interval always separates two rounds, so a slow vendor is never polled back to back.
   * While the vendor refuses the credentials every poller sleeps out the login backoff; then only
   * the calls poll (the probe) goes out, and the others wait to hear how it went, so each wait ends
   * in one login.
   */
  private async loop(pace: PollPace, step: () => Promise<void>, probe = false): Promise<void> {
    this.paces.set(pace.list, pace);
    while (this.running) {
      const retryAt = this.backoff.retryAt;
      if (retryAt !== null) {
        const now = this.opts.clock.now();
        if (now < retryAt || !probe) {
          await this.pacer.sleep(now < retryAt ? retryAt - now : pace.every(this.intervals));
          continue;
        }
      }
      const started = this.opts.clock.now();
      const ctx = laneContext(pace.list === 'details' ? 'detail' : 'poll', pace.list);
      const failures = this.healthState.consecutiveFailures;
      await runInLane(ctx, step);
      this.checkStale();
      if (!this.running) break;
      const every = pace.every(this.intervals);
      const elapsed = this.opts.clock.now() - started;
      // A round that failed says nothing about the pace the limit allows (its retries were the wait).
      const failed = this.healthState.consecutiveFailures > failures;
      if (pace.note(every, elapsed, failed ? 0 : ctx.waitedMs)) this.opts.listener.health(this.id);
      await this.pacer.sleep(Math.max(every - elapsed, every / 4));
    }
    this.paces.delete(pace.list);
  }

  /** Ends a login backoff now: the next poll goes out at once. */
  retryNow(): void {
    if (this.backoff.retryAt === null) return;
    this.backoff.reset();
    this.pacer.wakeAll();
  }

  private checkStale(): void {
    const stale = this.stale();
    if (stale !== this.wasStale) {
      this.wasStale = stale;
      this.opts.listener.health(this.id);
    }
  }

  /** A request of this account has passed its timeout and is still waiting (HttpCore's onSlow). */
  requestSlow(waitedMs: number, deadlineMs: number): void {
    const before = this.healthState;
    this.healthState = afterSlow(before, slowDetail(waitedMs, deadlineMs));
    if (before.health !== this.healthState.health || before.detail !== this.healthState.detail) this.opts.listener.health(this.id);
  }

  private recordFailure(err: unknown): void {
    // A poll refused by its gate because the runtime is stopping says nothing about the vendor.
    if (this.stopping) return;
    const info = toErrorInfo(err);
    const before = this.healthState.health;
    let detail = info.vendorMessage ? `${info.message} (${info.vendorMessage})` : info.message;
    let backedOff = false;
    if (info.code === 'auth_failed' || info.code === 'forbidden') {
      const previous = this.backoff.retryAt;
      const retryAt = this.backoff.refused(this.opts.clock.now());
      backedOff = retryAt !== previous;
      detail = `${detail} Retrying at ${clockTime(retryAt)}.`;
    }
    this.healthState = afterFailure(this.healthState, info.code, detail);
    // A new retry time is news to the supervisor even when the health itself stays auth_failed.
    if (before !== this.healthState.health || this.healthState.consecutiveFailures === 1 || backedOff) this.opts.listener.health(this.id);
  }

  async pollCalls(): Promise<void> {
    try {
      const list = await this.opts.connector.listCalls();
      this.backoff.reset();
      const before = this.healthState.health;
      this.healthState = afterSuccess(this.healthState, this.opts.clock.now());
      const polled = new Map<string, Call>();
      for (const c of list) polled.set(c.key, c);
      this.polled = polled;
      for (const key of this.overlays.keys()) if (!polled.has(key)) this.overlays.delete(key);
      // Only calls with an overlay (viewed or acted on) change in decorate: without any, the list serves as is.
      this.emitCalls(applySnapshot(this.calls, this.overlays.size === 0 ? list : list.map((c) => this.decorate(c)), sameCall, polled));
      if (before !== 'ok') this.opts.listener.health(this.id);
      else this.opts.listener.polled(this.id);
    } catch (err) {
      this.recordFailure(err);
    }
  }

  async pollAgents(): Promise<void> {
    try {
      const list = await this.opts.connector.listAgents();
      const delta = applySnapshot(this.agents, list);
      if (!isEmptyDelta(delta)) this.opts.listener.agents(this.id, delta);
    } catch (err) {
      this.recordFailure(err);
    }
  }

  async pollChat(): Promise<void> {
    try {
      const { messages, latestMs } = await this.opts.connector.chatMessages(this.chatAfter);
      if (latestMs !== null) this.chatAfter = Math.max(this.chatAfter ?? 0, latestMs);
      if (messages.length) this.opts.listener.chat(this.id, messages);
    } catch (err) {
      this.recordFailure(err);
    }
  }

  private async refreshViewed(): Promise<void> {
    if (this.viewed !== null && this.calls.has(this.viewed)) {
      try {
        await this.refreshDetail(this.viewed);
      } catch {
        // The grid row stays; the drawer shows what it had. List polls carry health.
      }
    }
  }

  async refreshDetail(callKey: string): Promise<void> {
    const call = this.calls.get(callKey);
    if (!call) return;
    const detail = await this.opts.connector.callDetail(call);
    const o = this.overlay(callKey);
    o.detail = detail;
    o.state = {};
    this.redecorate(callKey);
  }

  /**
   * What an agent action did, as its result says, shown at once; the next scheduled agents poll
   * confirms it (a bulk action adds no poll of its own).
   */
  applyAgentChanges(changes: readonly AgentChange[]): void {
    const now = this.opts.clock.now();
    const updated: Agent[] = [];
    for (const c of changes) {
      const a = this.agents.get(c.key);
      if (!a || (a.state === c.state && a.reason === c.reason)) continue;
      const next: Agent = { ...a, state: c.state, reason: c.reason, since: now, ...(c.state === 'logged_off' ? { currentCallKey: null } : {}) };
      this.agents.set(c.key, next);
      updated.push(next);
    }
    if (updated.length) this.opts.listener.agents(this.id, { added: [], updated, removed: [] });
  }

  /** The supervisor's own session on a call (null when it ended). */
  setOwnSession(callKey: string, session: SupervisorSession | null): void {
    this.overlay(callKey).own = session;
    this.redecorate(callKey);
  }

  ownSession(callKey: string): SupervisorSession | null {
    return this.overlays.get(callKey)?.own ?? null;
  }

  ownSessions(): SupervisorSession[] {
    return [...this.overlays.values()].flatMap((o) => (o.own ? [o.own] : []));
  }

  /** Applies what an action is known to have changed, until the vendor's own data says otherwise. */
  applyOutcome(callKey: string, outcome: ActionOutcome): void {
    if (!outcome.callPatch) return;
    const { status, ...state } = outcome.callPatch;
    Object.assign(this.overlay(callKey).state, state);
    if (status === 'ended') {
      this.polled.delete(callKey);
      this.overlays.delete(callKey);
      this.emitCalls({ added: [], updated: [], removed: this.calls.delete(callKey) ? [callKey] : [] });
      return;
    }
    this.redecorate(callKey);
  }

  private overlay(callKey: string): Overlay {
    let o = this.overlays.get(callKey);
    if (!o) {
      o = { detail: null, own: null, state: {} };
      this.overlays.set(callKey, o);
    }
    return o;
  }

  private redecorate(callKey: string): void {
    const polled = this.polled.get(callKey);
    if (!polled) return;
    const next = this.decorate(polled);
    const current = this.calls.get(callKey);
    // A detail refresh that found nothing new sends nothing: only changes cross the wire.
    if (current !== undefined && !sameCall(current, next)) {
      this.calls.set(callKey, next);
      this.emitCalls({ added: [], updated: [next], removed: [] });
    }
  }

  private decorate(c: Call): Call {
    const o = this.overlays.get(c.key);
    if (!o) return c;
    const d = o.detail;
    // The vendor's list wins where it says something; details and action results fill what it leaves null.
    const pick = <K extends keyof CallState>(k: K): Call[K] => c[k] ?? o.state[k] ?? d?.[k] ?? null;
    const others = (d?.sessions ?? []).filter((s) => !o.own || s.handle !== o.own.handle);
    return {
      ...c,
      legs: d?.legs ?? c.legs,
      bridge: d?.bridge ?? c.bridge,
      onHold: pick('onHold'),
      muted: pick('muted'),
      recording: pick('recording'),
      sessions: o.own ? [o.own, ...others] : others.length ? others : c.sessions,
    };
  }

  private emitCalls(delta: Delta<Call>): void {
    if (!isEmptyDelta(delta)) this.opts.listener.calls(this.id, delta);
  }
}
