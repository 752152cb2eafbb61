export { buildProgram, runCli } from './program.js';
export {
  configPath,
  readConfig,
  resolveCredentials,
  writeConfig,
  type CliConfig,
} from './config.js';
export { deriveListenSecret, signPayload } from './webhook-secret.js';
export { webSocketUrl, writeEnvFile, type Delivery } from './listen.js';
export { trigger, triggerableEvents, type TriggerResult } from './trigger.js';
