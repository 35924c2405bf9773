// The renderer's picture of the engine: a snapshot on (re)connect, then deltas from events.
import type { AccountView, Bridge, SettingsProblem, VaultStatus } from '../../../preload/contract.js';
import type { Agent, Call } from '../../../main/domain/model.js';

export class AppState {
  connected = $state(false);
  host = $state<'electron' | 'browser'>('browser');
  accounts = $state<AccountView[]>([]);
  calls = $state<Map<string, Call>>(new Map());
  agents = $state<Map<string, Agent>>(new Map());
  vault = $state<VaultStatus | null>(null);
  problems = $state<SettingsProblem[]>([]);
  error = $state<string | null>(null);

  constructor(readonly bridge: Bridge) {
    bridge.on('accounts.changed', (accounts) => (this.accounts = accounts));
    bridge.on('settings.problem', (p) => (this.problems = [...this.problems, p]));
    bridge.on('calls.changed', (d) => (this.calls = applyDelta(this.calls, d)));
    bridge.on('agents.changed', (d) => (this.agents = applyDelta(this.agents, d)));
  }

  async refresh(): Promise<void> {
    const [info, snap, vault, problems] = await Promise.all([
      this.bridge.invoke('app.info', {}),
      this.bridge.invoke('snapshot.get', {}),
      this.bridge.invoke('vault.status', {}),
      this.bridge.invoke('settings.problems', {}),
    ]);
    if (info.ok) this.host = info.value.host;
    if (snap.ok) {
      this.accounts = snap.value.accounts;
      this.calls = new Map(snap.value.calls.map((c) => [c.key, c]));
      this.agents = new Map(snap.value.agents.map((a) => [a.key, a]));
    } else this.error = snap.error.message;
    if (vault.ok) this.vault = vault.value;
    if (problems.ok) this.problems = problems.value;
  }
}

function applyDelta<T extends { key: string }>(current: Map<string, T>, d: { added: T[]; updated: T[]; removed: string[] }): Map<string, T> {
  const next = new Map(current);
  for (const k of d.removed) next.delete(k);
  for (const item of d.added) next.set(item.key, item);
  for (const item of d.updated) next.set(item.key, item);
  return next;
}
