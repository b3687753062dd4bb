// The names OneDrive (and SharePoint) refuse, and the look-alikes a migration with
// `invalid_names: "encode"` uses instead, as rclone's OneDrive encoder does: a forbidden character in
// full width (":" → "："), a leading or trailing space as "␠", a trailing period as "．", a reserved name
// with its first character in full width ("CON" → "ＣON", ".lock" → "．lock", "~$x" → "～$x", "forms"
// in the root → "ｆorms"), every "_vti_" as "＿vti_", a name of only white space as as many "␠".
// Paths (from the drive's root) are limited to 400 characters: a longer one cannot be encoded away.
import { fullWidth, type NameRules } from '../name-rules';

const CHARS = /["*:<>?/\\|]/;
const RESERVED = /^(?:\.lock|CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|desktop\.ini)$/i;
/** SharePoint document libraries keep their forms there. */
const ROOT_RESERVED = /^forms$/i;
const MAX_PATH = 400;

export const ONEDRIVE_NAMES: NameRules = {
  maxPathLength: MAX_PATH,
  problem(name, atRoot) {
    if (name.trim() === '') return 'names cannot be empty or only white space';
    if (CHARS.test(name)) return 'names cannot contain " * : < > ? / \\ |';
    if (RESERVED.test(name)) {
      return `"${name}" is a reserved name (.lock, CON, PRN, AUX, NUL, COM0-9, LPT0-9, desktop.ini)`;
    }
    if (atRoot && ROOT_RESERVED.test(name)) return '"forms" is reserved in the root folder';
    if (name.startsWith('~$')) return 'names cannot start with "~$"';
    if (name.toLowerCase().includes('_vti_')) return 'names cannot contain "_vti_"';
    if (/^\s|\s$/.test(name)) return 'names cannot start or end with a space';
    if (name.endsWith('.')) return 'names cannot end with a period';
    if (name.length > MAX_PATH) return `names cannot be longer than ${MAX_PATH} characters`;
    return null;
  },
  encode(name, atRoot) {
    let out = name.replace(/["*:<>?/\\|]/g, fullWidth);
    if (out.trim() === '') return out.replace(/[\s\S]/g, '␠') || '␠';
    if (RESERVED.test(out) || out.startsWith('~$') || (atRoot && ROOT_RESERVED.test(out))) {
      out = fullWidth(out[0]!) + out.slice(1);
    }
    out = out.replace(/_vti_/gi, (m) => fullWidth(m[0]!) + m.slice(1));
    out = out.replace(/^\s/, '␠').replace(/\s$/, '␠');
    return out.endsWith('.') ? `${out.slice(0, -1)}．` : out;
  },
};
