// The shared connector contract, passed by the onedrive connector against the Graph emulator: clean, then under
// injected faults (see conformance-faults.ts).
import { ONEDRIVE, describeCloudConformance } from './cloud-targets';

describeCloudConformance(ONEDRIVE);
