// The official Go client, github.com/stripe/stripe-go, against Expe's Stripe-compatible
// listener: every operation docs/stripe-compatibility.md marks supported or partial, as
// test/stripe-compat.e2e.test.ts does with stripe-node. stripe-go encodes parameters its own way
// (indexed arrays `expand[0]=…`, `enabled_events[0]=…`), so this is a second, independent check
// of the wire format. Run by test/stripe-go.e2e.test.ts, which starts the platform and passes:
//
//	STRIPE_API_BASE    the listener, http://127.0.0.1:<port>
//	STRIPE_SECRET_KEY  an Expe sk_test_ key of a fresh merchant
//	EXPE_API_BASE      Expe's own API (the hosted checkout's calls, the test clock)
package stripego

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	stripe "github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/payout"
	"github.com/stripe/stripe-go/v85/webhook"
)

var (
	sc         *stripe.Client
	key        string
	stripeBase string
	expeBase   string
	ctx        = context.Background()
)

func TestMain(m *testing.M) {
	stripeBase = os.Getenv("STRIPE_API_BASE")
	key = os.Getenv("STRIPE_SECRET_KEY")
	expeBase = os.Getenv("EXPE_API_BASE")
	if stripeBase == "" || key == "" || expeBase == "" {
		fmt.Fprintln(os.Stderr, "set STRIPE_API_BASE, STRIPE_SECRET_KEY and EXPE_API_BASE (test/stripe-go.e2e.test.ts does)")
		os.Exit(2)
	}
	sc = clientFor(stripeBase, key)
	os.Exit(m.Run())
}

// clientFor is the stock client with only its base URL changed, as an integration would do.
func clientFor(base, secret string) *stripe.Client {
	return stripe.NewClient(secret, stripe.WithBackends(backendsFor(base)))
}

func backendsFor(base string) *stripe.Backends {
	retries := int64(0)
	return stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(base),
		MaxNetworkRetries: &retries,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	})
}

// must is the value of a call that has to succeed; a failure ends the test through guard.
func must[T any](value T, err error) T {
	if err != nil {
		panic(failure{err})
	}
	return value
}

type failure struct{ err error }

// guard turns must's failure into the test's failure (deferred first thing in every test).
func guard(t *testing.T) {
	if recovered := recover(); recovered != nil {
		if f, ok := recovered.(failure); ok {
			t.Fatalf("unexpected error: %v", f.err)
		}
		panic(recovered)
	}
}

// stripeError is the *stripe.Error the call failed with.
func stripeError(t *testing.T, err error) *stripe.Error {
	t.Helper()
	var stripeErr *stripe.Error
	if !errors.As(err, &stripeErr) {
		t.Fatalf("expected a *stripe.Error, got %v", err)
	}
	return stripeErr
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func hasPrefix(t *testing.T, what, id, prefix string) {
	t.Helper()
	if !strings.HasPrefix(id, prefix) {
		t.Fatalf("%s: %q does not start with %q", what, id, prefix)
	}
}

// expe calls Expe's own API (what the hosted checkout and the dashboard do).
func expe(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	return expeAs(t, key, method, path, body, out)
}

func expeAs(t *testing.T, token, method, path string, body any, out any) int {
	t.Helper()
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, expeBase+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %s", method, path, raw)
		}
	}
	return res.StatusCode
}

func paidIntent(t *testing.T, client *stripe.Client, amount int64, paymentMethod string) *stripe.PaymentIntent {
	t.Helper()
	return must(client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(amount),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String(paymentMethod),
		Confirm:       stripe.Bool(true),
	}))
}

func TestPaymentIntentConfirmedWithTestCardSucceedsAndExpands(t *testing.T) {
	defer guard(t)
	params := &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(2000),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_visa"),
		Confirm:       stripe.Bool(true),
		Description:   stripe.String("Order 42"),
	}
	params.AddMetadata("order_id", "42")
	intent := must(sc.V1PaymentIntents.Create(ctx, params))
	hasPrefix(t, "payment intent id", intent.ID, "pi_")
	equal(t, "status", intent.Status, stripe.PaymentIntentStatusSucceeded)
	equal(t, "amount_received", intent.AmountReceived, 2000)
	equal(t, "metadata", intent.Metadata["order_id"], "42")
	equal(t, "payment_method", intent.PaymentMethod.ID, "pm_card_visa")
	if !strings.HasPrefix(intent.ClientSecret, intent.ID+"_secret_") {
		t.Fatalf("client_secret %q is not the intent's", intent.ClientSecret)
	}

	retrieveParams := &stripe.PaymentIntentRetrieveParams{}
	retrieveParams.AddExpand("latest_charge")
	retrieveParams.AddExpand("payment_method")
	retrieved := must(sc.V1PaymentIntents.Retrieve(ctx, intent.ID, retrieveParams))
	equal(t, "latest_charge.amount_captured", retrieved.LatestCharge.AmountCaptured, 2000)
	equal(t, "latest_charge.paid", retrieved.LatestCharge.Paid, true)
	equal(t, "payment_method.card.last4", retrieved.PaymentMethod.Card.Last4, "4242")

	chargeParams := &stripe.ChargeRetrieveParams{}
	chargeParams.AddExpand("payment_intent")
	charge := must(sc.V1Charges.Retrieve(ctx, retrieved.LatestCharge.ID, chargeParams))
	hasPrefix(t, "charge id", charge.ID, "ch_")
	equal(t, "charge.payment_intent", charge.PaymentIntent.ID, intent.ID)
}

func TestPaymentIntentUpdatedThenConfirmed(t *testing.T) {
	defer guard(t)
	created := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:   stripe.Int64(1500),
		Currency: stripe.String("inr"),
	}))
	equal(t, "status", created.Status, stripe.PaymentIntentStatusRequiresPaymentMethod)
	updated := must(sc.V1PaymentIntents.Update(ctx, created.ID, &stripe.PaymentIntentUpdateParams{
		PaymentMethod: stripe.String("pm_card_mastercard"),
	}))
	equal(t, "status", updated.Status, stripe.PaymentIntentStatusRequiresConfirmation)
	confirmed := must(sc.V1PaymentIntents.Confirm(ctx, created.ID, nil))
	equal(t, "status", confirmed.Status, stripe.PaymentIntentStatusSucceeded)
	equal(t, "payment_method", confirmed.PaymentMethod.ID, "pm_card_mastercard")
}

func TestPaymentIntentConfirmedOffSession(t *testing.T) {
	defer guard(t)
	plain := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(1200),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_visa"),
	}))
	paid := must(sc.V1PaymentIntents.Confirm(ctx, plain.ID, &stripe.PaymentIntentConfirmParams{
		OffSession: stripe.Bool(true),
		ReturnURL:  stripe.String("https://example.com/return"),
	}))
	equal(t, "status", paid.Status, stripe.PaymentIntentStatusSucceeded)

	secure := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(1300),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_threeDSecure2Required"),
	}))
	_, err := sc.V1PaymentIntents.Confirm(ctx, secure.ID, &stripe.PaymentIntentConfirmParams{
		OffSession: stripe.Bool(true),
	})
	away := stripeError(t, err)
	equal(t, "type", away.Type, stripe.ErrorTypeCard)
	equal(t, "decline_code", away.DeclineCode, stripe.DeclineCodeAuthenticationRequired)
}

func TestPaymentIntentUpdatedAfterItSucceeded(t *testing.T) {
	defer guard(t)
	createParams := &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(1000),
		Currency:      stripe.String("usd"),
		Description:   stripe.String("first"),
		PaymentMethod: stripe.String("pm_card_visa"),
		Confirm:       stripe.Bool(true),
	}
	createParams.AddMetadata("order", "7")
	createParams.AddMetadata("cart", "c1")
	created := must(sc.V1PaymentIntents.Create(ctx, createParams))
	equal(t, "status", created.Status, stripe.PaymentIntentStatusSucceeded)
	updateParams := &stripe.PaymentIntentUpdateParams{
		Description:  stripe.String("second"),
		ReceiptEmail: stripe.String("buyer@example.com"),
	}
	// Stripe's merge: the keys named change, a key set to "" is removed, the others stay.
	updateParams.AddMetadata("cart", "")
	updateParams.AddMetadata("extra", "1")
	updated := must(sc.V1PaymentIntents.Update(ctx, created.ID, updateParams))
	equal(t, "description", updated.Description, "second")
	equal(t, "receipt_email", updated.ReceiptEmail, "buyer@example.com")
	equal(t, "metadata", fmt.Sprint(updated.Metadata), "map[extra:1 order:7]")
	equal(t, "status", updated.Status, stripe.PaymentIntentStatusSucceeded)
	cleared := must(sc.V1PaymentIntents.Update(ctx, created.ID, &stripe.PaymentIntentUpdateParams{
		Description: stripe.String(""),
	}))
	equal(t, "cleared description", cleared.Description, "")
	equal(t, "metadata kept", fmt.Sprint(cleared.Metadata), "map[extra:1 order:7]")
}

func TestPaymentIntentWithRawSandboxCard(t *testing.T) {
	defer guard(t)
	params := &stripe.PaymentIntentCreateParams{
		Amount:   stripe.Int64(700),
		Currency: stripe.String("usd"),
		Confirm:  stripe.Bool(true),
		PaymentMethodData: &stripe.PaymentIntentCreatePaymentMethodDataParams{
			Type: stripe.String("card"),
		},
	}
	// The typed params have no raw card fields (Stripe wants Elements); the API takes them.
	params.AddExtra("payment_method_data[card][number]", "4242424242424242")
	params.AddExtra("payment_method_data[card][exp_month]", "12")
	params.AddExtra("payment_method_data[card][exp_year]", "2034")
	params.AddExtra("payment_method_data[card][cvc]", "123")
	intent := must(sc.V1PaymentIntents.Create(ctx, params))
	equal(t, "status", intent.Status, stripe.PaymentIntentStatusSucceeded)
}

func TestDeclinedCardsAreCardErrors(t *testing.T) {
	defer guard(t)
	_, err := sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(900),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_chargeDeclined"),
		Confirm:       stripe.Bool(true),
	})
	declined := stripeError(t, err)
	equal(t, "status", declined.HTTPStatusCode, 402)
	equal(t, "type", declined.Type, stripe.ErrorTypeCard)
	equal(t, "code", declined.Code, stripe.ErrorCodeCardDeclined)
	equal(t, "decline_code", declined.DeclineCode, stripe.DeclineCodeGenericDecline)
	var cardErr *stripe.CardError
	if !errors.As(err, &cardErr) {
		t.Fatalf("expected a *stripe.CardError inside, got %T", declined.Err)
	}
	equal(t, "payment_intent.status", declined.PaymentIntent.Status, stripe.PaymentIntentStatusRequiresPaymentMethod)

	_, err = sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(900),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_chargeDeclinedInsufficientFunds"),
		Confirm:       stripe.Bool(true),
	})
	poor := stripeError(t, err)
	equal(t, "code", poor.Code, stripe.ErrorCodeCardDeclined)
	equal(t, "decline_code", poor.DeclineCode, stripe.DeclineCodeInsufficientFunds)

	retried := must(sc.V1PaymentIntents.Confirm(ctx, declined.PaymentIntent.ID, &stripe.PaymentIntentConfirmParams{
		PaymentMethod: stripe.String("pm_card_visa"),
	}))
	equal(t, "status", retried.Status, stripe.PaymentIntentStatusSucceeded)
}

func TestPaymentIntentCanceledTwice(t *testing.T) {
	defer guard(t)
	created := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:   stripe.Int64(300),
		Currency: stripe.String("usd"),
	}))
	canceled := must(sc.V1PaymentIntents.Cancel(ctx, created.ID, nil))
	equal(t, "status", canceled.Status, stripe.PaymentIntentStatusCanceled)
	_, err := sc.V1PaymentIntents.Cancel(ctx, created.ID, nil)
	equal(t, "code", stripeError(t, err).Code, stripe.ErrorCodePaymentIntentUnexpectedState)
}

func TestManualCapture(t *testing.T) {
	defer guard(t)
	intent := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(10000),
		Currency:      stripe.String("usd"),
		CaptureMethod: stripe.String("manual"),
		PaymentMethod: stripe.String("pm_card_visa"),
		Confirm:       stripe.Bool(true),
	}))
	equal(t, "status", intent.Status, stripe.PaymentIntentStatusRequiresCapture)
	equal(t, "amount_capturable", intent.AmountCapturable, 10000)
	authorization := must(sc.V1Charges.Retrieve(ctx, intent.LatestCharge.ID, nil))
	equal(t, "authorization captured", authorization.Captured, false)
	_, err := sc.V1PaymentIntents.Capture(ctx, intent.ID, &stripe.PaymentIntentCaptureParams{
		AmountToCapture: stripe.Int64(10001),
	})
	equal(t, "param", stripeError(t, err).Param, "amount_to_capture")
	captured := must(sc.V1PaymentIntents.Capture(ctx, intent.ID, &stripe.PaymentIntentCaptureParams{
		AmountToCapture: stripe.Int64(7500),
	}))
	equal(t, "status", captured.Status, stripe.PaymentIntentStatusSucceeded)
	equal(t, "amount_received", captured.AmountReceived, 7500)
}

func TestThreeDSecureRedirect(t *testing.T) {
	defer guard(t)
	intent := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(1800),
		Currency:      stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_authenticationRequired"),
		Confirm:       stripe.Bool(true),
		ReturnURL:     stripe.String("https://shop.example/return"),
	}))
	equal(t, "status", intent.Status, stripe.PaymentIntentStatusRequiresAction)
	equal(t, "next_action.type", intent.NextAction.Type, stripe.PaymentIntentNextActionTypeRedirectToURL)
	equal(t, "return_url", intent.NextAction.RedirectToURL.ReturnURL, "https://shop.example/return")

	// What Expe's hosted challenge page does when the shopper completes it.
	var payment struct {
		ID           string `json:"id"`
		ClientSecret string `json:"client_secret"`
	}
	equal(t, "expe payment", expe(t, "GET", "/v1/payments/"+expeID(intent.ID), nil, &payment), 200)
	status := expe(t, "POST", "/v1/payments/"+payment.ID+"/authenticate",
		map[string]string{"client_secret": payment.ClientSecret, "outcome": "complete"}, nil)
	equal(t, "authenticate", status, 200)
	equal(t, "status", must(sc.V1PaymentIntents.Retrieve(ctx, intent.ID, nil)).Status, stripe.PaymentIntentStatusSucceeded)
}

func TestListsAutoPaginate(t *testing.T) {
	defer guard(t)
	client := clientFor(stripeBase, newMerchantKey(t, "go-pages"))
	var ids []string
	for i := 0; i < 5; i++ {
		created := must(client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
			Amount: stripe.Int64(int64(100 + i)), Currency: stripe.String("usd"),
		}))
		ids = append(ids, created.ID)
	}
	params := &stripe.PaymentIntentListParams{}
	params.Limit = stripe.Int64(2)
	var seen []string
	for intent, err := range client.V1PaymentIntents.List(ctx, params).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, intent.ID)
	}
	equal(t, "count", len(seen), 5)
	for i, id := range seen {
		equal(t, fmt.Sprintf("seen[%d]", i), id, ids[4-i])
	}
	before := &stripe.PaymentIntentListParams{}
	before.Limit = stripe.Int64(2)
	before.EndingBefore = stripe.String(ids[0])
	before.Single = true
	page := client.V1PaymentIntents.List(ctx, before)
	var got []string
	for intent, err := range page.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, intent.ID)
	}
	// The page is ids[2], ids[1] on the wire; stripe-go walks a backward list oldest first.
	equal(t, "ending_before", strings.Join(got, ","), ids[1]+","+ids[2])
}

func TestIdempotentRetryIsReplayed(t *testing.T) {
	defer guard(t)
	key := fmt.Sprintf("go-order-%d", time.Now().UnixNano())
	params := func(amount int64) *stripe.PaymentIntentCreateParams {
		p := &stripe.PaymentIntentCreateParams{
			Amount:        stripe.Int64(amount),
			Currency:      stripe.String("usd"),
			PaymentMethod: stripe.String("pm_card_visa"),
			Confirm:       stripe.Bool(true),
		}
		p.SetIdempotencyKey(key)
		return p
	}
	first := must(sc.V1PaymentIntents.Create(ctx, params(4200)))
	second := must(sc.V1PaymentIntents.Create(ctx, params(4200)))
	equal(t, "replayed id", second.ID, first.ID)
	equal(t, "Idempotent-Replayed", second.LastResponse.Header.Get("Idempotent-Replayed"), "true")
	_, err := sc.V1PaymentIntents.Create(ctx, params(4300))
	equal(t, "type", stripeError(t, err).Type, stripe.ErrorTypeIdempotency)
}

func TestBadInputNamesTheParameter(t *testing.T) {
	defer guard(t)
	p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd")}
	p.AddExtra("colour", "red")
	_, err := sc.V1PaymentIntents.Create(ctx, p)
	unknown := stripeError(t, err)
	equal(t, "code", unknown.Code, stripe.ErrorCodeParameterUnknown)
	equal(t, "param", unknown.Param, "colour")

	_, err = sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100)})
	equal(t, "param", stripeError(t, err).Param, "currency")

	expand := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd")}
	expand.AddExpand("review")
	_, err = sc.V1PaymentIntents.Create(ctx, expand)
	equal(t, "param", stripeError(t, err).Param, "expand[0]")

	// A well-formed id that names nothing is looked up, as Stripe does: 404 resource_missing.
	for _, id := range []string{"pi_123", "pi_01j9zq3v5k7m8n9p0r2s4t6w8y"} {
		_, err = sc.V1PaymentIntents.Retrieve(ctx, id, nil)
		missing := stripeError(t, err)
		equal(t, "status", missing.HTTPStatusCode, 404)
		equal(t, "code", missing.Code, stripe.ErrorCodeResourceMissing)
	}
	_, err = sc.V1WebhookEndpoints.Retrieve(ctx, "we_123", nil)
	equal(t, "code", stripeError(t, err).Code, stripe.ErrorCodeResourceMissing)
	_, err = sc.V1Customers.Retrieve(ctx, "cus_123", nil)
	equal(t, "code", stripeError(t, err).Code, stripe.ErrorCodeResourceMissing)

	_, err = clientFor(stripeBase, "sk_test_0000000000000000000000000").V1Balance.Retrieve(ctx, nil)
	equal(t, "status", stripeError(t, err).HTTPStatusCode, 401)
}

func TestRefundsByIntentAndByCharge(t *testing.T) {
	defer guard(t)
	intent := paidIntent(t, sc, 5000, "pm_card_visa")
	refundParams := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(intent.ID),
		Amount:        stripe.Int64(1000),
		Reason:        stripe.String("requested_by_customer"),
	}
	refundParams.AddMetadata("ticket", "t-1")
	partial := must(sc.V1Refunds.Create(ctx, refundParams))
	hasPrefix(t, "refund id", partial.ID, "re_")
	equal(t, "status", partial.Status, stripe.RefundStatusSucceeded)
	equal(t, "payment_intent", partial.PaymentIntent.ID, intent.ID)
	equal(t, "charge", partial.Charge.ID, intent.LatestCharge.ID)
	rest := must(sc.V1Refunds.Create(ctx, &stripe.RefundCreateParams{Charge: stripe.String(intent.LatestCharge.ID)}))
	equal(t, "amount", rest.Amount, 4000)

	retrieveParams := &stripe.RefundRetrieveParams{}
	retrieveParams.AddExpand("payment_intent")
	retrieved := must(sc.V1Refunds.Retrieve(ctx, partial.ID, retrieveParams))
	equal(t, "expanded payment_intent.amount", retrieved.PaymentIntent.Amount, 5000)

	var listed []string
	for refund, err := range sc.V1Refunds.List(ctx, &stripe.RefundListParams{PaymentIntent: stripe.String(intent.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, refund.ID)
	}
	equal(t, "refunds", strings.Join(listed, ","), rest.ID+","+partial.ID)

	// Metadata merges by Stripe's rules: a new key is added, a key set to "" is removed.
	updateParams := &stripe.RefundUpdateParams{}
	updateParams.AddMetadata("ticket", "")
	updateParams.AddMetadata("agent", "a-7")
	updated := must(sc.V1Refunds.Update(ctx, partial.ID, updateParams))
	equal(t, "updated amount", updated.Amount, 1000)
	equal(t, "metadata keys", len(updated.Metadata), 1)
	equal(t, "metadata agent", updated.Metadata["agent"], "a-7")
	_, err := sc.V1Refunds.Update(ctx, "re_123", updateParams)
	equal(t, "unknown refund", stripeError(t, err).Code, stripe.ErrorCodeResourceMissing)
}

// stripe-go pins its API version (Stripe-Version on every request); the port answers with it.
func TestPinnedStripeVersionIsEchoed(t *testing.T) {
	defer guard(t)
	balance := must(sc.V1Balance.Retrieve(ctx, nil))
	equal(t, "Stripe-Version", balance.LastResponse.Header.Get("Stripe-Version"), stripe.APIVersion)
}

func TestBalanceAndEvents(t *testing.T) {
	defer guard(t)
	intent := paidIntent(t, sc, 321, "pm_card_visa")
	balance := must(sc.V1Balance.Retrieve(ctx, nil))
	equal(t, "livemode", balance.Livemode, false)

	params := &stripe.EventListParams{Type: stripe.String("payment_intent.succeeded")}
	params.Limit = stripe.Int64(5)
	params.Single = true
	var found *stripe.Event
	for event, err := range sc.V1Events.List(ctx, params).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := event.Data.Object["id"].(string); id == intent.ID {
			found = event
		}
	}
	if found == nil {
		t.Fatalf("no payment_intent.succeeded event for %s", intent.ID)
	}
	hasPrefix(t, "event id", found.ID, "evt_")
	equal(t, "type", found.Type, stripe.EventTypePaymentIntentSucceeded)
	equal(t, "retrieved", must(sc.V1Events.Retrieve(ctx, found.ID, nil)).ID, found.ID)

	// types[] (stripe-go sends types[0]=…&types[1]=…): only those types come back.
	typed := &stripe.EventListParams{Types: stripe.StringSlice([]string{"payment_intent.succeeded", "payment_intent.created"})}
	typed.Limit = stripe.Int64(20)
	typed.Single = true
	seen := map[string]bool{}
	for event, err := range sc.V1Events.List(ctx, typed).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen[string(event.Type)] = true
	}
	equal(t, "types listed", fmt.Sprint(seen), "map[payment_intent.created:true payment_intent.succeeded:true]")
}

// receiver is a webhook endpoint on loopback that keeps what it receives.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	received [][2]string // body, Stripe-Signature
}

func startReceiver() *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.received = append(r.received, [2]string{string(body), req.Header.Get("Stripe-Signature")})
		r.mu.Unlock()
		w.WriteHeader(200)
	}))
	return r
}

func (r *receiver) waitFor(t *testing.T, count int) [][2]string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r.mu.Lock()
		got := append([][2]string(nil), r.received...)
		r.mu.Unlock()
		if len(got) >= count {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("received %d webhooks, want %d", len(got), count)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWebhookEndpointsAndSignatures(t *testing.T) {
	defer guard(t)
	client := clientFor(stripeBase, newMerchantKey(t, "go-hooks"))
	hook := startReceiver()
	defer hook.Close()
	endpoint := must(client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{
		URL:           stripe.String(hook.URL + "/webhooks"),
		EnabledEvents: stripe.StringSlice([]string{"payment_intent.succeeded", "refund.created"}),
		Description:   stripe.String("orders"),
	}))
	hasPrefix(t, "endpoint id", endpoint.ID, "we_")
	hasPrefix(t, "secret", endpoint.Secret, "whsec_")
	equal(t, "enabled_events", strings.Join(endpoint.EnabledEvents, ","), "payment_intent.succeeded,refund.created")

	intent := paidIntent(t, client, 2500, "pm_card_visa")
	must(client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(intent.ID), Amount: stripe.Int64(500)}))
	types := map[string]stripe.Event{}
	for _, delivery := range hook.waitFor(t, 2) {
		// Events follow the listener's API version, not this library's pinned one.
		event, err := webhook.ConstructEventWithOptions([]byte(delivery[0]), delivery[1], endpoint.Secret,
			webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
		if err != nil {
			t.Fatalf("signature: %v", err)
		}
		types[string(event.Type)] = event
	}
	succeeded, ok := types["payment_intent.succeeded"]
	if !ok {
		t.Fatalf("no payment_intent.succeeded delivery: %v", types)
	}
	equal(t, "delivered intent", succeeded.Data.Object["id"], any(intent.ID))
	if _, ok := types["refund.created"]; !ok {
		t.Fatalf("no refund.created delivery")
	}
	_, err := webhook.ConstructEventWithOptions([]byte(hook.received[0][0]), hook.received[0][1], "whsec_wrong",
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err == nil {
		t.Fatal("a signature made with another secret was accepted")
	}

	equal(t, "retrieved", must(client.V1WebhookEndpoints.Retrieve(ctx, endpoint.ID, nil)).URL, endpoint.URL)
	var listed []string
	for item, err := range client.V1WebhookEndpoints.List(ctx, nil).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, item.ID)
	}
	equal(t, "listed", strings.Join(listed, ","), endpoint.ID)
	updated := must(client.V1WebhookEndpoints.Update(ctx, endpoint.ID, &stripe.WebhookEndpointUpdateParams{Disabled: stripe.Bool(true)}))
	equal(t, "status", updated.Status, "disabled")
	deleted := must(client.V1WebhookEndpoints.Delete(ctx, endpoint.ID, nil))
	equal(t, "deleted", deleted.Deleted, true)
}

func TestBalanceTransactionsPayoutsAndDisputes(t *testing.T) {
	defer guard(t)
	intent := paidIntent(t, sc, 10000, "pm_card_visa")
	list := &stripe.BalanceTransactionListParams{Source: stripe.String(intent.LatestCharge.ID)}
	var transactions []*stripe.BalanceTransaction
	for item, err := range sc.V1BalanceTransactions.List(ctx, list).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		transactions = append(transactions, item)
	}
	equal(t, "transactions", len(transactions), 1)
	charge := transactions[0]
	hasPrefix(t, "balance transaction id", charge.ID, "txn_")
	equal(t, "type", charge.Type, stripe.BalanceTransactionTypeCharge)
	equal(t, "source", charge.Source.ID, intent.LatestCharge.ID)
	equal(t, "net", charge.Net, charge.Amount-charge.Fee)
	equal(t, "retrieved", must(sc.V1BalanceTransactions.Retrieve(ctx, charge.ID, nil)).ID, charge.ID)

	// Funds become available two days later on the project's test clock.
	equal(t, "advance clock", expe(t, "POST", "/v1/test_helpers/clock/advance", map[string]int{"seconds": 3 * 24 * 3600}, nil), 200)
	paid := must(sc.V1Payouts.Create(ctx, &stripe.PayoutCreateParams{
		Amount: stripe.Int64(1000), Currency: stripe.String("usd"), Destination: stripe.String("success@expe"),
	}))
	hasPrefix(t, "payout id", paid.ID, "po_")
	equal(t, "payout status", paid.Status, stripe.PayoutStatusPaid)
	failed := must(sc.V1Payouts.Create(ctx, &stripe.PayoutCreateParams{
		Amount: stripe.Int64(500), Currency: stripe.String("usd"), Destination: stripe.String("failure@expe"),
	}))
	equal(t, "payout status", failed.Status, stripe.PayoutStatusFailed)
	equal(t, "retrieved payout", must(sc.V1Payouts.Retrieve(ctx, paid.ID, nil)).Status, stripe.PayoutStatusPaid)
	tagParams := &stripe.PayoutUpdateParams{}
	tagParams.AddMetadata("batch", "7")
	tagParams.AddMetadata("region", "n")
	must(sc.V1Payouts.Update(ctx, paid.ID, tagParams))
	untagParams := &stripe.PayoutUpdateParams{}
	untagParams.AddMetadata("region", "")
	tagged := must(sc.V1Payouts.Update(ctx, paid.ID, untagParams))
	equal(t, "payout metadata", fmt.Sprint(tagged.Metadata), "map[batch:7]")
	equal(t, "updated payout status", tagged.Status, stripe.PayoutStatusPaid)
	payouts := &stripe.PayoutListParams{}
	payouts.Limit = stripe.Int64(2)
	payouts.Single = true
	var listed []string
	for payout, err := range sc.V1Payouts.List(ctx, payouts).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, payout.ID)
	}
	equal(t, "payouts", strings.Join(listed, ","), failed.ID+","+paid.ID)
	// Without a destination a test-mode payout goes to the sandbox's default, which pays.
	defaulted := must(sc.V1Payouts.Create(ctx, &stripe.PayoutCreateParams{Amount: stripe.Int64(300), Currency: stripe.String("usd")}))
	equal(t, "default destination payout", defaulted.Status, stripe.PayoutStatusPaid)
	// A payout to pending@expe is pending until it arrives (a day later) and can be canceled;
	// a paid one can be reversed by a second payout that names it.
	pending := must(sc.V1Payouts.Create(ctx, &stripe.PayoutCreateParams{
		Amount: stripe.Int64(400), Currency: stripe.String("usd"), Destination: stripe.String("pending@expe"),
	}))
	equal(t, "pending payout status", pending.Status, stripe.PayoutStatusPending)
	// stripe-go v85's V1Payouts.Cancel posts to /v1/topups/:id/cancel (its generated code names
	// the wrong resource: the call fails against Stripe too); the payout package's client posts to
	// /v1/payouts/:id/cancel, as Stripe documents.
	payoutClient := payout.Client{B: backendsFor(stripeBase).API, Key: key}
	canceled := must(payoutClient.Cancel(pending.ID, nil))
	equal(t, "canceled payout", canceled.Status, stripe.PayoutStatusCanceled)
	_, cancelAgain := payoutClient.Cancel(pending.ID, nil)
	stateError := stripeError(t, cancelAgain)
	equal(t, "cancel again status", stateError.HTTPStatusCode, 400)
	equal(t, "cancel again code", stateError.Code, stripe.ErrorCode("payout_unexpected_state"))
	reverseParams := &stripe.PayoutReverseParams{}
	reverseParams.AddMetadata("reason", "test")
	reversal := must(sc.V1Payouts.Reverse(ctx, paid.ID, reverseParams))
	hasPrefix(t, "reversal id", reversal.ID, "po_")
	equal(t, "reversal amount", reversal.Amount, int64(1000))
	equal(t, "reversal original", reversal.OriginalPayout.ID, paid.ID)
	equal(t, "reversal metadata", fmt.Sprint(reversal.Metadata), "map[reason:test]")
	equal(t, "reversed by", must(sc.V1Payouts.Retrieve(ctx, paid.ID, nil)).ReversedBy.ID, reversal.ID)

	disputed := func() (*stripe.PaymentIntent, *stripe.Dispute) {
		intent := paidIntent(t, sc, 3000, "pm_card_createDispute")
		var disputes []*stripe.Dispute
		for item, err := range sc.V1Disputes.List(ctx, &stripe.DisputeListParams{PaymentIntent: stripe.String(intent.ID)}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			disputes = append(disputes, item)
		}
		equal(t, "disputes", len(disputes), 1)
		return intent, disputes[0]
	}
	firstIntent, first := disputed()
	hasPrefix(t, "dispute id", first.ID, "du_")
	equal(t, "dispute payment_intent", first.PaymentIntent.ID, firstIntent.ID)
	equal(t, "dispute status", first.Status, stripe.DisputeStatusNeedsResponse)
	equal(t, "dispute charge", first.Charge.ID, firstIntent.LatestCharge.ID)
	described := must(sc.V1Disputes.Update(ctx, first.ID, &stripe.DisputeUpdateParams{
		Evidence: &stripe.DisputeUpdateEvidenceParams{
			CustomerName:           stripe.String("A Name"),
			ShippingTrackingNumber: stripe.String("TRACK123"),
		},
	}))
	equal(t, "dispute still open", described.Status, stripe.DisputeStatusNeedsResponse)
	equal(t, "customer_name", described.Evidence.CustomerName, "A Name")
	equal(t, "shipping_tracking_number", described.Evidence.ShippingTrackingNumber, "TRACK123")
	_, fileErr := sc.V1Disputes.Update(ctx, first.ID, &stripe.DisputeUpdateParams{
		Evidence: &stripe.DisputeUpdateEvidenceParams{Receipt: stripe.String("file_123")},
	})
	var fileRefused *stripe.Error
	if !errors.As(fileErr, &fileRefused) || fileRefused.HTTPStatusCode != 400 || fileRefused.Param != "evidence[receipt]" {
		t.Fatalf("a file as evidence: want 400 naming evidence[receipt], got %v", fileErr)
	}
	won := must(sc.V1Disputes.Update(ctx, first.ID, &stripe.DisputeUpdateParams{
		Evidence: &stripe.DisputeUpdateEvidenceParams{UncategorizedText: stripe.String("winning_evidence")},
	}))
	equal(t, "won", won.Status, stripe.DisputeStatusWon)
	_, second := disputed()
	lost := must(sc.V1Disputes.Close(ctx, second.ID, nil))
	equal(t, "lost", lost.Status, stripe.DisputeStatusLost)
	equal(t, "retrieved dispute", must(sc.V1Disputes.Retrieve(ctx, second.ID, nil)).Status, stripe.DisputeStatusLost)
}

func TestCustomerShipping(t *testing.T) {
	defer guard(t)
	customer := must(sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{
		Name: stripe.String("Asha"),
		Shipping: &stripe.CustomerCreateShippingParams{
			Name:    stripe.String("Asha Verma"),
			Phone:   stripe.String("+91 98765 43210"),
			Address: &stripe.AddressParams{Line1: stripe.String("12 MG Road"), City: stripe.String("Bengaluru"), Country: stripe.String("IN")},
		},
	}))
	equal(t, "shipping name", customer.Shipping.Name, "Asha Verma")
	equal(t, "shipping line1", customer.Shipping.Address.Line1, "12 MG Road")
	equal(t, "shipping country", customer.Shipping.Address.Country, "IN")
	updated := must(sc.V1Customers.Update(ctx, customer.ID, &stripe.CustomerUpdateParams{
		Shipping: &stripe.CustomerUpdateShippingParams{
			Name:    stripe.String("Ravi"),
			Address: &stripe.AddressParams{Line1: stripe.String("4 Park St")},
		},
	}))
	equal(t, "updated shipping name", updated.Shipping.Name, "Ravi")
	equal(t, "updated shipping city", updated.Shipping.Address.City, "")
	equal(t, "retrieved shipping", must(sc.V1Customers.Retrieve(ctx, customer.ID, nil)).Shipping.Address.Line1, "4 Park St")
	// shipping= (an empty value) removes it, as in Stripe.
	clear := &stripe.CustomerUpdateParams{}
	clear.AddExtra("shipping", "")
	cleared := must(sc.V1Customers.Update(ctx, customer.ID, clear))
	if cleared.Shipping != nil {
		t.Fatalf("shipping after shipping=: got %+v, want none", cleared.Shipping)
	}
}

func TestCustomersAndSavedCards(t *testing.T) {
	defer guard(t)
	email := fmt.Sprintf("go.%d@example.com", time.Now().UnixNano())
	createParams := &stripe.CustomerCreateParams{Email: stripe.String(email), Name: stripe.String("Asha")}
	createParams.AddMetadata("crm", "17")
	customer := must(sc.V1Customers.Create(ctx, createParams))
	hasPrefix(t, "customer id", customer.ID, "cus_")
	equal(t, "metadata", customer.Metadata["crm"], "17")
	updateParams := &stripe.CustomerUpdateParams{Name: stripe.String("Asha K")}
	updateParams.AddMetadata("tier", "gold")
	updated := must(sc.V1Customers.Update(ctx, customer.ID, updateParams))
	equal(t, "name", updated.Name, "Asha K")
	equal(t, "merged metadata", fmt.Sprint(updated.Metadata), "map[crm:17 tier:gold]")
	unsetParams := &stripe.CustomerUpdateParams{}
	unsetParams.AddMetadata("crm", "")
	equal(t, "unset metadata", fmt.Sprint(must(sc.V1Customers.Update(ctx, customer.ID, unsetParams)).Metadata), "map[tier:gold]")
	equal(t, "retrieved", must(sc.V1Customers.Retrieve(ctx, customer.ID, nil)).Name, "Asha K")
	var listed []string
	for item, err := range sc.V1Customers.List(ctx, &stripe.CustomerListParams{Email: stripe.String(email)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, item.ID)
	}
	equal(t, "listed", strings.Join(listed, ","), customer.ID)

	first := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:           stripe.Int64(1200),
		Currency:         stripe.String("usd"),
		Customer:         stripe.String(customer.ID),
		PaymentMethod:    stripe.String("pm_card_visa"),
		SetupFutureUsage: stripe.String("off_session"),
		Confirm:          stripe.Bool(true),
	}))
	equal(t, "status", first.Status, stripe.PaymentIntentStatusSucceeded)
	expandCustomer := &stripe.PaymentIntentRetrieveParams{}
	expandCustomer.AddExpand("customer")
	expanded := must(sc.V1PaymentIntents.Retrieve(ctx, first.ID, expandCustomer))
	equal(t, "expanded customer email", expanded.Customer.Email, email)
	var saved []*stripe.PaymentMethod
	for item, err := range sc.V1PaymentMethods.List(ctx, &stripe.PaymentMethodListParams{
		Customer: stripe.String(customer.ID), Type: stripe.String("card"),
	}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		saved = append(saved, item)
	}
	equal(t, "saved cards", len(saved), 1)
	card := saved[0]
	hasPrefix(t, "saved card id", card.ID, "pm_")
	equal(t, "last4", card.Card.Last4, "4242")
	equal(t, "customer", card.Customer.ID, customer.ID)
	var viaCustomer []string
	for item, err := range sc.V1Customers.ListPaymentMethods(ctx, &stripe.CustomerListPaymentMethodsParams{Customer: stripe.String(customer.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		viaCustomer = append(viaCustomer, item.ID)
	}
	equal(t, "customer payment methods", strings.Join(viaCustomer, ","), card.ID)
	equal(t, "retrieved card", must(sc.V1PaymentMethods.Retrieve(ctx, card.ID, nil)).ID, card.ID)

	later := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(800),
		Currency:      stripe.String("usd"),
		Customer:      stripe.String(customer.ID),
		PaymentMethod: stripe.String(card.ID),
		OffSession:    stripe.Bool(true),
		Confirm:       stripe.Bool(true),
	}))
	equal(t, "off-session status", later.Status, stripe.PaymentIntentStatusSucceeded)
	var ofCustomer []string
	for item, err := range sc.V1PaymentIntents.List(ctx, &stripe.PaymentIntentListParams{Customer: stripe.String(customer.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ofCustomer = append(ofCustomer, item.ID)
	}
	equal(t, "customer's intents", strings.Join(ofCustomer, ","), later.ID+","+first.ID)
	detached := must(sc.V1PaymentMethods.Detach(ctx, card.ID, nil))
	if detached.Customer != nil {
		t.Fatalf("detached card still belongs to %s", detached.Customer.ID)
	}

	deleted := must(sc.V1Customers.Delete(ctx, customer.ID, nil))
	equal(t, "deleted", deleted.Deleted, true)
	// As in Stripe, a deleted customer still retrieves, with Deleted set.
	gone := must(sc.V1Customers.Retrieve(ctx, customer.ID, nil))
	equal(t, "retrieved deleted id", gone.ID, customer.ID)
	equal(t, "retrieved deleted", gone.Deleted, true)
}

func TestCheckoutSessions(t *testing.T) {
	defer guard(t)
	merchantKey := newMerchantKey(t, "go-checkout")
	client := clientFor(stripeBase, merchantKey)
	hook := startReceiver()
	defer hook.Close()
	endpoint := must(client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{
		URL:           stripe.String(hook.URL + "/webhooks"),
		EnabledEvents: stripe.StringSlice([]string{"checkout.session.completed", "checkout.session.expired"}),
	}))
	line := func(currency string, amount int64, name string, quantity int64) *stripe.CheckoutSessionCreateLineItemParams {
		return &stripe.CheckoutSessionCreateLineItemParams{
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(currency),
				UnitAmount:  stripe.Int64(amount),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(name)},
			},
			Quantity: stripe.Int64(quantity),
		}
	}
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String("payment"),
		LineItems:         []*stripe.CheckoutSessionCreateLineItemParams{line("usd", 1500, "T-shirt", 2), line("usd", 500, "Sticker", 1)},
		ClientReferenceID: stripe.String("order-77"),
		SuccessURL:        stripe.String("https://shop.example/success?session_id={CHECKOUT_SESSION_ID}"),
		CancelURL:         stripe.String("https://shop.example/cart"),
	}
	params.AddMetadata("cart", "c-9")
	session := must(client.V1CheckoutSessions.Create(ctx, params))
	hasPrefix(t, "session id", session.ID, "cs_test_")
	equal(t, "amount_total", session.AmountTotal, 3500)
	equal(t, "status", session.Status, stripe.CheckoutSessionStatusOpen)
	equal(t, "client_reference_id", session.ClientReferenceID, "order-77")
	equal(t, "success_url", session.SuccessURL, "https://shop.example/success?session_id="+session.ID)
	equal(t, "metadata", session.Metadata["cart"], "c-9")
	if session.URL == "" {
		t.Fatal("no hosted checkout url")
	}

	// Line items, a page of one at a time (stripe-go's iterator follows has_more).
	var items []string
	for item, err := range client.V1CheckoutSessions.ListLineItems(ctx, &stripe.CheckoutSessionListLineItemsParams{
		Session: stripe.String(session.ID), ListParams: stripe.ListParams{Limit: stripe.Int64(1)},
	}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, fmt.Sprintf("%s×%d=%d", item.Description, item.Quantity, item.AmountTotal))
	}
	equal(t, "line items", strings.Join(items, ","), "T-shirt×2=3000,Sticker×1=500")

	// What the hosted page does when the shopper pays by card.
	var payment struct {
		ID           string `json:"id"`
		ClientSecret string `json:"client_secret"`
		ReturnURL    string `json:"return_url"`
	}
	equal(t, "expe payment", expeAs(t, merchantKey, "GET", "/v1/payments/"+expeID(session.PaymentIntent.ID), nil, &payment), 200)
	equal(t, "return_url", payment.ReturnURL, "https://shop.example/success?session_id="+session.ID)
	// The hosted page's call carries no API key: the client secret authorizes it.
	status := expeAs(t, "", "POST", "/v1/payments/"+payment.ID+"/confirm", map[string]any{
		"client_secret": payment.ClientSecret,
		"method":        "card",
		"card":          map[string]any{"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
	}, nil)
	equal(t, "hosted confirm", status, 200)
	delivery := hook.waitFor(t, 1)[0]
	event, err := webhook.ConstructEventWithOptions([]byte(delivery[0]), delivery[1], endpoint.Secret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		t.Fatalf("signature: %v", err)
	}
	equal(t, "event type", string(event.Type), "checkout.session.completed")
	equal(t, "event session", event.Data.Object["id"], any(session.ID))
	equal(t, "event client_reference_id", event.Data.Object["client_reference_id"], any("order-77"))

	retrieveParams := &stripe.CheckoutSessionRetrieveParams{}
	retrieveParams.AddExpand("payment_intent")
	retrieveParams.AddExpand("line_items")
	completed := must(client.V1CheckoutSessions.Retrieve(ctx, session.ID, retrieveParams))
	equal(t, "status", completed.Status, stripe.CheckoutSessionStatusComplete)
	equal(t, "payment_status", completed.PaymentStatus, stripe.CheckoutSessionPaymentStatusPaid)
	equal(t, "payment_intent.status", completed.PaymentIntent.Status, stripe.PaymentIntentStatusSucceeded)
	equal(t, "expanded line items", len(completed.LineItems.Data), 2)

	other := must(client.V1CheckoutSessions.Create(ctx, &stripe.CheckoutSessionCreateParams{
		Mode:      stripe.String("payment"),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{line("inr", 9900, "Tea", 1)},
	}))
	listed := func(params *stripe.CheckoutSessionListParams) string {
		var ids []string
		for item, err := range client.V1CheckoutSessions.List(ctx, params).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, item.ID)
		}
		return strings.Join(ids, ",")
	}
	equal(t, "list", listed(&stripe.CheckoutSessionListParams{}), other.ID+","+session.ID)
	equal(t, "list by payment_intent", listed(&stripe.CheckoutSessionListParams{PaymentIntent: stripe.String(session.PaymentIntent.ID)}), session.ID)
	equal(t, "list open", listed(&stripe.CheckoutSessionListParams{Status: stripe.String("open")}), other.ID)

	expired := must(client.V1CheckoutSessions.Expire(ctx, other.ID, nil))
	equal(t, "expired", expired.Status, stripe.CheckoutSessionStatusExpired)
	_, err = client.V1CheckoutSessions.Expire(ctx, other.ID, nil)
	equal(t, "expire again", string(stripeError(t, err).Code), "checkout_session_unexpected_state")
	_, err = client.V1CheckoutSessions.Retrieve(ctx, "cs_test_123", nil)
	equal(t, "unknown session", string(stripeError(t, err).Code), "resource_missing")
	_, err = client.V1CheckoutSessions.Create(ctx, &stripe.CheckoutSessionCreateParams{
		Mode:      stripe.String("payment"),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{line("usd", 100, "A", 1), line("eur", 100, "B", 1)},
	})
	equal(t, "param", stripeError(t, err).Param, "line_items[1][price_data][currency]")
}

func TestPaymentMethodsAndSetupIntents(t *testing.T) {
	defer guard(t)
	customer := must(sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Name: stripe.String("Go setup")}))
	createParams := &stripe.PaymentMethodCreateParams{
		Type:           stripe.String("card"),
		Card:           &stripe.PaymentMethodCreateCardParams{Token: stripe.String("tok_visa")},
		BillingDetails: &stripe.PaymentMethodCreateBillingDetailsParams{Name: stripe.String("Asha")},
	}
	createParams.AddMetadata("keep", "yes")
	createParams.AddMetadata("drop", "me")
	created := must(sc.V1PaymentMethods.Create(ctx, createParams))
	hasPrefix(t, "payment method id", created.ID, "pm_")
	equal(t, "last4", created.Card.Last4, "4242")
	equal(t, "funding", created.Card.Funding, stripe.CardFundingCredit)
	if created.Customer != nil {
		t.Fatalf("a new PaymentMethod belongs to %s", created.Customer.ID)
	}
	fromNumber := must(sc.V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{
		Type: stripe.String("card"),
		Card: &stripe.PaymentMethodCreateCardParams{
			Number: stripe.String("4242424242424242"), ExpMonth: stripe.Int64(6), ExpYear: stripe.Int64(2040), CVC: stripe.String("123"),
		},
	}))
	equal(t, "fingerprint", fromNumber.Card.Fingerprint, created.Card.Fingerprint)

	updateParams := &stripe.PaymentMethodUpdateParams{
		BillingDetails: &stripe.PaymentMethodUpdateBillingDetailsParams{Email: stripe.String("asha@example.com")},
		Card:           &stripe.PaymentMethodUpdateCardParams{ExpMonth: stripe.Int64(7), ExpYear: stripe.Int64(2041)},
	}
	updateParams.AddMetadata("drop", "")
	updated := must(sc.V1PaymentMethods.Update(ctx, created.ID, updateParams))
	equal(t, "billing name kept", updated.BillingDetails.Name, "Asha")
	equal(t, "billing email", updated.BillingDetails.Email, "asha@example.com")
	equal(t, "merged metadata", fmt.Sprint(updated.Metadata), "map[keep:yes]")
	equal(t, "exp_month", updated.Card.ExpMonth, int64(7))

	attached := must(sc.V1PaymentMethods.Attach(ctx, created.ID, &stripe.PaymentMethodAttachParams{Customer: stripe.String(customer.ID)}))
	equal(t, "attached to", attached.Customer.ID, customer.ID)
	fromTest := must(sc.V1PaymentMethods.Attach(ctx, "pm_card_mastercard", &stripe.PaymentMethodAttachParams{Customer: stripe.String(customer.ID)}))
	hasPrefix(t, "test PaymentMethod attached as", fromTest.ID, "pm_")
	if fromTest.ID == "pm_card_mastercard" {
		t.Fatal("a test PaymentMethod attached keeps its name instead of becoming a new pm_")
	}
	var listed []string
	for item, err := range sc.V1PaymentMethods.List(ctx, &stripe.PaymentMethodListParams{Customer: stripe.String(customer.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, item.ID)
	}
	equal(t, "customer's PaymentMethods", len(listed), 2)
	charged := must(sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(700),
		Currency:      stripe.String("usd"),
		Customer:      stripe.String(customer.ID),
		PaymentMethod: stripe.String(created.ID),
		OffSession:    stripe.Bool(true),
		Confirm:       stripe.Bool(true),
	}))
	equal(t, "off-session charge", charged.Status, stripe.PaymentIntentStatusSucceeded)
	_, err := sc.V1PaymentMethods.Attach(ctx, "pm_card_chargeDeclined", &stripe.PaymentMethodAttachParams{Customer: stripe.String(customer.ID)})
	equal(t, "declined attach", stripeError(t, err).Code, stripe.ErrorCodeCardDeclined)
	must(sc.V1PaymentMethods.Detach(ctx, created.ID, nil))
	_, err = sc.V1PaymentMethods.Attach(ctx, created.ID, &stripe.PaymentMethodAttachParams{Customer: stripe.String(customer.ID)})
	equal(t, "reattach status", stripeError(t, err).HTTPStatusCode, 400)

	setup := must(sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{
		Customer:      stripe.String(customer.ID),
		PaymentMethod: stripe.String("pm_card_visa"),
		Usage:         stripe.String("off_session"),
		Confirm:       stripe.Bool(true),
	}))
	hasPrefix(t, "setup intent id", setup.ID, "seti_")
	equal(t, "setup status", setup.Status, stripe.SetupIntentStatusSucceeded)
	equal(t, "setup usage", setup.Usage, stripe.SetupIntentUsageOffSession)
	saved := must(sc.V1PaymentMethods.Retrieve(ctx, setup.PaymentMethod.ID, nil))
	equal(t, "set-up card's customer", saved.Customer.ID, customer.ID)

	challenged := must(sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{
		Customer:      stripe.String(customer.ID),
		PaymentMethod: stripe.String("pm_card_authenticationRequired"),
		Confirm:       stripe.Bool(true),
		ReturnURL:     stripe.String("https://shop.example/card-saved"),
	}))
	equal(t, "3-D Secure setup", challenged.Status, stripe.SetupIntentStatusRequiresAction)
	equal(t, "setup return_url", challenged.NextAction.RedirectToURL.ReturnURL, "https://shop.example/card-saved")
	if !strings.Contains(challenged.NextAction.RedirectToURL.URL, "/pay/"+challenged.ID+"/authenticate") {
		t.Fatalf("next_action is %s", challenged.NextAction.RedirectToURL.URL)
	}
	status := expe(t, "POST", "/v1/setup_intents/"+challenged.ID+"/authenticate",
		map[string]string{"client_secret": challenged.ClientSecret, "outcome": "complete"}, nil)
	equal(t, "authenticate", status, 200)
	equal(t, "after the challenge", must(sc.V1SetupIntents.Retrieve(ctx, challenged.ID, nil)).Status, stripe.SetupIntentStatusSucceeded)

	pending := must(sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Customer: stripe.String(customer.ID)}))
	equal(t, "pending status", pending.Status, stripe.SetupIntentStatusRequiresPaymentMethod)
	setupUpdate := &stripe.SetupIntentUpdateParams{PaymentMethod: stripe.String("pm_card_chargeDeclined")}
	setupUpdate.AddMetadata("try", "1")
	withMethod := must(sc.V1SetupIntents.Update(ctx, pending.ID, setupUpdate))
	equal(t, "with a method", withMethod.Status, stripe.SetupIntentStatusRequiresConfirmation)
	_, err = sc.V1SetupIntents.Confirm(ctx, pending.ID, nil)
	declined := stripeError(t, err)
	equal(t, "declined setup", declined.Code, stripe.ErrorCodeCardDeclined)
	equal(t, "decline code", declined.DeclineCode, stripe.DeclineCodeGenericDecline)
	failed := must(sc.V1SetupIntents.Retrieve(ctx, pending.ID, nil))
	equal(t, "failed setup", failed.Status, stripe.SetupIntentStatusRequiresPaymentMethod)
	equal(t, "last_setup_error", failed.LastSetupError.Code, stripe.ErrorCodeCardDeclined)
	canceled := must(sc.V1SetupIntents.Cancel(ctx, pending.ID, &stripe.SetupIntentCancelParams{CancellationReason: stripe.String("abandoned")}))
	equal(t, "canceled", canceled.Status, stripe.SetupIntentStatusCanceled)
	_, err = sc.V1SetupIntents.Confirm(ctx, pending.ID, nil)
	equal(t, "confirm canceled", stripeError(t, err).Code, stripe.ErrorCodeSetupIntentUnexpectedState)
	// Confirm on its own, the card given at confirm: succeeded, and the card saved to the customer.
	later := must(sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Customer: stripe.String(customer.ID)}))
	confirmed := must(sc.V1SetupIntents.Confirm(ctx, later.ID, &stripe.SetupIntentConfirmParams{PaymentMethod: stripe.String("pm_card_visa")}))
	equal(t, "confirmed setup", confirmed.Status, stripe.SetupIntentStatusSucceeded)
	confirmedCard := must(sc.V1PaymentMethods.Retrieve(ctx, confirmed.PaymentMethod.ID, nil))
	equal(t, "confirmed card's customer", confirmedCard.Customer.ID, customer.ID)
	equal(t, "confirmed card", confirmedCard.Card.Last4, "4242")
	var setups []string
	for item, err := range sc.V1SetupIntents.List(ctx, &stripe.SetupIntentListParams{Customer: stripe.String(customer.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		setups = append(setups, item.ID)
	}
	equal(t, "listed setups", strings.Join(setups, ","), later.ID+","+pending.ID+","+challenged.ID+","+setup.ID)
}

// Charges are Expe's own: one per attempt, failed ones included, listed, updated and captured.
func TestCharges(t *testing.T) {
	defer guard(t)
	client := clientFor(stripeBase, newMerchantKey(t, "go-charges"))
	intent := must(client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount: stripe.Int64(4200), Currency: stripe.String("usd"),
	}))
	_, err := client.V1PaymentIntents.Confirm(ctx, intent.ID, &stripe.PaymentIntentConfirmParams{
		PaymentMethod: stripe.String("pm_card_chargeDeclined"),
	})
	equal(t, "decline", stripeError(t, err).Type, stripe.ErrorTypeCard)
	paid := must(client.V1PaymentIntents.Confirm(ctx, intent.ID, &stripe.PaymentIntentConfirmParams{
		PaymentMethod: stripe.String("pm_card_visa"),
	}))

	list := &stripe.ChargeListParams{PaymentIntent: stripe.String(intent.ID)}
	var charges []*stripe.Charge
	for charge, err := range client.V1Charges.List(ctx, list).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		charges = append(charges, charge)
	}
	equal(t, "attempts", len(charges), 2)
	succeeded, failed := charges[0], charges[1]
	equal(t, "latest_charge", succeeded.ID, paid.LatestCharge.ID)
	equal(t, "succeeded status", succeeded.Status, stripe.ChargeStatusSucceeded)
	equal(t, "last4", succeeded.PaymentMethodDetails.Card.Last4, "4242")
	equal(t, "outcome", succeeded.Outcome.Type, "authorized")
	hasPrefix(t, "balance_transaction", succeeded.BalanceTransaction.ID, "txn_")
	equal(t, "receipt_url", strings.Contains(succeeded.ReceiptURL, "/receipts/"+succeeded.ID+"#"), true)
	equal(t, "failed status", failed.Status, stripe.ChargeStatusFailed)
	equal(t, "failure_code", failed.FailureCode, "card_declined")
	equal(t, "failed outcome", failed.Outcome.NetworkStatus, "declined_by_network")
	equal(t, "failed paid", failed.Paid, false)

	update := &stripe.ChargeUpdateParams{Description: stripe.String("Two cups")}
	update.AddMetadata("order", "G-1")
	update.AddMetadata("gift", "yes")
	must(client.V1Charges.Update(ctx, succeeded.ID, update))
	unset := &stripe.ChargeUpdateParams{}
	unset.AddMetadata("gift", "")
	updated := must(client.V1Charges.Update(ctx, succeeded.ID, unset))
	equal(t, "description", updated.Description, "Two cups")
	equal(t, "metadata", fmt.Sprint(updated.Metadata), "map[order:G-1]")

	held := must(client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(9000),
		Currency:      stripe.String("usd"),
		CaptureMethod: stripe.String("manual"),
		PaymentMethod: stripe.String("pm_card_visa"),
		Confirm:       stripe.Bool(true),
	}))
	captured := must(client.V1Charges.Capture(ctx, held.LatestCharge.ID, &stripe.ChargeCaptureParams{
		Amount: stripe.Int64(6000),
	}))
	equal(t, "captured", captured.Captured, true)
	equal(t, "amount_captured", captured.AmountCaptured, 6000)
	after := must(client.V1PaymentIntents.Retrieve(ctx, held.ID, nil))
	equal(t, "amount_received", after.AmountReceived, 6000)
	_, err = client.V1Charges.Capture(ctx, held.LatestCharge.ID, nil)
	equal(t, "second capture", stripeError(t, err).Code, stripe.ErrorCode("charge_already_captured"))
}
