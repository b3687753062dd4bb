// The shared connector contract (conformance.ts), run for every registered service (targets.ts).
import { SERVICE_NAMES } from '../../connectors';
import { CONFORMANCE_RUNS } from './targets';

for (const name of SERVICE_NAMES) CONFORMANCE_RUNS[name]();
