// What a LiveVox supervisor can do through Switchboard. The Supervisor API works on agents, not
// calls: it can monitor an agent's call and manage agents, but cannot touch a call itself.
import { defineCapabilities } from '../shared/capabilities.js';

/** Why stopMonitor cannot end the audio path while it is up (see connector.stopMonitor). */
export const STOP_MONITOR_REASON =
  'LiveVox has no API to end a monitoring session: hang up the phone LiveVox dialled for you to stop listening. Switch to Listen first if you do not want to be heard.';

const NO_CALL_CONTROL =
  "LiveVox's Supervisor API works on agents, not calls: it has no way for a supervisor to";

export const liveVoxCapabilities = defineCapabilities(
  [
    'monitor.listen',
    'monitor.whisper',
    'monitor.barge',
    // The same audio path is switched by calling the other verb; no new session is started.
    'monitor.changeInPlace',
    'agents.list',
    'agent.ready',
    'agent.notReady',
    'agent.logoff',
    'agent.switchService',
    'chat',
    'services.list',
  ],
  {
    'monitor.stop': STOP_MONITOR_REASON,
    'call.details': 'LiveVox has no per-call detail (legs, bridge, hold or mute state) in its Supervisor API; the board shows what the agent status feed carries.',
    'call.hold': `${NO_CALL_CONTROL} put a call on hold. The agent can do it from their LiveVox desktop.`,
    'call.resume': `${NO_CALL_CONTROL} take a call off hold. The agent can do it from their LiveVox desktop.`,
    'call.mute': `${NO_CALL_CONTROL} mute a call.`,
    'call.unmute': `${NO_CALL_CONTROL} unmute a call.`,
    'call.transfer.blind': `${NO_CALL_CONTROL} transfer a call. The agent can transfer it from their desktop.`,
    'call.transfer.attended': `${NO_CALL_CONTROL} transfer a call. The agent can transfer it from their desktop.`,
    'call.conference.add': `${NO_CALL_CONTROL} add a party to a call. To join it yourself, use Barge.`,
    'call.conference.remove': `${NO_CALL_CONTROL} remove a party from a call.`,
    'call.play': `${NO_CALL_CONTROL} play audio or speech into a call.`,
    'call.dtmf.send': `${NO_CALL_CONTROL} send touch tones into a call.`,
    'call.dtmf.gather': `${NO_CALL_CONTROL} collect touch tones from a call.`,
    'call.recording': `${NO_CALL_CONTROL} start or stop a call's recording.`,
    'call.disposition': `${NO_CALL_CONTROL} set a call's disposition; the agent sets it when wrapping up.`,
    'call.hangup': `${NO_CALL_CONTROL} hang up a call. Log the agent off or ask them to end it.`,
    'call.manualAgentCall': 'LiveVox has no supervisor API for placing a call on behalf of an agent.',
  },
);
