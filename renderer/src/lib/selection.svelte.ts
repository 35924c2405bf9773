// Which rows of a list are chosen, shared by the agent board and the chat broadcast picker. The list
// shown can be narrower than what is chosen (a filter), so "all" and "some" speak of the rows shown
// while the chosen keys outlive a filter change.
import { SvelteSet } from 'svelte/reactivity';
import { rangeKeys } from '../views/agent-board.js';

export class Selection {
  readonly #shown: () => readonly string[];
  /** The chosen keys; reading them (`has`, `size`, iteration) follows changes. */
  readonly keys = new SvelteSet<string>();
  /** Where the last click landed: a shift-click extends from here. */
  #anchor: string | null = null;

  /** Something is shown and every shown row is chosen. */
  readonly allShown = $derived.by(() => {
    const shown = this.#shown();
    return shown.length > 0 && shown.every((k) => this.keys.has(k));
  });
  readonly someShown = $derived.by(() => this.#shown().some((k) => this.keys.has(k)));

  /** `shown`: the keys of the rows on screen, in their order. */
  constructor(shown: () => readonly string[]) {
    this.#shown = shown;
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * A click on a row's box. With `extend` (shift) every shown row from the last click to this one
   * takes the state this row is given.
   */
  toggle(key: string, extend = false): void {
    const on = !this.keys.has(key);
    const keys = extend && this.#anchor !== null ? rangeKeys(this.#shown(), this.#anchor, key) : [key];
    for (const k of keys) {
      if (on) this.keys.add(k);
      else this.keys.delete(k);
    }
    this.#anchor = key;
  }

  /** The "all" box: chooses every shown row, or, when they all are, lets them go. */
  toggleShown(): void {
    const shown = this.#shown();
    if (this.allShown) for (const k of shown) this.keys.delete(k);
    else for (const k of shown) this.keys.add(k);
  }

  /** Exactly these keys. */
  replace(keys: Iterable<string>): void {
    this.keys.clear();
    for (const k of keys) this.keys.add(k);
  }

  /** Just this key, where a later shift-click extends from. */
  only(key: string): void {
    this.replace([key]);
    this.#anchor = key;
  }

  clear(): void {
    this.keys.clear();
    this.#anchor = null;
  }
}
