// Exotel behind the engine's verbs: calls and agents from v3 active calls, detail from the v3 stream
// plus v1 ActiveLegs, and listen / whisper / barge as one v1 monitor leg per supervisor.
import type { ExotelAccount, Secrets } from '../../domain/account.js';
import { capabilityForAgentAction, capabilityForCallAction, type CallAction, type CapabilityName } from '../../domain/actions.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { Agent, Call, MonitorMode, SupervisorSession } from '../../domain/model.js';
import type { ActionOutcome, CallDetail, ConnectorDeps, ConnectorFactory, MonitorContext, VendorConnector } from '../connector.js';
import { requireCapability } from '../shared/capabilities.js';
import { zoneClock, type ZoneClock } from '../shared/time.js';
import { exotelCapabilities } from './capabilities.js';
import { ExotelClient, type ExotelClientOptions } from './client.js';
import {
  DEFAULT_V1_TIME_ZONE,
  agentsFromActiveCalls,
  customerNumber,
  isMonitorLeg,
  legNumber,
  normaliseActiveCalls,
  normaliseDetail,
  pickAgentLeg,
  sameNumber,
  sessionFromLeg,
} from './normalise.js';
import type { V1Leg, V3ActiveCall } from './types.js';

/** A call sid no account has, for testConnection's v1 probe. */
const LWB_PROBE_CALL_SID = 'switchboard-connection-test';

/** Per-account choices the documents leave open (see docs/vendors.md › Exotel, "Per-account choices the documents leave open"). */
export interface ExotelConnectorOptions extends Pick<ExotelClientOptions, 'pageSize' | 'maxReadRetries' | 'backoffBaseMs'> {
  /** Zone of v1's zone-less dates (IANA or UTC±HH:MM); the account's time zone by default. */
  v1TimeZone?: string;
  /** listAgents reuses the active-call rows listCalls fetched this recently instead of paging again. */
  agentReuseMs?: number;
}

/** The document upgrades listen → whisper → barge in place; it never shows a step down. */
const RANK: Record<MonitorMode, number> = { listen: 0, whisper: 1, barge: 2 };

function isGone(err: unknown): boolean {
  // 404 "Given legSID does not exist" / "Given callSID is not in-progress": nothing left to act on.
  return err instanceof SwitchboardError && (err.code === 'not_found' || err.code === 'invalid_state');
}

class ExotelConnector implements VendorConnector {
  readonly capabilities = exotelCapabilities;
  private readonly client: ExotelClient;
  private readonly now: () => number;
  private readonly zone: ZoneClock;
  private readonly agentReuseMs: number;
  private lastRows: { at: number; rows: V3ActiveCall[] } | null = null;

  constructor(
    private readonly account: ExotelAccount,
    secrets: Secrets,
    deps: ConnectorDeps,
    opts: ExotelConnectorOptions,
  ) {
    this.client = new ExotelClient(account, secrets, { pageSize: account.v3PageSize, ...deps, ...opts });
    this.now = deps.now ?? Date.now;
    this.zone = zoneClock(opts.v1TimeZone ?? account.timeZone ?? DEFAULT_V1_TIME_ZONE);
    this.agentReuseMs = opts.agentReuseMs ?? 2_000;
  }

  /**
   * One cheap v3 read (credentials, v3 host), then v1 ActiveLegs for a call that cannot exist: the
   * documented "not in-progress" answer proves the v1 host, the credentials there, and that the
   * Listen / Whisper / Barge beta is on, before the supervisor first clicks Listen.
   */
  async testConnection(): Promise<void> {
    await this.client.activeCallsPage({ limit: 1 });
    try {
      await this.client.activeLegs(LWB_PROBE_CALL_SID);
    } catch (err) {
      if (err instanceof SwitchboardError && err.code === 'invalid_state') return;
      if (err instanceof SwitchboardError && err.code === 'forbidden') {
        throw new SwitchboardError('forbidden', 'Listen / Whisper / Barge is not enabled on this Exotel account: it is a beta that Exotel support turns on per account.', {
          ...(err.vendorMessage ? { vendorMessage: err.vendorMessage } : {}),
        });
      }
      throw err;
    }
  }

  async listCalls(): Promise<Call[]> {
    return normaliseActiveCalls(this.account.id, await this.activeRows(true));
  }

  async listAgents(): Promise<Agent[]> {
    return agentsFromActiveCalls(this.account.id, await this.activeRows(false));
  }

  /** Agents come from the same rows as calls; a poll that just listed calls need not page again. */
  private async activeRows(fresh: boolean): Promise<V3ActiveCall[]> {
    const last = this.lastRows;
    if (!fresh && last && this.now() - last.at <= this.agentReuseMs) return last.rows;
    const rows = await this.client.allActiveCalls();
    this.lastRows = { at: this.now(), rows };
    return rows;
  }

  async callDetail(call: Call): Promise<CallDetail> {
    requireCapability(this.capabilities, 'call.details');
    const [stream, legs] = await Promise.all([this.client.stream(call.vendorCallId), this.monitorableLegs(call)]);
    return normaliseDetail(call, stream, legs, this.now(), this.zone);
  }

  /** LWB is a beta enabled per account, and ActiveLegs refuses calls not yet in progress: detail goes on without it. */
  private async monitorableLegs(call: Call): Promise<V1Leg[]> {
    try {
      return await this.client.activeLegs(call.vendorCallId);
    } catch (err) {
      if (err instanceof SwitchboardError && (err.code === 'forbidden' || err.code === 'invalid_state')) return [];
      throw err;
    }
  }

  async monitor(call: Call, mode: MonitorMode, ctx: MonitorContext, current: SupervisorSession | null): Promise<SupervisorSession> {
    requireCapability(this.capabilities, `monitor.${mode}`);
    if (current) {
      if (current.mode === mode) return current;
      if (RANK[mode] > RANK[current.mode]) {
        try {
          await this.client.upgradeLeg(call.vendorCallId, current.handle, mode);
          return { ...current, mode };
        } catch (err) {
          // The supervisor's phone leg has already dropped: nothing was changed, so dial them afresh.
          if (!(err instanceof SwitchboardError && err.code === 'not_found')) throw err;
        }
      } else {
        // A step down is not documented as an in-place change: end the leg and dial a new one.
        await this.stopMonitor(call, current, ctx);
      }
    }
    return this.startMonitor(call, mode, ctx);
  }

  /** GET ActiveLegs → pick the agent leg → POST Legs: Exotel then calls the supervisor's phone. */
  private async startMonitor(call: Call, mode: MonitorMode, ctx: MonitorContext): Promise<SupervisorSession> {
    if (!ctx.supervisorPhone) {
      throw new SwitchboardError('not_configured', "Set your phone number in this Exotel account's settings: Exotel calls it to join you to the call.");
    }
    const legs = await this.client.activeLegs(call.vendorCallId);
    const agent = pickAgentLeg(legs, call);
    if (!agent?.Sid) {
      throw new SwitchboardError('invalid_state', "Switchboard could not tell which leg of this call is the agent's, so monitoring was not started.");
    }
    const leg = await this.client.createLeg(call.vendorCallId, { Action: mode, TargetLegSid: agent.Sid, PhoneNumber: ctx.supervisorPhone });
    const session = sessionFromLeg(call, leg, true, this.now(), this.zone, mode);
    // The leg was created (2xx) but cannot be tracked: the supervisor's phone may ring all the same.
    if (!session) throw new SwitchboardError('outcome_unknown', 'Exotel created the monitor leg but did not say its Sid; end it from the Exotel dashboard.');
    return session;
  }

  async stopMonitor(call: Call, session: SupervisorSession, ctx?: MonitorContext): Promise<void> {
    if (session.possiblyActive) return this.stopUnconfirmed(call, session, ctx);
    try {
      await this.client.hangupLeg(call.vendorCallId, session.handle);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }

  /**
   * A leg Exotel may have created without telling us its Sid: every monitor leg on the call dialled
   * to the supervisor's phone is hung up (and the one we knew, if still there). None: nothing to end.
   */
  private async stopUnconfirmed(call: Call, session: SupervisorSession, ctx: MonitorContext | undefined): Promise<void> {
    const phone = ctx?.supervisorPhone;
    const legs = (await this.client.activeLegs(call.vendorCallId)).filter(
      (l) => l.Sid && isMonitorLeg(l) && (l.Sid === session.handle || (phone !== undefined && sameNumber(legNumber(l), phone))),
    );
    for (const leg of legs) {
      try {
        await this.client.hangupLeg(call.vendorCallId, leg.Sid!);
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
  }

  async callAction(call: Call, action: CallAction): Promise<ActionOutcome> {
    requireCapability(this.capabilities, capabilityForCallAction(action));
    if (action.type !== 'hangup') return this.refuse(capabilityForCallAction(action));
    return this.hangupCall(call);
  }

  /**
   * Hang up = PUT {"Action":"hangup"} on every non-monitor leg, customer first (the document's
   * "Call Disconnect API": query the legs, hang up a leg). Once one leg is down Exotel may end the
   * rest itself, so a later leg that is already gone is not a failure.
   */
  private async hangupCall(call: Call): Promise<ActionOutcome> {
    const customer = customerNumber(call);
    const legs = (await this.client.activeLegs(call.vendorCallId)).filter((l) => l.Sid && !isMonitorLeg(l));
    if (legs.length === 0) throw new SwitchboardError('invalid_state', 'Exotel shows no live legs on this call; it may have ended.');
    legs.sort((a, b) => Number(sameNumber(legNumber(b), customer)) - Number(sameNumber(legNumber(a), customer)));
    const notes: string[] = [];
    for (const [i, leg] of legs.entries()) {
      try {
        await this.client.hangupLeg(call.vendorCallId, leg.Sid!);
      } catch (err) {
        // The first hang-up decides the outcome; after it, the call is ending whatever the rest say.
        if (i === 0) throw err;
        if (!isGone(err)) notes.push(`leg ${leg.Sid}: ${err instanceof SwitchboardError ? err.code : 'failed'}`);
      }
    }
    return { detail: notes.length ? `Hung up; ${notes.join(', ')}` : 'Hung up', callPatch: { status: 'ended' } };
  }

  async agentAction(_agents: unknown, action: Parameters<VendorConnector['agentAction']>[1]): Promise<never> {
    return this.refuse(capabilityForAgentAction(action));
  }
  async manualAgentCall(): Promise<never> {
    return this.refuse('call.manualAgentCall');
  }
  async listServices(): Promise<never> {
    return this.refuse('services.list');
  }
  async chatMessages(): Promise<never> {
    return this.refuse('chat');
  }
  async chatBroadcast(): Promise<never> {
    return this.refuse('chat');
  }
  async chatSend(): Promise<never> {
    return this.refuse('chat');
  }
  async chatEnd(): Promise<never> {
    return this.refuse('chat');
  }

  private refuse(name: CapabilityName): never {
    requireCapability(this.capabilities, name);
    throw new SwitchboardError('internal', `Exotel connector has no implementation for ${name}.`);
  }
}

/** A factory with per-account choices the documents leave open. */
export function exotelConnectorFactory(opts: ExotelConnectorOptions = {}): ConnectorFactory {
  return (account, secrets, deps) => {
    if (account.vendor !== 'exotel') throw new SwitchboardError('internal', `Exotel connector given a ${account.vendor} account.`);
    return new ExotelConnector(account, secrets, deps, opts);
  };
}

export const createExotelConnector: ConnectorFactory = exotelConnectorFactory();
