import { runMain } from '@expe/server-kit';
import { loadGatewayConfig, startGateway } from './index.js';

runMain('gateway', () => startGateway(loadGatewayConfig()));
