// The OAuth 2 authorization-code flow: start (authenticated) and the provider's redirect back (public).
import { cloudServiceSchema, idSchema, timestampSchema } from '../../http/schemas';
import { z } from '../../http/zod';

export const oauthServiceParams = z.strictObject({ service: cloudServiceSchema });

export const authorizeInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().openapi({
      description: 'Name of the new connection; defaults to the service’s name, e.g. "Google Drive".',
    }),
    connection_id: idSchema('conn', 'an existing connection of this service to authorize again').optional(),
  })
  .openapi('AuthorizeRequest');

export const authorizeResponse = z
  .object({
    authorization_url: z.string().openapi({
      description:
        'Open this in the browser that finishes the flow: a start URL on this server that binds the ' +
        'flow to the browser (cookie), then goes to the service’s consent screen; after consent the ' +
        'service sends the browser to redirect_uri.',
      example: 'https://migrate.example.com/v1/oauth/google_drive/start?state=…',
    }),
    state: z.string().openapi({
      description:
        'Random, one-time; the service hands it back to the callback unchanged. It works only in the ' +
        'browser that opened authorization_url.',
    }),
    expires_at: timestampSchema.openapi({ description: 'The authorization must finish before this time.' }),
    redirect_uri: z.string().openapi({
      description: 'The callback; register it with the service’s OAuth app.',
      example: 'https://migrate.example.com/v1/oauth/google_drive/callback',
    }),
    connection_id: idSchema('conn', 'the connection the callback creates or authorizes again'),
  })
  .openapi('Authorization');

export const startInput = z
  .object({
    state: z.string().max(4096).optional().openapi({ description: 'The state from the authorize answer.' }),
  })
  .openapi('OAuthStart');

// Providers add parameters of their own (scope, session_state, …): they are ignored, not refused.
export const callbackInput = z
  .object({
    code: z.string().max(4096).optional().openapi({ description: 'The authorization code (one use).' }),
    state: z.string().max(4096).optional().openapi({ description: 'The state from the authorize answer.' }),
    error: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'Set by the service when no code was issued.' }),
    error_description: z.string().max(2000).optional(),
  })
  .openapi('OAuthCallback');
