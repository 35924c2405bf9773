// Every vendor Switchboard speaks, in one table: adding a vendor is adding its folder and a row here.
import { audianCapabilities } from './audian/capabilities.js';
import { createAudianConnector } from './audian/connector.js';
import { audianLimits } from './audian/limits.js';
import { createAudianSimulator } from './audian/simulator.js';
import { engageVoiceCapabilities } from './engage-voice/capabilities.js';
import { createEngageVoiceConnector } from './engage-voice/connector.js';
import { engageVoiceLimits } from './engage-voice/limits.js';
import { createEngageVoiceSimulator } from './engage-voice/simulator.js';
import { exotelCapabilities } from './exotel/capabilities.js';
import { createExotelConnector } from './exotel/connector.js';
import { exotelLimits } from './exotel/limits.js';
import { createExotelSimulator } from './exotel/simulator.js';
import { liveVoxCapabilities } from './livevox/capabilities.js';
import { createLiveVoxConnector } from './livevox/connector.js';
import { liveVoxLimits } from './livevox/limits.js';
import { createLiveVoxSimulator } from './livevox/simulator.js';
import type { VendorRegistry } from './registry-types.js';

export const vendorRegistry: VendorRegistry = {
  'engage-voice': {
    vendor: 'engage-voice',
    displayName: 'RingCentral Engage Voice',
    capabilities: engageVoiceCapabilities,
    limits: engageVoiceLimits,
    createConnector: createEngageVoiceConnector,
    createSimulator: createEngageVoiceSimulator,
  },
  exotel: {
    vendor: 'exotel',
    displayName: 'Exotel',
    capabilities: exotelCapabilities,
    limits: exotelLimits,
    createConnector: createExotelConnector,
    createSimulator: createExotelSimulator,
  },
  audian: {
    vendor: 'audian',
    displayName: 'Audian',
    capabilities: audianCapabilities,
    limits: audianLimits,
    createConnector: createAudianConnector,
    createSimulator: createAudianSimulator,
  },
  livevox: {
    vendor: 'livevox',
    displayName: 'LiveVox',
    capabilities: liveVoxCapabilities,
    limits: liveVoxLimits,
    createConnector: createLiveVoxConnector,
    createSimulator: createLiveVoxSimulator,
  },
};
