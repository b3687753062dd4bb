// A service's name, as connections, migrations and payloads carry it ("google_drive"). The names are
// not listed here: each service adds its own from its module in connectors/ (by TypeScript declaration
// merging, `declare module '../../contract/services'`), and connectors/registry.ts lists the modules.
// So this union is exactly the registered services, and adding one touches only its folder and the
// registry.

/** One key per registered service (see connectors/<service>/service.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RegisteredServices {}

export type ServiceName = keyof RegisteredServices & string;
