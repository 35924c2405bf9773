// What Audian's call-action API lets a supervisor do, and why the rest is missing.
import { defineCapabilities } from '../shared/capabilities.js';

const NO_QUIET_MONITOR =
  'Audian has no listen or whisper mode; a supervisor can only join the call through a conference, where everyone hears them (barge)';
const NO_AGENTS = "Audian's call-action API has no agents: it cannot list agents or change their state";

export const audianCapabilities = defineCapabilities(
  [
    'monitor.barge',
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
    'call.hangup',
  ],
  {
    'monitor.listen': NO_QUIET_MONITOR,
    'monitor.whisper': NO_QUIET_MONITOR,
    'monitor.changeInPlace': 'Audian has only one monitor mode (barge by conference), so there is no mode to change to',
    'call.recording': 'Audian reports whether a call is recorded but has no action to start or stop recording',
    'call.disposition': 'Dispositions are an Engage Voice feature; Audian has no disposition action',
    'call.manualAgentCall': 'Manual agent calls are an Engage Voice feature; Audian has no such action',
    'agents.list': NO_AGENTS,
    'agent.ready': NO_AGENTS,
    'agent.notReady': NO_AGENTS,
    'agent.logoff': NO_AGENTS,
    'agent.switchService': 'Audian has no services to switch agents between',
    chat: 'Audian has no supervisor-to-agent chat',
    'services.list': 'Audian has no services to list',
  },
);
