// Preloaded with `node --import @expe/server-kit/instrument …` so that OpenTelemetry patches
// http, express, pg and ioredis before the service imports them (ES modules are only
// instrumentable through this loader hook).
import { register } from 'node:module';
import { startTelemetry } from './telemetry.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
startTelemetry(process.env.OTEL_SERVICE_NAME ?? 'expe');
