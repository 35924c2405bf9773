// The Exotel simulator's world: calls with legs, agents, monitor legs, and the live traffic tick().
// Deterministic from the seed; every list the routes serve is O(1) per change and cached per filter.
import { SimOutbox, seededRandom } from '../shared/sim-server.js';
import type { V1MonitorAction } from './types.js';

export type SimOrigin = 'inbound' | 'outbound' | 'outbound-dial' | 'monitor';

export interface SimAgent {
  userId: string;
  name: string;
  phone: string;
  callSid: string | null;
}

export interface SimLeg {
  sid: string;
  origin: SimOrigin;
  number: string;
  status: 'in-progress' | 'ringing';
  /** "" on call legs; the mode on monitor legs. */
  lastAction: '' | V1MonitorAction;
  createdMs: number;
  updatedMs: number;
  muted: boolean;
  hold: boolean;
  /** Set on monitor legs created with a StatusCallback: where and how their terminal event goes. */
  statusCallback?: SimStatusCallback;
}

export interface SimStatusCallback {
  url: string;
  contentType: 'application/json' | 'multipart/form-data';
  customField: string | undefined;
}

export interface SimCall {
  sid: string;
  direction: 'inbound' | 'outbound-api';
  status: 'ringing' | 'in-progress';
  from: string;
  to: string;
  startMs: number;
  agent: SimAgent | null;
  recording: boolean;
  legs: SimLeg[];
  bridge: { sid: string; createdMs: number } | null;
}

export interface ListFilter {
  agentId?: string | undefined;
  direction?: 'inbound' | 'outbound' | undefined;
}

const FIRST = ['Asha', 'Ravi', 'Meera', 'Arjun', 'Priya', 'Karan', 'Divya', 'Vikram', 'Neha', 'Rahul', 'Sana', 'Imran'];
const LAST = ['Sharma', 'Iyer', 'Nair', 'Reddy', 'Khan', 'Gupta', 'Menon', 'Das', 'Patel', 'Rao', 'Singh', 'Bose'];
/** The account's virtual number (ExoPhone) inbound customers dial. */
export const EXOPHONE = '+918047112233';

export class ExotelSimState {
  readonly accountSid: string;
  /** Listen / Whisper / Barge is a beta Exotel support enables per account; off, its v1 routes refuse. */
  lwbEnabled = true;
  /** StatusCallback deliveries: in the background, counted, never failing the request or tick that ended the leg. */
  readonly callbacks = new SimOutbox();
  /** Told when a leg with a StatusCallback ends, however it ends (the simulator sends the payload). */
  onLegEnded: ((call: SimCall, leg: SimLeg, endMs: number) => void) | null = null;
  readonly calls = new Map<string, SimCall>();
  readonly agents: SimAgent[] = [];
  /** How many calls tick() keeps the floor near. */
  readonly target: number;
  private readonly rnd: () => number;
  private readonly free: SimAgent[] = [];
  /** Live call sids in a dense array (swap-remove) so tick() picks a random call in O(1). */
  private readonly order: string[] = [];
  private readonly slot = new Map<string, number>();
  private readonly cache = new Map<string, SimCall[]>();
  private serial = 0;

  constructor(
    seed: number,
    calls: number,
    agents: number,
    readonly now: () => number,
  ) {
    this.rnd = seededRandom(seed);
    this.accountSid = `sim${this.hex(8)}`;
    this.target = calls;
    for (let i = 0; i < agents; i += 1) {
      const agent: SimAgent = {
        userId: this.hex(32),
        name: `${this.pick(FIRST)} ${this.pick(LAST)}`,
        // A range customers never use, so a number tells agent from customer.
        phone: `+91900${String(i).padStart(7, '0')}`,
        callSid: null,
      };
      this.agents.push(agent);
      this.free.push(agent);
    }
    for (let i = 0; i < calls; i += 1) {
      const call = this.addCall(this.now() - Math.floor(this.rnd() * 600_000));
      if (this.rnd() < 0.85) this.answer(call);
    }
  }

  // ------------------------------------------------------------ reads

  /** Active calls in arrival order, filtered as the v3 query asks; cached until the next change. */
  list(filter: ListFilter = {}): SimCall[] {
    const key = `${filter.agentId ?? ''}|${filter.direction ?? ''}`;
    let out = this.cache.get(key);
    if (!out) {
      out = [...this.calls.values()].filter(
        (c) =>
          (filter.agentId === undefined || c.agent?.userId === filter.agentId) &&
          (filter.direction === undefined || c.direction.startsWith(filter.direction)),
      );
      this.cache.set(key, out);
    }
    return out;
  }

  agentsOnCalls(): number {
    return this.agents.length - this.free.length;
  }

  findLeg(call: SimCall, sid: string): SimLeg | undefined {
    return call.legs.find((l) => l.sid === sid);
  }

  // ------------------------------------------------------------ changes

  /** A new call, ringing. Outbound (API) calls dial the agent first, so they need a free agent. */
  addCall(startMs = this.now(), direction: SimCall['direction'] = this.rnd() < 0.6 || this.free.length === 0 ? 'inbound' : 'outbound-api'): SimCall {
    const customer = `+9198${String(Math.floor(this.rnd() * 1e8)).padStart(8, '0')}`;
    const sid = this.sid();
    let call: SimCall;
    if (direction === 'outbound-api' && this.free.length > 0) {
      const agent = this.takeAgent(sid);
      call = { sid, direction, status: 'ringing', from: agent.phone, to: customer, startMs, agent, recording: this.rnd() < 0.7, legs: [], bridge: null };
      call.legs.push(this.leg('outbound', agent.phone, 'in-progress', startMs), this.leg('outbound-dial', customer, 'ringing', startMs));
    } else {
      call = { sid, direction: 'inbound', status: 'ringing', from: customer, to: EXOPHONE, startMs, agent: null, recording: this.rnd() < 0.7, legs: [], bridge: null };
      call.legs.push(this.leg('inbound', customer, 'in-progress', startMs));
    }
    this.calls.set(sid, call);
    this.slot.set(sid, this.order.length);
    this.order.push(sid);
    this.touch();
    return call;
  }

  /** The call connects: an inbound call dials a free agent (false when nobody is free). */
  answer(call: SimCall): boolean {
    if (call.status !== 'ringing') return false;
    const at = Math.max(call.startMs, this.now() - Math.floor(this.rnd() * 30_000));
    if (call.direction === 'inbound') {
      if (this.free.length === 0) return false;
      const agent = this.takeAgent(call.sid);
      call.agent = agent;
      call.legs.push(this.leg('outbound-dial', agent.phone, 'in-progress', at));
    }
    for (const l of call.legs) l.status = 'in-progress';
    call.status = 'in-progress';
    call.bridge = { sid: this.hex(32), createdMs: at };
    this.touch();
    return true;
  }

  endCall(sid: string): void {
    const call = this.calls.get(sid);
    if (!call) return;
    // Every leg still on the call ends with it, monitor legs included.
    for (const leg of call.legs) this.legEnded(call, leg);
    if (call.agent) this.releaseAgent(call.agent);
    this.calls.delete(sid);
    const i = this.slot.get(sid)!;
    const last = this.order.pop()!;
    if (last !== sid) {
      this.order[i] = last;
      this.slot.set(last, i);
    }
    this.slot.delete(sid);
    this.touch();
  }

  /** Another agent takes over: the agent leg is replaced by a new one to the new agent. */
  transfer(call: SimCall): boolean {
    if (call.status !== 'in-progress' || !call.agent || this.free.length === 0) return false;
    const old = call.agent;
    const next = this.takeAgent(call.sid);
    this.releaseAgent(old);
    call.agent = next;
    call.legs = call.legs.filter((l) => l.number !== old.phone);
    call.legs.push(this.leg('outbound-dial', next.phone, 'in-progress', this.now()));
    this.touch();
    return true;
  }

  addMonitorLeg(call: SimCall, mode: V1MonitorAction, phone: string): SimLeg {
    const leg = this.leg('monitor', phone, 'in-progress', this.now());
    leg.lastAction = mode;
    call.legs.push(leg);
    return leg;
  }

  /** A monitor leg just leaves; a call leg hanging up ends a two-party call. */
  hangupLeg(call: SimCall, leg: SimLeg): void {
    call.legs = call.legs.filter((l) => l !== leg);
    this.legEnded(call, leg);
    if (leg.origin !== 'monitor' && call.legs.filter((l) => l.origin !== 'monitor').length < 2) this.endCall(call.sid);
  }

  /** One step of traffic, about 5% of the floor per tick: arrivals, answers, holds, mutes, transfers, ends. */
  tick(): void {
    const steps = Math.max(1, Math.round(this.target * 0.05));
    for (let i = 0; i < steps; i += 1) {
      const r = this.rnd();
      if (this.calls.size === 0 || (this.calls.size < this.target && r < 0.3)) {
        this.addCall();
        continue;
      }
      const call = this.calls.get(this.order[Math.floor(this.rnd() * this.order.length)]!)!;
      if (call.status === 'ringing') {
        if (!this.answer(call) && r > 0.9) this.endCall(call.sid);
        continue;
      }
      const agentLeg = call.legs.find((l) => l.number === call.agent?.phone);
      const customerLeg = call.legs.find((l) => l.origin !== 'monitor' && l !== agentLeg);
      if (r < (this.calls.size > this.target ? 0.5 : 0.3)) this.endCall(call.sid);
      else if (r < 0.5 && customerLeg) customerLeg.hold = !customerLeg.hold;
      else if (r < 0.6 && agentLeg) agentLeg.muted = !agentLeg.muted;
      else if (r < 0.7) this.transfer(call);
    }
  }

  // ------------------------------------------------------------ helpers

  private legEnded(call: SimCall, leg: SimLeg): void {
    if (leg.statusCallback) this.onLegEnded?.(call, leg, this.now());
  }

  private leg(origin: SimOrigin, number: string, status: SimLeg['status'], at: number): SimLeg {
    return { sid: this.sid(), origin, number, status, lastAction: '', createdMs: at, updatedMs: at, muted: false, hold: false };
  }

  private takeAgent(callSid: string): SimAgent {
    // Swap-remove: O(1) with thousands of agents.
    const i = Math.floor(this.rnd() * this.free.length);
    const agent = this.free[i]!;
    this.free[i] = this.free[this.free.length - 1]!;
    this.free.pop();
    agent.callSid = callSid;
    return agent;
  }

  private releaseAgent(agent: SimAgent): void {
    agent.callSid = null;
    this.free.push(agent);
  }

  private touch(): void {
    this.cache.clear();
  }

  /** Exotel sids are 32 hex characters; a serial prefix keeps them unique whatever the generator says. */
  private sid(): string {
    this.serial += 1;
    return this.serial.toString(16).padStart(8, '0') + this.hex(24);
  }

  private hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.rnd() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }
}
