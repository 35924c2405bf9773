// Shared set-up for the Engage Voice tests: a simulator on loopback, an account pointing at it, and
// fast deps (short timeout, a sleep that records instead of waiting, a clock the test moves).
import { afterEach } from 'vitest';
import { EngageVoiceAccount } from '../../main/domain/account.js';
import type { ConnectorDeps } from '../../main/vendors/connector.js';
import { EngageVoiceClient } from '../../main/vendors/engage-voice/client.js';
import { createEngageVoiceConnectorWith, type EngageVoiceConnector } from '../../main/vendors/engage-voice/connector.js';
import { DEFAULT_OPTIONS, type EngageVoiceOptions } from '../../main/vendors/engage-voice/options.js';
import {
  createEngageVoiceSimulator,
  type EngageVoiceScenarioOptions,
  type EngageVoiceSimulator,
} from '../../main/vendors/engage-voice/simulator.js';

export const T0 = Date.UTC(2026, 2, 10, 9, 0, 0);
export const SUPERVISOR = '+14155550100';

export interface Harness {
  sim: EngageVoiceSimulator;
  account: EngageVoiceAccount;
  deps: ConnectorDeps;
  /** Every wait the HTTP core asked for, in ms. */
  sleeps: number[];
  clock: { now: () => number; advance: (ms: number) => void };
  client: (opts?: Partial<EngageVoiceOptions>) => EngageVoiceClient;
  connector: (opts?: Partial<EngageVoiceOptions>) => EngageVoiceConnector;
  /** "METHOD path-after-accounts/{id}/" lines, for sequence assertions. */
  lines: (filter?: RegExp) => string[];
}

const running: EngageVoiceSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

export async function harness(
  scenario: Partial<EngageVoiceScenarioOptions> = {},
  account: Partial<EngageVoiceAccount> = {},
  /** Generous by default so a loaded machine does not time out; fault tests pass a short one. */
  timeoutMs = 3_000,
): Promise<Harness> {
  let t = T0;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const sim = createEngageVoiceSimulator({ seed: 7, now: clock.now, ...scenario });
  running.push(sim);
  await sim.start();
  const acct = EngageVoiceAccount.parse({ id: 'ev-test', label: 'Engage test', ...sim.accountSettings(), ...account });
  const sleeps: number[] = [];
  const deps: ConnectorDeps = {
    timeoutMs,
    now: clock.now,
    sleep: async (ms) => void sleeps.push(ms),
  };
  return {
    sim,
    account: acct,
    deps,
    sleeps,
    clock,
    client: (opts = {}) => new EngageVoiceClient(acct, sim.credentials, deps, { ...DEFAULT_OPTIONS, ...opts }),
    connector: (opts = {}) => createEngageVoiceConnectorWith(opts)(acct, sim.credentials, deps) as EngageVoiceConnector,
    lines: (filter) =>
      sim.server
        .calls(filter)
        .map((l) => l.replace(/\/voice\/api\/v1\/admin\/accounts\/[^/]+\//, '')),
  };
}

/** A uii of a call that has an agent, and that agent's row. */
export function connectedCall(sim: EngageVoiceSimulator): { uii: string; agentId: number } {
  for (const c of sim.state.calls.values()) if (c.agentId !== null && c.callState === 'ACTIVE') return { uii: c.uii, agentId: c.agentId };
  throw new Error('scenario has no connected call');
}

export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; vendorMessage?: string; retryAfterSec?: number }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; vendorMessage?: string };
  }
  throw new Error('expected a rejection');
}
