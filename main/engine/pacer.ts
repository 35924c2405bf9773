import type { Clock } from './clock.js';

/** Sleeps that stop() or a change of pace can cut short, so loops never outlive their owner. */
export class Pacer {
  private readonly wakers = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  async sleep(ms: number): Promise<void> {
    let waker: () => void = () => undefined;
    const woken = new Promise<void>((r) => (waker = r));
    this.wakers.add(waker);
    await Promise.race([this.clock.sleep(ms), woken]);
    this.wakers.delete(waker);
  }

  wakeAll(): void {
    for (const w of this.wakers) w();
    this.wakers.clear();
  }
}
