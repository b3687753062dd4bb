// The Connector contract: a small mandatory core every service implements, plus declared features.
// Paths are always absolute within the connection ("/" is the connection's root), "/"-separated.
import type { Readable } from 'node:stream';
import type { UploadSession } from './cloud';
import type { LocalDirect } from './local/direct';
import type { ServiceName } from '../contract';

export type { HashAlgorithm } from '../common/hashing';
import type { HashAlgorithm } from '../common/hashing';

export interface Checksum {
  algorithm: HashAlgorithm;
  value: string;
}

export interface FileEntry {
  /**
   * The item's identity at its service (Drive file id, Graph item id, Dropbox "id:…"; for `local`, whose
   * folders cannot hold two entries of one name, the path). Reading and listing by it never re-resolve
   * the path, which can be ambiguous (Drive: two files of one name, names containing "/").
   */
  id: string;
  name: string;
  /** Absolute path within the connection, starting with "/". */
  path: string;
  type: 'file' | 'folder';
  mimeType: string | null;
  /** Bytes; null for folders. */
  size: number | null;
  createdAt: string | null;
  modifiedAt: string | null;
  checksum: Checksum | null;
  /**
   * Only on documents that have no bytes of their own (Google Docs, Sheets…): the format `openRead`
   * exports them to, or null when they cannot be exported. Their `size` is null: it is known only
   * once exported.
   */
  export?: ExportFormat | null;
}

export interface ExportFormat {
  /** Without the dot: "docx". */
  extension: string;
  mimeType: string;
}

export interface ListOptions {
  recursive?: boolean;
  /** 1–1000; connectors may return fewer entries than asked. */
  pageSize?: number;
  /** Opaque token from a previous page's `nextPageToken`. */
  pageToken?: string | null;
  /** The folder's FileEntry.id: it is listed without resolving `path`, which then only names the entries. */
  id?: string;
}

export interface ReadOptions {
  /** Byte offset to start from (default 0). */
  start?: number;
  /** The file's FileEntry.id: it is read without resolving `path`, which then only names it in errors. */
  id?: string;
}

export interface ListPage {
  entries: FileEntry[];
  /** null when there is nothing more. */
  nextPageToken: string | null;
  /** The listed folder's own id, where the connector resolved its path for a first page (Drive, OneDrive). */
  folderId?: string;
}

export interface WriteOptions {
  /** Expected size in bytes, when known (used for upload sessions and verification). */
  size?: number;
  /** Set the destination's modification time where the service allows it. */
  modifiedAt?: string | null;
  /** Replace an existing file; otherwise an existing file fails with `already_exists`. */
  overwrite: boolean;
  /**
   * Resume this upload session instead of starting over: `data` then starts at `session.offset`.
   * Connectors without resumable uploads ignore it (and `data` must start at 0).
   */
  session?: UploadSession | null;
  /** Called after each chunk the service committed, with the session to resume from. */
  onSession?(session: UploadSession): void;
  /**
   * What the caller learned is at `path` from a listing of its folder: null for nothing, else the entry
   * there. Connectors that would look the name up before writing (Drive, whose names may repeat, and
   * OneDrive) take it instead. Undefined: not known, looked up.
   */
  existing?: Pick<FileEntry, 'id' | 'type'> | null;
  /** The id of the folder `path` is in, where the caller knows it: connectors that need it skip resolving the path. */
  folderId?: string;
}

/** What the caller learned from a listing of the new folder's parent, so that the connector need not look. */
export interface MkdirOptions {
  /** The parent folder's id (FileEntry.id). */
  parentId?: string;
  /** The parent's listing showed nothing at the name: created without looking first. */
  absent?: boolean;
}

export interface ConnectorFeatures {
  /** Names differing only by case refer to the same item. */
  caseInsensitive: boolean;
  /** Hashes the service reports in metadata, strongest first. */
  hashes: HashAlgorithm[];
  /** Modification times can be set on write. */
  setModifiedTime: boolean;
  /** Writes and mkdir save a lookup when given their folder's id (WriteOptions.folderId): Drive. */
  folderIds?: boolean;
}

export interface Connector {
  readonly service: ServiceName;
  readonly features: ConnectorFeatures;
  /** One page of a folder's children (or, with `recursive`, all descendants) in a stable order. */
  list(path: string, options?: ListOptions): Promise<ListPage>;
  /** Metadata of one file or folder; `not_found` if it does not exist. */
  stat(path: string): Promise<FileEntry>;
  /** Streams a file's bytes from `start` (default 0); by its id when given. */
  openRead(path: string, options?: ReadOptions): Promise<Readable>;
  /**
   * Writes a file from a stream. Atomic: a failed or interrupted write never leaves a partial file at
   * `path`. Parent folders must exist. Returns the written file's metadata.
   */
  write(path: string, data: Readable, options: WriteOptions): Promise<FileEntry>;
  /** Creates a folder and any missing parents; succeeds if it already exists. */
  mkdir(path: string, options?: MkdirOptions): Promise<FileEntry>;
  /**
   * Makes every write that returned before the call durable, where writes are synced in groups
   * (`local` with LOCAL_FSYNC=batch). A copy calls it before it reports files as copied.
   */
  flush?(): Promise<void>;
  /**
   * Gives up an upload session (a cancelled copy) so the service drops the bytes it holds. Best
   * effort: never throws for a session that is already gone. Absent where sessions need no clean-up.
   */
  abortUpload?(session: UploadSession): Promise<void>;
  /**
   * Deletes a file, or a folder with everything in it. Succeeds when nothing is at `path` (a retried
   * delete is not an error). Every connector of this project has it; mirror mode needs it.
   */
  delete?(path: string): Promise<void>;
  /** The service's change feed, where it has one (Drive changes, Graph delta, Dropbox cursors). */
  readonly changes?: ChangeFeed;
  /**
   * `local` only: its files as a copy from another local connection reaches them, without a stream per
   * file (connectors/local/direct.ts). Absent elsewhere, and where the connection's calls are paced.
   */
  localDirect?(): Promise<LocalDirect>;
}

/**
 * Changes since a position of the service's change feed, limited to one folder's subtree. Cursors are
 * opaque strings the caller keeps (a sync saves one after each successful run); a cursor the service
 * no longer accepts fails with the `expired_cursor` kind, and the caller starts over with a full listing.
 */
export interface ChangeFeed {
  /**
   * Whether the feed reports every item below a folder that was moved or renamed (Dropbox does);
   * otherwise only the folder itself is reported (Drive, OneDrive) and its new contents must be listed.
   */
  readonly reportsMovedContents: boolean;
  /** The feed's current position for changes below the folder `path`. */
  cursor(path: string): Promise<string>;
  /** One page of changes below `path` since `cursor`, oldest first, each item once in its latest state. */
  list(path: string, cursor: string): Promise<ChangePage>;
}

export type Change =
  /** Added or changed (content, name or place): the item as it is now, with its path. */
  | { type: 'upsert'; entry: FileEntry }
  /**
   * Deleted (or moved out of the folder, or trashed). `path` is the item's last path when the service
   * says it (Dropbox, Drive's trashed files); otherwise only its id is known and the caller must
   * remember where that id was (Drive's removed files, Graph's deleted items).
   */
  | { type: 'delete'; id: string | null; path: string | null };

export interface ChangePage {
  changes: Change[];
  /** Where the next page starts; after the last page, the position to read later changes from. */
  cursor: string;
  hasMore: boolean;
}

/** Why a connector call failed, so callers can decide once what to do about it. */
export type ConnectorErrorKind =
  | 'not_found'
  | 'already_exists'
  | 'permission_denied'
  | 'invalid_path'
  /** Not a folder where one was expected, or the reverse. */
  | 'wrong_type'
  /** Worth retrying (network, 5xx, throttling); `retryAfterMs` when the service said how long. */
  | 'retryable'
  /** This file cannot be copied; others can. */
  | 'fatal_file'
  /** The connection itself is unusable (revoked credentials, missing root). */
  | 'fatal_connection'
  /** A change-feed cursor the service no longer accepts: list everything again (ChangeFeed). */
  | 'expired_cursor';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    /** The provider refused the refresh token: the connection must be authorized again. */
    readonly needsReauth = false,
    /** The provider throttled the request (429, Drive's rate-limit 403, 503): slow the connection down. */
    readonly throttled = false,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** A `retryable` error saying the provider throttled the request (the connection's budget slows down). */
export const throttledError = (message: string, retryAfterMs?: number): ConnectorError =>
  new ConnectorError('retryable', message, retryAfterMs, false, true);

/** A `fatal_connection` error saying the user must authorize the connection again. */
export const reauthError = (message: string): ConnectorError =>
  new ConnectorError('fatal_connection', message, undefined, true);

export const isConnectorError = (e: unknown, kind?: ConnectorErrorKind): e is ConnectorError =>
  e instanceof ConnectorError && (kind === undefined || e.kind === kind);
