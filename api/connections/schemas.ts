// Connections: an account's link to one storage service. Secrets are never part of any response.
import { SERVICE_NAMES } from '../../connectors';
import {
  cloudServiceSchema,
  inWords,
  OAUTH_SERVICE_NAMES,
  PATH_SERVICE_NAMES,
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  serviceNameSchema,
  timestampSchema,
} from '../http/schemas';
import { z } from '../http/zod';

export const connectionSchema = z
  .object({
    id: idSchema('conn', 'the connection'),
    service: serviceNameSchema,
    name: z.string(),
    config: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Non-secret settings, e.g. { root } for local.' }),
    status: z.enum(['active', 'needs_reauth']),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .openapi('Connection');

const nameInput = (defaultName: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: `Defaults to ${defaultName}.` });

const localConnectionBody = z
  .strictObject({
    service: z.enum(PATH_SERVICE_NAMES),
    name: nameInput('"local:<root>"'),
    config: z.strictObject({
      root: z.string().min(1).max(4096).openapi({
        description: 'Folder on the server, inside one the operator granted to the account.',
        example: '/srv/nas/photos',
      }),
    }),
  })
  .openapi('CreateLocalConnectionRequest');

const cloudConnectionBody = z
  .strictObject({
    service: cloudServiceSchema,
    name: nameInput('the service’s name, e.g. "Google Drive"'),
    refresh_token: z
      .string({
        error: (iss) =>
          iss.input === undefined ? `is required for ${inWords(OAUTH_SERVICE_NAMES)} connections` : undefined,
      })
      .min(1)
      .max(4096)
      .openapi({
        description:
          'An OAuth refresh token the service issued to this server’s OAuth app. It is checked with the ' +
          'service, stored encrypted and never returned. Without one, use the OAuth flow ' +
          '(GET /v1/connections/oauth/{service}/authorize).',
      }),
  })
  .openapi('CreateCloudConnectionRequest');

/** Which fields apply depends on `service`; an unknown or missing service is named as such. */
export const createConnectionBody = z
  .discriminatedUnion('service', [localConnectionBody, cloudConnectionBody], {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const given = (iss.input as { service?: unknown } | undefined)?.service;
      return given === undefined ? 'is required' : `must be one of: ${SERVICE_NAMES.join(', ')}`;
    },
  })
  .openapi('CreateConnectionRequest');

export const listConnectionsInput = z.strictObject({ ...pagingInput });

export const connectionListSchema = z.object({
  connections: z.array(connectionSchema),
  next_page_token: nextPageTokenSchema,
});

export type CreateConnectionBody = z.infer<typeof createConnectionBody>;
export type CloudConnectionBody = z.infer<typeof cloudConnectionBody>;
