// The shared connector contract, passed by the google_drive connector against the Drive emulator: clean, then under
// injected faults (see conformance-faults.ts).
import { GOOGLE_DRIVE, describeCloudConformance } from './cloud-targets';

describeCloudConformance(GOOGLE_DRIVE);
