import { describe, expect, it } from 'vitest';
import { ScenarioError } from './errors.js';
import { parseScenario } from './parse-scenario.js';
import { resolveReferences } from './references.js';
import { scenarioDigest } from './scenario-digest.js';

function parseError(input: unknown): ScenarioError {
  try {
    parseScenario(input, { source: 'shop.yaml' });
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('parseScenario', () => {
  it('when YAML describes steps with references and expectations, then it is the same scenario as its JSON', () => {
    const yaml = `
version: 1
name: refund
steps:
  - id: customer
    customer: { email: asha@example.com }
  - id: order
    payment:
      amount: 49900
      customer: \${customer.id}
      state: refunded
    expect:
      status: succeeded
      amount_refunded: 49900
outputs:
  payment_id: \${order.id}
`;
    const fromYaml = parseScenario(yaml);
    const fromJson = parseScenario(JSON.stringify(fromYaml));

    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml.steps[1]).toEqual({
      id: 'order',
      payment: { amount: 49900, customer: '${customer.id}', state: 'refunded' },
      expect: { status: 'succeeded', amount_refunded: 49900 },
    });
  });

  it('when fields are wrong, then every issue names its step and field path', () => {
    const error = parseError({
      version: 1,
      name: 'broken',
      steps: [
        { id: 'customer', customer: { emial: 'a@example.com' } },
        { id: 'order', payment: { amount: -5, state: 'paid' } },
        { id: 'later', advance_clock: {} },
        { id: 'both', refund: { payment: 'pay_1' }, payout: { amount: 100 } },
      ],
    });

    expect(error.code).toBe('invalid_scenario');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'steps[0].customer.emial',
          step: 'customer',
          message: 'is not a field of this format',
        },
        expect.objectContaining({ path: 'steps[1].payment.amount', step: 'order' }),
        expect.objectContaining({ path: 'steps[1].payment.state', step: 'order' }),
        expect.objectContaining({ path: 'steps[2].advance_clock.seconds', step: 'later' }),
        expect.objectContaining({
          path: 'steps[3].payout',
          step: 'both',
          message: expect.stringContaining('a step does one thing'),
        }),
      ]),
    );
    expect(error.message).toContain('shop.yaml: not a valid scenario');
    expect(error.message).toContain(
      'step "order" steps[1].payment.amount: must be positive (minor units)',
    );
  });

  it('when a reference names a later step, itself or no step, then parsing fails naming the field', () => {
    const error = parseError({
      version: 1,
      name: 'refs',
      steps: [
        { id: 'first', refund: { payment: '${second.id}' } },
        { id: 'second', refund: { payment: '${second.id}' }, expect: { status: '${nope}' } },
      ],
      outputs: { x: '${ghost.id}' },
    });

    expect(error.issues).toEqual([
      {
        path: 'steps[0].refund.payment',
        step: 'first',
        message: '"${second.id}" refers to "second", which is not a step before this one',
      },
      {
        path: 'steps[1].refund.payment',
        step: 'second',
        message: '"${second.id}" refers to this step itself: only earlier steps can be referred to',
      },
      {
        path: 'steps[1].expect.status',
        step: 'second',
        message: '"${nope}" is not a reference: write ${step.field}, e.g. ${customer.id}',
      },
      {
        path: 'outputs.x',
        message: '"${ghost.id}" refers to "ghost", which is not a step of this scenario',
      },
    ]);
  });

  it('when a step combines fields that cannot go together, then each is refused with the reason', () => {
    const error = parseError({
      version: 1,
      name: 'rules',
      steps: [
        { id: 'a', payment: { amount: 100, card: '4242424242424242', vpa: 'success@expe' } },
        { id: 'b', payment: { amount: 100, state: 'canceled', card: '4242424242424242' } },
        { id: 'c', payment: { amount: 100, off_session: true } },
        { id: 'd', dispute_response: { dispute: 'dp_1' } },
        { id: 'e', check: { payment: 'pay_1', balance: true } },
        {
          id: 'f',
          saved_card: { customer: 'cus_1', token: 'tok_visa', number: '4242424242424242' },
        },
      ],
    });

    expect(error.issues.map(({ path, message }) => `${path}: ${message}`)).toEqual([
      'steps[0].payment.vpa: give one of card, payment_method or vpa (got card and vpa)',
      'steps[1].payment.card: a payment in state canceled is never paid, so it takes no card',
      'steps[2].payment.off_session: charges a saved card: it needs payment_method',
      'steps[3].dispute_response.evidence: give evidence (winning_evidence wins, losing_evidence loses) or accept: true',
      'steps[4].check.balance: name one object to read: payment, customer, payment_method, refund, dispute, qr_code, payout, charge, balance, clock',
      'steps[5].saved_card.token: give token or number, not both',
    ]);
  });

  it('when two steps share an id, then the second is refused', () => {
    const error = parseError({
      version: 1,
      name: 'twice',
      steps: [
        { id: 'customer', customer: {} },
        { id: 'customer', customer: {} },
      ],
    });

    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'steps[1].id', step: 'customer' }),
    ]);
  });

  it('when the text is not YAML, then the error gives the line', () => {
    const error = parseError('version: 1\nsteps: [\n  {id: a\n');

    expect(error.code).toBe('invalid_scenario');
    expect(error.message).toMatch(/^shop\.yaml: not YAML or JSON \(line \d+, column \d+\)/);
  });

  it('when a date-like value is written, then it stays text (no YAML timestamps)', () => {
    const scenario = parseScenario(
      'version: 1\nname: d\nsteps:\n  - id: c\n    customer: {description: 2026-01-01}\n',
    );

    expect(scenario.steps[0]!.customer).toEqual({ description: '2026-01-01' });
  });
});

describe('resolveReferences', () => {
  const outputs = new Map([
    ['order', { id: 'pay_1', amount: 49900, dispute: { id: 'dp_1' }, refund: null }],
  ]);

  it('when a string is one reference, then it becomes the value itself; inside text, it is written in', () => {
    expect(
      resolveReferences(
        { amount: '${order.amount}', note: 'for ${order.id} (${order.dispute.id})' },
        outputs,
        'x',
      ),
    ).toEqual({ amount: 49900, note: 'for pay_1 (dp_1)' });
  });

  it('when a field does not exist, then the error names the step, the field and what exists', () => {
    expect(() => resolveReferences({ payment: '${order.idd}' }, outputs, 'refund', 'back')).toThrow(
      'step "back": refund.payment: ${order.idd}: order has no field "idd" (it has: id, amount, dispute, refund)',
    );
    expect(() => resolveReferences('${order.refund.id}', outputs, 'refund', 'back')).toThrow(
      'order.refund has no field "id" (order.refund is null)',
    );
  });
});

describe('scenarioDigest', () => {
  it('when the same scenario is written in YAML or in JSON with its keys in another order, then the digest is the same; any change changes it', () => {
    const yaml = parseScenario(
      'version: 1\nname: d\nsteps:\n  - id: order\n    payment: { amount: 100, state: refunded }\n',
    );
    const json = parseScenario(
      '{"steps":[{"payment":{"state":"refunded","amount":100},"id":"order"}],"name":"d","version":1}',
    );
    const changed = parseScenario(
      'version: 1\nname: d\nsteps:\n  - id: order\n    payment: { amount: 101, state: refunded }\n',
    );

    expect(scenarioDigest(yaml)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(scenarioDigest(json)).toBe(scenarioDigest(yaml));
    expect(scenarioDigest(changed)).not.toBe(scenarioDigest(yaml));
  });
});
