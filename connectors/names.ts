// The names each service refuses, in one place, and how a migration renames them when asked to
// (`invalid_names: "encode"`). Every service shares our path grammar: "/"-separated, so no name can
// hold "/" or NUL or be "." or "..". Beyond that only OneDrive is strict: Drive, Dropbox and the local
// disk take any other name.
//
// Encoding follows rclone: a forbidden character becomes its full-width look-alike (":" → "：").
// A reserved name gets its first character in full width ("CON" → "ＣON", ".lock" → "．lock",
// "desktop.ini" → "ｄesktop.ini", "~$x" → "～$x"), every "_vti_" becomes "＿vti_", and a name of
// only white space becomes as many "␠". Names that are allowed are never changed.
import type { ServiceName } from '../contract';

const DISPLAY: Record<ServiceName, string> = {
  local: 'the local disk',
  google_drive: 'Google Drive',
  onedrive: 'OneDrive',
  dropbox: 'Dropbox',
};

const ONEDRIVE_CHARS = /["*:<>?/\\|]/;
const ONEDRIVE_RESERVED = /^(?:\.lock|CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|desktop\.ini)$/i;
/** OneDrive's limit (it counts the whole path; one name over it can never fit). */
const ONEDRIVE_MAX_LENGTH = 400;

/** The full-width form of a printable ASCII character (U+FF01–U+FF5E mirror U+0021–U+007E). */
const fullWidth = (c: string): string => String.fromCharCode(c.charCodeAt(0) + 0xfee0);

/** Why `service` refuses `name` (a rule a person can read), or null if it takes it. */
export function nameProblem(service: ServiceName, name: string): string | null {
  if (name === '.' || name === '..') return `"${name}" cannot be a name`;
  if (name.includes('/')) return 'names cannot contain "/"';
  if (name.includes('\0')) return 'names cannot contain NUL characters';
  if (service !== 'onedrive') return name === '' ? 'names cannot be empty' : null;
  if (name.trim() === '') return 'names cannot be empty or only white space';
  if (ONEDRIVE_CHARS.test(name)) return 'names cannot contain " * : < > ? / \\ |';
  if (ONEDRIVE_RESERVED.test(name)) {
    return `"${name}" is a reserved name (.lock, CON, PRN, AUX, NUL, COM0-9, LPT0-9, desktop.ini)`;
  }
  if (name.startsWith('~$')) return 'names cannot start with "~$"';
  if (name.toLowerCase().includes('_vti_')) return 'names cannot contain "_vti_"';
  if (name.length > ONEDRIVE_MAX_LENGTH)
    return `names cannot be longer than ${ONEDRIVE_MAX_LENGTH} characters`;
  return null;
}

/**
 * A name `service` takes, as close to `name` as possible (see the top of this file); `name` itself
 * when it is allowed. The result can still be refused when no look-alike helps (a name too long).
 */
export function encodeName(service: ServiceName, name: string): string {
  if (nameProblem(service, name) === null) return name;
  let out = name.replace(/\0/g, '␀');
  if (out === '.' || out === '..') return out.replace(/\./g, fullWidth);
  if (service !== 'onedrive') return out.replace(/\//g, fullWidth) || '␠';
  out = out.replace(/["*:<>?/\\|]/g, fullWidth);
  if (out.trim() === '') return out.replace(/[\s\S]/g, '␠') || '␠';
  if (ONEDRIVE_RESERVED.test(out) || out.startsWith('~$')) out = fullWidth(out[0]!) + out.slice(1);
  return out.replace(/_vti_/gi, (m) => fullWidth(m[0]!) + m.slice(1));
}

/** Why a migration cannot copy `name` to `service`, saying which option would. */
export function invalidNameReason(service: ServiceName, name: string, problem: string): string {
  return (
    `${DISPLAY[service]} does not allow the name "${name}": ${problem}. ` +
    `Set the migration option invalid_names: "encode" to copy it under a look-alike name.`
  );
}

export const serviceDisplayName = (service: ServiceName): string => DISPLAY[service];
