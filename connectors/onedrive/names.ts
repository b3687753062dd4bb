// The names OneDrive (and SharePoint) refuse, and the look-alikes a migration with
// `invalid_names: "encode"` uses instead: a forbidden character in full width, a reserved name with its
// first character in full width ("CON" → "ＣON", ".lock" → "．lock", "~$x" → "～$x"), every "_vti_" as
// "＿vti_", a name of only white space as as many "␠".
import { fullWidth, type NameRules } from '../name-rules';

const CHARS = /["*:<>?/\\|]/;
const RESERVED = /^(?:\.lock|CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|desktop\.ini)$/i;
/** OneDrive's limit (it counts the whole path; one name over it can never fit). */
const MAX_LENGTH = 400;

export const ONEDRIVE_NAMES: NameRules = {
  problem(name) {
    if (name.trim() === '') return 'names cannot be empty or only white space';
    if (CHARS.test(name)) return 'names cannot contain " * : < > ? / \\ |';
    if (RESERVED.test(name)) {
      return `"${name}" is a reserved name (.lock, CON, PRN, AUX, NUL, COM0-9, LPT0-9, desktop.ini)`;
    }
    if (name.startsWith('~$')) return 'names cannot start with "~$"';
    if (name.toLowerCase().includes('_vti_')) return 'names cannot contain "_vti_"';
    if (name.length > MAX_LENGTH) return `names cannot be longer than ${MAX_LENGTH} characters`;
    return null;
  },
  encode(name) {
    let out = name.replace(/["*:<>?/\\|]/g, fullWidth);
    if (out.trim() === '') return out.replace(/[\s\S]/g, '␠') || '␠';
    if (RESERVED.test(out) || out.startsWith('~$')) out = fullWidth(out[0]!) + out.slice(1);
    return out.replace(/_vti_/gi, (m) => fullWidth(m[0]!) + m.slice(1));
  },
};
