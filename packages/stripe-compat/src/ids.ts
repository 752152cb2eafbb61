/**
 * Ids on the Stripe port carry Stripe's prefixes. An object keeps its one id; where Expe's
 * prefix differs from Stripe's, only the prefix is swapped, so the mapping is reversible and
 * needs no lookup. Every other prefix is Stripe's already (`re_`, `cus_`, `pm_`, `evt_`, `we_`,
 * `po_`, a Charge's `ch_`, and a Checkout Session's `cs_test_`/`cs_live_`).
 */
export const stripeIdPrefixes = {
  /** An Expe payment is a PaymentIntent. */
  pay: 'pi',
  /** An Expe balance transaction is a BalanceTransaction. */
  bt: 'txn',
  /** An Expe dispute is a Dispute. */
  dp: 'du',
} as const;

const toStripePrefix: Record<string, string> = stripeIdPrefixes;
const toExpePrefix: Record<string, string> = Object.fromEntries(
  Object.entries(stripeIdPrefixes).map(([expe, stripe]) => [stripe, expe]),
);

// A whole id (`pay_01h…`), or a PaymentIntent's client secret (`pay_01h…_secret_…`).
const expeIdPattern = new RegExp(
  `^(${Object.keys(toStripePrefix).join('|')})_([0-9A-Za-z]+(?:_secret_[0-9A-Za-z_-]+)?)$`,
);
const stripeIdPattern = new RegExp(
  `^(${Object.keys(toExpePrefix).join('|')})_([0-9A-Za-z]+(?:_secret_[0-9A-Za-z_-]+)?)$`,
);
// Ids inside text (error messages).
const expeIdInText = new RegExp(
  `\\b(${Object.keys(toStripePrefix).join('|')})_([0-9A-Za-z]+)\\b`,
  'g',
);

/** The id a Stripe client sees for an Expe id (`pay_…` → `pi_…`); other strings unchanged. */
export function toStripeId(id: string): string {
  const match = expeIdPattern.exec(id);
  return match ? `${toStripePrefix[match[1]!]}_${match[2]}` : id;
}

/** The Expe id of an id a Stripe client sent (`pi_…` → `pay_…`); other strings unchanged. */
export function toExpeId(id: string): string {
  const match = stripeIdPattern.exec(id);
  return match ? `${toExpePrefix[match[1]!]}_${match[2]}` : id;
}

/** Text the merchant wrote is kept as written, ids or not. */
const keptAsWritten = new Set(['metadata', 'description']);

function mapIds(value: unknown, mapId: (id: string) => string, mapText?: (text: string) => string) {
  const walk = (item: unknown, key: string | undefined): unknown => {
    if (typeof item === 'string') {
      if (key === 'message' && mapText) return mapText(item);
      return mapId(item);
    }
    if (Array.isArray(item)) return item.map((element) => walk(element, undefined));
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(
        Object.entries(item).map(([name, field]) => [
          name,
          keptAsWritten.has(name) ? field : walk(field, name),
        ]),
      );
    }
    return item;
  };
  return walk(value, undefined);
}

/**
 * A response body as a Stripe client sees it: every Expe id, at any depth (nested objects,
 * expansions, lists, events' data objects, errors' `payment_intent`), with Stripe's prefix;
 * ids in error messages too. Metadata and descriptions are left as written.
 */
export function toStripeIds<T>(body: T): T {
  return mapIds(body, toStripeId, (text) =>
    text.replace(expeIdInText, (_, prefix: string, suffix: string) => {
      return `${toStripePrefix[prefix]}_${suffix}`;
    }),
  ) as T;
}

/** Request parameters as Expe takes them: every Stripe-prefixed id back to Expe's. */
export function toExpeIds<T>(params: T): T {
  return mapIds(params, toExpeId) as T;
}
