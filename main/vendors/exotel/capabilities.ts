// What a supervisor can do on an Exotel account, with the reason for everything Exotel's documented
// APIs (v3 active streams, v1 Listen/Whisper/Barge legs) do not offer.
import { defineCapabilities } from '../shared/capabilities.js';

const NO_CALL_CONTROL = "Exotel's supervisor APIs show hold and mute on a call but cannot change them; the agent does that from their own phone or app.";
const NO_AGENT_STATE = 'Exotel lists agents only as they appear on active calls; its supervisor APIs cannot change an agent’s state.';

export const exotelCapabilities = defineCapabilities(
  [
    'monitor.listen',
    'monitor.whisper',
    'monitor.barge',
    'monitor.stop',
    // A monitor leg is upgraded with PUT .../Legs/<LegSid> without a new call to the supervisor.
    'monitor.changeInPlace',
    'call.details',
    // PUT .../Legs/<LegSid> {"Action":"hangup"} on the call's legs (the document's "Call Disconnect API").
    'call.hangup',
    'agents.list',
  ],
  {
    'call.hold': NO_CALL_CONTROL,
    'call.resume': NO_CALL_CONTROL,
    'call.mute': NO_CALL_CONTROL,
    'call.unmute': NO_CALL_CONTROL,
    'call.transfer.blind': 'Exotel has no transfer API for supervisors; the agent transfers the call from their own app.',
    'call.transfer.attended': 'Exotel has no transfer API for supervisors; the agent transfers the call from their own app.',
    'call.conference.add': 'Exotel’s legs API adds only the supervisor’s own listen, whisper or barge leg, not other participants.',
    'call.conference.remove': 'Exotel has no conference participant API; hang up the call, or stop monitoring to drop your own leg.',
    'call.play': 'Exotel plays audio only from the call flow (ExoML applets), not from a supervisor on a live call.',
    'call.dtmf.send': 'Exotel sends digits only from the call flow (ExoML applets), not from a supervisor on a live call.',
    'call.dtmf.gather': 'Exotel gathers digits only in the call flow (ExoML applets), not from a supervisor on a live call.',
    'call.recording': 'Exotel shows whether a call is recorded but its supervisor APIs cannot start or stop recording.',
    'call.disposition': 'Exotel has no disposition API; dispositions belong to Engage Voice accounts.',
    'call.manualAgentCall': 'Manual agent calls are an Engage Voice feature; Exotel’s supervisor APIs cannot place one.',
    'agent.ready': NO_AGENT_STATE,
    'agent.notReady': NO_AGENT_STATE,
    'agent.logoff': NO_AGENT_STATE,
    'agent.switchService': 'Exotel has no services to move agents between in its supervisor APIs.',
    chat: 'Exotel has no supervisor-to-agent chat.',
    'services.list': 'Exotel has no list of services in its supervisor APIs.',
  },
);
