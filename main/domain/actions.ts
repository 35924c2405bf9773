// Every supervisor action, as data: the contract validates these, the engine checks them against
// capabilities, and each vendor connector maps them onto its own endpoints.
import { z } from 'zod';
import { NOT_READY_REASONS } from './reasons.js';

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{3,15}$/, 'a phone number: digits only, optionally starting with +, 3 to 15 digits');
export const PhoneNumber = Phone;

/**
 * A URL a vendor may fetch: http or https only, so `file:`, `javascript:`, `data:` and the like
 * never leave Switchboard. Account base URLs (account.ts) build on this one too.
 */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2048);

export { NOT_READY_REASONS };
export const NotReadyReason = z.enum(NOT_READY_REASONS);
export type NotReadyReason = z.infer<typeof NotReadyReason>;

const Text = (max: number) => z.string().max(max);
/** Text that must say something: trimmed first, so whitespace alone is refused as empty. */
const NonBlank = (max: number) => z.string().trim().min(1, 'must not be empty or only spaces').max(max);

export const CallAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hold'), holdMusicUrl: HttpUrl.optional() }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('mute') }),
  z.object({ type: z.literal('unmute') }),
  z.object({
    type: z.literal('transfer'),
    destination: Phone,
    mode: z.enum(['blind', 'attended']),
    callerId: Phone.optional(),
  }),
  z.object({ type: z.literal('conference.add'), participant: Phone }),
  z.object({ type: z.literal('conference.remove'), participant: Phone }),
  z
    .object({
      type: z.literal('play'),
      audioUrl: HttpUrl.optional(),
      message: NonBlank(2000).optional(),
      language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
      participant: z.enum(['caller', 'callee', 'both']),
      interrupt: z.boolean().optional(),
    })
    .refine((v) => (v.audioUrl === undefined) !== (v.message === undefined), {
      message: 'give either an audio URL or a speech message, not both',
    }),
  z.object({
    type: z.literal('dtmf.send'),
    digits: z.string().regex(/^[0-9*#A-Da-d]{1,64}$/, 'DTMF digits: 0-9, *, #, A-D'),
    durationMs: z.int().min(40).max(2000).optional(),
    pauseMs: z.int().min(0).max(5000).optional(),
  }),
  z.object({
    type: z.literal('dtmf.gather'),
    prompt: Text(2000).optional(),
    maxDigits: z.int().min(1).max(64).optional(),
    timeoutSec: z.int().min(1).max(120).optional(),
    finishKey: z.string().regex(/^[0-9*#]$/).optional(),
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
  }),
  z.object({ type: z.literal('recording'), on: z.boolean() }),
  z.object({
    type: z.literal('disposition'),
    disposition: NonBlank(200),
    notes: Text(4000).optional(),
    callback: z.boolean(),
    /** ISO date-time; required when callback is true. */
    callbackAt: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({ type: z.literal('hangup') }),
]);
export type CallAction = z.infer<typeof CallAction>;
export type CallActionType = CallAction['type'];

export const AgentAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), message: Text(1000).optional() }),
  z.object({ type: z.literal('notReady'), reason: NotReadyReason, message: Text(1000).optional() }),
  z.object({ type: z.literal('logoff'), message: Text(1000).optional() }),
  z.object({ type: z.literal('switchService'), serviceId: z.string().regex(/^[0-9]{1,12}$/), message: Text(1000).optional() }),
]);
export type AgentAction = z.infer<typeof AgentAction>;
export type AgentActionType = AgentAction['type'];

export const ManualAgentCall = z.object({
  username: NonBlank(200),
  destination: Phone,
  ringDuration: z.int().min(1).max(120),
  callerId: Phone,
});
export type ManualAgentCall = z.infer<typeof ManualAgentCall>;

/** Every capability a vendor may or may not have, named once. */
export const CAPABILITIES = [
  'monitor.listen',
  'monitor.whisper',
  'monitor.barge',
  'monitor.changeInPlace',
  /** Switchboard can end the supervisor's own session; otherwise the supervisor hangs up their phone. */
  'monitor.stop',
  'call.details',
  'call.hold',
  'call.resume',
  'call.mute',
  'call.unmute',
  'call.transfer.blind',
  'call.transfer.attended',
  'call.conference.add',
  'call.conference.remove',
  'call.play',
  'call.dtmf.send',
  'call.dtmf.gather',
  'call.recording',
  'call.disposition',
  'call.hangup',
  'call.manualAgentCall',
  'agents.list',
  'agent.ready',
  'agent.notReady',
  'agent.logoff',
  'agent.switchService',
  'chat',
  'services.list',
] as const;
export const CapabilityName = z.enum(CAPABILITIES);
export type CapabilityName = z.infer<typeof CapabilityName>;

export const Capability = z.union([
  z.object({ supported: z.literal(true) }),
  z.object({ supported: z.literal(false), reason: z.string() }),
]);
export type Capability = z.infer<typeof Capability>;
export type Capabilities = Record<CapabilityName, Capability>;

/** The capability a call action needs. */
export function capabilityForCallAction(action: CallAction): CapabilityName {
  switch (action.type) {
    case 'transfer':
      return action.mode === 'blind' ? 'call.transfer.blind' : 'call.transfer.attended';
    default:
      return `call.${action.type}` as CapabilityName;
  }
}
export function capabilityForAgentAction(action: AgentAction): CapabilityName {
  return `agent.${action.type}` as CapabilityName;
}
