import { runMain } from '@expe/server-kit';
import { loadOperatorConfig } from './config.js';
import { startOperator } from './operator.js';

runMain('operator', () => startOperator(loadOperatorConfig()));
