// Which lane a request travels in, carried from the engine command (or poll loop) that caused it
// down to HttpCore's gate without threading a parameter through every connector and client: the
// connectors stay vendor code, and the engine alone says what is a click and what is a poll.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Supervisor actions first, then the details of the call in view, then polls. */
export type Lane = 'action' | 'detail' | 'poll';
export const LANES: readonly Lane[] = ['action', 'detail', 'poll'];

export interface LaneContext {
  lane: Lane;
  /** What the supervisor did ("monitor.listen") or what is polled ("calls"), for notices. */
  label: string;
  /** Time the requests made in this context spent waiting for their bucket, ms. */
  waitedMs: number;
  /** The supervisor has been told this action is held (once per action, whatever it sends). */
  heldNoticeSent: boolean;
}

const store = new AsyncLocalStorage<LaneContext>();

export function laneContext(lane: Lane, label: string): LaneContext {
  return { lane, label, waitedMs: 0, heldNoticeSent: false };
}

/** Runs `fn` with every request it makes (directly or through shared work it starts) in `ctx`'s lane. */
export function runInLane<T>(ctx: LaneContext, fn: () => Promise<T>): Promise<T> {
  return store.run(ctx, fn);
}

export function inLane<T>(lane: Lane, label: string, fn: () => Promise<T>): Promise<T> {
  return runInLane(laneContext(lane, label), fn);
}

/** The lane of the code running now; none outside the engine's commands and loops. */
export function currentLane(): LaneContext | undefined {
  return store.getStore();
}
