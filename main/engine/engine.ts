// The supervisor engine: every account's runtime and request scheduler, one merged live picture, and
// every command a supervisor can give, each checked against the vendor's capabilities, sent in its
// account's action lane and written to the audit log.
import type { AccountConfig } from '../domain/account.js';
import {
  capabilityForAgentAction,
  capabilityForCallAction,
  type AgentAction,
  type CallAction,
  type CapabilityName,
  type ManualAgentCall,
} from '../domain/actions.js';
import { SwitchboardError, toErrorInfo, type ErrorCode } from '../domain/errors.js';
import type { Agent, AgentState, Call, ChatMessage, MonitorMode, Service, SupervisorSession } from '../domain/model.js';
import type { Preferences } from '../../preload/contract.js';
import type { MonitorContext } from '../vendors/connector.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import type { Vault } from '../vault/vault.js';
import { AccountRuntime, type AgentChange, type RuntimeListener } from './account-runtime.js';
import { agentStateAlert, DurationRules, type Alert } from './alerts.js';
import { runAudited, type AuditEntry, type AuditIntent, type AuditLog } from './audit-log.js';
import type { Clock } from './clock.js';
import { agentLane, callLane, chatLane, InFlight, manualCallLane, PHONE_LANE, stableJson, type Intent, type Lane } from './in-flight.js';
import { Pacer } from './pacer.js';
import type { Delta } from './diff.js';
import { VISIBLE_INTERVALS, type PollIntervals } from './intervals.js';
import type { AccountScheduler, SchedulerGate } from './scheduler/account-scheduler.js';
import type { BucketView } from './scheduler/bucket.js';
import { inLane } from './scheduler/lane.js';
import { Schedulers, type Notice } from './scheduler/schedulers.js';
import { computeTrayModel, type TrayModel } from './tray-model.js';

export interface EngineEvents {
  calls(delta: Delta<Call>): void;
  agents(delta: Delta<Agent>): void;
  accounts(): void;
  /** A poll succeeded: the account's data is fresh again (health unchanged). */
  freshness(f: { accountId: string; dataAt: number | null; stale: boolean }): void;
  chat(messages: ChatMessage[]): void;
  alerts(alerts: Alert[]): void;
  tray(model: TrayModel): void;
  /** Something the supervisor should know that no request answers: a held action, a session that did not end. */
  notice(n: Notice): void;
}

export type { Notice };

export interface EngineOptions {
  vendors: VendorRegistry;
  vault: () => Vault;
  preferences: () => Preferences;
  audit: AuditLog;
  clock: Clock;
  events: EngineEvents;
  timeoutMs?: number;
  /** Replaces the per-minute figure of every bucket of a vendor (tests: tight or unlimited). */
  budgetPerMinute?: Partial<Record<AccountConfig['vendor'], number>>;
  /** The window limits are counted over; 60 s unless a benchmark shortens it. */
  limitWindowMs?: number;
  visibleIntervals?: PollIntervals;
  hiddenIntervals?: PollIntervals;
  /** How often duration alerts are evaluated. */
  alertEveryMs?: number;
}

export interface BulkResult {
  agentKey: string;
  ok: boolean;
  detail: string;
  /** Why it failed, when it did: the vendor refused this agent (action_failed) or the whole request failed. */
  code: ErrorCode | null;
}

const CHAT_HISTORY_PER_AGENT = 200;
/** How long after an interrupted monitor command its call may still be live (no call lasts longer). */
const INTERRUPTED_SESSION_MS = 12 * 3_600_000;
const OWN_PREFIX = 'own-';
/** How far apart the engine's record of a sent message and the vendor's echo of it may be. */
const ECHO_WINDOW_MS = 120_000;

/** `account:vendorId` keys: the account id cannot contain ':' (settings schema), so the first colon splits. */
export function accountOfKey(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

export class SupervisorEngine {
  private readonly runtimes = new Map<string, AccountRuntime>();
  /** One request scheduler per configured account, running or not. */
  private readonly schedulers: Schedulers;
  /** The gate each runtime's connector sends through. */
  private readonly gates = new Map<string, SchedulerGate>();
  private readonly rules = new DurationRules();
  private readonly chat = new Map<string, ChatMessage[]>();
  private visible = true;
  private alertTimer: Promise<void> | null = null;
  private running = false;
  private chatSeq = 0;
  /** When each own session was last started or changed, so the tray shows the current one. */
  private readonly monitorOrder = new Map<string, number>();
  private monitorSeq = 0;
  private readonly pacer: Pacer;
  /** One action at a time per call, agent and phone; identical requests join the one in flight. */
  private readonly inFlight = new InFlight();
  /** Monitor commands an earlier run never saw answered, by call: shown as possibly active once the call is seen. */
  private readonly interrupted = new Map<string, { mode: MonitorMode; at: number }>();

  constructor(private readonly opts: EngineOptions) {
    this.pacer = new Pacer(opts.clock);
    this.schedulers = new Schedulers({
      vendors: opts.vendors,
      vault: opts.vault,
      clock: opts.clock,
      budgetPerMinute: opts.budgetPerMinute,
      windowMs: opts.limitWindowMs,
      notice: (n) => opts.events.notice(n),
      holdChanged: () => opts.events.accounts(),
    });
  }

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? 10_000;
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────────

  /**
   * Brings the runtimes in line with the configured accounts: added, removed, and reconnected when
   * their settings or their secrets changed (a secret changes nothing in the config, so the vault's
   * generation of the account's secrets is compared too). One sync at a time, so two saves at once
   * never start two runtimes for one account.
   */
  syncAccounts(accounts: readonly AccountConfig[]): Promise<void> {
    const run = this.syncing.then(() => this.sync(accounts));
    this.syncing = run.catch(() => undefined);
    return run;
  }
  private syncing: Promise<void> = Promise.resolve();
  /** The vault generation each runtime's secrets were read at. */
  private readonly secretsGeneration = new Map<string, number>();

  private async sync(accounts: readonly AccountConfig[]): Promise<void> {
    const wanted = new Map(accounts.filter((a) => a.enabled).map((a) => [a.id, a]));
    for (const [id, rt] of this.runtimes) {
      const next = wanted.get(id);
      const changed = !next || JSON.stringify(next) !== JSON.stringify(rt.config) || this.opts.vault().generation(id) !== this.secretsGeneration.get(id);
      if (changed) await this.removeRuntime(id);
    }
    for (const [id, config] of wanted) if (!this.runtimes.has(id)) await this.addRuntime(config);
    this.schedulers.sync(accounts);
    this.opts.events.accounts();
  }

  /** Ends a login backoff now (the supervisor's connection test just passed). */
  retryNow(accountId: string): void {
    this.runtimes.get(accountId)?.retryNow();
  }

  private async addRuntime(config: AccountConfig): Promise<void> {
    const scheduler = this.schedulers.for(config);
    // The runtime is made after its connector; a request slow before then has no health to change.
    let runtime: AccountRuntime | undefined;
    const { connector, gate, generation } = await this.schedulers.connect(config, {
      timeoutMs: this.timeoutMs,
      onSlow: (slow) => runtime?.requestSlow(slow.waitedMs, slow.deadlineMs),
    });
    const rt = new AccountRuntime({
      config,
      connector,
      clock: this.opts.clock,
      listener: this.listener,
      timeoutMs: this.timeoutMs,
      visible: this.opts.visibleIntervals ?? { ...VISIBLE_INTERVALS, ...this.opts.vendors[config.vendor].limits.inView(config) },
      ...(this.opts.hiddenIntervals ? { hidden: this.opts.hiddenIntervals } : {}),
      heldUntil: () => scheduler.heldUntil(),
    });
    runtime = rt;
    rt.setVisible(this.visible);
    this.runtimes.set(config.id, rt);
    this.secretsGeneration.set(config.id, generation);
    this.gates.set(config.id, gate);
    if (this.running) rt.start();
  }

  private async removeRuntime(id: string): Promise<void> {
    const rt = this.runtimes.get(id);
    if (!rt) return;
    this.runtimes.delete(id);
    this.secretsGeneration.delete(id);
    const stopping = rt.stop();
    // Polls waiting out a vendor's hold end now instead of keeping the old connector alive.
    this.gates.get(id)?.close('The account was reconnected or removed');
    this.gates.delete(id);
    await stopping;
    const removedCalls = [...rt.calls.keys()];
    const removedAgents = [...rt.agents.keys()];
    if (removedCalls.length) this.opts.events.calls({ added: [], updated: [], removed: removedCalls });
    if (removedAgents.length) this.opts.events.agents({ added: [], updated: [], removed: removedAgents });
  }

  runtime(accountId: string): AccountRuntime | undefined {
    return this.runtimes.get(accountId);
  }

  /** The account's request scheduler (its buckets, holds and counts). */
  scheduler(accountId: string): AccountScheduler | undefined {
    return this.schedulers.get(accountId);
  }

  /** The account's buckets with their figures and sources, for the Accounts view. */
  limits(config: AccountConfig): BucketView[] {
    return this.schedulers.limits(config);
  }

  /** A connection test through the account's scheduler; a running account reuses its session. */
  testConnection(config: AccountConfig): Promise<void> {
    const running = this.runtimes.get(config.id);
    // Only while it runs with these very settings and secrets (not yet reconnected after a change).
    const same =
      running !== undefined &&
      JSON.stringify(running.config) === JSON.stringify(config) &&
      this.opts.vault().generation(config.id) === this.secretsGeneration.get(config.id);
    return this.schedulers.test(config, same ? running.connector : null);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const rt of this.runtimes.values()) rt.start();
    this.alertTimer = this.alertLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pacer.wakeAll();
    const stopping = [...this.runtimes.values()].map((rt) => rt.stop());
    // A poll waiting out a vendor's hold must not keep the engine from stopping.
    for (const gate of this.gates.values()) gate.cancelWaiting('Switchboard stopped');
    await Promise.all(stopping);
    await this.alertTimer;
  }

  /** Console in view: fast polling; in the tray: slow. */
  get inView(): boolean {
    return this.visible;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const rt of this.runtimes.values()) rt.setVisible(visible);
  }

  // ── the live picture ────────────────────────────────────────────────────────────────────────

  calls(): Call[] {
    return [...this.runtimes.values()].flatMap((rt) => [...rt.calls.values()]);
  }

  agents(): Agent[] {
    return [...this.runtimes.values()].flatMap((rt) => [...rt.agents.values()]);
  }

  chatHistory(): ChatMessage[] {
    return [...this.chat.values()].flat().sort((a, b) => a.at - b.at);
  }

  /** Accounts whose data is too old to show as live: the tray and alerts leave them out. */
  private staleRuntimes(): Set<AccountRuntime> {
    const now = this.opts.clock.now();
    return new Set([...this.runtimes.values()].filter((rt) => rt.stale(now)));
  }

  tray(): TrayModel {
    const stale = this.staleRuntimes();
    const live = [...this.runtimes.values()].filter((rt) => !stale.has(rt));
    return computeTrayModel({
      calls: live.flatMap((rt) => [...rt.calls.values()]),
      agents: live.flatMap((rt) => [...rt.agents.values()]),
      staleAccounts: [...stale].map((rt) => rt.config.label),
      own: [...this.runtimes.values()]
        .flatMap((rt) => rt.ownSessions())
        .sort((a, b) => (this.monitorOrder.get(b.callKey) ?? 0) - (this.monitorOrder.get(a.callKey) ?? 0)),
      doNotDisturb: this.opts.preferences().notifications.doNotDisturb,
      holdStartedAt: (k) => this.rules.holdStartedAt(k),
      now: this.opts.clock.now(),
    });
  }

  private readonly listener: RuntimeListener = {
    calls: (id, delta) => {
      this.opts.events.calls(delta);
      this.opts.events.tray(this.tray());
      if (this.interrupted.size) this.claimInterrupted(id, delta.added);
    },
    agents: (id, delta) => {
      const rt = this.runtimes.get(id);
      const alerts: Alert[] = [];
      const now = this.opts.clock.now();
      for (const next of delta.updated) {
        const prev = this.previousAgents.get(next.key);
        const a = agentStateAlert(prev, next, now);
        if (a) alerts.push(a);
      }
      for (const a of [...delta.added, ...delta.updated]) this.previousAgents.set(a.key, a);
      for (const k of delta.removed) this.previousAgents.delete(k);
      if (rt) this.opts.events.agents(delta);
      if (alerts.length) this.opts.events.alerts(alerts);
      this.opts.events.tray(this.tray());
    },
    health: () => this.opts.events.accounts(),
    polled: (id) => {
      const rt = this.runtimes.get(id);
      if (rt) this.opts.events.freshness({ accountId: id, dataAt: rt.health.dataAt, stale: rt.stale() });
    },
    chat: (_id, messages) => {
      const fresh = messages.filter((m) => this.remember(m));
      if (fresh.length) this.opts.events.chat(fresh);
    },
  };
  private readonly previousAgents = new Map<string, Agent>();

  private async alertLoop(): Promise<void> {
    while (this.running) {
      this.evaluateAlerts();
      await this.pacer.sleep(this.opts.alertEveryMs ?? 1_000);
    }
  }

  /**
   * Runs the duration rules once (the alert loop calls this every second). Frozen data raises no
   * alert: a stale account's calls may have ended. The tray hears when the set of stale accounts
   * changes, since no poll will tell it.
   */
  evaluateAlerts(): Alert[] {
    const stale = this.staleRuntimes();
    const staleIds = new Set([...stale].map((rt) => rt.id));
    const fired = this.rules.evaluate(this.calls(), this.agents(), this.opts.preferences().alerts, this.opts.clock.now(), (accountId) => staleIds.has(accountId));
    if (fired.length) this.opts.events.alerts(fired);
    const staleKey = [...staleIds].sort().join('\n');
    if (staleKey !== this.lastStaleKey) {
      this.lastStaleKey = staleKey;
      this.opts.events.tray(this.tray());
    }
    return fired;
  }
  private lastStaleKey = '';

  /**
   * Monitor commands the audit log holds without an outcome from an earlier run (the app was killed
   * while the vendor had them): the session may be live at the vendor, so each is shown as possibly
   * active, with the way to end it, once its call is seen live.
   */
  adoptInterrupted(entries: readonly AuditEntry[]): void {
    const now = this.opts.clock.now();
    for (const e of entries) {
      const mode = /^monitor\.(listen|whisper|barge)$/.exec(e.action)?.[1] as MonitorMode | undefined;
      if (mode && now - e.at < INTERRUPTED_SESSION_MS) this.interrupted.set(e.target, { mode, at: e.at });
    }
    for (const rt of this.runtimes.values()) this.claimInterrupted(rt.id, [...rt.calls.values()]);
  }

  private claimInterrupted(accountId: string, calls: readonly Call[]): void {
    const rt = this.runtimes.get(accountId);
    if (!rt) return;
    let claimed = false;
    for (const call of calls) {
      const i = this.interrupted.get(call.key);
      if (!i) continue;
      this.interrupted.delete(call.key);
      if (rt.ownSession(call.key)) continue;
      rt.setOwnSession(call.key, possiblyActiveSession(call, i.mode, '', i.at));
      this.monitorOrder.set(call.key, ++this.monitorSeq);
      claimed = true;
    }
    if (claimed) this.opts.events.tray(this.tray());
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────────

  private locate(key: string): AccountRuntime {
    const rt = this.runtimes.get(accountOfKey(key));
    if (!rt) throw new SwitchboardError('not_found', 'That account is not connected.');
    return rt;
  }

  private callOf(key: string): { rt: AccountRuntime; call: Call } {
    const rt = this.locate(key);
    const call = rt.calls.get(key);
    if (!call) throw new SwitchboardError('not_found', 'That call has ended or is not in the live list.');
    return { rt, call };
  }

  private require(rt: AccountRuntime, name: CapabilityName): void {
    const cap = rt.connector.capabilities[name];
    if (!cap.supported) throw new SwitchboardError('unsupported', cap.reason);
  }

  /**
   * Runs a command, auditing its intent before it goes out and its outcome after, whatever happens.
   * Every request it makes travels in its account's action lane: ahead of details and polls, into
   * the share they never take.
   */
  private audited<T>(intent: AuditIntent, run: () => Promise<T>): Promise<T> {
    return runAudited(this.opts.audit, this.opts.clock, intent, () => inLane('action', intent.action, run));
  }

  private monitorContext(config: AccountConfig) {
    return {
      supervisorPhone: config.supervisorPhone,
      supervisorExtension: config.vendor === 'livevox' ? config.supervisorExtension : undefined,
    };
  }

  /** One click: listen, whisper or barge, whatever the vendor needs; a second mode changes it. */
  monitor(callKey: string, mode: MonitorMode): Promise<Call> {
    return this.inFlight.run({ lanes: [callLane(callKey), PHONE_LANE], key: `monitor.${mode} ${callKey}`, label: mode }, () => this.startMonitor(callKey, mode));
  }

  private async startMonitor(callKey: string, mode: MonitorMode): Promise<Call> {
    const rt = this.locate(callKey);
    return this.audited({ accountId: rt.id, target: callKey, action: `monitor.${mode}` }, async () => {
      const { call } = this.callOf(callKey);
      this.require(rt, `monitor.${mode}`);
      let current = rt.ownSession(callKey);
      if (current?.mode === mode && !current.possiblyActive) return call;
      // One phone, one session: monitoring another call first ends the one in progress. On the same
      // account that comes first (same vendor, same phone; its request is an action too). A session
      // on another account ends alongside, never in the way: its vendor may be slow or rate limited,
      // and the new session does not wait for it. Where the vendor cannot end a session (LiveVox),
      // its audio path simply moves to the new call.
      for (const other of this.runtimes.values()) {
        for (const s of other.ownSessions()) {
          if (s.callKey === callKey) continue;
          if (other !== rt) this.endElsewhere(other, s.callKey);
          else if (!rt.connector.capabilities['monitor.stop'].supported) other.setOwnSession(s.callKey, null);
          // This command already holds the phone: the end runs unguarded, inside it.
          else await this.endMonitor(s.callKey).catch(keepUnsupported);
        }
      }
      const ctx = this.monitorContext(rt.config);
      // A session of unknown outcome is ended at the vendor first, so the new one starts from nothing;
      // so is one the vendor cannot change in place.
      if (current && (current.possiblyActive || !rt.connector.capabilities['monitor.changeInPlace'].supported)) {
        await this.stopAtVendor(rt, call, current, ctx);
        current = null;
      }
      try {
        const session = await rt.connector.monitor(call, mode, ctx, current);
        rt.setOwnSession(callKey, { ...session, own: true });
      } catch (err) {
        // The vendor may have dialled the supervisor all the same: keep the session in view, marked
        // possibly active, so it can be ended at the vendor (docs/vendors.md, "Unknown outcomes").
        if (isOutcomeUnknown(err)) rt.setOwnSession(callKey, possiblyActiveSession(call, mode, current?.handle ?? '', this.opts.clock.now()));
        throw err;
      }
      this.monitorOrder.set(callKey, ++this.monitorSeq);
      this.opts.events.tray(this.tray());
      return rt.calls.get(callKey) ?? call;
    });
  }

  /**
   * Ends a session on another account without holding up the caller; a failure is told, not thrown.
   * The ending holds that call's lane as a stop would, so a Stop clicked meanwhile (or the next
   * monitor command finding the session still there) joins it instead of ending it twice.
   */
  private endElsewhere(rt: AccountRuntime, callKey: string): void {
    const intent: Intent = { lanes: [callLane(callKey)], key: `monitor.stop ${callKey}`, label: 'stop monitoring' };
    const a = this.inFlight.admit(intent);
    const ending = a.kind === 'same' ? (a.result as Promise<unknown>) : this.endMonitor(callKey);
    if (a.kind === 'free') this.inFlight.hold(intent, ending);
    void ending.catch(keepUnsupported).catch((err: unknown) => {
      const info = toErrorInfo(err);
      this.opts.events.notice({
        kind: 'error',
        accountId: rt.id,
        text: `${rt.config.label}: your earlier session could not be ended; hang up that call on your phone if it is still connected.`,
        detail: info.vendorMessage ? `${info.message} (${info.vendorMessage})` : info.message,
        waitMs: null,
      });
    });
  }

  /** Ends exactly the supervisor's own session on the call (a possibly active one too, at the vendor). */
  stopMonitor(callKey: string): Promise<Call | null> {
    return this.inFlight.run({ lanes: [callLane(callKey), PHONE_LANE], key: `monitor.stop ${callKey}`, label: 'stop monitoring' }, () => this.endMonitor(callKey));
  }

  private async endMonitor(callKey: string): Promise<Call | null> {
    const rt = this.locate(callKey);
    const possibly = rt.ownSession(callKey)?.possiblyActive === true;
    return this.audited({ accountId: rt.id, target: callKey, action: 'monitor.stop', ...(possibly ? { detail: 'possibly active session' } : {}) }, async () => {
      const session = rt.ownSession(callKey);
      if (!session) throw new SwitchboardError('invalid_state', 'You are not monitoring this call.');
      const call = rt.calls.get(callKey);
      if (call) await this.stopAtVendor(rt, call, session, this.monitorContext(rt.config));
      else rt.setOwnSession(callKey, null);
      this.monitorOrder.delete(callKey);
      this.opts.events.tray(this.tray());
      return rt.calls.get(callKey) ?? null;
    });
  }

  /**
   * Ends a session at the vendor. One whose ending has an unknown outcome stays, as possibly active.
   * A possibly active one the vendor gives no way to end (the supervisor is told to hang up) is no
   * longer shown: nothing more can be done about it here, and it must not linger on the call.
   */
  private async stopAtVendor(rt: AccountRuntime, call: Call, session: SupervisorSession, ctx: MonitorContext): Promise<void> {
    try {
      await rt.connector.stopMonitor(call, session, ctx);
    } catch (err) {
      if (isOutcomeUnknown(err)) rt.setOwnSession(call.key, { ...session, possiblyActive: true });
      else if (session.possiblyActive && err instanceof SwitchboardError && err.code === 'unsupported') rt.setOwnSession(call.key, null);
      throw err;
    }
    rt.setOwnSession(call.key, null);
  }

  callAction(callKey: string, action: CallAction): Promise<{ detail: string | null; digits: string | null }> {
    return this.inFlight.run({ lanes: [callLane(callKey)], key: `call ${callKey} ${stableJson(action)}`, label: callActionLabel(action) }, () =>
      this.runCallAction(callKey, action),
    );
  }

  private async runCallAction(callKey: string, action: CallAction): Promise<{ detail: string | null; digits: string | null }> {
    const rt = this.locate(callKey);
    return this.audited({ accountId: rt.id, target: callKey, action: `call.${action.type}`, detail: describeCallAction(action) }, async () => {
      const { call } = this.callOf(callKey);
      this.require(rt, capabilityForCallAction(action));
      if (action.type === 'disposition' && action.callback && !action.callbackAt) {
        throw new SwitchboardError('invalid_input', 'A callback needs a date and time.');
      }
      const outcome = await rt.connector.callAction(call, action);
      rt.applyOutcome(callKey, outcome);
      return { detail: outcome.detail ?? null, digits: outcome.digits ?? null };
    });
  }

  /** Details (legs, bridge) for the call in the drawer; null clears the selection. */
  async view(callKey: string | null): Promise<Call | null> {
    for (const rt of this.runtimes.values()) if (callKey === null || rt.id !== accountOfKey(callKey)) void rt.view(null);
    if (callKey === null) return null;
    return this.locate(callKey).view(callKey);
  }

  /** Bulk agent state or service change: each account gets one request, each agent its own result. */
  agentAction(agentKeys: readonly string[], action: AgentAction): Promise<BulkResult[]> {
    return this.oncePerAgent(agentKeys, agentLane, `agent ${stableJson(action)}`, agentActionLabel(action), (keys) =>
      this.perAccount(
        keys,
        capabilityForAgentAction(action),
        `agent.${action.type}`,
        describeAgentAction(action),
        (rt, agents) => rt.connector.agentAction(agents, action),
        agentStateAfter(action),
      ),
    );
  }

  chatBroadcast(agentKeys: readonly string[], message: string, canReply: boolean): Promise<BulkResult[]> {
    return this.oncePerAgent(agentKeys, chatLane, `chat.broadcast ${stableJson({ message, canReply })}`, 'broadcast', async (keys) => {
      const results = await this.perAccount(keys, 'chat', 'chat.broadcast', `${message.length} chars, canReply=${canReply}`, (rt, agents) =>
        rt.connector.chatBroadcast(
          agents.map((a) => a.loginId),
          message,
          canReply,
        ),
      );
      for (const r of results) if (r.ok) this.recordOwn(r.agentKey, message, canReply);
      return results;
    });
  }

  chatSend(agentKey: string, message: string): Promise<void> {
    return this.inFlight.run({ lanes: [chatLane(agentKey)], key: `chat.send ${agentKey} ${stableJson(message)}`, label: 'message' }, async () => {
      const { rt, agent } = this.agentOf(agentKey);
      await this.audited({ accountId: rt.id, target: agentKey, action: 'chat.send', detail: `${message.length} chars` }, async () => {
        this.require(rt, 'chat');
        await rt.connector.chatSend(agent.loginId, message);
      });
      this.recordOwn(agentKey, message, null);
    });
  }

  chatEnd(agentKey: string): Promise<void> {
    return this.inFlight.run({ lanes: [chatLane(agentKey)], key: `chat.end ${agentKey}`, label: 'end chat' }, async () => {
      const { rt, agent } = this.agentOf(agentKey);
      await this.audited({ accountId: rt.id, target: agentKey, action: 'chat.end' }, async () => {
        this.require(rt, 'chat');
        await rt.connector.chatEnd(agent.loginId);
      });
    });
  }

  async services(accountId: string): Promise<Service[]> {
    const rt = this.runtimes.get(accountId);
    if (!rt) throw new SwitchboardError('not_found', 'That account is not connected.');
    this.require(rt, 'services.list');
    // The supervisor is choosing a service to switch agents to: a click, not a poll.
    return inLane('action', 'services.list', () => rt.connector.listServices());
  }

  manualCall(accountId: string, req: ManualAgentCall): Promise<{ detail: string | null }> {
    const intent = { lanes: [manualCallLane(accountId, req.username)], key: `manual ${accountId} ${stableJson(req)}`, label: `to ${req.destination}` };
    return this.inFlight.run(intent, async () => {
      const rt = this.runtimes.get(accountId);
      if (!rt) throw new SwitchboardError('not_found', 'That account is not connected.');
      return this.audited({ accountId, target: accountId, action: 'call.manualAgentCall', detail: `agent=${req.username} to=${req.destination}` }, async () => {
        this.require(rt, 'call.manualAgentCall');
        const outcome = await rt.connector.manualAgentCall(req);
        return { detail: outcome.detail ?? null };
      });
    });
  }

  private agentOf(agentKey: string): { rt: AccountRuntime; agent: Agent } {
    const rt = this.locate(agentKey);
    const agent = rt.agents.get(agentKey);
    if (!agent) throw new SwitchboardError('not_found', 'That agent is not in the live list.');
    return { rt, agent };
  }

  /**
   * A bulk command, held per agent: an agent with the identical command in flight joins it, one with
   * another command in flight is refused in its own result, and the rest go out together as usual.
   */
  private async oncePerAgent(
    agentKeys: readonly string[],
    lane: (agentKey: string) => Lane,
    verb: string,
    label: string,
    run: (agentKeys: string[]) => Promise<BulkResult[]>,
  ): Promise<BulkResult[]> {
    const fresh: { key: string; intent: Intent }[] = [];
    const joined: Promise<BulkResult>[] = [];
    const refused: BulkResult[] = [];
    for (const key of new Set(agentKeys)) {
      const intent: Intent = { lanes: [lane(key)], key: `${verb} ${key}`, label };
      const a = this.inFlight.admit(intent);
      // Agent lanes only ever hold one agent's BulkResult (below).
      if (a.kind === 'same') joined.push(a.result as Promise<BulkResult>);
      else if (a.kind === 'busy') refused.push({ agentKey: key, ok: false, detail: a.error.message, code: a.error.code });
      else fresh.push({ key, intent });
    }
    const batch = fresh.length ? run(fresh.map((f) => f.key)) : Promise.resolve([]);
    for (const f of fresh) {
      this.inFlight.hold(
        f.intent,
        batch.then((rs) => rs.find((r) => r.agentKey === f.key) ?? { agentKey: f.key, ok: false, detail: 'The vendor did not report on this agent', code: 'outcome_unknown' }),
      );
    }
    const results = [...refused, ...(await batch), ...(await Promise.all(joined))];
    const order = new Map(agentKeys.map((k, i) => [k, i]));
    return results.sort((a, b) => (order.get(a.agentKey) ?? 0) - (order.get(b.agentKey) ?? 0));
  }

  private async perAccount(
    agentKeys: readonly string[],
    capability: CapabilityName,
    action: string,
    detail: string,
    run: (rt: AccountRuntime, agents: Agent[]) => Promise<{ loginId: string; ok: boolean; detail: string }[]>,
    after?: { state: AgentState; reason: string | null },
  ): Promise<BulkResult[]> {
    const groups = new Map<string, string[]>();
    for (const key of new Set(agentKeys)) groups.set(accountOfKey(key), [...(groups.get(accountOfKey(key)) ?? []), key]);
    const results: BulkResult[] = [];
    await Promise.all(
      [...groups].map(async ([accountId, keys]) => {
        const rt = this.runtimes.get(accountId);
        const agents = rt ? keys.flatMap((k) => (rt.agents.has(k) ? [rt.agents.get(k)!] : [])) : [];
        for (const k of keys) if (!agents.some((a) => a.key === k)) results.push({ agentKey: k, ok: false, detail: 'Agent not found in the live list', code: 'not_found' });
        if (!rt || agents.length === 0) return;
        try {
          const perAgent = await this.audited({ accountId, target: agents.map((a) => a.key).join(' '), action, detail }, async () => {
            this.require(rt, capability);
            return run(rt, agents);
          });
          const changes: AgentChange[] = [];
          for (const a of agents) {
            const r = perAgent.find((p) => p.loginId === a.loginId);
            results.push(
              r
                ? { agentKey: a.key, ok: r.ok, detail: r.detail, code: r.ok ? null : 'action_failed' }
                : { agentKey: a.key, ok: false, detail: 'The vendor did not report on this agent', code: 'outcome_unknown' },
            );
            if (r?.ok && after) changes.push({ key: a.key, ...after });
          }
          // The vendor's answer already says what changed: shown now, and the next scheduled agents
          // poll confirms it (a bulk action adds no poll of its own).
          rt.applyAgentChanges(changes);
        } catch (err) {
          const info = toErrorInfo(err);
          for (const a of agents) results.push({ agentKey: a.key, ok: false, detail: info.vendorMessage ? `${info.message} (${info.vendorMessage})` : info.message, code: info.code });
        }
      }),
    );
    const order = new Map(agentKeys.map((k, i) => [k, i]));
    return results.sort((a, b) => (order.get(a.agentKey) ?? 0) - (order.get(b.agentKey) ?? 0));
  }

  private remember(m: ChatMessage): boolean {
    const key = `${m.accountId}:${m.agentLoginId}`;
    const list = this.chat.get(key) ?? [];
    if (list.some((x) => x.senderId === m.senderId && x.at === m.at && x.text === m.text)) return false;
    // The vendor echoes what the supervisor sent; the engine already recorded it when sending.
    if (!m.fromAgent && list.some((x) => x.id.startsWith(OWN_PREFIX) && x.text === m.text && Math.abs(x.at - m.at) < ECHO_WINDOW_MS)) return false;
    list.push(m);
    if (list.length > CHAT_HISTORY_PER_AGENT) list.splice(0, list.length - CHAT_HISTORY_PER_AGENT);
    this.chat.set(key, list);
    return true;
  }

  private recordOwn(agentKey: string, text: string, canReply: boolean | null): void {
    const accountId = accountOfKey(agentKey);
    const m: ChatMessage = {
      id: `${OWN_PREFIX}${++this.chatSeq}`,
      accountId,
      agentLoginId: agentKey.slice(accountId.length + 1),
      fromAgent: false,
      senderId: 'supervisor',
      text,
      at: this.opts.clock.now(),
      canReply,
    };
    if (this.remember(m)) this.opts.events.chat([m]);
  }
}

function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof SwitchboardError && err.code === 'outcome_unknown';
}

/** A session the vendor may hold without having said so: its handle is a hint, or '' when none is known. */
function possiblyActiveSession(call: Call, mode: MonitorMode, handle: string, now: number): SupervisorSession {
  return { callKey: call.key, accountId: call.accountId, mode, handle, startedAt: now, own: true, possiblyActive: true };
}

/** How a refusal names the call action in flight. */
function callActionLabel(a: CallAction): string {
  return a.type === 'transfer' ? `${a.mode} transfer` : a.type;
}

function agentActionLabel(a: AgentAction): string {
  return a.type === 'notReady' ? 'not ready' : a.type === 'switchService' ? 'switch service' : a.type === 'logoff' ? 'log off' : a.type;
}

/** What a successful agent action leaves the agent in; a service switch leaves the state as it was. */
function agentStateAfter(a: AgentAction): { state: AgentState; reason: string | null } | undefined {
  switch (a.type) {
    case 'ready':
      return { state: 'ready', reason: null };
    case 'notReady':
      return { state: 'not_ready', reason: a.reason };
    case 'logoff':
      return { state: 'logged_off', reason: null };
    default:
      return undefined;
  }
}

/** A vendor that cannot end its session keeps it (shown as such); anything else is a failure. */
function keepUnsupported(err: unknown): void {
  if (!(err instanceof SwitchboardError && err.code === 'unsupported')) throw err;
}

function describeCallAction(a: CallAction): string | undefined {
  switch (a.type) {
    case 'transfer':
      return `${a.mode} to ${a.destination}`;
    case 'conference.add':
    case 'conference.remove':
      return `participant ${a.participant}`;
    case 'play':
      return a.audioUrl ? `audio to ${a.participant}` : `speech to ${a.participant}`;
    case 'dtmf.send':
      return `${a.digits.length} digits`;
    case 'recording':
      return a.on ? 'on' : 'off';
    case 'disposition':
      return `${a.disposition}${a.callback ? ` callback ${a.callbackAt ?? ''}` : ''}`;
    default:
      return undefined;
  }
}

function describeAgentAction(a: AgentAction): string {
  switch (a.type) {
    case 'notReady':
      return `reason=${a.reason}`;
    case 'switchService':
      return `service=${a.serviceId}`;
    default:
      return a.type;
  }
}
