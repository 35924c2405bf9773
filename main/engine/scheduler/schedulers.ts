// Every configured account's scheduler, and the connectors that send through it: the runtime's, and
// one kept per account for connection tests of accounts that are not running. A scheduler lives as
// long as its account is configured (running or not), so a vendor's window and our own count
// survive reconnects and tests. Held actions become notices the supervisor reads.
import { createHash } from 'node:crypto';
import type { AccountConfig } from '../../domain/account.js';
import type { Vault } from '../../vault/vault.js';
import type { ConnectorDeps, VendorConnector } from '../../vendors/connector.js';
import type { VendorRegistry } from '../../vendors/registry-types.js';
import type { BucketSpec } from '../../vendors/shared/limits.js';
import type { Clock } from '../clock.js';
import { AccountScheduler, type SchedulerGate } from './account-scheduler.js';
import { Bucket, type BucketView, type HeldNotice } from './bucket.js';
import { inLane } from './lane.js';

/** Something the supervisor should know that no request answers: a held action, a session that did not end. */
export interface Notice {
  kind: 'info' | 'error';
  accountId: string | null;
  text: string;
  detail: string | null;
  /** A held action: how long it waits, ms. */
  waitMs: number | null;
}

export interface SchedulersOptions {
  vendors: VendorRegistry;
  vault: () => Vault;
  clock: Clock;
  /** Replaces the per-minute figure of every bucket of a vendor (tests: tight or unlimited). */
  budgetPerMinute?: Partial<Record<AccountConfig['vendor'], number>> | undefined;
  /** The window limits are counted over; 60 s unless a benchmark shortens it. */
  windowMs?: number | undefined;
  notice(n: Notice): void;
  /** A vendor's hold on an account began or ended (its pace indicator changes). */
  holdChanged(): void;
}

/** A connection test answers sooner than a poll may wait: the supervisor is looking at it. */
const TEST_TIMEOUT_MS = 8_000;

export class Schedulers {
  private readonly schedulers = new Map<string, AccountScheduler>();
  private readonly configs = new Map<string, AccountConfig>();
  private readonly testers = new Map<string, { key: string; connector: VendorConnector; gate: SchedulerGate }>();

  constructor(private readonly opts: SchedulersOptions) {}

  /** Every configured account keeps its scheduler, with its current figures; removed accounts lose theirs. */
  sync(accounts: readonly AccountConfig[]): void {
    const ids = new Set(accounts.map((a) => a.id));
    for (const a of accounts) this.for(a);
    for (const id of [...this.schedulers.keys()]) {
      if (ids.has(id)) continue;
      this.schedulers.delete(id);
      this.configs.delete(id);
      this.dropTester(id);
    }
  }

  get(accountId: string): AccountScheduler | undefined {
    return this.schedulers.get(accountId);
  }

  for(config: AccountConfig): AccountScheduler {
    this.configs.set(config.id, config);
    let s = this.schedulers.get(config.id);
    if (s) s.configure(this.bucketsOf(config));
    else {
      s = new AccountScheduler(config.id, this.opts.vendors[config.vendor].limits, this.bucketsOf(config), this.opts.clock, (n) => this.held(n), {
        ...(this.opts.windowMs === undefined ? {} : { windowMs: this.opts.windowMs }),
        holdChanged: () => this.opts.holdChanged(),
      });
      this.schedulers.set(config.id, s);
    }
    return s;
  }

  /** The account's buckets with their figures and sources (for Accounts), configured or not yet. */
  limits(config: AccountConfig): BucketView[] {
    const live = this.schedulers.get(config.id);
    if (live) return live.views();
    return this.bucketsOf(config).map((spec) => new Bucket(spec, this.opts.clock, { held: () => undefined }, this.opts.windowMs).view());
  }

  /**
   * A connector of the account sending through a gate of its own (closed when it goes away), with
   * the vault generation its secrets were read at (only those bound to this config's hosts).
   */
  async connect(
    config: AccountConfig,
    deps: Pick<ConnectorDeps, 'timeoutMs' | 'deadlineMs' | 'onSlow'>,
  ): Promise<{ connector: VendorConnector; gate: SchedulerGate; generation: number }> {
    const gate = this.for(config).gate();
    // Read before the secrets: a change made while they are read shows as a newer generation later.
    const generation = this.opts.vault().generation(config.id);
    const secrets = await this.opts.vault().secretsFor(config);
    const connector = this.opts.vendors[config.vendor].createConnector(config, secrets, {
      ...deps,
      gate,
      sleep: (ms) => this.opts.clock.sleep(ms),
      now: () => this.opts.clock.now(),
    });
    // The account runs now (or has changed): its connection tests use the running connector.
    this.dropTester(config.id);
    return { connector, gate, generation };
  }

  /**
   * A connection test, as an action through the account's scheduler. A running account answers with
   * its own connector (its session, its token, its login guard); any other keeps one test connector,
   * rebuilt only when its settings or credentials change, so repeated Test clicks share one login.
   */
  async test(config: AccountConfig, running: VendorConnector | null): Promise<void> {
    if (running) {
      await inLane('action', 'account.test', () => running.testConnection());
      return;
    }
    const secrets = await this.opts.vault().secretsFor(config);
    const key = createHash('sha256').update(JSON.stringify([config, secrets])).digest('hex');
    let tester = this.testers.get(config.id);
    if (tester?.key !== key) {
      this.dropTester(config.id);
      const { connector, gate } = await this.connect(config, { timeoutMs: TEST_TIMEOUT_MS });
      tester = { key, connector, gate };
      this.testers.set(config.id, tester);
    }
    const { connector } = tester;
    await inLane('action', 'account.test', () => connector.testConnection());
  }

  /** The account's buckets as its vendor documents them, its own figure, or a test's override. */
  private bucketsOf(config: AccountConfig): BucketSpec[] {
    const override = this.opts.budgetPerMinute?.[config.vendor];
    const specs = this.opts.vendors[config.vendor].limits.buckets(config);
    return override === undefined ? specs : specs.map((s) => ({ ...s, perMinute: override }));
  }

  private dropTester(id: string): void {
    this.testers.get(id)?.gate.close('The account changed');
    this.testers.delete(id);
  }

  /** A held action says how long it waits, and why (the vendor's 429, or the account's own limit). */
  private held(n: HeldNotice & { accountId: string }): void {
    const config = this.configs.get(n.accountId);
    const vendorName = config ? this.opts.vendors[config.vendor].displayName : 'The vendor';
    const bucket = this.schedulers.get(n.accountId)?.bucket(n.bucket)?.view();
    const secs = Math.max(1, Math.ceil(n.waitMs / 1000));
    this.opts.notice({
      kind: 'info',
      accountId: n.accountId,
      text: `${config?.label ?? n.accountId}: ${actionName(n.label)} waits ${secs} s, then goes once.`,
      detail:
        n.cause === 'rate_limited'
          ? `${vendorName} asked Switchboard to pause its ${bucket?.label ?? 'requests'} (rate limit); nothing of it is sent until then.`
          : `The account is at its limit of ${bucket?.perMinute ?? '?'} requests a minute for ${bucket?.label ?? 'these requests'}.`,
      waitMs: n.waitMs,
    });
  }
}

/** "monitor.listen" → "Listen", "call.hold" → "Hold", for the held-action notice. */
function actionName(label: string): string {
  const NAMES: Record<string, string> = { 'monitor.stop': 'Stop monitoring', 'account.test': 'Test connection', 'services.list': 'The service list' };
  const last = label.split('.').pop() ?? label;
  return NAMES[label] ?? `${last.charAt(0).toUpperCase()}${last.slice(1)}`;
}
