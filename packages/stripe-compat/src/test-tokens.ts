/**
 * Stripe's documented test PaymentMethods and tokens, and the sandbox card each one pays with.
 * The card network behind them is Expe's sandbox (docs/sandbox-data.md): the number decides the
 * outcome; brand and last4 are what the PaymentMethod object shows.
 */
export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex';
  last4: string;
  /** What Expe's sandbox does with the number (for the table and the docs). */
  outcome: string;
  /**
   * False while the payments service does not have the flow yet (it would refuse the number):
   * the Stripe layer refuses such a card before it writes anything.
   */
  isServed: boolean;
}

const visa: TestCard = {
  number: '4242424242424242',
  brand: 'visa',
  last4: '4242',
  outcome: 'succeeds',
  isServed: true,
};

/** The brand and last four digits shown for a sandbox number typed in as raw card data. */
const sandboxNumbers: Record<string, TestCard> = {
  '4242424242424242': visa,
  '4000000000000002': {
    number: '4000000000000002',
    brand: 'visa',
    last4: '0002',
    outcome: 'declined: card_declined / generic_decline',
    isServed: true,
  },
  '4000000000009995': {
    number: '4000000000009995',
    brand: 'visa',
    last4: '9995',
    outcome: 'declined: card_declined / insufficient_funds',
    isServed: true,
  },
  '4000000000000119': {
    number: '4000000000000119',
    brand: 'visa',
    last4: '0119',
    outcome: 'fails: processing_error',
    isServed: true,
  },
  '4000002500003155': {
    number: '4000002500003155',
    brand: 'visa',
    last4: '3155',
    outcome:
      'requires_action (3-D Secure): next_action.redirect_to_url opens Expe’s challenge page',
    isServed: true,
  },
  '4000000000000259': {
    number: '4000000000000259',
    brand: 'visa',
    last4: '0259',
    outcome: 'succeeds, then a dispute opens (needs_response)',
    isServed: true,
  },
  '4000000000000341': {
    number: '4000000000000341',
    brand: 'visa',
    last4: '0341',
    outcome: 'is saved to the customer, then declines off-session (card_declined)',
    isServed: true,
  },
};

export const testPaymentMethods: Record<string, TestCard> = {
  pm_card_visa: visa,
  // Expe's sandbox has one succeeding number: the Mastercard test PaymentMethods pay with it
  // and show Mastercard's brand and last4.
  pm_card_mastercard: { ...visa, brand: 'mastercard', last4: '4444' },
  pm_card_amex: { ...visa, brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: sandboxNumbers['4000000000000002']!,
  pm_card_chargeDeclinedInsufficientFunds: sandboxNumbers['4000000000009995']!,
  pm_card_chargeDeclinedProcessingError: sandboxNumbers['4000000000000119']!,
  pm_card_authenticationRequired: sandboxNumbers['4000002500003155']!,
  pm_card_threeDSecure2Required: sandboxNumbers['4000002500003155']!,
  pm_card_createDispute: sandboxNumbers['4000000000000259']!,
  pm_card_chargeCustomerFail: sandboxNumbers['4000000000000341']!,
  tok_visa: visa,
  tok_mastercard: { ...visa, brand: 'mastercard', last4: '4444' },
  tok_chargeDeclined: sandboxNumbers['4000000000000002']!,
  tok_chargeDeclinedInsufficientFunds: sandboxNumbers['4000000000009995']!,
  tok_chargeDeclinedProcessingError: sandboxNumbers['4000000000000119']!,
};

export function testCardOf(token: string): TestCard | undefined {
  return Object.hasOwn(testPaymentMethods, token) ? testPaymentMethods[token] : undefined;
}

/** A raw card number as `payment_method_data[card][number]` carries it. */
export function testCardOfNumber(number: string): TestCard {
  const digits = number.replace(/[\s-]/g, '');
  return (
    sandboxNumbers[digits] ?? {
      number: digits,
      brand: 'visa',
      last4: digits.slice(-4),
      outcome: 'refused',
      isServed: false,
    }
  );
}

/** The PaymentMethod object of a test token (these never belong to a customer). */
export function testPaymentMethodObject(token: string, card: TestCard, livemode: boolean) {
  const expYear = new Date().getUTCFullYear() + 5;
  return {
    id: token,
    object: 'payment_method' as const,
    type: 'card' as const,
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: card.brand,
      country: 'US',
      exp_month: 12,
      exp_year: expYear,
      funding: 'credit',
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
    },
    created: 0,
    customer: null,
    livemode,
    metadata: {},
  };
}

/** The test PaymentMethod id that stands for a sandbox card number (its first token). */
export function tokenOfNumber(number: string): string | undefined {
  return Object.entries(testPaymentMethods).find(
    ([token, card]) => token.startsWith('pm_card_') && card.number === number,
  )?.[0];
}
