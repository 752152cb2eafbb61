/**
 * Currencies Expe settles, each with its minor-unit exponent. Amounts on the wire are always
 * integers in the minor unit (paise for INR); never floats, never strings. A module without zod,
 * so a page that only formats money does not load the schemas.
 */
export const currencies = { inr: 2, usd: 2, eur: 2, gbp: 2 } as const;
export type Currency = keyof typeof currencies;
