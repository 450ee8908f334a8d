import { signalingContract } from '../signaling.contract.js';
import { InProcessSignalBus } from './in-process-signal-bus.js';
import { InProcessSignalingHub } from './in-process-signaling-hub.js';

signalingContract('in-process', () =>
  Promise.resolve({ hub: new InProcessSignalingHub(), bus: new InProcessSignalBus() }),
);
