import { runMain } from '@expe/server-kit';
import { loadOperatorConfig } from './config.js';
import { startOperator } from './manager.js';

runMain('operator', () => startOperator(loadOperatorConfig()));
