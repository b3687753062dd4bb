// The console's session endpoints: sign in (email and password, or a one-time link), who am I, sign out.
import { PASSWORD_MAX, PASSWORD_MIN } from '../../common/password-rules';
import { USER_ROLES } from '../../store';
import { idSchema, plainText, timestampSchema } from '../http/schemas';
import { z } from '../http/zod';

export const emailSchema = plainText(
  z
    .string()
    .trim()
    .min(3)
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address such as ana@example.com'),
).openapi({ description: 'Compared case-insensitively.', example: 'ana@example.com' });

/** Length only: the rules for new passwords are checked where one is chosen. */
export const passwordSchema = z
  .string()
  .min(1)
  .max(PASSWORD_MAX)
  .openapi({ description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, format: 'password' });

export const linkTokenParams = z.strictObject({
  token: plainText(z.string().min(1).max(200)).openapi({ description: 'The one-time token of the link.' }),
});

export const userSchema = z
  .object({
    id: idSchema('usr', 'the user'),
    email: z.string(),
    role: z.enum(USER_ROLES),
    has_password: z.boolean(),
    created_at: timestampSchema,
  })
  .openapi('User');

export const sessionSchema = z
  .object({
    user: userSchema,
    account: z.object({
      id: idSchema('acc', 'the account'),
      name: z.string(),
      plan: z.enum(['pro', 'enterprise']),
    }),
    scope: z.enum(['read', 'write', 'admin']).openapi({ description: 'What the user’s role may do.' }),
    csrf_token: z.string().openapi({
      description: 'Send it as X-CSRF-Token with every POST, PATCH or DELETE made with the session cookie.',
    }),
    expires_at: timestampSchema.openapi({ description: 'The session’s absolute end.' }),
    idle_timeout_seconds: z.number().int(),
  })
  .openapi('Session');

export const signInBody = z
  .strictObject({ email: emailSchema, password: passwordSchema })
  .openapi('SignInRequest');

export const linkSignInBody = z
  .strictObject({
    password: passwordSchema
      .optional()
      .openapi({ description: 'Sets the user’s password at the same time (the password rules apply).' }),
  })
  .openapi('LinkSignInRequest');

export const signedOutSchema = z.object({ signed_out: z.literal(true) });

export const signedOutEverywhereSchema = z.object({
  signed_out: z.literal(true),
  sessions_ended: z.number().int().openapi({ description: 'How many sessions ended, this one included.' }),
});
