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
import type { Agent, AgentState, Call, ChatMessage, MonitorMode, Service } from '../domain/model.js';
import type { Preferences } from '../../preload/contract.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import type { Vault } from '../vault/vault.js';
import { AccountRuntime, type AgentChange, type RuntimeListener } from './account-runtime.js';
import { agentStateAlert, DurationRules, type Alert } from './alerts.js';
import { runAudited, type AuditEntry, type AuditLog } from './audit-log.js';
import type { Clock } from './clock.js';
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

  /** Brings the runtimes in line with the configured accounts (added, changed, removed). */
  async syncAccounts(accounts: readonly AccountConfig[]): Promise<void> {
    const wanted = new Map(accounts.filter((a) => a.enabled).map((a) => [a.id, a]));
    for (const [id, rt] of this.runtimes) {
      const next = wanted.get(id);
      if (!next || JSON.stringify(next) !== JSON.stringify(rt.config)) await this.removeRuntime(id);
    }
    for (const [id, config] of wanted) if (!this.runtimes.has(id)) await this.addRuntime(config);
    this.schedulers.sync(accounts);
    this.opts.events.accounts();
  }

  private async addRuntime(config: AccountConfig): Promise<void> {
    const scheduler = this.schedulers.for(config);
    const { connector, gate } = await this.schedulers.connect(config, this.timeoutMs);
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
    rt.setVisible(this.visible);
    this.runtimes.set(config.id, rt);
    this.gates.set(config.id, gate);
    if (this.running) rt.start();
  }

  private async removeRuntime(id: string): Promise<void> {
    const rt = this.runtimes.get(id);
    if (!rt) return;
    this.runtimes.delete(id);
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
    const same = running !== undefined && JSON.stringify(running.config) === JSON.stringify(config);
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
    calls: (_id, delta) => {
      this.opts.events.calls(delta);
      this.opts.events.tray(this.tray());
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
   * Runs a command, auditing its attempt and outcome whatever happens. Every request it makes
   * travels in its account's action lane: ahead of details and polls, into the share they never take.
   */
  private audited<T>(base: Omit<AuditEntry, 'at' | 'outcome' | 'error'>, run: () => Promise<T>): Promise<T> {
    return runAudited(this.opts.audit, this.opts.clock, base, () => inLane('action', base.action, run));
  }

  private monitorContext(config: AccountConfig) {
    return {
      supervisorPhone: config.supervisorPhone,
      supervisorExtension: config.vendor === 'livevox' ? config.supervisorExtension : undefined,
    };
  }

  /** One click: listen, whisper or barge, whatever the vendor needs; a second mode changes it. */
  async monitor(callKey: string, mode: MonitorMode): Promise<Call> {
    const rt = this.locate(callKey);
    return this.audited({ accountId: rt.id, target: callKey, action: `monitor.${mode}` }, async () => {
      const { call } = this.callOf(callKey);
      this.require(rt, `monitor.${mode}`);
      const current = rt.ownSession(callKey);
      if (current?.mode === mode) return call;
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
          else await this.stopMonitor(s.callKey).catch(keepUnsupported);
        }
      }
      const ctx = this.monitorContext(rt.config);
      if (current && !rt.connector.capabilities['monitor.changeInPlace'].supported) {
        await rt.connector.stopMonitor(call, current, ctx);
        rt.setOwnSession(callKey, null);
        const fresh = await rt.connector.monitor(call, mode, ctx, null);
        rt.setOwnSession(callKey, { ...fresh, own: true });
      } else {
        const session = await rt.connector.monitor(call, mode, ctx, current);
        rt.setOwnSession(callKey, { ...session, own: true });
      }
      this.monitorOrder.set(callKey, ++this.monitorSeq);
      this.opts.events.tray(this.tray());
      return rt.calls.get(callKey) ?? call;
    });
  }

  /** Ends a session on another account without holding up the caller; a failure is told, not thrown. */
  private endElsewhere(rt: AccountRuntime, callKey: string): void {
    void this.stopMonitor(callKey)
      .catch(keepUnsupported)
      .catch((err: unknown) => {
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

  /** Ends exactly the supervisor's own session on the call. */
  async stopMonitor(callKey: string): Promise<Call | null> {
    const rt = this.locate(callKey);
    return this.audited({ accountId: rt.id, target: callKey, action: 'monitor.stop' }, async () => {
      const session = rt.ownSession(callKey);
      if (!session) throw new SwitchboardError('invalid_state', 'You are not monitoring this call.');
      const call = rt.calls.get(callKey);
      if (call) await rt.connector.stopMonitor(call, session, this.monitorContext(rt.config));
      rt.setOwnSession(callKey, null);
      this.monitorOrder.delete(callKey);
      this.opts.events.tray(this.tray());
      return rt.calls.get(callKey) ?? null;
    });
  }

  async callAction(callKey: string, action: CallAction): Promise<{ detail: string | null; digits: string | null }> {
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
  async agentAction(agentKeys: readonly string[], action: AgentAction): Promise<BulkResult[]> {
    return this.perAccount(
      agentKeys,
      capabilityForAgentAction(action),
      `agent.${action.type}`,
      describeAgentAction(action),
      (rt, agents) => rt.connector.agentAction(agents, action),
      agentStateAfter(action),
    );
  }

  async chatBroadcast(agentKeys: readonly string[], message: string, canReply: boolean): Promise<BulkResult[]> {
    const results = await this.perAccount(agentKeys, 'chat', 'chat.broadcast', `${message.length} chars, canReply=${canReply}`, (rt, agents) =>
      rt.connector.chatBroadcast(
        agents.map((a) => a.loginId),
        message,
        canReply,
      ),
    );
    for (const r of results) if (r.ok) this.recordOwn(r.agentKey, message, canReply);
    return results;
  }

  async chatSend(agentKey: string, message: string): Promise<void> {
    const { rt, agent } = this.agentOf(agentKey);
    await this.audited({ accountId: rt.id, target: agentKey, action: 'chat.send', detail: `${message.length} chars` }, async () => {
      this.require(rt, 'chat');
      await rt.connector.chatSend(agent.loginId, message);
    });
    this.recordOwn(agentKey, message, null);
  }

  async chatEnd(agentKey: string): Promise<void> {
    const { rt, agent } = this.agentOf(agentKey);
    await this.audited({ accountId: rt.id, target: agentKey, action: 'chat.end' }, async () => {
      this.require(rt, 'chat');
      await rt.connector.chatEnd(agent.loginId);
    });
  }

  async services(accountId: string): Promise<Service[]> {
    const rt = this.runtimes.get(accountId);
    if (!rt) throw new SwitchboardError('not_found', 'That account is not connected.');
    this.require(rt, 'services.list');
    // The supervisor is choosing a service to switch agents to: a click, not a poll.
    return inLane('action', 'services.list', () => rt.connector.listServices());
  }

  async manualCall(accountId: string, req: ManualAgentCall): Promise<{ detail: string | null }> {
    const rt = this.runtimes.get(accountId);
    if (!rt) throw new SwitchboardError('not_found', 'That account is not connected.');
    return this.audited({ accountId, target: accountId, action: 'call.manualAgentCall', detail: `agent=${req.username} to=${req.destination}` }, async () => {
      this.require(rt, 'call.manualAgentCall');
      const outcome = await rt.connector.manualAgentCall(req);
      return { detail: outcome.detail ?? null };
    });
  }

  private agentOf(agentKey: string): { rt: AccountRuntime; agent: Agent } {
    const rt = this.locate(agentKey);
    const agent = rt.agents.get(agentKey);
    if (!agent) throw new SwitchboardError('not_found', 'That agent is not in the live list.');
    return { rt, agent };
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
