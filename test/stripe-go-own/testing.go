// Package testing stands in for github.com/stripe/stripe-go/v85/testing when stripe-go's own
// client tests run against Expe (test/stripe-go-own/run.ts lays it over the original with
// `go test -overlay`). The original points every test at stripe-mock on
// https://localhost:$STRIPE_MOCK_PORT with the key sk_test_myTestKey; this one points them at
// Expe's Stripe-compatible listener ($STRIPE_API_BASE) with a real test secret key of a fresh
// project ($STRIPE_SECRET_KEY). Nothing else changes: the same strict form encoding, the same
// global backend every per-resource package uses.
package testing

import (
	"fmt"
	"os"

	stripe "github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/form"
)

const (
	// TestMerchantID is a token that can be used to represent a merchant ID in simple tests.
	TestMerchantID = "acct_123"
)

// TestAPIKey is the project's secret key (a constant in the original: stripe-mock's key).
var TestAPIKey = os.Getenv("STRIPE_SECRET_KEY")

func init() {
	// As the original: panic on any malformed parameter struct.
	form.Strict = true

	base := os.Getenv("STRIPE_API_BASE")
	if base == "" || TestAPIKey == "" {
		fmt.Fprintln(os.Stderr, "set STRIPE_API_BASE and STRIPE_SECRET_KEY (test/stripe-go-own/run.ts does)")
		os.Exit(2)
	}
	stripe.Key = TestAPIKey
	backend := stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL:           stripe.String(base),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	})
	stripe.SetBackend(stripe.APIBackend, backend)
	stripe.SetBackend(stripe.UploadsBackend, backend)
}
