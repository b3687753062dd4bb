import { createLocalConnector } from '../../connectors/local';
import { describeConformance } from './conformance';
import { makeSandbox } from './local-helpers';

describeConformance('local', async () => {
  const box = makeSandbox('mc-conf-');
  return { connector: createLocalConnector(box.root, [box.allowed]), cleanup: () => box.cleanup() };
});
