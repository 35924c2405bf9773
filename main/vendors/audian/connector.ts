// Audian behind the engine's verbs. Monitoring is barge only: the supervisor's phone is added to
// the call as a conference participant, and stopping removes exactly that participant.
// Session handle: `<conference_id>|<supervisor number>` (e.g. `conf_abc123|+14155550100`), since
// removal needs both and the engine keeps only the handle.
import type { AudianAccount, Secrets } from '../../domain/account.js';
import { capabilityForAgentAction, capabilityForCallAction, type AgentAction, type CallAction } from '../../domain/actions.js';
import { SwitchboardError } from '../../domain/errors.js';
import type { Agent, Call, ChatMessage, MonitorMode, Service, SupervisorSession } from '../../domain/model.js';
import type { ActionOutcome, CallDetail, ConnectorDeps, ConnectorFactory, MonitorContext, PerAgentResult, VendorConnector } from '../connector.js';
import { requireCapability } from '../shared/capabilities.js';
import { coreOptionsOf, readActionReply } from '../shared/http.js';
import { audianCapabilities } from './capabilities.js';
import { AudianClient } from './client.js';
import { actionOutcome, callStatusToDetail, channelsToCalls, conferenceInfo, gatheredDigits, type ConferenceInfo } from './normalise.js';
import type { GatherDtmfRequest, PlayAudioRequest, SendDtmfRequest, TransferRequest } from './types.js';

const HANDLE_SEP = '|';

export function sessionHandle(conferenceId: string, participant: string): string {
  return `${conferenceId}${HANDLE_SEP}${participant}`;
}

/** A bare conference id (the model's wording) falls back to the supervisor's phone. */
export function parseSessionHandle(handle: string, fallbackParticipant: string | undefined): { conferenceId: string; participant: string } {
  const i = handle.lastIndexOf(HANDLE_SEP);
  const conferenceId = i < 0 ? handle : handle.slice(0, i);
  const participant = i < 0 ? fallbackParticipant : handle.slice(i + 1);
  if (!conferenceId || !participant) {
    throw new SwitchboardError('invalid_input', 'This Audian monitor session does not say which conference participant to remove.');
  }
  return { conferenceId, participant };
}

export class AudianConnector implements VendorConnector {
  readonly capabilities = audianCapabilities;
  readonly client: AudianClient;
  private readonly now: () => number;
  /** Conference ids Audian gave us per call id: conference.remove names only the participant. */
  private readonly conferences = new Map<string, string>();

  constructor(
    private readonly account: AudianAccount,
    secrets: Secrets,
    deps: ConnectorDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.client = new AudianClient(account, secrets, coreOptionsOf(deps));
  }

  /** The channel list, logged in as needed: a running account's test reuses its session (a 401 logs in again). */
  async testConnection(): Promise<void> {
    await this.client.listChannels();
  }

  async listCalls(): Promise<Call[]> {
    return channelsToCalls(this.account.id, await this.client.listChannels());
  }

  /** Audian has no agent list (see capabilities), so the board has no Audian agents. */
  async listAgents(): Promise<Agent[]> {
    return [];
  }

  async callDetail(call: Call): Promise<CallDetail> {
    requireCapability(this.capabilities, 'call.details');
    return callStatusToDetail(await this.client.callStatus(call.vendorCallId), call);
  }

  async monitor(call: Call, mode: MonitorMode, ctx: MonitorContext, current: SupervisorSession | null): Promise<SupervisorSession> {
    requireCapability(this.capabilities, `monitor.${mode}`);
    // Barge is the only mode, so "changing" to it while already in it is already done.
    if (current?.mode === mode) return current;
    const phone = ctx.supervisorPhone;
    if (!phone) throw new SwitchboardError('not_configured', "Set the supervisor's phone number on this Audian account to join calls.");
    if (current) await this.stopMonitor(call, current, ctx);
    const info = await this.conference(call.vendorCallId, phone);
    return { callKey: call.key, accountId: this.account.id, mode, handle: sessionHandle(info.conferenceId, phone), startedAt: this.now(), own: true };
  }

  async stopMonitor(call: Call, session: SupervisorSession, ctx: MonitorContext): Promise<void> {
    if (session.possiblyActive) return this.stopUnconfirmed(call, session, ctx);
    const { conferenceId, participant } = parseSessionHandle(session.handle, ctx.supervisorPhone);
    await this.client.removeParticipant(conferenceId, participant);
  }

  /**
   * The conference request got no readable answer: the conference is the one the handle names or an
   * earlier answer gave for this call. Audian lists no conferences, so without either the supervisor
   * is told to hang up. A participant Audian does not have (404) has nothing left to end.
   */
  private async stopUnconfirmed(call: Call, session: SupervisorSession, ctx: MonitorContext): Promise<void> {
    const conferenceId = session.handle ? parseSessionHandle(session.handle, ctx.supervisorPhone).conferenceId : this.conferences.get(call.vendorCallId);
    const participant = ctx.supervisorPhone;
    if (!conferenceId || !participant) {
      throw new SwitchboardError(
        'unsupported',
        'Audian did not say which conference it joined you to, and it lists none, so Switchboard cannot end it: hang up your phone to leave the call.',
      );
    }
    try {
      await this.client.removeParticipant(conferenceId, participant);
    } catch (err) {
      if (!(err instanceof SwitchboardError && err.code === 'not_found')) throw err;
    }
  }

  async callAction(call: Call, action: CallAction): Promise<ActionOutcome> {
    requireCapability(this.capabilities, capabilityForCallAction(action));
    const id = call.vendorCallId;
    switch (action.type) {
      case 'hold':
        return actionOutcome(await this.client.hold(id, action.holdMusicUrl ? { hold_music: action.holdMusicUrl } : undefined), 'Call on hold');
      case 'resume':
        return actionOutcome(await this.client.resume(id), 'Call resumed');
      case 'mute':
        return actionOutcome(await this.client.mute(id), 'Call muted');
      case 'unmute':
        return actionOutcome(await this.client.unmute(id), 'Call unmuted');
      case 'hangup':
        return actionOutcome(await this.client.hangup(id), 'Call ended');
      case 'transfer':
        return actionOutcome(await this.client.transfer(id, transferBody(action)), `Transferred to ${action.destination}`);
      case 'conference.add': {
        const info = await this.conference(id, action.participant);
        return { detail: `Conference ${info.conferenceId}: ${info.participants.join(', ')}` };
      }
      case 'conference.remove':
        await this.client.removeParticipant(this.conferenceOf(call), action.participant);
        return { detail: `${action.participant} removed from the conference` };
      case 'play':
        await this.client.playAudio(id, playBody(action));
        return { detail: action.message === undefined ? 'Playing audio' : 'Speaking message' };
      case 'dtmf.send':
        await this.client.sendDtmf(id, sendDtmfBody(action));
        return { detail: `Sent DTMF ${action.digits}` };
      case 'dtmf.gather': {
        const reply = await this.client.gatherDtmf(id, gatherBody(action));
        // The gather ran (2xx); an answer without the digits leaves its result unknown, not failed.
        const digits = readActionReply(() => gatheredDigits(reply));
        return { detail: `Collected ${digits || 'no digits'}`, digits };
      }
      default:
        // recording / disposition: refused by requireCapability above.
        throw new SwitchboardError('unsupported', `Audian cannot do ${action.type}.`);
    }
  }

  /**
   * Adds a participant by conference and remembers the conference id for conference.remove. An
   * answer without a conference id still means the participant is being dialled: outcome unknown.
   */
  private async conference(callId: string, participant: string): Promise<ConferenceInfo> {
    const reply = await this.client.conference(callId, { participant });
    const info = readActionReply(() => conferenceInfo(reply));
    this.conferences.set(callId, info.conferenceId);
    return info;
  }

  private conferenceOf(call: Call): string {
    const known = this.conferences.get(call.vendorCallId);
    if (known) return known;
    const own = call.sessions.find((s) => s.own);
    if (own) return parseSessionHandle(own.handle, '-').conferenceId;
    throw new SwitchboardError('invalid_state', 'Switchboard does not know a conference on this call; add a participant first.');
  }

  async agentAction(_agents: Agent[], action: AgentAction): Promise<PerAgentResult[]> {
    requireCapability(this.capabilities, capabilityForAgentAction(action));
    throw new SwitchboardError('unsupported', 'Audian has no agent actions.');
  }

  async manualAgentCall(): Promise<ActionOutcome> {
    return this.refuse('call.manualAgentCall');
  }

  async listServices(): Promise<Service[]> {
    return this.refuse('services.list');
  }

  async chatMessages(): Promise<{ messages: ChatMessage[]; latestMs: number | null }> {
    return this.refuse('chat');
  }

  async chatBroadcast(): Promise<PerAgentResult[]> {
    return this.refuse('chat');
  }

  async chatSend(): Promise<void> {
    return this.refuse('chat');
  }

  async chatEnd(): Promise<void> {
    return this.refuse('chat');
  }

  private refuse(name: 'call.manualAgentCall' | 'services.list' | 'chat'): never {
    requireCapability(this.capabilities, name);
    throw new SwitchboardError('unsupported', `Audian does not support ${name}.`);
  }
}

/** The table's fields; hold_original appears only in the attended example, so only attended sends it. */
function transferBody(a: Extract<CallAction, { type: 'transfer' }>): TransferRequest {
  return {
    destination: a.destination,
    ...(a.callerId === undefined ? {} : { caller_id: a.callerId }),
    transfer_type: a.mode,
    ...(a.mode === 'attended' ? { hold_original: true } : {}),
  };
}

/** `language` is not in the table, only in the text-to-speech example, so it goes only with a message. */
function playBody(a: Extract<CallAction, { type: 'play' }>): PlayAudioRequest {
  return {
    ...(a.audioUrl === undefined ? {} : { audio_url: a.audioUrl }),
    ...(a.message === undefined ? {} : { message: a.message, ...(a.language === undefined ? {} : { language: a.language }) }),
    participant: a.participant,
    ...(a.interrupt === undefined ? {} : { interrupt: a.interrupt }),
  };
}

function sendDtmfBody(a: Extract<CallAction, { type: 'dtmf.send' }>): SendDtmfRequest {
  return {
    digits: a.digits,
    ...(a.durationMs === undefined ? {} : { duration: a.durationMs }),
    ...(a.pauseMs === undefined ? {} : { pause_between: a.pauseMs }),
  };
}

/** Only what the supervisor chose: the vendor's documented defaults cover the rest. */
function gatherBody(a: Extract<CallAction, { type: 'dtmf.gather' }>): GatherDtmfRequest {
  return {
    ...(a.prompt === undefined ? {} : { prompt: a.prompt }),
    ...(a.maxDigits === undefined ? {} : { max_digits: a.maxDigits }),
    ...(a.timeoutSec === undefined ? {} : { timeout: a.timeoutSec }),
    ...(a.finishKey === undefined ? {} : { finish_key: a.finishKey }),
    ...(a.language === undefined ? {} : { language: a.language }),
  };
}

export const createAudianConnector: ConnectorFactory = (account, secrets, deps) => {
  if (account.vendor !== 'audian') throw new SwitchboardError('internal', `An ${account.vendor} account was given to the Audian connector.`);
  return new AudianConnector(account, secrets, deps);
};
