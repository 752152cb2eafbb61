import { describe, expect, it } from 'vitest';
import { StripeError } from './errors.js';
import { parseOperationParams, stripeOperations } from './operations.js';

const createIntent = stripeOperations.find(
  (operation) => operation.resource === 'PaymentIntent' && operation.name === 'create',
)!;

function refusal(raw: unknown): StripeError {
  try {
    parseOperationParams(createIntent, raw);
  } catch (error) {
    if (error instanceof StripeError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Stripe parameters', () => {
  it('when qs-parsed form values are valid, then they come out typed', () => {
    expect(
      parseOperationParams(createIntent, {
        amount: '2000',
        currency: 'usd',
        confirm: 'true',
        metadata: { order: '42' },
        payment_method_types: ['card'],
        automatic_payment_methods: { enabled: 'true' },
        expand: ['latest_charge'],
      }),
    ).toEqual({
      amount: 2000,
      currency: 'usd',
      confirm: true,
      metadata: { order: '42' },
      payment_method_types: ['card'],
      automatic_payment_methods: { enabled: true },
      expand: ['latest_charge'],
    });
  });

  it('when an update sends metadata= or a key set to "", then Expe gets null (remove every key) or the "" (remove that key)', () => {
    const updateIntent = stripeOperations.find(
      (operation) => operation.resource === 'PaymentIntent' && operation.name === 'update',
    )!;
    expect(parseOperationParams(updateIntent, { metadata: '', description: '' })).toEqual({
      metadata: null,
      description: null,
    });
    expect(parseOperationParams(updateIntent, { metadata: { a: '', b: '2' } })).toEqual({
      metadata: { a: '', b: '2' },
    });
  });

  it('when a hash is sent empty (shipping=), then it is null (unset), and a required one or a list item is refused as empty', () => {
    const updateCustomer = stripeOperations.find(
      (operation) => operation.resource === 'Customer' && operation.name === 'update',
    )!;
    const createSession = stripeOperations.find(
      (operation) => operation.resource === 'Checkout Session' && operation.name === 'create',
    )!;
    const emptyRefusal = (raw: unknown) => {
      try {
        parseOperationParams(createSession, raw);
      } catch (error) {
        if (error instanceof StripeError) return error.body;
        throw error;
      }
      throw new Error('expected a refusal');
    };

    expect(parseOperationParams(updateCustomer, { shipping: '' })).toEqual({ shipping: null });
    expect(
      parseOperationParams(updateCustomer, {
        shipping: { name: 'A', address: '' },
      }),
    ).toEqual({ shipping: { name: 'A', address: null } });
    expect(
      emptyRefusal({ mode: 'payment', line_items: [{ price_data: '', quantity: '1' }] }),
    ).toMatchObject({ code: 'parameter_invalid_empty', param: 'line_items[0][price_data]' });
    expect(emptyRefusal({ mode: 'payment', line_items: [''] })).toMatchObject({
      code: 'parameter_invalid_empty',
      param: 'line_items[0]',
    });
  });

  it('when a parameter is unknown, unsupported, mistyped, empty or missing, then Stripe’s code names it', () => {
    expect(refusal({ amount: '1', currency: 'usd', colour: 'red' }).body).toMatchObject({
      code: 'parameter_unknown',
      param: 'colour',
    });
    expect(refusal({ amount: '1', currency: 'usd', shipping: { name: 'A' } }).body).toMatchObject({
      code: 'parameter_unknown',
      param: 'shipping',
    });
    expect(refusal({ amount: '1.5', currency: 'usd' }).body).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'amount',
    });
    expect(refusal({ amount: '', currency: 'usd' }).body).toMatchObject({
      code: 'parameter_invalid_empty',
      param: 'amount',
    });
    expect(refusal({ currency: 'usd' }).body).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    expect(refusal({ amount: '1', currency: 'usd', confirm: 'yes' }).body).toMatchObject({
      param: 'confirm',
    });
    expect(
      refusal({
        amount: '1',
        currency: 'usd',
        automatic_payment_methods: { enabled: 'true', x: '1' },
      }).body,
    ).toMatchObject({ code: 'parameter_unknown', param: 'automatic_payment_methods[x]' });
    expect(refusal({ amount: '1', currency: 'usd', metadata: 'x' }).body).toMatchObject({
      param: 'metadata',
    });
    expect(refusal({ amount: '1', currency: 'usd', expand: ['review'] }).body).toMatchObject({
      param: 'expand[0]',
    });
    expect(refusal({ amount: ['1', '2'], currency: 'usd' }).status).toBe(400);
  });
});
