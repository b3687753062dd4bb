// Every registered service's conformance run, from one list: a service registered without an entry
// here does not compile. Local folders run the clean suite (there is no emulator behind a folder to
// inject faults into); each cloud service runs it against its emulator, clean and under injected
// faults (cloud-targets.ts).
import type { ServiceName } from '../../contract';
import { createLocalConnector } from '../../connectors/local';
import { describeCloudConformance, DROPBOX, GOOGLE_DRIVE, ONEDRIVE } from './cloud-targets';
import { describeConformance } from './conformance';
import { makeSandbox } from './local-helpers';

export const CONFORMANCE_RUNS: Record<ServiceName, () => void> = {
  local: () =>
    describeConformance('local', async () => {
      const box = makeSandbox('mc-conf-');
      return {
        connector: createLocalConnector(box.root, [box.allowed]),
        cleanup: () => box.cleanup(),
        resumableUploads: true,
      };
    }),
  google_drive: () => describeCloudConformance(GOOGLE_DRIVE),
  onedrive: () => describeCloudConformance(ONEDRIVE),
  dropbox: () => describeCloudConformance(DROPBOX),
};
