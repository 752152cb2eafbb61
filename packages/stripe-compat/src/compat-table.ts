import { testPaymentMethods } from './test-tokens.js';
import { stripeApiVersion, stripeEventTypes } from './events.js';
import { stripeIdPrefixes } from './ids.js';
import { stripeOperations, unservedResources } from './operations.js';
import type { ParamSpec, ParamSpecs, Support } from './params.js';

export interface CompatRow {
  resource: string;
  operation: string;
  parameter: string;
  support: Support;
  note: string;
}

function paramRows(
  specs: ParamSpecs,
  prefix: string,
  parentSupport: Support,
): [string, ParamSpec, Support][] {
  return Object.entries(specs).flatMap(([name, spec]) => {
    const param = prefix ? `${prefix}[${name}]` : name;
    // A parameter of something Expe does not serve is not served either.
    const support: Support = parentSupport === 'not' ? 'not' : spec.support;
    const own: [string, ParamSpec, Support] = [param, spec, support];
    if (spec.type.kind === 'hash') return [own, ...paramRows(spec.type.fields, param, support)];
    if (spec.type.kind === 'list' && spec.type.of.kind === 'hash') {
      return [own, ...paramRows(spec.type.of.fields, `${param}[]`, support)];
    }
    return [own];
  });
}

/** Every row of docs/stripe-compatibility.md, straight from the operation specs. */
export function compatRows(): CompatRow[] {
  const rows: CompatRow[] = [];
  for (const operation of stripeOperations) {
    const label = `${operation.method} ${operation.path}`;
    rows.push({
      resource: operation.resource,
      operation: `${operation.name} (\`${label}\`)`,
      parameter: '—',
      support: operation.support,
      note: operation.note ?? '',
    });
    for (const [param, spec, support] of paramRows(operation.params, '', operation.support)) {
      rows.push({
        resource: operation.resource,
        operation: operation.name,
        parameter: `\`${param}\``,
        support,
        note: spec.note ?? '',
      });
    }
  }
  for (const resource of unservedResources) {
    rows.push({
      resource: resource.resource,
      operation: `all (\`${resource.path}\`)`,
      parameter: '—',
      support: 'not',
      note: resource.note ?? '',
    });
  }
  return rows;
}

export function compatCounts(rows = compatRows()): Record<Support, number> {
  const counts: Record<Support, number> = { supported: 0, partial: 0, not: 0 };
  for (const row of rows) counts[row.support] += 1;
  return counts;
}

const mark: Record<Support, string> = { supported: 'supported', partial: 'partial', not: 'not' };

/** docs/stripe-compatibility.md, generated. */
export function renderCompatDoc(): string {
  const rows = compatRows();
  const counts = compatCounts(rows);
  const lines = [
    '# Stripe compatibility',
    '',
    '<!-- Generated from packages/stripe-compat/src/operations.ts by',
    '     `npm run compat-doc -w @expe/stripe-compat`; a test fails when this file drifts. -->',
    '',
    'Expe serves a Stripe-compatible API on its own port (`STRIPE_PORT`, default 12111): the',
    'official Stripe SDKs, pointed at it with an Expe `sk_test_…` key, create real Expe payments,',
    'refunds and webhook endpoints — the same state, ledger, events and dashboard as the Expe API.',
    'See [examples/stripe-integration](../examples/stripe-integration/README.md).',
    '',
    '```js',
    "const stripe = new Stripe('sk_test_…', { host: '127.0.0.1', port: 12111, protocol: 'http' });",
    '```',
    '',
    `**${counts.supported} supported, ${counts.partial} partial, ${counts.not} not** (rows below: resources, operations and parameters).`,
    'A parameter marked *not* is refused with 400 `parameter_unknown` naming it — never silently',
    'ignored — and nothing is written. A resource that is not served answers 404 with the list of',
    'what is; an operation of a served resource that is not served (`GET /v1/charges/search`)',
    'answers 404 `Unrecognized request URL`, as Stripe does for a path it does not know; an id',
    'that names nothing (`pi_123`) answers 404 `resource_missing`.',
    '',
    '## Accounts',
    '',
    'One Stripe account is one Expe project in one mode. A secret key belongs to a project and a',
    'mode (`sk_test_…` test, `sk_live_…` live) and sees that project’s objects in that mode only:',
    'another project of the same merchant, or the same project’s other mode, is another account,',
    'and its ids answer 404 `resource_missing`. Balances, events, webhook endpoints and',
    'Idempotency-Keys are per project and mode too.',
    '',
    '## Ids',
    '',
    'Every id on this port carries Stripe’s prefix and names the same object as the Expe id with',
    'the same suffix, so an id can be taken from one API to the other:',
    '',
    '| Stripe | Expe |',
    '| --- | --- |',
    ...Object.entries(stripeIdPrefixes).map(
      ([expe, stripe]) => `| \`${stripe}_…\` | \`${expe}_…\` |`,
    ),
    '| `ch_`, `re_`, `cus_`, `pm_`, `evt_`, `we_`, `po_`, `cs_test_` | the same id |',
    '',
    'Ids are mapped everywhere: paths, parameters (`payment_intent`, `starting_after`, …), nested',
    'and expanded objects, lists, events and webhook payloads.',
    '',
    '## Wire format',
    '',
    '| feature | support | note |',
    '| --- | --- | --- |',
    '| `application/x-www-form-urlencoded` bodies, bracket notation (`metadata[k]=v`, `expand[]=…`) | supported | parsed with `qs` |',
    '| `Authorization: Bearer sk_test_…` and HTTP Basic (`-u sk_test_…:`) | supported | Expe secret keys; publishable keys get 403 |',
    `| \`Stripe-Version\` | partial | a version (\`2026-03-25.dahlia\`, \`2024-06-20\`) is echoed, anything else 400 naming \`Stripe-Version\`; objects and events follow one version (\`${stripeApiVersion}\`) |`,
    '| `Idempotency-Key` | supported | onto Expe idempotency: same key and params replay the first answer (`Idempotent-Replayed: true`); other params 400 `idempotency_error`; a request still running under the key 409 `idempotency_error` (the SDKs retry it) |',
    '| `Request-Id` response header | supported | `req_…` |',
    '| List objects, `limit`, `starting_after`, `ending_before`, auto-pagination | supported | |',
    '| `expand[]` | partial | `latest_charge`, `payment_intent`, `charge`, `payment_method`, a PaymentIntent’s `customer` (and `data.…` on lists) |',
    '| Errors `{error: {type, code, decline_code, message, param, doc_url}}`, statuses 400/401/402/403/404/409/429 | supported | |',
    '| `Stripe-Account` (Connect) | not | |',
    '',
    '## Differences a Stripe integration may notice',
    '',
    '- A 3-D Secure challenge that is not passed makes no Charge (as in Stripe), and a Charge is',
    '  never `disputed`: a dispute names its Charge, the Charge does not say so.',
    '- PaymentMethods are created from test tokens (`card[token]=tok_visa`) or sandbox card',
    '  numbers only, in test mode; a test PaymentMethod (`pm_card_visa`) attached or set up',
    '  becomes a new `pm_…`, but one used directly in a PaymentIntent is kept as its name.',
    '- The PaymentMethod chosen before `confirm` (create or update without `confirm=true`) is kept',
    '  by the gateway in Redis (its id only) for 30 days: an Expe payment takes its card at',
    '  confirm.',
    '- A SetupIntent’s 3-D Secure challenge is on Expe’s hosted page (`next_action.redirect_to_url`),',
    '  which shows the outcome to the cardholder: a SetupIntent’s `return_url` is kept and shown in',
    '  `next_action.redirect_to_url.return_url`, but the page does not redirect back to it.',
    '  SetupIntents have no `latest_attempt` (SetupAttempts) or mandates.',
    '- One Stripe event per Expe event: a refund sends `refund.created` and `charge.refunded`',
    '  as two events (two ids), as Stripe does; there is no `charge.refund.updated`.',
    '- Checkout Sessions are `mode=payment` on Expe’s hosted page: line items take',
    '  `price_data` (Prices are not modelled, so a line item’s `price` is null), and no',
    '  `checkout.session.async_payment_*` is sent: a UPI payment pending at the bank completes',
    '  its session (`checkout.session.completed`, `payment_status=paid`) when the bank approves.',
    '- Payouts go to a UPI address (`destination=success@expe`), not to a bank account id; in test mode a payout without one goes to `success@expe`.',
    '  `success@expe` and `failure@expe` arrive (or fail) at once: `pending` only at creation',
    '  (`payout.created` then `payout.paid`). `pending@expe` stays `pending` until its',
    '  `arrival_date`, a day later by the project’s test clock, and can be canceled until then.',
    '  A reversal (`POST /v1/payouts/:id/reverse`) is a new payout of the same positive amount',
    '  that names the original in `original_payout`, credited to the balance at once by a',
    '  `payout` balance transaction; payouts are never `in_transit`, and `balance_transaction`',
    '  and `failure_balance_transaction` are null (list balance transactions by `source`).',
    `- Objects and events follow one API version, \`${stripeApiVersion}\` (the \`Stripe-Version\` a`,
    '  client sends is echoed, not applied), and a webhook endpoint’s `api_version` is not kept:',
    '  stripe-go’s `webhook.ConstructEvent` refuses events of another release than its own',
    '  (stripe-go v85: `dahlia`), so verify with `ConstructEventWithOptions` and',
    '  `IgnoreAPIVersionMismatch`.',
    '- No Connect, Billing (Products, Prices, Invoices, Subscriptions), Search,',
    '  Radar, Terminal or Issuing. `expand[]` takes the fields listed under wire format.',
    '',
    '## Test PaymentMethods and tokens',
    '',
    '| token | card used | outcome |',
    '| --- | --- | --- |',
    ...Object.entries(testPaymentMethods).map(
      ([token, card]) => `| \`${token}\` | ${card.brand} •••• ${card.last4} | ${card.outcome} |`,
    ),
    '',
    'Raw sandbox card numbers (docs/sandbox-data.md) work through',
    '`payment_method_data[type]=card&payment_method_data[card][number]=…`.',
    '',
    '## Event types',
    '',
    'Webhook endpoints created through this API receive Stripe `Event` objects signed with',
    '`Stripe-Signature: t=…,v1=…`, which `stripe.webhooks.constructEvent` verifies. The event id',
    'is the Expe event id.',
    '',
    '| Expe event | Stripe event |',
    '| --- | --- |',
    ...Object.entries(stripeEventTypes).map(([expe, stripe]) => `| \`${expe}\` | \`${stripe}\` |`),
    '',
    '## Resources, operations and parameters',
    '',
    '| resource | operation | parameter | support | note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.resource} | ${row.operation} | ${row.parameter} | ${mark[row.support]} | ${row.note} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
