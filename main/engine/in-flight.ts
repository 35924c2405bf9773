// Exactly-once intents: at most one action in flight per target. A second identical request (same
// target, verb and parameters: a double-click, a retry from another window) joins the first and
// gets its result, so the vendor hears it once and the audit log records it once. A different
// action on a target that is busy is refused at once with a clear message rather than queued
// behind it: the second click was made without knowing the first's outcome (it may yet come back
// unknown), so sending it later would act on a picture the supervisor never saw.
// docs/decisions/exactly-once-intents.md says why, and which targets each command holds.
import { SwitchboardError } from '../domain/errors.js';

/** Something only one action may use at a time: a call, one agent's state, the supervisor's phone. */
export interface Lane {
  id: string;
  /** The refusal a supervisor reads while `label` holds this lane. */
  busy(label: string): string;
}

export interface Intent {
  /** Every lane the action needs; it holds all of them until it settles. */
  lanes: readonly Lane[];
  /** Identity: target, verb and parameters. Equal keys are the same request. */
  key: string;
  /** What the supervisor asked for, as a refusal names it: "barge", "hold", "ready". */
  label: string;
}

interface Held {
  key: string;
  label: string;
  result: Promise<unknown>;
}

export type Admission = { kind: 'free' } | { kind: 'same'; result: Promise<unknown> } | { kind: 'busy'; error: SwitchboardError };

export class InFlight {
  private readonly held = new Map<string, Held>();

  /** Whether an action may start now, must join the identical one in flight, or is refused. */
  admit(intent: Intent): Admission {
    for (const lane of intent.lanes) {
      const h = this.held.get(lane.id);
      if (!h) continue;
      if (h.key === intent.key) return { kind: 'same', result: h.result };
      return { kind: 'busy', error: new SwitchboardError('invalid_state', lane.busy(h.label)) };
    }
    return { kind: 'free' };
  }

  /** Holds the intent's lanes until `result` settles (whichever way). Call only after admit() said free. */
  hold(intent: Intent, result: Promise<unknown>): void {
    const h: Held = { key: intent.key, label: intent.label, result };
    for (const lane of intent.lanes) this.held.set(lane.id, h);
    const release = (): void => {
      for (const lane of intent.lanes) if (this.held.get(lane.id) === h) this.held.delete(lane.id);
    };
    result.then(release, release);
  }

  /** Starts the action, joins the identical one in flight, or rejects with the refusal. */
  run<T>(intent: Intent, start: () => Promise<T>): Promise<T> {
    const a = this.admit(intent);
    // Equal keys are built from the same verb, so the joined promise has this caller's type.
    if (a.kind === 'same') return a.result as Promise<T>;
    if (a.kind === 'busy') return Promise.reject(a.error);
    const result = start();
    this.hold(intent, result);
    return result;
  }

  /** How many lanes are held (tests check that nothing stays held). */
  get size(): number {
    return this.held.size;
  }
}

/** JSON with object keys sorted, so two requests with the same parameters have the same key. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function callLane(callKey: string): Lane {
  return { id: `call ${callKey}`, busy: (label) => `Switchboard is still waiting for the vendor to answer “${label}” on this call; try again once it has answered.` };
}

/** Monitoring one call ends the session on another, so every monitor command also holds the phone. */
export const PHONE_LANE: Lane = {
  id: 'phone',
  busy: (label) => `Switchboard is still waiting for the vendor to answer “${label}” on another call; your phone joins one call at a time, so try again once it has answered.`,
};

export function agentLane(agentKey: string): Lane {
  return { id: `agent ${agentKey}`, busy: (label) => `“${label}” for this agent is still waiting for the vendor's answer; try again once it has answered.` };
}

export function chatLane(agentKey: string): Lane {
  return { id: `chat ${agentKey}`, busy: (label) => `“${label}” in this agent's chat is still waiting for the vendor's answer; try again once it has answered.` };
}

/** A manual call is placed from an agent: one at a time per agent user name. */
export function manualCallLane(accountId: string, username: string): Lane {
  return { id: `manual ${accountId} ${username}`, busy: (label) => `A manual call (${label}) for this agent is still waiting for the vendor's answer; try again once it has answered.` };
}
