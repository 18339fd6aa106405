package twilio_test

import (
	"net/http"
	"net/url"
	"testing"

	"dispatchbot/adapters/twilio/twiliotest"
)

// FuzzInbound posts arbitrary form bodies, signed correctly when they parse,
// through the webhook: nothing panics, every answer is one of the documented
// statuses, and only a 200 reaches the handler.
func FuzzInbound(f *testing.F) {
	f.Add(inboundForm().Encode())
	f.Add("Body=%zz&From=" + url.QueryEscape(customer))
	f.Add("MessageSid=SM1&From=whatsapp%3A%2B447700900123&To=%2B441234567890&Body=hi&NumMedia=2&MediaUrl0=https%3A%2F%2Fx%2Fa")
	f.Add("To=" + url.QueryEscape(acmeNumber) + "&From=notanumber&MessageSid=SM2")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		env := newWebhookEnv(t, "")
		form, err := url.ParseQuery(body)
		sig := ""
		if err == nil {
			sig = twiliotest.Sign(acmeToken, "http://example.com"+inboundPath, form)
		}
		req := postForm(inboundPath, body, sig)
		calls := env.h.calls()
		rec := env.serve(req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound,
			http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("status %d for body %q", rec.Code, body)
		}
		if got := env.h.calls() - calls; (rec.Code == http.StatusOK) != (got == 1) {
			t.Fatalf("status %d with %d handler calls for body %q", rec.Code, got, body)
		}
	})
}
