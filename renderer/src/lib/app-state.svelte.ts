// The renderer's picture of the engine: a snapshot on (re)connect, then deltas from events.
// Large collections are raw state (replaced, never deeply proxied) so 10,000 calls stay cheap; the
// calls map is changed in place by each delta, and readers can follow which keys changed.
import type {
  AccountView,
  AppInfo as AppInfoT,
  Bridge,
  EventPayload,
  Preferences,
  RequestInput,
  RequestName,
  RequestOutput,
  Result,
  SettingsProblem,
  VaultStatus,
} from '../../../preload/contract.js';
import type { Agent, Call, ChatMessage, MonitorMode } from '../../../main/domain/model.js';
import type { CapabilityName, Capability } from '../../../main/domain/actions.js';
import type { Alert } from '../../../main/engine/alerts.js';
import type { TrayModel } from '../../../main/engine/tray-model.js';
import type { GridChanges } from './grid-model.js';

/** How a request reports itself: a toast on success, or no toast when it fails. */
export interface RequestOptions {
  success?: string;
  quiet?: boolean;
}

export type View = 'calls' | 'agents' | 'chat' | 'accounts' | 'audit' | 'settings';
export type AppInfo = AppInfoT;

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  text: string;
  detail?: string;
  /** How many times this same message was raised while it was up (repeats collapse into one toast). */
  count: number;
}

/** How long a toast stays up after it was last raised, by kind. */
const TOAST_MS: Record<Toast['kind'], number> = { error: 10_000, info: 4_000, success: 4_000 };
/** At most this many toasts at once: older ones give way. */
const MAX_TOASTS = 5;

type Delta<T> = { added: T[]; updated: T[]; removed: string[] };

export function applyDelta<T extends { key: string }>(current: Map<string, T>, d: Delta<T>): Map<string, T> {
  const next = new Map(current);
  for (const k of d.removed) next.delete(k);
  for (const item of d.added) next.set(item.key, item);
  for (const item of d.updated) next.set(item.key, item);
  return next;
}

/**
 * What changed in `calls` since one reader last looked: each changed key with the call as that
 * reader last saw it (undefined: it was not there); null when the reader must start again (a new
 * snapshot, or more changes piled up than there are calls).
 */
export type CallChanges = GridChanges | null;

/** One reader's view of changes to `calls` (see `AppState.watchCalls`). */
export interface CallFeed {
  /** The changes since the last take, which it forgets. */
  take(): CallChanges;
  close(): void;
}

const chatKey = (m: ChatMessage): string => `${m.accountId}:${m.agentLoginId}`;

export class AppState {
  // What main said, and where the supervisor is. Views read these through getters and change them
  // only by calling a method: events and request results are the only writers.
  #connected = $state(false);
  #info = $state<AppInfo | null>(null);
  #accounts = $state.raw<AccountView[]>([]);
  /**
   * Live calls by key. A delta changes this one map in place (copying 10,000 entries per delta cost
   * more than the rest of the update); reading `calls` subscribes to every change all the same.
   */
  #calls = new Map<string, Call>();
  #callsVersion = $state(0);
  /** Each `watchCalls` reader's pending changes (null: start again). */
  #callReaders = new Set<{ pending: Map<string, Call | undefined> | null }>();
  #agents = $state.raw<Map<string, Agent>>(new Map());
  #vault = $state<VaultStatus | null>(null);
  #prefs = $state<Preferences | null>(null);
  #problems = $state<SettingsProblem[]>([]);
  #chat = $state.raw<ChatMessage[]>([]);
  #unread = $state<Record<string, number>>({});
  /** The agent whose chat thread is open (agentKey). */
  #chatWith = $state<string | null>(null);
  #alerts = $state.raw<Alert[]>([]);
  #tray = $state<TrayModel | null>(null);
  #toasts = $state<Toast[]>([]);
  #view = $state<View>('calls');
  #selectedCall = $state<string | null>(null);
  /** Agent keys the board should select (a notification click). */
  #focusAgent = $state<string | null>(null);
  /** The welcome's "Add my account": the Accounts view opens its add form and clears this. */
  #addAccountRequested = $state(false);
  /** Ticks every second so durations move without any traffic. */
  #now = $state(Date.now());
  /** When each call was first seen on hold here (the vendors report hold, not since when). */
  holdSince = $state.raw<Map<string, number>>(new Map());
  /**
   * Calls with an action in flight from this window, and which: their buttons show busy and a
   * repeat click (a double-click) is ignored. The engine joins or refuses repeats from elsewhere.
   */
  busyCalls = $state.raw<ReadonlyMap<string, string>>(new Map());
  private toastSeq = 0;
  private readonly toastTimers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(readonly bridge: Bridge) {
    bridge.on('app.changed', (info) => (this.#info = info));
    bridge.on('accounts.changed', (accounts) => (this.#accounts = accounts));
    bridge.on('accounts.freshness', (list) => {
      const by = new Map(list.map((f) => [f.accountId, f]));
      this.#accounts = this.#accounts.map((a) => {
        const f = by.get(a.config.id);
        return f ? { ...a, dataAt: f.dataAt, stale: f.stale } : a;
      });
    });
    bridge.on('settings.problem', (p) => (this.#problems = [...this.#problems, p]));
    bridge.on('calls.changed', (d) => this.applyCalls(d));
    bridge.on('agents.changed', (d) => (this.#agents = applyDelta(this.#agents, d)));
    bridge.on('chat.messages', (m) => this.addChat(m));
    bridge.on('alerts', (a) => (this.#alerts = [...a, ...this.#alerts].slice(0, 200)));
    bridge.on('tray.changed', (t) => (this.#tray = t));
    bridge.on('focus', (f) => this.focus(f));
    // A held action says how long it waits; the message stays up until it goes.
    bridge.on('notice', (n) => this.toast(n.kind, n.text, n.detail ?? undefined, n.waitMs ?? undefined));
  }

  get connected(): boolean {
    return this.#connected;
  }
  get info(): AppInfo | null {
    return this.#info;
  }
  get accounts(): readonly AccountView[] {
    return this.#accounts;
  }
  get agents(): ReadonlyMap<string, Agent> {
    return this.#agents;
  }
  get vault(): VaultStatus | null {
    return this.#vault;
  }
  get prefs(): Preferences | null {
    return this.#prefs;
  }
  get problems(): readonly SettingsProblem[] {
    return this.#problems;
  }
  get chat(): readonly ChatMessage[] {
    return this.#chat;
  }
  get unread(): Readonly<Record<string, number>> {
    return this.#unread;
  }
  get chatWith(): string | null {
    return this.#chatWith;
  }
  get alerts(): readonly Alert[] {
    return this.#alerts;
  }
  get tray(): TrayModel | null {
    return this.#tray;
  }
  get toasts(): readonly Toast[] {
    return this.#toasts;
  }
  get view(): View {
    return this.#view;
  }
  get selectedCall(): string | null {
    return this.#selectedCall;
  }
  get focusAgent(): string | null {
    return this.#focusAgent;
  }
  get addAccountRequested(): boolean {
    return this.#addAccountRequested;
  }
  get now(): number {
    return this.#now;
  }

  get calls(): ReadonlyMap<string, Call> {
    void this.#callsVersion;
    return this.#calls;
  }

  /**
   * Follows changes to `calls` key by key, so a reader (the grid's order) looks only at what
   * changed instead of comparing every call. Close it when done.
   */
  watchCalls(): CallFeed {
    const reader: { pending: Map<string, Call | undefined> | null } = { pending: null };
    this.#callReaders.add(reader);
    return {
      take: () => {
        const changes = reader.pending;
        reader.pending = new Map();
        return changes;
      },
      close: () => void this.#callReaders.delete(reader),
    };
  }

  /** A new snapshot: every reader starts again. */
  #replaceCalls(calls: Map<string, Call>): void {
    this.#calls = calls;
    for (const r of this.#callReaders) r.pending = null;
    this.#callsVersion++;
  }

  applyCalls(d: EventPayload<'calls.changed'>): void {
    const calls = this.#calls;
    // Each reader keeps the call as it was before the first change it has not seen.
    const pending: Map<string, Call | undefined>[] = [];
    for (const r of this.#callReaders) if (r.pending) pending.push(r.pending);
    const note = (key: string): void => {
      for (const p of pending) if (!p.has(key)) p.set(key, calls.get(key));
    };
    for (const k of d.removed) {
      note(k);
      calls.delete(k);
    }
    for (const c of d.added) {
      note(c.key);
      calls.set(c.key, c);
    }
    for (const c of d.updated) {
      note(c.key);
      calls.set(c.key, c);
    }
    // A reader that let more changes pile up than there are calls starts again instead.
    for (const r of this.#callReaders) if (r.pending && r.pending.size >= 1000 && r.pending.size > calls.size) r.pending = null;
    this.#callsVersion++;
    if (this.#selectedCall && d.removed.includes(this.#selectedCall)) this.#selectedCall = null;
    let hold: Map<string, number> | null = null;
    const now = Date.now();
    for (const list of [d.added, d.updated]) {
      for (const c of list) {
        const had = this.holdSince.has(c.key);
        if (c.onHold === true && !had) (hold ??= new Map(this.holdSince)).set(c.key, now);
        else if (c.onHold !== true && had) (hold ??= new Map(this.holdSince)).delete(c.key);
      }
    }
    for (const k of d.removed) if (this.holdSince.has(k)) (hold ??= new Map(this.holdSince)).delete(k);
    if (hold) this.holdSince = hold;
  }

  /** The supervisor's own session on a call, if any. */
  ownMode(call: Call): MonitorMode | null {
    return call.sessions.find((s) => s.own)?.mode ?? null;
  }

  /** The own session may be live at the vendor, which never answered whether it started or ended. */
  ownPossiblyActive(call: Call): boolean {
    return call.sessions.some((s) => s.own && s.possiblyActive === true);
  }

  /**
   * Runs an action on a call unless one from this window is already in flight on it: a repeat is
   * ignored (null), so a double-click sends one request.
   */
  async onCall<T>(callKey: string, label: string, run: () => Promise<T>): Promise<T | null> {
    if (this.busyCalls.has(callKey)) return null;
    this.busyCalls = new Map(this.busyCalls).set(callKey, label);
    try {
      return await run();
    } finally {
      const next = new Map(this.busyCalls);
      next.delete(callKey);
      this.busyCalls = next;
    }
  }

  /** One click: start this mode, change to it, or (clicking the active mode) stop. */
  async toggleMonitor(call: Call, mode: MonitorMode): Promise<void> {
    if (this.ownMode(call) === mode) return this.stopMonitor(call.key);
    await this.onCall(call.key, mode, async () => {
      const updated = await this.request('calls.monitor', { callKey: call.key, mode });
      if (updated) this.applyCalls({ added: [], updated: [updated], removed: [] });
    });
  }

  async stopMonitor(callKey: string): Promise<void> {
    await this.onCall(callKey, 'stop', async () => {
      const updated = await this.request('calls.stopMonitor', { callKey });
      if (updated) this.applyCalls({ added: [], updated: [updated], removed: [] });
    });
  }

  async refresh(): Promise<void> {
    const [info, snap, vault, problems, prefs, chat, tray] = await Promise.all([
      this.bridge.invoke('app.info', {}),
      this.bridge.invoke('snapshot.get', {}),
      this.bridge.invoke('vault.status', {}),
      this.bridge.invoke('settings.problems', {}),
      this.bridge.invoke('settings.get', {}),
      this.bridge.invoke('chat.history', {}),
      this.bridge.invoke('tray.get', {}),
    ]);
    if (info.ok) this.#info = info.value;
    if (snap.ok) {
      this.#accounts = snap.value.accounts;
      this.#replaceCalls(new Map(snap.value.calls.map((c) => [c.key, c])));
      this.#agents = new Map(snap.value.agents.map((a) => [a.key, a]));
    } else this.toast('error', 'Could not load the live picture', snap.error.message);
    if (vault.ok) this.#vault = vault.value;
    if (problems.ok) this.#problems = problems.value;
    if (prefs.ok) this.#prefs = prefs.value;
    if (chat.ok) this.#chat = chat.value;
    if (tray.ok) this.#tray = tray.value;
  }

  /** The bridge connected or dropped; each (re)connect loads the whole picture again. */
  setConnected(connected: boolean): void {
    this.#connected = connected;
    if (connected) void this.refresh();
  }

  /** Moves `now` every second; returns the stop. */
  startClock(): () => void {
    const timer = setInterval(() => (this.#now = Date.now()), 1000);
    return () => clearInterval(timer);
  }

  show(view: View): void {
    this.#view = view;
  }

  /** The call whose details the drawer shows (null closes it). */
  selectCall(callKey: string | null): void {
    this.#selectedCall = callKey;
  }

  /** The call grid, with this call selected. */
  openCall(callKey: string): void {
    this.#selectedCall = callKey;
    this.#view = 'calls';
  }

  /** The board has shown the agent a notification asked for. */
  agentFocused(): void {
    this.#focusAgent = null;
  }

  /** Accounts, with its add form open. */
  addAccount(): void {
    this.#view = 'accounts';
    this.#addAccountRequested = true;
  }

  /** Whether the add form was asked for; the ask is answered once. */
  takeAddAccount(): boolean {
    const asked = this.#addAccountRequested;
    if (asked) this.#addAccountRequested = false;
    return asked;
  }

  /** Saves a change to the preferences and keeps what main saved. */
  async updatePrefs(patch: RequestInput<'settings.update'>, opts: RequestOptions = {}): Promise<boolean> {
    const prefs = await this.request('settings.update', patch, opts);
    if (prefs) this.#prefs = prefs;
    return prefs !== null;
  }

  /** Like updatePrefs, for a form that shows the refusal beside its field rather than in a toast. */
  async updatePrefsInline(patch: RequestInput<'settings.update'>): Promise<string | null> {
    const r = await this.send('settings.update', patch, { quiet: true });
    if (!r.ok) return r.error.message;
    this.#prefs = r.value;
    return null;
  }

  /** Do not disturb has a request of its own, so the tray follows at once. */
  async setDoNotDisturb(on: boolean): Promise<boolean> {
    const notifications = await this.request('notifications.setDoNotDisturb', { on });
    if (notifications && this.#prefs) this.#prefs = { ...this.#prefs, notifications };
    return notifications !== null;
  }

  /** Starts the demo centre or leaves it, then lists the accounts that came or went with it. */
  async setDemo(on: boolean, opts: RequestOptions = {}): Promise<boolean> {
    const info = await this.request('demo.set', { on }, opts);
    if (!info) return false;
    this.#info = info;
    const list = await this.request('accounts.list', {}, { quiet: true });
    if (list) this.#accounts = list;
    return true;
  }

  /** Closes the welcome for good: with the demo running, or on the way to adding an account. */
  async finishWelcome(then: 'demo' | 'account'): Promise<boolean> {
    if (then === 'demo' && !this.#info?.demo) await this.setDemo(true);
    const info = await this.request('onboarding.welcomed', {});
    if (!info) return false;
    if (then === 'account') this.addAccount();
    this.#info = info;
    return true;
  }

  /** Saves an account (and any new secrets); the form shows a failure itself, so it is not toasted. */
  async saveAccount(input: RequestInput<'accounts.save'>): Promise<Result<AccountView>> {
    const r = await this.send('accounts.save', input, { quiet: true });
    if (r.ok) {
      const view = r.value;
      const known = this.#accounts.some((a) => a.config.id === view.config.id);
      this.#accounts = known ? this.#accounts.map((a) => (a.config.id === view.config.id ? view : a)) : [...this.#accounts, view];
    }
    return r;
  }

  async removeAccount(account: AccountView): Promise<boolean> {
    const id = account.config.id;
    const removed = await this.requestOk('accounts.remove', { id }, { success: `Removed ${account.config.label}` });
    if (removed) this.#accounts = this.#accounts.filter((a) => a.config.id !== id);
    return removed;
  }

  async allowPlaintext(allow: boolean): Promise<boolean> {
    const vault = await this.request('vault.allowPlaintext', { allow }, { success: allow ? 'Weak store allowed' : 'Weak store turned off' });
    if (vault) this.#vault = vault;
    return vault !== null;
  }

  /** A contract request and its whole result; failures become a toast carrying the vendor's own message. */
  async send<K extends RequestName>(name: K, input: RequestInput<K>, opts: RequestOptions = {}): Promise<Result<RequestOutput<K>>> {
    const r = await this.bridge.invoke(name, input);
    if (r.ok) {
      if (opts.success) this.toast('success', opts.success);
    } else if (!opts.quiet) {
      this.toast('error', r.error.message, r.error.vendorMessage ? `Vendor said: ${r.error.vendorMessage}` : undefined);
    }
    return r;
  }

  /** The request's value, or null when it failed (and was toasted). */
  async request<K extends RequestName>(name: K, input: RequestInput<K>, opts: { success?: string; quiet?: boolean } = {}): Promise<RequestOutput<K> | null> {
    const r = await this.send(name, input, opts);
    return r.ok ? r.value : null;
  }

  /** For requests whose value is null: whether it succeeded. */
  async requestOk<K extends RequestName>(name: K, input: RequestInput<K>, opts: { success?: string; quiet?: boolean } = {}): Promise<boolean> {
    return (await this.send(name, input, opts)).ok;
  }

  /**
   * Shows a message. The same message again while it is still up (three tone sends in a row) does
   * not stack a second toast: the one shown counts it, moves to the newest place and stays its full
   * time again.
   */
  toast(kind: Toast['kind'], text: string, detail?: string, forMs?: number): void {
    const same = this.#toasts.find((t) => t.kind === kind && t.text === text && (t.detail ?? '') === (detail ?? ''));
    const next: Toast = same ? { ...same, count: same.count + 1 } : { id: ++this.toastSeq, kind, text, ...(detail ? { detail } : {}), count: 1 };
    const all = [...this.#toasts.filter((t) => t.id !== next.id), next];
    for (const gone of all.slice(0, -MAX_TOASTS)) this.clearToastTimer(gone.id);
    this.#toasts = all.slice(-MAX_TOASTS);
    this.clearToastTimer(next.id);
    this.toastTimers.set(next.id, setTimeout(() => this.dismiss(next.id), Math.max(TOAST_MS[kind], forMs ?? 0)));
  }

  dismiss(id: number): void {
    this.clearToastTimer(id);
    this.#toasts = this.#toasts.filter((t) => t.id !== id);
  }

  private clearToastTimer(id: number): void {
    clearTimeout(this.toastTimers.get(id));
    this.toastTimers.delete(id);
  }

  account(accountId: string): AccountView | undefined {
    return this.#accounts.find((a) => a.config.id === accountId);
  }

  capability(accountId: string, name: CapabilityName): Capability {
    return this.account(accountId)?.capabilities[name] ?? { supported: false, reason: 'This account is not connected.' };
  }

  /** The supervisor's own session, wherever it is. */
  get monitoring(): { callKey: string; mode: string } | null {
    return this.#tray?.monitoring ?? null;
  }

  private addChat(messages: ChatMessage[]): void {
    this.#chat = [...this.#chat, ...messages].slice(-2000);
    const unread = { ...this.#unread };
    for (const m of messages) {
      const k = chatKey(m);
      if (m.fromAgent && !(this.#view === 'chat' && this.#chatWith === k)) unread[k] = (unread[k] ?? 0) + 1;
    }
    this.#unread = unread;
  }

  openChat(agentKey: string): void {
    this.#view = 'chat';
    this.#chatWith = agentKey;
    const { [agentKey]: _, ...rest } = this.#unread;
    this.#unread = rest;
  }

  get unreadTotal(): number {
    return Object.values(this.#unread).reduce((a, b) => a + b, 0);
  }

  private focus(f: { callKey: string | null; agentKey: string | null }): void {
    if (f.callKey) {
      this.#view = 'calls';
      this.#selectedCall = f.callKey;
    } else if (f.agentKey) {
      this.#view = 'agents';
      this.#focusAgent = f.agentKey;
    }
  }
}
