// File entries in the API's snake_case.
import type { FileEntry } from '../../connectors/types';
import type { z } from '../http/zod';
import type { fileEntrySchema } from './schemas';

export const presentFile = (f: FileEntry): z.infer<typeof fileEntrySchema> => ({
  id: f.id,
  name: f.name,
  path: f.path,
  type: f.type,
  mime_type: f.mimeType,
  size: f.size,
  created_at: f.createdAt,
  modified_at: f.modifiedAt,
  checksum: f.checksum,
});
