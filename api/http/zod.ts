// zod with `.openapi()` metadata: every schema file imports `z` from here so the OpenAPI document
// is generated from the very schemas the routes validate with.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
