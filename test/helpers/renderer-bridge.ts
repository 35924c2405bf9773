// A stand-in for the renderer's bridge, for tests of the renderer's state classes: each request is
// answered by the test's handler (a value, or a failure), every request is recorded, and the test
// emits events as main would. Types come from the contract's tables, so a fixture that no longer
// matches the contract fails the typecheck.
import type { Bridge, EventName, EventPayload, RequestInput, RequestName, RequestOutput, Result } from '../../preload/contract.js';
import type { Agent } from '../../main/domain/model.js';
import { CAPABILITIES, type Capability, type CapabilityName } from '../../main/domain/actions.js';

export type AccountView = RequestOutput<'accounts.list'>[number];
export type Preferences = RequestOutput<'settings.get'>;

type Handlers = { [K in RequestName]?: (input: RequestInput<K>) => Result<RequestOutput<K>> };

export interface FakeBridge {
  bridge: Bridge;
  /** Every request made, in order. */
  sent: { name: RequestName; input: unknown }[];
  /** Answers this request from now on. */
  answer<K extends RequestName>(name: K, handler: (input: RequestInput<K>) => Result<RequestOutput<K>>): void;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failed = (message: string, vendorMessage?: string): Result<never> => ({
  ok: false,
  error: { code: 'action_failed', message, ...(vendorMessage ? { vendorMessage } : {}) },
});

export function fakeBridge(): FakeBridge {
  const handlers: Handlers = {};
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const sent: FakeBridge['sent'] = [];
  const bridge: Bridge = {
    async invoke<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>> {
      sent.push({ name, input });
      const handler = handlers[name] as ((input: RequestInput<K>) => Result<RequestOutput<K>>) | undefined;
      return handler ? handler(input) : failed(`no answer for ${name} in this test`);
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(name, set);
      return () => void set.delete(listener as (payload: never) => void);
    },
  };
  return {
    bridge,
    sent,
    answer(name, handler) {
      (handlers as Record<RequestName, unknown>)[name] = handler;
    },
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) (l as (p: typeof payload) => void)(payload);
    },
  };
}

const allCapabilities = (over: Partial<Record<CapabilityName, Capability>>): Record<CapabilityName, Capability> =>
  Object.fromEntries(CAPABILITIES.map((name) => [name, over[name] ?? { supported: true }])) as Record<CapabilityName, Capability>;

/** A connected LiveVox account that can do everything unless `refuse` says otherwise. */
export function accountView(id: string, over: { label?: string; stale?: boolean; refuse?: Partial<Record<CapabilityName, string>> } = {}): AccountView {
  const refused = Object.fromEntries(Object.entries(over.refuse ?? {}).map(([name, reason]) => [name, { supported: false as const, reason }]));
  return {
    config: {
      id,
      label: over.label ?? id,
      vendor: 'livevox',
      demo: false,
      enabled: true,
      baseUrl: 'https://api.livevox.com',
      apiVersion: '',
      clientName: 'client',
      userName: 'supervisor',
      excludeOwnChat: false,
    },
    secretsSet: [],
    health: 'ok',
    healthDetail: null,
    dataAt: 1_000,
    stale: over.stale ?? false,
    capabilities: allCapabilities(refused),
    limits: [],
    pace: null,
  };
}

export function agent(key: string, over: Partial<Agent> = {}): Agent {
  const [accountId, loginId] = key.split(':') as [string, string];
  return {
    key,
    accountId,
    vendor: 'livevox',
    loginId,
    name: loginId,
    state: 'ready',
    reason: null,
    since: 1_000,
    currentCallKey: null,
    service: null,
    ...over,
  };
}

export function preferences(): Preferences {
  return {
    ui: { theme: 'system', closeToTray: false, savedViews: [] },
    notifications: { enabled: true, agentStateChanges: true, callAlerts: true, doNotDisturb: false },
    alerts: { callLongerThanSec: 600, holdLongerThanSec: 120, ringingLongerThanSec: 30, notReadyLongerThanSec: 900 },
    network: { extraCaFile: null },
  };
}
