// Names per service, for the migration's naming stage: whether the destination takes a name, the
// look-alike it takes instead (`invalid_names: "encode"`), and the reason a file fails otherwise.
// Each service's own rules sit in its module (ServiceDefinition.names); see name-rules.ts.
import type { ServiceName } from '../contract';
import { encodeUnder, grammarProblem, problemUnder } from './name-rules';
import { serviceDefinition } from './registry';

/** Why `service` refuses `name` (in its root folder when `atRoot`), or null if it takes it. */
export const nameProblem = (service: ServiceName, name: string, atRoot = false): string | null =>
  problemUnder(serviceDefinition(service).names, name, atRoot);

/**
 * A name `service` takes, as close to `name` as possible; `name` itself when it is allowed. The result
 * can still be refused when no look-alike helps (a name too long).
 */
export const encodeName = (service: ServiceName, name: string, atRoot = false): string =>
  encodeUnder(serviceDefinition(service).names, name, atRoot);

/**
 * Who refuses `name`: the service, or (for "/", "." and NUL, which some services do store) the paths
 * every connector is driven by, which separate names with "/".
 */
export function refusal(service: ServiceName, name: string, problem: string): string {
  return grammarProblem(name) === problem
    ? `The name "${name}" cannot be written to ${serviceDisplayName(service)} by path`
    : `${serviceDisplayName(service)} does not allow the name "${name}"`;
}

/** Why a migration cannot copy `name` to `service`, saying which option would. */
export function invalidNameReason(service: ServiceName, name: string, problem: string): string {
  return (
    `${refusal(service, name, problem)}: ${problem}. ` +
    `Set the migration option invalid_names: "encode" to copy it under a look-alike name.`
  );
}

export const serviceDisplayName = (service: ServiceName): string => serviceDefinition(service).inProse;
