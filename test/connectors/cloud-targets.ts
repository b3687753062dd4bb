// The three cloud connectors as the suites set them up: which emulator, which token endpoint, which
// (small) chunk sizes; a connector on freshly granted tokens; and the per-file emulator lifecycle.
import type { CloudConnectorOptions, OAuthTokens } from '../../connectors/cloud';
import { createDropboxConnector } from '../../connectors/dropbox';
import { createGoogleDriveConnector } from '../../connectors/google-drive';
import { createOneDriveConnector } from '../../connectors/onedrive';
import type { Connector } from '../../connectors/types';
import type { Counters } from '../../emulators/common/counters';
import type { Faults } from '../../emulators/common/faults';
import type { OAuthClient, TokenStore } from '../../emulators/common/tokens';
import { type DropboxEmulator, startDropboxEmulator } from '../../emulators/dropbox';
import { type GoogleDriveEmulator, startGoogleDriveEmulator } from '../../emulators/google-drive';
import { type OneDriveEmulator, startOneDriveEmulator } from '../../emulators/onedrive';
import { type ConformanceTarget, describeConformance } from './conformance';
import { CONFORMANCE_FAULTS } from './conformance-faults';
import { EmulatorControl } from './fault-helpers';

const KiB = 1024;

/** What every emulator offers a test in-process. */
export interface CloudEmulator {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  counters: Counters;
  tokens: TokenStore;
  defaultClient: OAuthClient;
  store: { clear(): void };
}

export interface CloudSpec<E extends CloudEmulator> {
  service: 'google_drive' | 'onedrive' | 'dropbox';
  start(): Promise<E>;
  /** The token endpoint's path on the emulator. */
  tokenPath: string;
  create(options: CloudConnectorOptions): Connector;
  /** Small, so that a few MiB make many chunks. */
  chunkSize: number;
  resumableThreshold: number;
}

export const GOOGLE_DRIVE: CloudSpec<GoogleDriveEmulator> = {
  service: 'google_drive',
  start: () => startGoogleDriveEmulator(),
  tokenPath: '/token',
  create: createGoogleDriveConnector,
  chunkSize: 256 * KiB,
  resumableThreshold: 1024 * KiB,
};

export const ONEDRIVE: CloudSpec<OneDriveEmulator> = {
  service: 'onedrive',
  start: () => startOneDriveEmulator(),
  tokenPath: '/common/oauth2/v2.0/token',
  create: createOneDriveConnector,
  chunkSize: 320 * KiB,
  resumableThreshold: 1024 * KiB,
};

export const DROPBOX: CloudSpec<DropboxEmulator> = {
  service: 'dropbox',
  start: () => startDropboxEmulator(),
  tokenPath: '/oauth2/token',
  create: createDropboxConnector,
  chunkSize: 256 * KiB,
  resumableThreshold: 1024 * KiB,
};

export interface Connected {
  c: Connector;
  refreshToken: string;
  /** Tokens the connector reported through onTokens after refreshing. */
  issued: OAuthTokens[];
}

/** A connector on freshly granted tokens (`tokens` overrides the access token or its expiry). */
export function connect<E extends CloudEmulator>(
  spec: CloudSpec<E>,
  emu: E,
  tokens: Partial<Omit<OAuthTokens, 'refreshToken'>> = {},
  settings: Partial<Pick<CloudConnectorOptions, 'chunkSize' | 'resumableThreshold'>> = {},
): Connected {
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  const issued: OAuthTokens[] = [];
  const c = spec.create({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}${spec.tokenPath}` },
    tokens: {
      accessToken: grant.access_token,
      expiresAt: null,
      ...tokens,
      refreshToken: grant.refresh_token,
    },
    onTokens: (t) => void issued.push(t),
    chunkSize: settings.chunkSize ?? spec.chunkSize,
    resumableThreshold: settings.resumableThreshold ?? spec.resumableThreshold,
  });
  return { c, refreshToken: grant.refresh_token, issued };
}

export interface EmulatorHandle<E> {
  /** The running emulator (set once beforeAll ran). */
  readonly emu: E;
  readonly control: EmulatorControl;
}

/**
 * Starts the emulator once for the file, and before each test empties it, turns faults off and zeroes
 * its counters.
 */
export function useEmulator<E extends CloudEmulator>(spec: CloudSpec<E>): EmulatorHandle<E> {
  let emu: E | undefined;
  let control: EmulatorControl | undefined;
  beforeAll(async () => {
    emu = await spec.start();
    control = new EmulatorControl(emu.url);
  });
  afterAll(async () => emu?.close());
  beforeEach(() => {
    emu!.store.clear();
    emu!.faults.reset();
    emu!.counters.reset();
  });
  return {
    get emu() {
      return emu!;
    },
    get control() {
      return control!;
    },
  };
}

/**
 * The shared conformance suite for a cloud connector against its emulator: once clean, once under
 * injected faults through a retrying connector.
 */
export function describeCloudConformance<E extends CloudEmulator>(spec: CloudSpec<E>): void {
  const h = useEmulator(spec);
  const make = async (): Promise<ConformanceTarget> => {
    const { c, issued } = connect(spec, h.emu);
    return {
      connector: c,
      cleanup: () => undefined,
      resumableUploads: true,
      emulator: h.control,
      tokenRefreshes: () => issued.length,
    };
  };
  describeConformance(spec.service, make);
  describeConformance(spec.service, make, { faults: CONFORMANCE_FAULTS });
}
