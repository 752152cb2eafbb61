export { operatorConfigSchema, loadOperatorConfig, type OperatorConfig } from './config.js';
export { startOperator, type RunningOperator, type StartOperatorOptions } from './manager.js';
export { WorkQueue } from './controllers/work-queue.js';
export { merchantFinalizer } from './controllers/merchant/desired.js';
export {
  webhookEndpointFinalizer,
  operatorKeyName,
} from './controllers/webhookendpoint/reconciler.js';
export { sandboxFinalizer } from './controllers/sandbox/desired.js';
