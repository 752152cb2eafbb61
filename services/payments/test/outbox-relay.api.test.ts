import { describeOutboxRelay } from '@expe/testing/outbox-relay';
import { events } from '../src/db/schema.js';
import { migrationsFolder } from '../src/index.js';

// The kit's relay over payments' outbox, `payments.events` (the same suite runs over webhooks'):
// two relays never claim one event, an event is marked only once published, a refused publish
// is sent again by the next poll.
describeOutboxRelay({
  table: events,
  migrations: { folder: migrationsFolder, schema: 'payments' },
  newRow: (id) => ({
    id,
    type: 'payment.succeeded',
    mode: 'test',
    merchantId: 'mer_outbox',
    projectId: 'prj_outbox',
    objectId: 'pay_outbox',
    paymentId: 'pay_outbox',
    data: { id: 'pay_outbox', object: 'payment' },
  }),
});
