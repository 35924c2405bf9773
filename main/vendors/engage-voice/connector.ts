// Engage Voice behind the engine's verbs. Monitoring is a session dialled to the supervisor's phone
// (addSessionToCall); there is no in-place mode change and no session list, so the phone is the handle.
import type { EngageVoiceAccount, Secrets } from '../../domain/account.js';
import {
  capabilityForAgentAction,
  capabilityForCallAction,
  type AgentAction,
  type CallAction,
  type CapabilityName,
  type ManualAgentCall,
} from '../../domain/actions.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { Agent, Call, ChatMessage, MonitorMode, Service, SupervisorSession } from '../../domain/model.js';
import type {
  ActionOutcome,
  CallDetail,
  ConnectorDeps,
  ConnectorFactory,
  MonitorContext,
  PerAgentResult,
  VendorConnector,
} from '../connector.js';
import { requireCapability } from '../shared/capabilities.js';
import { zoneClock, type ZoneClock } from '../shared/time.js';
import { engageVoiceCapabilities } from './capabilities.js';
import { EngageVoiceClient } from './client.js';
import { callbackDts, normaliseAgents, normaliseCalls, sessionTypeFor, text, type NormaliseContext } from './normalise.js';
import { DEFAULT_OPTIONS, type EngageVoiceOptions } from './options.js';
import type { EvActiveCall, EvAgent, EvListQuery } from './types.js';

export class EngageVoiceConnector implements VendorConnector {
  readonly capabilities = engageVoiceCapabilities;
  readonly client: EngageVoiceClient;
  private readonly now: () => number;
  private readonly zone: ZoneClock;
  /** The last agent list read, so a calls poll right after an agents poll need not read it again. */
  private agentRows: { at: number; rows: EvAgent[] } | null = null;
  /** An agent list being read: a calls poll and an agents poll due together share it. */
  private agentRowsInFlight: Promise<EvAgent[]> | null = null;

  constructor(
    private readonly account: EngageVoiceAccount,
    secrets: Secrets,
    deps: ConnectorDeps,
    private readonly options: EngageVoiceOptions,
  ) {
    this.client = new EngageVoiceClient(account, secrets, deps, options);
    this.now = deps.now ?? Date.now;
    this.zone = zoneClock(options.timeZone);
  }

  async testConnection(): Promise<void> {
    await this.client.listActiveCalls({ ...this.productFilter(), maxRows: 1 });
  }

  async listCalls(): Promise<Call[]> {
    // The call list has no agent id; the agent list carries each agent's call uii. A list read in
    // the last few seconds (by the agents poll) serves; otherwise both are read.
    const fresh = this.agentRows !== null && this.now() - this.agentRows.at < this.options.agentReuseMs;
    const [rows, agents] = await Promise.all([this.readCallRows(), fresh ? this.agentRows!.rows : this.readAgentRows()]);
    return normaliseCalls(rows, agents, this.ctx());
  }

  async listAgents(): Promise<Agent[]> {
    return normaliseAgents(await this.readAgentRows(), this.ctx());
  }

  private readAgentRows(): Promise<EvAgent[]> {
    this.agentRowsInFlight ??= this.client
      .listAgentStates()
      .then((rows) => {
        this.agentRows = { at: this.now(), rows };
        return rows;
      })
      .finally(() => (this.agentRowsInFlight = null));
    return this.agentRowsInFlight;
  }

  /** No legs endpoint exists: what is known is the call itself and the sessions the engine tracks. */
  async callDetail(call: Call): Promise<CallDetail> {
    return { legs: [], bridge: null, recording: call.recording, onHold: call.onHold, muted: call.muted, sessions: call.sessions };
  }

  async monitor(call: Call, mode: MonitorMode, ctx: MonitorContext, current: SupervisorSession | null): Promise<SupervisorSession> {
    requireCapability(this.capabilities, `monitor.${mode}`);
    const phone = supervisorPhone(ctx);
    if (current) {
      if (current.mode === mode && current.handle === phone) return current;
      // No in-place change: end the old session first; if that fails nothing new is dialled.
      await this.client.hangupSession(call.vendorCallId, { phone: current.handle });
    }
    await this.client.addSessionToCall(call.vendorCallId, { destination: phone, sessionType: sessionTypeFor(mode) });
    return { callKey: call.key, accountId: call.accountId, mode, handle: phone, startedAt: this.now(), own: true };
  }

  async stopMonitor(call: Call, session: SupervisorSession, ctx: MonitorContext): Promise<void> {
    try {
      await this.client.hangupSession(call.vendorCallId, { phone: session.handle || supervisorPhone(ctx) });
    } catch (err) {
      // A possibly active session may never have started: Engage answering false (or not found)
      // means it holds no session for the phone, which is what stopping wants.
      if (!(session.possiblyActive && err instanceof SwitchboardError && (err.code === 'action_failed' || err.code === 'not_found'))) throw err;
    }
  }

  async callAction(call: Call, action: CallAction): Promise<ActionOutcome> {
    requireCapability(this.capabilities, capabilityForCallAction(action));
    const uii = call.vendorCallId;
    switch (action.type) {
      case 'hangup':
        await this.client.hangupCall(uii);
        return { detail: 'Call hung up', callPatch: { status: 'ended' } };
      case 'recording':
        await this.client.toggleCallRecording(uii, { record: action.on });
        return { detail: action.on ? 'Recording started' : 'Recording stopped', callPatch: { recording: action.on } };
      case 'disposition': {
        const callBackDTS = action.callback ? this.callbackAt(action.callbackAt) : undefined;
        await this.client.dispositionCall(uii, {
          disposition: action.disposition,
          callback: action.callback,
          ...(callBackDTS === undefined ? {} : { callBackDTS }),
          ...(action.notes === undefined ? {} : { notes: action.notes }),
        });
        return { detail: `Disposition ${action.disposition} set` };
      }
      default:
        return refuse(capabilityForCallAction(action));
    }
  }

  async agentAction(_agents: Agent[], action: AgentAction): Promise<PerAgentResult[]> {
    return refuse(capabilityForAgentAction(action));
  }

  async manualAgentCall(req: ManualAgentCall): Promise<ActionOutcome> {
    requireCapability(this.capabilities, 'call.manualAgentCall');
    await this.client.createManualAgentCall({
      username: req.username,
      destination: req.destination,
      ringDuration: req.ringDuration,
      callerId: req.callerId,
    });
    return { detail: `Calling ${req.destination} from ${req.username}` };
  }

  async listServices(): Promise<Service[]> {
    return refuse('services.list');
  }
  async chatMessages(_afterMs: number | null): Promise<{ messages: ChatMessage[]; latestMs: number | null }> {
    return refuse('chat');
  }
  async chatBroadcast(_loginIds: string[], _message: string, _canReply: boolean): Promise<PerAgentResult[]> {
    return refuse('chat');
  }
  async chatSend(_loginId: string, _message: string): Promise<void> {
    return refuse('chat');
  }
  async chatEnd(_loginId: string): Promise<void> {
    return refuse('chat');
  }

  private ctx(): NormaliseContext {
    return { accountId: this.account.id, zone: this.zone, now: this.now() };
  }

  private productFilter(): EvListQuery {
    return this.options.listProduct ? { ...this.options.listProduct } : {};
  }

  /** Whole list by default; paged when configured, stopping at a short page or one with nothing new. */
  private async readCallRows(): Promise<EvActiveCall[]> {
    const size = this.options.listPageSize;
    if (size === null) return this.client.listActiveCalls(this.productFilter());
    const byUii = new Map<string, EvActiveCall>();
    for (let i = 0; i < this.options.listMaxPages; i++) {
      const page = await this.client.listActiveCalls({ ...this.productFilter(), page: this.options.listFirstPage + i, maxRows: size });
      let added = 0;
      for (const r of page) {
        const uii = text(r.uii);
        if (uii !== null && !byUii.has(uii)) {
          byUii.set(uii, r);
          added += 1;
        }
      }
      // The page base is undocumented: a page that repeats the last one means we are past the end.
      if (page.length < size || added === 0) break;
    }
    return [...byUii.values()];
  }

  private callbackAt(iso: string | undefined): string {
    const dts = iso === undefined ? null : callbackDts(iso, this.zone);
    if (dts === null) throw new SwitchboardError('invalid_input', 'A callback needs a valid date and time.');
    return dts;
  }
}

function supervisorPhone(ctx: MonitorContext): string {
  if (!ctx.supervisorPhone) {
    throw new SwitchboardError('not_configured', 'Set your phone number on this Engage Voice account: Engage dials it to start listen, whisper or barge.');
  }
  return ctx.supervisorPhone;
}

function refuse(name: CapabilityName): never {
  requireCapability(engageVoiceCapabilities, name);
  throw new SwitchboardError('unsupported', 'Engage Voice cannot do that.');
}

/** A factory with per-account choices the documents leave open (see options.ts). */
export function createEngageVoiceConnectorWith(overrides: Partial<EngageVoiceOptions> = {}): ConnectorFactory {
  return (account, secrets, deps) => {
    if (account.vendor !== 'engage-voice') throw new SwitchboardError('internal', 'Not an Engage Voice account.');
    // Account settings first, then whatever the caller pins (tests).
    const fromAccount: Partial<EngageVoiceOptions> = {
      timeZone: account.timeZone,
      ...(account.listPageSize !== undefined ? { listPageSize: account.listPageSize } : {}),
      ...(account.listProduct && account.listProductId ? { listProduct: { product: account.listProduct, productId: account.listProductId } } : {}),
    };
    return new EngageVoiceConnector(account, secrets, deps, { ...DEFAULT_OPTIONS, ...fromAccount, ...overrides });
  };
}

export const createEngageVoiceConnector: ConnectorFactory = createEngageVoiceConnectorWith();
