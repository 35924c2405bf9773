// The Audian simulator's world: live calls, recently ended calls, conferences and auth tokens,
// all derived from the seed. Lists are indexed so 10,000 calls stay cheap: O(1) lookup and random
// pick, and the channel list is rebuilt only after something changed.
import { SimOutbox, seededRandom } from '../shared/sim-server.js';
import type { ScenarioOptions } from '../shared/simulator.js';
import { GREGORIAN_UNIX_OFFSET_SEC, type Channel, type WebhookEventName } from './types.js';

/** A transfer to this number fails with the document's transfer_failed (503). */
export const UNREACHABLE_DESTINATION = '+15005550199';
export const SIM_ACCOUNT_ID = '4f7a9c1e2b3d4a5f8e9d0c1b2a3f4e5d';
export const SIM_SUPERVISOR_PHONE = '+14155550100';

export interface AudianScenarioOptions extends ScenarioOptions {
  /** Where the simulator POSTs the document's webhook events; none are sent without it. */
  webhookUrl?: string;
}

const TOKEN_TTL_MS = 60 * 60_000;
const ENDED_KEPT = 2_000;

export interface SimCall {
  call_id: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  status: 'ringing' | 'answered' | 'completed';
  muted: boolean;
  on_hold: boolean;
  recording_active: boolean;
  initiated_at: number;
  answered_at: number | null;
  ended_at: number | null;
  conference_id: string | null;
  participants: string[];
  hold_music: string | null;
  /** What the call has been sent, for tests to read. */
  played: Record<string, unknown>[];
  dtmfSent: string[];
  lastTransfer: { destination: string; transfer_type: string; caller_id: string | null } | null;
}

/** Live calls with O(1) add, remove, lookup and random pick (swap-remove). */
class LiveCalls {
  private readonly ids: string[] = [];
  private readonly pos = new Map<string, number>();
  private readonly byId = new Map<string, SimCall>();
  get size(): number {
    return this.ids.length;
  }
  get(id: string): SimCall | undefined {
    return this.byId.get(id);
  }
  add(c: SimCall): void {
    this.pos.set(c.call_id, this.ids.length);
    this.ids.push(c.call_id);
    this.byId.set(c.call_id, c);
  }
  remove(id: string): void {
    const i = this.pos.get(id);
    if (i === undefined) return;
    const last = this.ids.pop()!;
    if (last !== id) {
      this.ids[i] = last;
      this.pos.set(last, i);
    }
    this.pos.delete(id);
    this.byId.delete(id);
  }
  pick(rand: number): SimCall | undefined {
    const id = this.ids[Math.floor(rand * this.ids.length)];
    return id === undefined ? undefined : this.byId.get(id);
  }
  values(): IterableIterator<SimCall> {
    return this.byId.values();
  }
}

export class AudianSimState {
  readonly accountId = SIM_ACCOUNT_ID;
  readonly apiKey: string;
  readonly live = new LiveCalls();
  private readonly ended = new Map<string, SimCall>();
  /** conference id → call id */
  readonly conferences = new Map<string, string>();
  private readonly tokens = new Map<string, { issuedAt: number; expired: boolean }>();
  /** Kazoo wraps the channel list in its envelope; false answers the bare array NOTES.md shows. */
  channelsWrapped = true;
  /**
   * The document's "Real-Time Call Monitoring" webhook URL. The desktop app polls, so this is for
   * tests of the events; null (the default) sends nothing.
   */
  webhookUrl: string | null;
  /** Webhook deliveries: in the background, counted, never failing the API request that caused them. */
  readonly webhooks = new SimOutbox();
  readonly rand: () => number;
  readonly now: () => number;
  private seq = 0;
  private channelCache: Channel[] | null = null;
  private readonly target: number;

  constructor(opts: AudianScenarioOptions) {
    this.webhookUrl = opts.webhookUrl ?? null;
    this.rand = seededRandom(opts.seed);
    this.now = opts.now ?? Date.now;
    this.apiKey = `audian-sim-key-${opts.seed}`;
    this.target = opts.calls ?? 12;
    for (let i = 0; i < this.target; i++) {
      const c = this.newCall();
      if (this.rand() < 0.85) this.answer(c);
      if (c.status === 'answered' && this.rand() < 0.1) c.on_hold = true;
    }
  }

  // ---- auth ----
  issueToken(): string {
    const token = `${(++this.seq).toString(36)}${Math.floor(this.rand() * 2 ** 48).toString(16)}`;
    this.tokens.set(token, { issuedAt: this.now(), expired: false });
    return token;
  }
  tokenValid(token: string): boolean {
    const t = this.tokens.get(token);
    return t !== undefined && !t.expired && this.now() - t.issuedAt < TOKEN_TTL_MS;
  }
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  // ---- webhooks ----
  /** POSTs {event, data} (the document's shape) to the webhook URL, if one is set. */
  emit(event: WebhookEventName, data: { call_id: string; [field: string]: unknown }): void {
    if (this.webhookUrl !== null) this.webhooks.post(this.webhookUrl, { json: { event, data } });
  }

  // ---- calls ----
  find(id: string): SimCall | undefined {
    return this.live.get(id) ?? this.ended.get(id);
  }
  changed(): void {
    this.channelCache = null;
  }
  channels(): Channel[] {
    this.channelCache ??= Array.from(this.live.values(), toChannel);
    return this.channelCache;
  }

  newCall(): SimCall {
    const inbound = this.rand() < 0.7;
    const customer = this.phone();
    const agent = this.phone('+1415555');
    const c: SimCall = {
      call_id: `call_${(++this.seq).toString(36)}${Math.floor(this.rand() * 36 ** 4).toString(36)}`,
      from: inbound ? customer : agent,
      to: inbound ? agent : customer,
      direction: inbound ? 'inbound' : 'outbound',
      status: 'ringing',
      muted: false,
      on_hold: false,
      recording_active: this.rand() < 0.6,
      initiated_at: this.now() - Math.floor(this.rand() * 600_000),
      answered_at: null,
      ended_at: null,
      conference_id: null,
      participants: [],
      hold_music: null,
      played: [],
      dtmfSent: [],
      lastTransfer: null,
    };
    this.live.add(c);
    this.changed();
    return c;
  }
  answer(c: SimCall): void {
    c.status = 'answered';
    c.answered_at = Math.max(c.initiated_at, this.now() - Math.floor(this.rand() * 300_000));
    this.changed();
  }
  end(c: SimCall): void {
    c.status = 'completed';
    c.ended_at = this.now();
    c.on_hold = false;
    if (c.conference_id) this.conferences.delete(c.conference_id);
    this.live.remove(c.call_id);
    this.ended.set(c.call_id, c);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.keys().next().value!);
    this.changed();
  }
  conferenceFor(c: SimCall): string {
    if (!c.conference_id) {
      c.conference_id = `conf_${(++this.seq).toString(36)}`;
      c.participants = [c.from, c.to];
      this.conferences.set(c.conference_id, c.call_id);
    }
    return c.conference_id;
  }
  /** Deterministic "pressed" digits. */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.rand() * 10));
    return s;
  }
  phone(prefix = '+1'): string {
    let s = prefix;
    while (s.length < 12) s += String(Math.floor(this.rand() * 10));
    return s;
  }

  /** One step of live traffic, kept near the seeded call count. */
  tick(): void {
    if (this.live.size < this.target || this.rand() < 0.3) this.newCall();
    for (let step = 0; step < 3; step++) {
      const c = this.live.pick(this.rand());
      if (!c) return;
      const r = this.rand();
      if (c.status === 'ringing') {
        if (r < 0.7) this.answer(c);
        else if (r < 0.8) this.end(c);
      } else if (r < 0.15) c.on_hold = !c.on_hold;
      else if (r < 0.25) c.muted = !c.muted;
      else if (r < 0.3) {
        c.to = this.phone();
        c.on_hold = false;
      } else if (r < 0.45 || this.live.size > this.target * 1.2) this.end(c);
      this.changed();
    }
  }
}

/** A live call as a Kazoo channel: uuid = call_id, gregorian-second timestamp. */
function toChannel(c: SimCall): Channel {
  return {
    uuid: c.call_id,
    call_id: c.call_id,
    caller_id_number: c.from,
    callee_id_number: c.to,
    destination: c.to,
    direction: c.direction,
    answered: c.status === 'answered',
    timestamp: Math.floor(c.initiated_at / 1000) + GREGORIAN_UNIX_OFFSET_SEC,
  };
}
