// Every workflow the worker registers. The bundler loads this file.
export { migrationWorkflow } from './migration';
export { webhookDeliveryWorkflow } from './webhook-delivery';
export { syncRunWorkflow } from './sync-run';
