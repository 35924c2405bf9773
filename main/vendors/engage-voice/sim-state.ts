// The simulated Engage Voice contact centre: calls keyed by uii, agents with their real-time state,
// supervisor sessions on calls, pending dispositions. Every operation is O(1) so scenarios of
// thousands of calls and agents stay fast; all randomness comes from the seed.
import { seededRandom } from '../shared/sim-server.js';
import type { EvActiveCall, EvAgent, EvSessionType } from './types.js';

export interface SimCall {
  uii: string;
  ani: string;
  dnis: string;
  /** Only some hosts send dnisE164; the simulator leaves it out on some calls. */
  dnisE164: string | null;
  enqueueTime: number;
  dequeueTime: number | null;
  callState: 'QUEUED' | 'ACTIVE' | 'ON_HOLD';
  archive: boolean;
  agentId: number | null;
  destinationName: string;
  externalId: string | null;
  cnam: string | null;
  /** Supervisor sessions by destination phone (not shown by the list: Engage has no session list). */
  sessions: Map<string, EvSessionType>;
  disposition: string | null;
}

export interface SimAgent {
  agentId: number;
  username: string;
  firstName: string;
  lastName: string;
  agentState: 'AVAILABLE' | 'ON_CALL' | 'AWAY' | 'WRAP_UP';
  stateTime: number;
  callUii: string | null;
  gateId: number | null;
  campaignId: number | null;
  pendingDisposition: boolean;
  agentLoginId: string;
  lastUpdate: number;
}

export const DISPOSITIONS = ['Sale', 'No Sale', 'Callback', 'Wrong Number', 'Resolved'] as const;

/** A set with O(1) add, delete and random pick. */
class PickSet<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<T, number>();
  get size(): number {
    return this.items.length;
  }
  add(v: T): void {
    if (this.index.has(v)) return;
    this.index.set(v, this.items.length);
    this.items.push(v);
  }
  delete(v: T): void {
    const i = this.index.get(v);
    if (i === undefined) return;
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last, i);
    }
    this.index.delete(v);
  }
  pick(rnd: () => number): T | undefined {
    return this.items[Math.floor(rnd() * this.items.length)];
  }
}

const FIRST = ['Paco', 'Amara', 'Jin', 'Noor', 'Lena', 'Tomas', 'Priya', 'Kofi', 'Mei', 'Omar', 'Sara', 'Ivan'];
const LAST = ['Vu', 'Okafor', 'Park', 'Haddad', 'Novak', 'Silva', 'Rao', 'Mensah', 'Chen', 'Farah', 'Berg', 'Petrov'];
const GATES = [
  { id: 501, name: 'Sales Queue' },
  { id: 502, name: 'Support Queue' },
  { id: 503, name: 'Billing Queue' },
];
const CAMPAIGN = { id: 901, name: 'Renewals Campaign' };

export class EngageSimState {
  readonly calls = new Map<string, SimCall>();
  readonly agents = new Map<number, SimAgent>();
  /** Ended calls whose agent still owes a disposition: uii → agentId. */
  readonly pending = new Map<string, number>();
  private readonly byUsername = new Map<string, SimAgent>();
  private readonly agentList: SimAgent[] = [];
  private readonly available = new PickSet<number>();
  private readonly queued = new PickSet<string>();
  private readonly live = new PickSet<string>();
  private readonly rnd: () => number;
  private readonly uiiPrefix: string;
  private seq = 0;

  constructor(
    seed: number,
    agents: number,
    calls: number,
    private readonly now: () => number,
  ) {
    this.rnd = seededRandom(seed);
    this.uiiPrefix = `2026${String(Math.floor(this.rnd() * 1e10)).padStart(10, '0')}`;
    for (let i = 0; i < agents; i++) this.seedAgent(i);
    for (let i = 0; i < calls; i++) {
      const c = this.newCall();
      if (this.rnd() < 0.85) this.answer(c);
    }
  }

  private digits(n: number): string {
    let s = String(2 + Math.floor(this.rnd() * 8));
    while (s.length < n) s += String(Math.floor(this.rnd() * 10));
    return s;
  }

  private seedAgent(i: number): void {
    const inbound = this.rnd() < 0.7;
    const gate = GATES[i % GATES.length]!;
    const a: SimAgent = {
      agentId: 1000 + i,
      username: `agent${i + 1}@sim.example`,
      firstName: FIRST[Math.floor(this.rnd() * FIRST.length)]!,
      lastName: LAST[Math.floor(this.rnd() * LAST.length)]!,
      agentState: 'AVAILABLE',
      stateTime: this.now(),
      callUii: null,
      gateId: inbound ? gate.id : null,
      campaignId: inbound ? null : CAMPAIGN.id,
      pendingDisposition: false,
      agentLoginId: String(7000 + i),
      lastUpdate: this.now(),
    };
    this.agents.set(a.agentId, a);
    this.byUsername.set(a.username, a);
    this.agentList.push(a);
    const r = this.rnd();
    if (r < 0.12) this.setState(a, 'AWAY');
    else if (r < 0.2) this.endWithPending(a, this.nextUii());
    else this.setState(a, 'AVAILABLE');
  }

  private nextUii(): string {
    this.seq += 1;
    return `${this.uiiPrefix}${String(this.seq).padStart(16, '0')}`;
  }

  private setState(a: SimAgent, state: SimAgent['agentState']): void {
    if (a.agentState !== state) a.stateTime = this.now();
    a.agentState = state;
    a.lastUpdate = this.now();
    if (state === 'AVAILABLE' && !a.pendingDisposition) this.available.add(a.agentId);
    else this.available.delete(a.agentId);
  }

  private endWithPending(a: SimAgent, uii: string): void {
    a.callUii = null;
    a.pendingDisposition = true;
    this.pending.set(uii, a.agentId);
    this.setState(a, 'WRAP_UP');
  }

  private newCall(): SimCall {
    const gate = GATES[Math.floor(this.rnd() * GATES.length)]!;
    const dnis = this.digits(10);
    const c: SimCall = {
      uii: this.nextUii(),
      ani: this.digits(10),
      dnis,
      dnisE164: this.rnd() < 0.5 ? `+1${dnis}` : null,
      enqueueTime: this.now() - Math.floor(this.rnd() * 600_000),
      dequeueTime: null,
      callState: 'QUEUED',
      archive: this.rnd() < 0.6,
      agentId: null,
      destinationName: gate.name,
      externalId: this.rnd() < 0.3 ? `EXT-${this.digits(6)}` : null,
      cnam: this.rnd() < 0.4 ? 'WIRELESS CALLER' : null,
      sessions: new Map(),
      disposition: null,
    };
    this.calls.set(c.uii, c);
    this.queued.add(c.uii);
    return c;
  }

  /** Connects a queued call to an available agent, if there is one. */
  private answer(c: SimCall): boolean {
    const id = this.available.pick(this.rnd);
    const a = id === undefined ? undefined : this.agents.get(id);
    if (!a) return false;
    this.connect(c, a);
    this.queued.delete(c.uii);
    return true;
  }

  private connect(c: SimCall, a: SimAgent): void {
    c.agentId = a.agentId;
    c.callState = 'ACTIVE';
    c.dequeueTime ??= this.now();
    if (a.campaignId !== null) c.destinationName = CAMPAIGN.name;
    a.callUii = c.uii;
    this.setState(a, 'ON_CALL');
    this.live.add(c.uii);
  }

  // ---- operations behind the endpoints ----

  agentByUsername(username: string): SimAgent | undefined {
    return this.byUsername.get(username);
  }

  /** createManualAgentCall: a new outbound call from an AVAILABLE agent (caller checks availability). */
  manualCall(a: SimAgent, destination: string, callerId: string): SimCall {
    const c = this.newCall();
    this.queued.delete(c.uii);
    Object.assign(c, { ani: callerId, dnis: destination, dnisE164: null, enqueueTime: this.now(), destinationName: 'Manual Call' });
    this.connect(c, a);
    return c;
  }

  /** hangupCall: the call leaves the list; its agent owes a disposition unless one was already given. */
  hangup(c: SimCall): void {
    this.calls.delete(c.uii);
    this.queued.delete(c.uii);
    this.live.delete(c.uii);
    const a = c.agentId === null ? undefined : this.agents.get(c.agentId);
    if (!a) return;
    if (c.disposition !== null) {
      a.callUii = null;
      this.setState(a, 'AVAILABLE');
    } else this.endWithPending(a, c.uii);
  }

  /** dispositionCall: releases the agent from pending disposition, or notes it on a live call. */
  dispose(uii: string, disposition: string | null): boolean {
    const agentId = this.pending.get(uii);
    if (agentId !== undefined) {
      this.pending.delete(uii);
      const a = this.agents.get(agentId);
      if (a) {
        a.pendingDisposition = false;
        this.setState(a, 'AVAILABLE');
      }
      return true;
    }
    const c = this.calls.get(uii);
    if (!c) return false;
    c.disposition = disposition ?? '';
    return true;
  }

  // ---- live traffic ----

  tick(): void {
    const events = 1 + Math.floor(this.rnd() * 3);
    for (let i = 0; i < events; i++) this.event(this.rnd());
  }

  private event(r: number): void {
    if (r < 0.2) this.newCall();
    else if (r < 0.4) {
      const uii = this.queued.pick(this.rnd);
      const c = uii === undefined ? undefined : this.calls.get(uii);
      if (c) this.answer(c);
    } else if (r < 0.52) {
      const c = this.liveCall();
      if (c) c.callState = c.callState === 'ACTIVE' ? 'ON_HOLD' : 'ACTIVE';
    } else if (r < 0.6) this.transfer();
    else if (r < 0.75) {
      const c = this.liveCall();
      if (c) this.hangup(c);
    } else if (r < 0.88) {
      const first = this.pending.keys().next();
      if (!first.done) this.dispose(first.value, DISPOSITIONS[0]);
    } else {
      const a = this.agentList[Math.floor(this.rnd() * this.agentList.length)];
      if (a?.agentState === 'AVAILABLE') this.setState(a, 'AWAY');
      else if (a?.agentState === 'AWAY') this.setState(a, 'AVAILABLE');
    }
  }

  private liveCall(): SimCall | undefined {
    const uii = this.live.pick(this.rnd);
    return uii === undefined ? undefined : this.calls.get(uii);
  }

  private transfer(): void {
    const c = this.liveCall();
    const toId = this.available.pick(this.rnd);
    const to = toId === undefined ? undefined : this.agents.get(toId);
    const from = c?.agentId == null ? undefined : this.agents.get(c.agentId);
    if (!c || !to || !from) return;
    from.callUii = null;
    this.setState(from, 'AVAILABLE');
    this.connect(c, to);
  }

  // ---- wire rows ----

  callRows(match?: (c: SimCall) => boolean): EvActiveCall[] {
    const out: EvActiveCall[] = [];
    for (const c of this.calls.values()) if (!match || match(c)) out.push(this.callRow(c));
    return out;
  }

  private callRow(c: SimCall): EvActiveCall {
    const a = c.agentId === null ? undefined : this.agents.get(c.agentId);
    const row: EvActiveCall = {
      uii: c.uii,
      accountId: SIM_ACCOUNT_ID,
      ani: c.ani,
      dnis: c.dnis,
      enqueueTime: vendorIso(c.enqueueTime),
      dequeueTime: c.dequeueTime === null ? null : vendorIso(c.dequeueTime),
      callState: c.callState,
      archive: c.archive,
      agentFirstName: a?.firstName ?? null,
      agentLastName: a?.lastName ?? null,
      destinationName: c.destinationName,
      externalId: c.externalId,
      cnam: c.cnam,
    };
    if (c.dnisE164 !== null) row.dnisE164 = c.dnisE164;
    return row;
  }

  agentRows(): EvAgent[] {
    return this.agentList.map((a) => {
      const call = a.callUii === null ? undefined : this.calls.get(a.callUii);
      return {
        agentId: a.agentId,
        username: a.username,
        firstName: a.firstName,
        lastName: a.lastName,
        agentState: a.agentState,
        stateTime: a.stateTime,
        callUii: a.callUii,
        callAni: call?.ani ?? null,
        callDnis: call?.dnis ?? null,
        gateId: a.gateId,
        campaignId: a.campaignId,
        pendingDisposition: a.pendingDisposition,
        agentLoginId: a.agentLoginId,
        lastUpdate: vendorIso(a.lastUpdate),
      };
    });
  }
}

export const SIM_ACCOUNT_ID = '12440001';

/** The vendor's example form: ISO with a `+0000` offset. */
function vendorIso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
