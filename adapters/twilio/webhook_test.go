package twilio_test

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"dispatchbot/adapters/twilio"
	"dispatchbot/adapters/twilio/twiliotest"
	"dispatchbot/bot"
)

const (
	inboundPath = "/webhooks/twilio"
	statusPath  = "/webhooks/twilio/status"
	// httptest.NewRequest's host; with no PublicURL the webhook checks
	// signatures against http://example.com/...
	ownBase    = "http://example.com"
	publicBase = "https://bot.example.org"
	emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`
)

// webhookEnv is an echo router serving one Webhook with a fake handler.
type webhookEnv struct {
	e   *echo.Echo
	h   *fakeHandler
	obs *fakeObserver
}

func newWebhookEnv(tb testing.TB, publicURL string) *webhookEnv {
	tb.Helper()
	env := &webhookEnv{e: echo.New(), h: &fakeHandler{}, obs: &fakeObserver{}}
	w := twilio.NewWebhook(testCompanies(), env.h, twilio.WebhookOptions{
		PublicURL: publicURL, Observer: env.obs, Now: func() time.Time { return fixedNow },
	})
	env.e.Use(middleware.BodyLimit("4K"))
	env.e.POST(inboundPath, w.Inbound)
	env.e.POST(statusPath, w.Status)
	return env
}

func (env *webhookEnv) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	env.e.ServeHTTP(rec, req)
	return rec
}

// postForm builds a form POST to target carrying sig (none when "").
func postForm(target, body, sig string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	if sig != "" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	return req
}

// signed builds a form POST to target signed with token over base+target.
func signed(token, base, target string, form url.Values) *http.Request {
	return postForm(target, form.Encode(), twiliotest.Sign(token, base+target, form))
}

// inboundForm is what Twilio posts for an SMS to acme.
func inboundForm() url.Values {
	return url.Values{
		"MessageSid": {"SM0123456789abcdef0123456789abcdef"},
		"SmsSid":     {"SM0123456789abcdef0123456789abcdef"},
		"AccountSid": {acmeSID},
		"From":       {customer},
		"To":         {acmeNumber},
		"Body":       {"My boiler is leaking"},
		"NumMedia":   {"0"},
	}
}

func errorMessage(tb testing.TB, rec *httptest.ResponseRecorder) string {
	tb.Helper()
	var body struct{ Message string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		tb.Fatalf("error body %q is not JSON: %v", rec.Body.String(), err)
	}
	return body.Message
}

func TestInbound_Accepted(t *testing.T) {
	whatsapp := inboundForm()
	whatsapp.Set("From", "whatsapp:"+customer)
	whatsapp.Set("To", "whatsapp:"+boltNumber)
	mms := inboundForm()
	mms.Set("Body", "")
	mms.Set("NumMedia", "1")
	mms.Set("MediaUrl0", "https://api.twilio.com/media/ME1")
	smsOnly := inboundForm()
	smsOnly.Del("MessageSid")

	tests := []struct {
		name      string
		publicURL string
		base      string // what the request is signed against
		token     string
		form      url.Values
		want      bot.Inbound
	}{
		{
			name: "sms/own url", base: ownBase, token: acmeToken, form: inboundForm(),
			want: bot.Inbound{Company: "acme", From: bot.Address{Channel: bot.SMS, ID: customer}, Via: acmeNumber,
				Text: "My boiler is leaking", ProviderID: "SM0123456789abcdef0123456789abcdef", At: fixedNow},
		},
		{
			name: "sms/public url with trailing slash", publicURL: publicBase + "/", base: publicBase, token: acmeToken, form: inboundForm(),
			want: bot.Inbound{Company: "acme", From: bot.Address{Channel: bot.SMS, ID: customer}, Via: acmeNumber,
				Text: "My boiler is leaking", ProviderID: "SM0123456789abcdef0123456789abcdef", At: fixedNow},
		},
		{
			name: "whatsapp", base: ownBase, token: boltToken, form: whatsapp,
			want: bot.Inbound{Company: "bolt", From: bot.Address{Channel: bot.WhatsApp, ID: customer}, Via: boltNumber,
				Text: "My boiler is leaking", ProviderID: "SM0123456789abcdef0123456789abcdef", At: fixedNow},
		},
		{
			name: "mms without text", base: ownBase, token: acmeToken, form: mms,
			want: bot.Inbound{Company: "acme", From: bot.Address{Channel: bot.SMS, ID: customer}, Via: acmeNumber,
				Text: "", Media: []string{"https://api.twilio.com/media/ME1"}, ProviderID: "SM0123456789abcdef0123456789abcdef", At: fixedNow},
		},
		{
			name: "SmsSid only", base: ownBase, token: acmeToken, form: smsOnly,
			want: bot.Inbound{Company: "acme", From: bot.Address{Channel: bot.SMS, ID: customer}, Via: acmeNumber,
				Text: "My boiler is leaking", ProviderID: "SM0123456789abcdef0123456789abcdef", At: fixedNow},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newWebhookEnv(t, tt.publicURL)
			rec := env.serve(signed(tt.token, tt.base, inboundPath, tt.form))
			if rec.Code != http.StatusOK {
				t.Fatalf("POST %s = %d %s, want 200", inboundPath, rec.Code, rec.Body)
			}
			if got := rec.Body.String(); got != emptyTwiML {
				t.Errorf("body = %q, want %q", got, emptyTwiML)
			}
			if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, "text/xml") {
				t.Errorf("Content-Type = %q, want text/xml", ct)
			}
			if diff := cmp.Diff([]bot.Inbound{tt.want}, env.h.inbound); diff != "" {
				t.Errorf("Handle calls (-want +got):\n%s", diff)
			}
			if !env.h.hadDeadline {
				t.Error("Handle got a context without deadline, want the processing budget")
			}
			if got := env.obs.snapshot(); len(got) != 0 {
				t.Errorf("observer counts = %v, want none", got)
			}
		})
	}
}

func TestInbound_QueryStringIsSignedAsURL(t *testing.T) {
	env := newWebhookEnv(t, "")
	target := inboundPath + "?co=acme"
	rec := env.serve(signed(acmeToken, ownBase, target, inboundForm()))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST %s signed over URL with query = %d %s, want 200", target, rec.Code, rec.Body)
	}
	if env.h.calls() != 1 {
		t.Errorf("Handle called %d times, want 1", env.h.calls())
	}
}

func TestInbound_Rejected(t *testing.T) {
	tampered := func() *http.Request {
		form := inboundForm()
		sig := twiliotest.Sign(acmeToken, ownBase+inboundPath, form)
		form.Set("Body", "My boiler is fine")
		return postForm(inboundPath, form.Encode(), sig)
	}
	queryInParams := func() *http.Request {
		target := inboundPath + "?co=acme"
		form := inboundForm()
		signedForm := inboundForm()
		signedForm.Set("co", "acme") // Twilio signs POST params only
		return postForm(target, form.Encode(), twiliotest.Sign(acmeToken, ownBase+target, signedForm))
	}
	without := func(key string) url.Values {
		f := inboundForm()
		f.Del(key)
		return f
	}
	with := func(key, value string) url.Values {
		f := inboundForm()
		f.Set(key, value)
		return f
	}
	tests := []struct {
		name     string
		req      func() *http.Request
		wantCode int
		wantMsg  string
	}{
		{"changed parameter", tampered, http.StatusForbidden, "invalid signature"},
		{"wrong token", func() *http.Request { return signed(boltToken, ownBase, inboundPath, inboundForm()) },
			http.StatusForbidden, "invalid signature"},
		{"no signature", func() *http.Request { return postForm(inboundPath, inboundForm().Encode(), "") },
			http.StatusForbidden, "invalid signature"},
		{"signed for https", func() *http.Request { return signed(acmeToken, "https://example.com", inboundPath, inboundForm()) },
			http.StatusForbidden, "invalid signature"},
		{"forwarded proto is not trusted", func() *http.Request {
			r := signed(acmeToken, "https://example.com", inboundPath, inboundForm())
			r.Header.Set("X-Forwarded-Proto", "https")
			return r
		}, http.StatusForbidden, "invalid signature"},
		{"query string in params", queryInParams, http.StatusForbidden, "invalid signature"},
		{"unknown To", func() *http.Request {
			return signed(acmeToken, ownBase, inboundPath, with("To", "+15550001111"))
		}, http.StatusNotFound, "unknown destination number"},
		{"missing To", func() *http.Request { return signed(acmeToken, ownBase, inboundPath, without("To")) },
			http.StatusBadRequest, "missing To"},
		{"malformed body", func() *http.Request { return postForm(inboundPath, "Body=%zz&To=%2B441234567890", "x") },
			http.StatusBadRequest, "malformed form"},
		{"missing MessageSid", func() *http.Request {
			f := without("MessageSid")
			f.Del("SmsSid")
			return signed(acmeToken, ownBase, inboundPath, f)
		}, http.StatusBadRequest, "missing MessageSid"},
		{"From not E.164", func() *http.Request {
			return signed(acmeToken, ownBase, inboundPath, with("From", "07700900123"))
		}, http.StatusBadRequest, "malformed From"},
		{"From too short", func() *http.Request {
			return signed(acmeToken, ownBase, inboundPath, with("From", "+1234567"))
		}, http.StatusBadRequest, "malformed From"},
		{"From missing", func() *http.Request { return signed(acmeToken, ownBase, inboundPath, without("From")) },
			http.StatusBadRequest, "malformed From"},
		{"whatsapp From to sms number", func() *http.Request {
			return signed(acmeToken, ownBase, inboundPath, with("From", "whatsapp:"+customer))
		}, http.StatusBadRequest, "malformed From"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newWebhookEnv(t, "")
			rec := env.serve(tt.req())
			if rec.Code != tt.wantCode {
				t.Fatalf("POST %s = %d %s, want %d", inboundPath, rec.Code, rec.Body, tt.wantCode)
			}
			if got := errorMessage(t, rec); got != tt.wantMsg {
				t.Errorf("error message = %q, want %q", got, tt.wantMsg)
			}
			if n := env.h.calls(); n != 0 {
				t.Errorf("Handle called %d times, want 0", n)
			}
			want := map[string]int{"sms/" + bot.OutcomeRejected: 1}
			if diff := cmp.Diff(want, env.obs.snapshot()); diff != "" {
				t.Errorf("observer counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInbound_PublicURLMismatch(t *testing.T) {
	// Behind a proxy the request's own URL is internal; only PUBLIC_URL matches.
	env := newWebhookEnv(t, publicBase)
	rec := env.serve(signed(acmeToken, ownBase, inboundPath, inboundForm()))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("POST signed over own URL with PublicURL set = %d, want 403", rec.Code)
	}
}

func TestInbound_BodyTooLarge(t *testing.T) {
	env := newWebhookEnv(t, "")
	form := inboundForm()
	form.Set("Body", strings.Repeat("a", 8<<10))
	// A body of unknown length passes BodyLimit's Content-Length check and
	// fails while ParseForm reads it.
	req := httptest.NewRequest(http.MethodPost, inboundPath, io.MultiReader(strings.NewReader(form.Encode())))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	rec := env.serve(req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("POST %d-byte form = %d %s, want 413", len(form.Encode()), rec.Code, rec.Body)
	}
	if n := env.h.calls(); n != 0 {
		t.Errorf("Handle called %d times, want 0", n)
	}
}

func TestInbound_HandleError(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
	}{
		{"store down", errors.New("redis: connection refused"), http.StatusServiceUnavailable},
		{"duplicate is success", bot.ErrDuplicate, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newWebhookEnv(t, "")
			env.h.err = tt.err
			rec := env.serve(signed(acmeToken, ownBase, inboundPath, inboundForm()))
			if rec.Code != tt.wantCode {
				t.Fatalf("POST with Handle error %v = %d %s, want %d", tt.err, rec.Code, rec.Body, tt.wantCode)
			}
			if tt.wantCode == http.StatusServiceUnavailable {
				if got := errorMessage(t, rec); got != "temporarily unavailable" {
					t.Errorf("error message = %q, want %q", got, "temporarily unavailable")
				}
				if strings.Contains(rec.Body.String(), "redis") {
					t.Errorf("body %q leaks the internal error", rec.Body)
				}
			}
		})
	}
}

// statusForm is what Twilio posts when an SMS from acme failed.
func statusForm() url.Values {
	return url.Values{
		"MessageSid":    {"SMfeedfacefeedfacefeedfacefeedface"},
		"MessageStatus": {"undelivered"},
		"ErrorCode":     {"30003"},
		"AccountSid":    {acmeSID},
		"From":          {acmeNumber},
		"To":            {customer},
	}
}

func TestStatus(t *testing.T) {
	whatsapp := statusForm()
	whatsapp.Set("From", "whatsapp:"+boltNumber)
	whatsapp.Set("To", "whatsapp:"+customer)
	whatsapp.Set("MessageStatus", "delivered")
	whatsapp.Del("ErrorCode")

	tests := []struct {
		name     string
		req      func() *http.Request
		wantCode int
		want     []bot.DeliveryStatus
	}{
		{
			name: "failed sms", req: func() *http.Request { return signed(acmeToken, ownBase, statusPath, statusForm()) },
			wantCode: http.StatusOK,
			want: []bot.DeliveryStatus{{Company: "acme", To: bot.Address{Channel: bot.SMS, ID: customer},
				ProviderID: "SMfeedfacefeedfacefeedfacefeedface", Status: "undelivered", ErrorCode: "30003", At: fixedNow}},
		},
		{
			name: "delivered whatsapp", req: func() *http.Request { return signed(boltToken, ownBase, statusPath, whatsapp) },
			wantCode: http.StatusOK,
			want: []bot.DeliveryStatus{{Company: "bolt", To: bot.Address{Channel: bot.WhatsApp, ID: customer},
				ProviderID: "SMfeedfacefeedfacefeedfacefeedface", Status: "delivered", At: fixedNow}},
		},
		{
			name:     "bad signature",
			req:      func() *http.Request { return signed(boltToken, ownBase, statusPath, statusForm()) },
			wantCode: http.StatusForbidden,
		},
		{
			name:     "no signature",
			req:      func() *http.Request { return postForm(statusPath, statusForm().Encode(), "") },
			wantCode: http.StatusForbidden,
		},
		{
			name: "unknown From",
			req: func() *http.Request {
				f := statusForm()
				f.Set("From", "+15550001111")
				return signed(acmeToken, ownBase, statusPath, f)
			},
			wantCode: http.StatusNotFound,
		},
		{
			name: "missing status",
			req: func() *http.Request {
				f := statusForm()
				f.Del("MessageStatus")
				return signed(acmeToken, ownBase, statusPath, f)
			},
			wantCode: http.StatusBadRequest,
		},
		{
			name:     "malformed body",
			req:      func() *http.Request { return postForm(statusPath, "From=%zz", "x") },
			wantCode: http.StatusBadRequest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newWebhookEnv(t, "")
			rec := env.serve(tt.req())
			if rec.Code != tt.wantCode {
				t.Fatalf("POST %s = %d %s, want %d", statusPath, rec.Code, rec.Body, tt.wantCode)
			}
			if tt.wantCode == http.StatusOK && rec.Body.Len() != 0 {
				t.Errorf("body = %q, want empty", rec.Body)
			}
			if diff := cmp.Diff(tt.want, env.h.statuses); diff != "" {
				t.Errorf("HandleStatus calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatus_HandleError(t *testing.T) {
	env := newWebhookEnv(t, "")
	env.h.err = errors.New("redis: connection refused")
	rec := env.serve(signed(acmeToken, ownBase, statusPath, statusForm()))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("POST %s with HandleStatus error = %d, want 503", statusPath, rec.Code)
	}
}

func TestInbound_OwnURLOverTLS(t *testing.T) {
	env := newWebhookEnv(t, "")
	req := signed(acmeToken, "https://example.com", inboundPath, inboundForm())
	req.TLS = &tls.ConnectionState{}
	if rec := env.serve(req); rec.Code != http.StatusOK {
		t.Fatalf("POST over TLS signed for https = %d %s, want 200", rec.Code, rec.Body)
	}
}
