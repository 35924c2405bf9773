// What a supervisor can do on an Engage Voice account through its Active Call APIs, and why not the rest.
import { defineCapabilities } from '../shared/capabilities.js';

const NO_API = "Engage Voice's Active Call API has no";
const NO_AGENT_CONTROL =
  "Engage Voice's Active Call API cannot change an agent's state; the agent changes it in the Engage agent desktop.";

export const engageVoiceCapabilities = defineCapabilities(
  [
    'monitor.listen',
    'monitor.whisper',
    'monitor.barge',
    'monitor.stop',
    'call.recording',
    'call.disposition',
    'call.hangup',
    'call.manualAgentCall',
    'agents.list',
  ],
  {
    'monitor.changeInPlace':
      'Engage Voice cannot switch a supervisor session between listen, whisper and barge; Switchboard ends the session and dials you again in the new mode.',
    'call.details': 'Engage Voice does not list the legs of a call; only your own supervisor sessions are shown.',
    'call.hold': `${NO_API} hold; ask the agent to hold from their desktop.`,
    'call.resume': `${NO_API} resume; ask the agent to take the call off hold from their desktop.`,
    'call.mute': `${NO_API} mute; ask the agent to mute from their desktop.`,
    'call.unmute': `${NO_API} unmute; ask the agent to unmute from their desktop.`,
    'call.transfer.blind': `${NO_API} transfer; ask the agent to transfer from their desktop.`,
    'call.transfer.attended': `${NO_API} transfer; ask the agent to transfer from their desktop.`,
    'call.conference.add': `${NO_API} way to add a participant; barge in yourself, or ask the agent to conference from their desktop.`,
    'call.conference.remove': `${NO_API} way to remove a participant; ask the agent from their desktop.`,
    'call.play': `${NO_API} way to play audio or speech into a call.`,
    'call.dtmf.send': `${NO_API} way to send DTMF digits; the agent can key them from their desktop.`,
    'call.dtmf.gather': `${NO_API} way to collect DTMF digits from the caller.`,
    'agent.ready': NO_AGENT_CONTROL,
    'agent.notReady': NO_AGENT_CONTROL,
    'agent.logoff': NO_AGENT_CONTROL,
    'agent.switchService': "Engage Voice's Active Call API cannot move agents between queues or campaigns; change it in Engage admin.",
    chat: 'Engage Voice has no supervisor chat API; message agents through the Engage agent desktop.',
    'services.list': "Engage Voice's Active Call API does not list queues or campaigns; the queue is shown on each call.",
  },
);
