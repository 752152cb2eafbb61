import { currencies, type Currency } from './currencies.js';
import { z } from './zod.js';

export { currencies, type Currency };

export const currencySchema = z
  .string({ error: 'must be a three-letter ISO currency code such as "inr"' })
  .transform((value) => value.toLowerCase())
  .pipe(
    z.enum(Object.keys(currencies) as [Currency, ...Currency[]], {
      error: `must be one of: ${Object.keys(currencies).join(', ')}`,
    }),
  )
  .openapi({ type: 'string', example: 'inr', description: 'ISO currency code, lower case' });

/**
 * A positive safe integer in minor units. Rejects 0, negatives, fractions, strings and values
 * beyond Number.MAX_SAFE_INTEGER; services apply their configured maximum on top.
 */
export const amountSchema = z
  .number({ error: 'must be an integer number of minor units (e.g. 1000 for ₹10.00)' })
  .int('must be a whole number of minor units, not a fraction')
  .positive('must be greater than 0')
  .openapi({ example: 49900, description: 'amount in the minor unit (paise for INR)' });
