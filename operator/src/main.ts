import { runMain } from '@expe/server-kit';
import { loadOperatorConfig } from './config.js';
import { startOperator } from './manager.js';

runMain('operator', () =>
  startOperator(loadOperatorConfig(), {
    // As controller-runtime: a replica that lost the Lease exits and comes back as a candidate.
    onLostLeadership: () => process.exit(1),
  }),
);
