// How many accounts run at once. Each enabled account is a runtime with its pollers, its vendor
// client and its share of the live model, so the count bounds the app's memory and its traffic; a
// disabled account is only a line in settings.json and costs nothing. Uncapped, 2,000 enabled
// accounts took 919 MiB; bench/accounts.ts measures the app at the cap (about 130 MiB RSS with 50
// small accounts), leaving room for large centres' models. Fifty is far more than one supervisor
// watches, yet still a number whose polls the vendors and the machine can carry.
import { SwitchboardError } from '../domain/errors.js';
import type { AccountConfig } from '../domain/account.js';

export const MAX_ENABLED_ACCOUNTS = 50;

type Capped = Pick<AccountConfig, 'id' | 'label' | 'enabled'>;

const enabledCount = (accounts: readonly Capped[]): number => accounts.filter((a) => a.enabled).length;

/**
 * Refuses a change that takes the enabled accounts past the cap. One that does not add to them
 * (disabling, editing an enabled account) always passes.
 */
export function assertCapKept(before: readonly Capped[], after: readonly Capped[], saving?: string): void {
  const was = enabledCount(before);
  const now = enabledCount(after);
  if (now <= MAX_ENABLED_ACCOUNTS || now <= was) return;
  throw new SwitchboardError(
    'invalid_state',
    `Switchboard runs at most ${MAX_ENABLED_ACCOUNTS} enabled accounts at once, and ${was} are enabled already: ` +
      `disable or remove one first${saving === undefined ? '' : `, or save "${saving}" disabled`}.`,
  );
}

/** The same rule for one account about to be saved, so the save is refused before anything (secrets included) is written. */
export function assertWithinCap(accounts: readonly Capped[], saving: Capped): void {
  const after = accounts.some((a) => a.id === saving.id) ? accounts.map((a) => (a.id === saving.id ? saving : a)) : [...accounts, saving];
  assertCapKept(accounts, after, saving.label);
}

/**
 * A file with more enabled accounts than the cap (a hand edit, an older version) keeps every
 * account, in its order: the first ones up to the cap stay enabled, the rest are disabled, and the
 * caller says which.
 */
export function capEnabledAccounts<T extends Capped>(accounts: readonly T[]): { accounts: T[]; disabled: T[] } {
  const disabled: T[] = [];
  let kept = 0;
  const out = accounts.map((a) => {
    if (!a.enabled) return a;
    if (kept < MAX_ENABLED_ACCOUNTS) {
      kept += 1;
      return a;
    }
    disabled.push(a);
    return { ...a, enabled: false };
  });
  return { accounts: out, disabled };
}
