// LiveVox behind the engine's verbs. The Supervisor API is agent-centred: calls are derived from
// agents in call, and monitoring addresses the agent (the session handle is the agent login id).
import type { LiveVoxAccount } from '../../domain/account.js';
import {
  capabilityForAgentAction,
  capabilityForCallAction,
  type AgentAction,
  type CallAction,
  type CapabilityName,
} from '../../domain/actions.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { Agent, Call, MonitorMode, SupervisorSession } from '../../domain/model.js';
import type { ConnectorDeps, ConnectorFactory, MonitorContext, PerAgentResult, VendorConnector } from '../connector.js';
import { requireCapability } from '../shared/capabilities.js';
import { liveVoxCapabilities, STOP_MONITOR_REASON } from './capabilities.js';
import { LiveVoxClient, type LiveVoxClientDeps } from './client.js';
import {
  agentStatusResults,
  broadcastResults,
  loginIdOfCall,
  normaliseChat,
  normaliseRealtime,
  normaliseServices,
  startedAudioPath,
  switchServiceResults,
} from './normalise.js';
import type { MonitorVerb } from './types.js';

/** Choices the documents leave open. Wanted as LiveVoxAccount fields (see docs/vendors.md › LiveVox › Choices where the documents are silent). */
export interface LiveVoxOptions {
  /**
   * chat/messages `excludeOwn`. The documents only say it is mandatory. Default false, so messages
   * the supervisor sent from LiveVox's own console show in the conversation too (marked as theirs).
   */
  excludeOwnChat: boolean;
}
export const LIVEVOX_DEFAULTS: LiveVoxOptions = { excludeOwnChat: false };

/** Whisper is LiveVox's coach: only the agent hears the supervisor. */
export const VERB_FOR_MODE: Readonly<Record<MonitorMode, MonitorVerb>> = { listen: 'listen', whisper: 'coach', barge: 'barge' };

/**
 * The agents poll takes the realtime feed a calls poll read this recently instead of reading it
 * again: both lists come from that one request.
 */
const REALTIME_REUSE_MS = 2_000;

type Realtime = ReturnType<typeof normaliseRealtime>;

class LiveVoxConnector implements VendorConnector {
  readonly capabilities = liveVoxCapabilities;
  private realtimeInFlight: Promise<Realtime> | null = null;
  private lastRealtime: { at: number; value: Realtime } | null = null;

  constructor(
    private readonly account: LiveVoxAccount,
    readonly client: LiveVoxClient,
    private readonly options: LiveVoxOptions,
    private readonly now: () => number,
  ) {}

  async testConnection(): Promise<void> {
    await this.client.monitorState();
  }

  async listCalls(): Promise<Call[]> {
    return (await this.realtime()).calls;
  }

  async listAgents(): Promise<Agent[]> {
    const last = this.lastRealtime;
    if (last && this.now() - last.at <= REALTIME_REUSE_MS) return last.value.agents;
    return (await this.realtime()).agents;
  }

  /** Calls and agents come from one feed: a poll of both shares one request. */
  private realtime(): Promise<Realtime> {
    this.realtimeInFlight ??= this.fetchRealtime().finally(() => {
      this.realtimeInFlight = null;
    });
    return this.realtimeInFlight;
  }

  private async fetchRealtime(): Promise<Realtime> {
    const value = normaliseRealtime(this.account.id, await this.client.realtimeAgents());
    this.lastRealtime = { at: this.now(), value };
    return value;
  }

  callDetail(): Promise<never> {
    return this.refuse('call.details');
  }

  /**
   * One click: make sure the supervisor's audio path is up (monitor/state, then monitor/start
   * dialling their phone when it is not), then listen / coach / barge on the call's agent.
   * Changing mode is the other verb on the same audio path, so with `current` only the verb is sent;
   * if LiveVox refuses it because the audio path has gone (the supervisor hung up), the path is
   * started again and the verb sent once more (the refused one had no effect).
   */
  async monitor(call: Call, mode: MonitorMode, ctx: MonitorContext, current: SupervisorSession | null): Promise<SupervisorSession> {
    requireCapability(this.capabilities, `monitor.${mode}`);
    const agentLoginId = loginIdOfCall(call);
    if (agentLoginId === null) throw new SwitchboardError('invalid_input', 'This LiveVox call has no agent to monitor.');
    const verb = VERB_FOR_MODE[mode];
    if (current) {
      try {
        await this.client.monitorVerb(verb, agentLoginId);
      } catch (err) {
        if (!(err instanceof SwitchboardError && err.code === 'invalid_state') || (await this.client.monitorState()).activeCall) throw err;
        await this.startAudioPath(ctx);
        await this.client.monitorVerb(verb, agentLoginId);
      }
    } else {
      if (!(await this.client.monitorState()).activeCall) await this.startAudioPath(ctx);
      await this.client.monitorVerb(verb, agentLoginId);
    }
    return {
      callKey: call.key,
      accountId: this.account.id,
      mode,
      handle: agentLoginId,
      startedAt: current?.callKey === call.key ? current.startedAt : this.now(),
      own: true,
    };
  }

  /**
   * monitor/start dials the supervisor. Its table answer, 200 {activeCall: false}, says the audio path
   * did not come up (the phone was not answered): the verb after it would only be refused with a bare
   * 409, so the supervisor is told what happened instead. The example's 204 says nothing, and then the
   * verb that follows tells whether the path is usable.
   */
  private async startAudioPath(ctx: MonitorContext): Promise<void> {
    const phone = ctx.supervisorPhone;
    if (!phone) {
      throw new SwitchboardError('not_configured', 'Set your phone number on this LiveVox account: LiveVox calls it to connect you before you can listen.');
    }
    const extension = ctx.supervisorExtension ?? this.account.supervisorExtension;
    if (startedAudioPath(await this.client.monitorStart(phone, extension || undefined)) === false) {
      throw new SwitchboardError(
        'invalid_state',
        `LiveVox could not connect your phone (${phone}) for monitoring: it says no audio path is up, so the call was not answered. Answer LiveVox's call, then try again.`,
      );
    }
  }

  /**
   * There is no documented way to end the audio path. If it is already gone (the supervisor hung
   * up), the session is over and stopping succeeds; otherwise the supervisor is told how to end it.
   */
  async stopMonitor(): Promise<void> {
    if (!(await this.client.monitorState()).activeCall) return;
    throw new SwitchboardError('unsupported', STOP_MONITOR_REASON);
  }

  callAction(_call: Call, action: CallAction): Promise<never> {
    return this.refuse(capabilityForCallAction(action));
  }

  manualAgentCall(): Promise<never> {
    return this.refuse('call.manualAgentCall');
  }

  async agentAction(agents: Agent[], action: AgentAction): Promise<PerAgentResult[]> {
    requireCapability(this.capabilities, capabilityForAgentAction(action));
    const ids = [...new Set(agents.map((a) => a.loginId))];
    if (ids.length === 0) return [];
    // The feed read before this change no longer describes these agents.
    this.lastRealtime = null;
    return this.scrubbed(await this.agentResults(ids, action));
  }

  private async agentResults(ids: string[], action: AgentAction): Promise<PerAgentResult[]> {
    switch (action.type) {
      case 'ready':
        return agentStatusResults(ids, await this.client.readyAgents(ids, action.message));
      case 'notReady':
        return agentStatusResults(ids, await this.client.notReadyAgents(ids, action.reason, action.message));
      case 'logoff':
        return agentStatusResults(ids, await this.client.logoffAgents(ids, action.message));
      case 'switchService':
        return switchServiceResults(ids, await this.client.switchService(ids, Number(action.serviceId), action.message));
    }
  }

  /** Each agent's result carries LiveVox's own words, which go to the screen: no secret among them. */
  private scrubbed(results: PerAgentResult[]): PerAgentResult[] {
    return results.map((r) => ({ ...r, detail: this.client.http.scrub(r.detail) }));
  }

  async listServices() {
    return normaliseServices(this.account.id, await this.client.serviceAccess());
  }

  async chatMessages(afterMs: number | null) {
    const res = await this.client.chatMessages(afterMs, this.options.excludeOwnChat);
    const self = [this.account.userName, ...(this.client.session.userId === null ? [] : [this.client.session.userId])];
    return normaliseChat(this.account.id, res, self, this.now());
  }

  async chatBroadcast(loginIds: string[], message: string, canReply: boolean): Promise<PerAgentResult[]> {
    const ids = [...new Set(loginIds)];
    if (ids.length === 0) return [];
    return this.scrubbed(broadcastResults(ids, await this.client.chatBroadcast(ids.map((userLoginId) => ({ userLoginId, canReply })), message)));
  }

  chatSend(loginId: string, message: string): Promise<void> {
    return this.client.chatSend(loginId, message);
  }

  chatEnd(loginId: string): Promise<void> {
    return this.client.chatEnd(loginId);
  }

  private async refuse(name: CapabilityName): Promise<never> {
    requireCapability(this.capabilities, name);
    // Only reachable if the capability table and this connector disagree.
    throw new SwitchboardError('internal', `LiveVox connector has no implementation for ${name}.`);
  }
}

/** `clientDeps` tunes retries/backoff (tests); everything else comes from the engine's deps. */
export function liveVoxConnectorFactory(
  options: Partial<LiveVoxOptions> = {},
  clientDeps: Omit<LiveVoxClientDeps, keyof ConnectorDeps> = {},
): ConnectorFactory {
  return (account, secrets, deps) => {
    if (account.vendor !== 'livevox') throw new SwitchboardError('internal', `A ${account.vendor} account was given to the LiveVox connector.`);
    const client = new LiveVoxClient(account, secrets, { ...deps, ...clientDeps });
    return new LiveVoxConnector(account, client, { ...LIVEVOX_DEFAULTS, excludeOwnChat: account.excludeOwnChat, ...options }, deps.now ?? Date.now);
  };
}

export const createLiveVoxConnector: ConnectorFactory = liveVoxConnectorFactory();
