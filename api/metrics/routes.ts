// GET /metrics: the product's metrics (common/metrics.ts) and this API's migrations-by-status gauge, in
// Prometheus text. Public like /healthz unless METRICS_TOKEN is set; then it needs that bearer token.
import express from 'express';
import { bearerMatches } from '../../common/bearer';
import { AppError } from '../../common/errors';
import { metricsRegistry } from '../../common/metrics';
import type { ApiContext } from '../context';
import { sendError } from '../http/envelope';
import { migrationsGauge } from './migrations-gauge';

export function metricsRouter({ store, config, logger }: ApiContext): express.Router {
  const router = express.Router();
  const own = migrationsGauge(() => store.migrations.countByStatus(), logger);
  const token = config.METRICS_TOKEN;
  router.get('/metrics', async (req, res) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return sendError(
        res,
        new AppError(
          'authentication_error',
          'This server’s metrics need its metrics token',
          'Send "Authorization: Bearer <METRICS_TOKEN>" (the token set on the server).',
        ),
      );
    }
    const text = (await metricsRegistry.metrics()) + (await own.metrics());
    res.setHeader('Cache-Control', 'no-store');
    res.set('Content-Type', metricsRegistry.contentType).send(text);
  });
  return router;
}
