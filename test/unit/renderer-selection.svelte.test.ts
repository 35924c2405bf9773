// The selection shared by the agent board and the broadcast picker, run on Svelte's browser runtime:
// what a click, a shift-click and the "all" box choose, and that readers follow the changes.
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { Selection } from '../../renderer/src/lib/selection.svelte.js';

/** A selection over a list whose shown rows the test changes (a filter). */
function make(initial: string[]): { sel: Selection; show(keys: string[]): void } {
  let shown = $state(initial);
  return { sel: new Selection(() => shown), show: (keys) => (shown = keys) };
}

describe('Selection', () => {
  it('toggles one row per click; a shift-click sets the whole range to the clicked row’s new state', () => {
    const { sel } = make(['a', 'b', 'c', 'd', 'e']);
    sel.toggle('b');
    sel.toggle('d', true);
    expect([...sel.keys].sort()).toEqual(['b', 'c', 'd']);
    // From d back to a: a is off, so the range a..d goes on (d stays on).
    sel.toggle('a', true);
    expect([...sel.keys].sort()).toEqual(['a', 'b', 'c', 'd']);
    // From a to c: c is on, so a..c goes off.
    sel.toggle('c', true);
    expect([...sel.keys]).toEqual(['d']);
    sel.toggle('d');
    expect(sel.size).toBe(0);
  });

  it('a first shift-click, with nothing clicked before, chooses only that row', () => {
    const { sel } = make(['a', 'b', 'c']);
    sel.toggle('c', true);
    expect([...sel.keys]).toEqual(['c']);
  });

  it('"all" speaks of the rows shown; keys chosen outside a filter stay chosen', () => {
    const { sel, show } = make(['a', 'b', 'c']);
    sel.toggle('a');
    expect([sel.allShown, sel.someShown]).toEqual([false, true]);
    show(['b', 'c']);
    expect([sel.allShown, sel.someShown]).toEqual([false, false]);
    sel.toggleShown();
    expect([...sel.keys].sort()).toEqual(['a', 'b', 'c']);
    expect(sel.allShown).toBe(true);
    // All shown chosen: the box lets the shown ones go, not the hidden one.
    sel.toggleShown();
    expect([...sel.keys]).toEqual(['a']);
    show([]);
    expect(sel.allShown).toBe(false);
  });

  it('replace keeps the anchor; only moves it; clear forgets it', () => {
    const { sel } = make(['a', 'b', 'c', 'd']);
    sel.toggle('a');
    sel.replace(['d']);
    sel.toggle('b', true);
    expect([...sel.keys].sort()).toEqual(['a', 'b', 'd']);
    sel.only('c');
    sel.toggle('d', true);
    expect([...sel.keys].sort()).toEqual(['c', 'd']);
    sel.clear();
    sel.toggle('d', true);
    expect([...sel.keys]).toEqual(['d']);
  });

  it('readers follow every change: an effect sees each click and each change of what is shown', () => {
    const { sel, show } = make(['a', 'b']);
    const seen: string[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(`${sel.size}:${sel.has('a')}:${sel.allShown}`);
      });
    });
    flushSync();
    sel.toggle('a');
    flushSync();
    sel.toggle('b');
    flushSync();
    show(['a']);
    sel.toggle('b');
    flushSync();
    stop();
    expect(seen).toEqual(['0:false:false', '1:true:false', '2:true:true', '1:true:true']);
  });
});
