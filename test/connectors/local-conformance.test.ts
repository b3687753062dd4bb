// The shared connector contract, passed by the local connector. It runs the clean suite only: there is
// no emulator behind a local folder to inject faults into. Local writes have no resumable sessions, so
// an interrupted write starts over from byte 0.
import { createLocalConnector } from '../../connectors/local';
import { describeConformance } from './conformance';
import { makeSandbox } from './local-helpers';

describeConformance('local', async () => {
  const box = makeSandbox('mc-conf-');
  return {
    connector: createLocalConnector(box.root, [box.allowed]),
    cleanup: () => box.cleanup(),
    resumableUploads: false,
  };
});
