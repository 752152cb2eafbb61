-- A customer's shipping address, as Stripe's Customer.shipping: {name, phone, address{line1,
-- line2, city, state, postal_code, country}}; null when the customer has none.
ALTER TABLE "payments"."customers" ADD COLUMN "shipping" jsonb;
