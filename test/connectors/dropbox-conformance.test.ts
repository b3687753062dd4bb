// The shared connector contract, passed by the dropbox connector against the Dropbox emulator: clean, then under
// injected faults (see conformance-faults.ts).
import { DROPBOX, describeCloudConformance } from './cloud-targets';

describeCloudConformance(DROPBOX);
