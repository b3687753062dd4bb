// What a password must be: long enough to resist guessing (12+), bounded so hashing stays cheap to ask for
// (1024 max), not the email, and not one of the passwords attackers try first.
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** Why `password` is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters (it has ${length})`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (email && (lower === email.toLowerCase() || lower === email.split('@')[0]!.toLowerCase()))
    return 'must not be your email address';
  if (COMMON_PASSWORDS.has(lower)) return 'is one of the most common passwords';
  if (new Set(lower).size < 4) return 'repeats too few different characters';
  return undefined;
}
