package stripego

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// expeID is the Expe id of a Stripe id, for Expe's own API: a PaymentIntent pi_… is the payment
// pay_… (docs/stripe-compatibility.md).
func expeID(stripeID string) string {
	if rest, ok := strings.CutPrefix(stripeID, "pi_"); ok {
		return "pay_" + rest
	}
	return stripeID
}

// newMerchantKey registers a merchant of its own and returns a test secret key, for a test that
// needs a project with nothing else in it (lists, webhook endpoints).
func newMerchantKey(t *testing.T, label string) string {
	t.Helper()
	email := fmt.Sprintf("%s.%d@example.com", label, time.Now().UnixNano())
	var session struct {
		AccessToken string `json:"access_token"`
	}
	status := expeAs(t, "", "POST", "/v1/auth/register", map[string]string{
		"email": email, "password": "correct horse battery", "name": label + " shop", "role": "merchant",
	}, &session)
	equal(t, "register", status, 201)
	var project struct {
		ID string `json:"id"`
	}
	equal(t, "project", expeAs(t, session.AccessToken, "POST", "/v1/projects", map[string]string{"name": label}, &project), 201)
	var apiKey struct {
		Secret string `json:"secret"`
	}
	status = expeAs(t, session.AccessToken, "POST", "/v1/projects/"+project.ID+"/api_keys",
		map[string]string{"name": "server", "mode": "test"}, &apiKey)
	equal(t, "api key", status, 201)
	return apiKey.Secret
}
