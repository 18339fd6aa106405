package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/client"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/twilio"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// recorder is a webhook Handler that keeps what it is given.
type recorder struct {
	mu sync.Mutex
	in []bot.Inbound
}

func (r *recorder) Handle(_ context.Context, in bot.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.in = append(r.in, in)
	return nil
}

func (r *recorder) HandleStatus(context.Context, bot.DeliveryStatus) error { return nil }

func (r *recorder) got() []bot.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Inbound(nil), r.in...)
}

// webhooks serves the real Twilio and Telegram webhooks of the demo company,
// with the Twilio one checking signatures against publicURL ("" for the
// request's own URL).
func webhooks(t *testing.T, publicURL string) (*recorder, string) {
	t.Helper()
	rec := &recorder{}
	cfg := config.Demo()
	e := echo.New()
	e.POST("/webhooks/twilio", twilio.NewWebhook(cfg, rec, twilio.WebhookOptions{PublicURL: publicURL}).Inbound)
	e.POST("/webhooks/telegram/:company", telegram.NewWebhook(cfg, rec, telegram.WebhookOptions{}).Update)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// post sends one message from cu through r and returns the status.
func post(t *testing.T, r *runner, cu customer, text string) int {
	t.Helper()
	req, err := r.request(context.Background(), cu, text)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// TestSignedRequestsPassTheRealCheck posts loadgen's Twilio requests to the
// Twilio adapter's own webhook, which verifies them with twilio-go's
// RequestValidator.
func TestSignedRequestsPassTheRealCheck(t *testing.T) {
	const public = "https://bot.example.com"
	tests := []struct {
		name       string
		publicURL  string // the server's PUBLIC_URL
		signedURL  string // what loadgen signs; "" means the URL it posts to
		token      string
		wantStatus int
	}{
		{"signed for the URL posted to", "", "", "demoauthtoken", http.StatusOK},
		{"signed for PUBLIC_URL", public, public + "/webhooks/twilio", "demoauthtoken", http.StatusOK},
		{"signed for the wrong URL", public, "", "demoauthtoken", http.StatusForbidden},
		{"signed with the wrong token", "", "", "otherauthtoken", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, base := webhooks(t, tt.publicURL)
			tw := twilioAccount{PostURL: base + "/webhooks/twilio", SignedURL: tt.signedURL, AuthToken: tt.token,
				AccountSID: "AC00000000000000000000000000000000", Number: "+441614960000"}
			if tw.SignedURL == "" {
				tw.SignedURL = tw.PostURL
			}
			r := newRunner(plan{Run: 3}, http.DefaultClient, &provider{}, tw, telegramBot{}, io.Discard)
			cu := smsCustomer(3, 42, routineScript)
			if got := post(t, r, cu, "hello, my tap drips & leaks"); got != tt.wantStatus {
				t.Fatalf("POST = %d, want %d", got, tt.wantStatus)
			}
			got := rec.got()
			if tt.wantStatus != http.StatusOK {
				if len(got) != 0 {
					t.Errorf("rejected request reached the bot: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].From.String() != cu.addr || got[0].Text != "hello, my tap drips & leaks" ||
				got[0].ProviderID != messageSID(3, 1) {
				t.Errorf("bot got %+v, want one message from %s with its text and sid %s", got, cu.addr, messageSID(3, 1))
			}
		})
	}
}

// TestSignatureMatchesTwilioGo checks the signatures loadgen sends against
// twilio-go's own validator.
func TestSignatureMatchesTwilioGo(t *testing.T) {
	tw := twilioAccount{AccountSID: "AC1", Number: "+441614960000"}
	form := tw.smsForm("SM1", "+447700900123", "ünïcode, & = + signs")
	const u = "http://127.0.0.1:8080/webhooks/twilio?x=1"
	params := map[string]string{}
	for k, v := range form {
		params[k] = v[0]
	}
	rv := client.NewRequestValidator("tok")
	if sig := twilio.Signature("tok", u, form); !rv.Validate(u, params, sig) {
		t.Errorf("twilio-go refuses the signature %q", sig)
	}
}

// TestTelegramUpdatesPassTheRealWebhook posts loadgen's Telegram updates to
// the Telegram adapter's webhook.
func TestTelegramUpdatesPassTheRealWebhook(t *testing.T) {
	tests := []struct {
		name       string
		secret     string
		wantStatus int
	}{
		{"right secret", "demo-secret", http.StatusOK},
		{"wrong secret", "guess", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, base := webhooks(t, "")
			r := newRunner(plan{Run: 3}, http.DefaultClient, &provider{}, twilioAccount{},
				telegramBot{PostURL: base + "/webhooks/telegram/demo", Secret: tt.secret}, io.Discard)
			cu := tgCustomer(3, 9, routineScript)
			if got := post(t, r, cu, "none"); got != tt.wantStatus {
				t.Fatalf("POST = %d, want %d", got, tt.wantStatus)
			}
			got := rec.got()
			if tt.wantStatus != http.StatusOK {
				if len(got) != 0 {
					t.Errorf("rejected update reached the bot: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].From.String() != cu.addr || got[0].Text != "none" {
				t.Errorf("bot got %+v, want one message %q from %s", got, "none", cu.addr)
			}
		})
	}
}
