// The agent board's state for one visit: filters, sort, the selection, the accounts' service lists,
// and the bulk action runner with each agent's result. The board's parts read it and call its
// methods; the agents themselves come from the app's store.
import { untrack } from 'svelte';
import type { AppState } from '../lib/app-state.svelte.js';
import type { RequestOutput } from '../../../preload/contract.js';
import { Selection } from '../lib/selection.svelte.js';
import type { AgentState, Service } from '../../../main/domain/model.js';
import type { AgentAction, CapabilityName } from '../../../main/domain/actions.js';
import type { NotReadyReason } from '../../../main/domain/reasons.js';
import { REASON_LABEL, availability, isServiceId, matchesFilter, sortAgents, type AgentSort, type Availability, type SortColumn } from './agent-board.js';

/** Rows rendered at most; a filter narrows the rest. */
export const MAX_ROWS = 1000;
/** How long a row a notification pointed at stays highlighted. */
const FLASH_MS = 2500;

type BulkResult = RequestOutput<'agents.action'>[number];

/** One agent's line in the results: what the engine answered, or not sent by the board. */
export type AgentResult = Pick<BulkResult, 'agentKey' | 'ok' | 'detail'> & {
  /** Not sent: the account cannot do it. */
  skipped: boolean;
  /** As it was when the action ran (a logged-off agent may leave the list). */
  name: string;
};

export interface LastAction {
  label: string;
  at: number;
  results: AgentResult[];
}

export type ServiceList = Service[] | 'loading' | 'failed';

export class BoardState {
  text = $state('');
  accountFilter = $state('');
  stateFilter = $state<AgentState | ''>('');
  sort = $state<AgentSort>({ column: 'name', descending: false });
  /** The reason the "Not ready" button sends. */
  reason = $state<NotReadyReason>('BREAK');
  /** The service "Switch service" sends ('' for none chosen). */
  serviceId = $state('');
  #busy = $state<string | null>(null);
  #last = $state<LastAction | null>(null);
  #flash = $state<string | null>(null);
  #services = $state<Record<string, ServiceList>>({});

  readonly selection = new Selection(() => this.shownKeys);

  constructor(readonly app: AppState) {}

  // `app` is set after the fields are, so the fields reading it directly use `$derived.by`: both
  // forms are lazy, but TypeScript only sees that a function is.
  readonly accountLabel = (accountId: string): string => this.app.account(accountId)?.config.label ?? accountId;

  /** Accounts whose data is too old: their agents are shown as last known, never as live. */
  readonly stale = $derived.by(() => new Set(this.app.accounts.filter((a) => a.stale).map((a) => a.config.id)));
  /** Accounts that list agents, for the account filter. */
  readonly agentAccounts = $derived.by(() =>
    this.app.accounts.filter((a) => a.capabilities['agents.list'].supported || [...this.app.agents.values()].some((g) => g.accountId === a.config.id)),
  );
  readonly noAgentAccounts = $derived.by(() => this.app.accounts.filter((a) => !a.capabilities['agents.list'].supported));

  readonly all = $derived.by(() => [...this.app.agents.values()]);
  readonly filtered = $derived(
    this.all.filter((a) =>
      matchesFilter(a, { text: this.text, accountId: this.accountFilter || null, state: this.stateFilter || null }, this.accountLabel(a.accountId)),
    ),
  );
  readonly visible = $derived(sortAgents(this.filtered, this.sort, this.accountLabel));
  readonly shown = $derived(this.visible.slice(0, MAX_ROWS));
  readonly shownKeys = $derived(this.shown.map((a) => a.key));
  readonly filtering = $derived(this.text !== '' || this.accountFilter !== '' || this.stateFilter !== '');

  /** The chosen agents still on the board (one that left stays chosen but is not counted). */
  readonly selected = $derived([...this.selection.keys].flatMap((k) => this.app.agents.get(k) ?? []));
  readonly hiddenSelected = $derived.by(() => {
    const shown = new Set(this.shownKeys);
    return this.selected.filter((a) => !shown.has(a.key)).length;
  });

  readonly canReady = $derived(this.#availability('agent.ready'));
  readonly canNotReady = $derived(this.#availability('agent.notReady'));
  readonly canLogoff = $derived(this.#availability('agent.logoff'));
  readonly canSwitch = $derived(this.#availability('agent.switchService'));

  /** How many accounts the agents that may switch service are on. */
  readonly switchAccounts = $derived(new Set(this.canSwitch.allowed.map((k) => this.app.agents.get(k)?.accountId)).size);
  /** Switching needs one account's service list: the allowed agents must all be on one account. */
  readonly switchAccount = $derived.by(() => {
    const ids = new Set(this.canSwitch.allowed.map((k) => this.app.agents.get(k)?.accountId).filter((x): x is string => !!x));
    return ids.size === 1 ? [...ids][0]! : null;
  });
  readonly serviceChoices = $derived.by(() => {
    const list = this.switchAccount ? this.#services[this.switchAccount] : undefined;
    return Array.isArray(list) ? list.filter((s) => isServiceId(s.id)) : [];
  });
  readonly servicesLoading = $derived(this.switchAccount !== null && this.#services[this.switchAccount] === 'loading');

  /** The reasons shown under the action bar for the agents that cannot take some action (each reason once). */
  readonly refusals = $derived.by(() => {
    const out = new Map<string, { label: string; count: number; lines: Set<string> }>();
    for (const av of [this.canReady, this.canNotReady, this.canLogoff, this.canSwitch]) {
      for (const r of av.refused) {
        const e = out.get(r.accountId) ?? { label: r.label, count: r.count, lines: new Set<string>() };
        e.lines.add(r.reason);
        out.set(r.accountId, e);
      }
    }
    return [...out.values()].map((e) => ({ label: e.label, count: e.count, text: [...e.lines].join(' ') }));
  });

  readonly resultByKey = $derived(new Map((this.#last?.results ?? []).map((r) => [r.agentKey, r])));
  readonly summary = $derived.by(() => {
    const results = this.#last?.results;
    if (!results) return '';
    const ok = results.filter((r) => r.ok).length;
    const failed = results.filter((r) => !r.ok && !r.skipped).length;
    const skipped = results.filter((r) => r.skipped).length;
    return [`${ok} done`, failed ? `${failed} failed` : '', skipped ? `${skipped} not sent` : ''].filter(Boolean).join(' · ');
  });

  /** The action being sent (its label), or null. */
  get busy(): string | null {
    return this.#busy;
  }
  get last(): LastAction | null {
    return this.#last;
  }
  /** The agent a notification pointed at, highlighted for a moment. */
  get flash(): string | null {
    return this.#flash;
  }

  #availability(name: CapabilityName): Availability {
    return availability(this.selected, (id, n) => this.app.capability(id, n), name, this.accountLabel);
  }

  clearFilters(): void {
    this.text = '';
    this.accountFilter = '';
    this.stateFilter = '';
  }

  /** A click on a column: sort by it, or the other way round if it already sorts. */
  setSort(column: SortColumn): void {
    this.sort = this.sort.column === column ? { column, descending: !this.sort.descending } : { column, descending: false };
  }

  /**
   * Fetches each account's services once per visit: the board shows service names (agents carry
   * ids) and the switch menu offers them. Reads the accounts, so an effect runs it again as they come.
   */
  loadServices(): void {
    for (const a of this.app.accounts) {
      const id = a.config.id;
      if (!a.capabilities['services.list'].supported || untrack(() => this.#services[id]) !== undefined) continue;
      this.#services[id] = 'loading';
      void this.app.request('services.list', { accountId: id }, { quiet: true }).then((list) => {
        this.#services[id] = list ?? 'failed';
      });
    }
  }

  /** A chosen service the selection no longer offers is let go. */
  keepServiceChoice(): void {
    if (this.serviceId && !this.serviceChoices.some((s) => s.id === this.serviceId)) this.serviceId = '';
  }

  serviceName(accountId: string, service: string | null): string {
    if (service === null) return '';
    const list = this.#services[accountId];
    return (Array.isArray(list) ? list.find((s) => s.id === service)?.name : undefined) ?? service;
  }

  agentName(key: string): string {
    const a = this.app.agents.get(key);
    return a ? a.name : key.slice(key.indexOf(':') + 1);
  }

  /** Shows (clearing filters that hide it), selects and highlights one agent. */
  focus(key: string): void {
    if (!this.filtered.some((a) => a.key === key)) this.clearFilters();
    this.selection.only(key);
    this.#flash = key;
    setTimeout(() => {
      if (this.#flash === key) this.#flash = null;
    }, FLASH_MS);
  }

  /**
   * Sends one action to the selected agents whose account can take it; the rest are listed as not
   * sent with their account's reason. One action at a time.
   */
  async run(label: string, av: Availability, action: AgentAction): Promise<void> {
    if (av.allowed.length === 0 || this.#busy) return;
    this.#busy = label;
    const selected = this.selected;
    const names = new Map(selected.map((a) => [a.key, a.name]));
    try {
      const skipped: AgentResult[] = selected
        .filter((a) => !av.allowed.includes(a.key))
        .map((a) => ({
          agentKey: a.key,
          name: a.name,
          ok: false,
          skipped: true,
          detail: av.refused.find((r) => r.accountId === a.accountId)?.reason ?? 'This account cannot do that.',
        }));
      const res = await this.app.request('agents.action', { agentKeys: av.allowed, action });
      if (res === null) return;
      const sent = res.map((r) => ({ ...r, skipped: false, name: names.get(r.agentKey) ?? this.agentName(r.agentKey) }));
      this.#last = { label, at: Date.now(), results: [...sent, ...skipped] };
    } finally {
      this.#busy = null;
    }
  }

  setReady(): Promise<void> {
    return this.run('Ready', this.canReady, { type: 'ready' });
  }

  setNotReady(): Promise<void> {
    const reason = this.reason;
    return this.run(`Not ready (${REASON_LABEL[reason]})`, this.canNotReady, { type: 'notReady', reason });
  }

  switchService(): Promise<void> {
    const s = this.serviceChoices.find((x) => x.id === this.serviceId);
    if (!s) return Promise.resolve();
    return this.run(`Switch to ${s.name}`, this.canSwitch, { type: 'switchService', serviceId: s.id });
  }

  /** Logs the selected agents off, with an optional message to them (at most 1000 characters). */
  logoff(message: string): Promise<void> {
    const text = message.trim();
    return this.run('Log off', this.canLogoff, { type: 'logoff', ...(text ? { message: text.slice(0, 1000) } : {}) });
  }

  /** The agents whose action failed, to try again. */
  selectFailed(): void {
    if (!this.#last) return;
    this.selection.replace(this.#last.results.filter((r) => !r.ok && !r.skipped).map((r) => r.agentKey));
  }

  closeResults(): void {
    this.#last = null;
  }
}
