// /v1/files: browse a connection (list a folder, one item's metadata).
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { fileRoutes } from './routes';

export const filesResource = (ctx: ApiContext): Resource => ({ tag: 'files', routes: fileRoutes(ctx) });
