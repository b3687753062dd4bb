// The account's console users and invitations to join it.
import { USER_ROLES } from '../../store';
import { timestampSchema } from '../http/schemas';
import { z } from '../http/zod';
import { emailSchema, passwordSchema, userSchema } from '../session/schemas';

export const userListSchema = z.object({ users: z.array(userSchema) });

export const createInviteBody = z
  .strictObject({
    email: emailSchema,
    role: z.enum(USER_ROLES).default('member').openapi({
      description:
        '`owner`: everything, including keys, webhooks and invites. `member`: migrations, syncs, connections.',
    }),
  })
  .openapi('CreateInviteRequest');

export const inviteSchema = z
  .object({
    email: z.string(),
    role: z.enum(USER_ROLES),
    invite_url: z.string().openapi({ description: 'The one-time link to send to the invitee. Shown once.' }),
    expires_at: timestampSchema,
  })
  .openapi('Invite');

export const inviteInfoSchema = z
  .object({
    email: z.string(),
    role: z.enum(USER_ROLES),
    account_name: z.string(),
    expires_at: timestampSchema,
  })
  .openapi('InviteInfo');

export const acceptInviteBody = z.strictObject({ password: passwordSchema }).openapi('AcceptInviteRequest');
