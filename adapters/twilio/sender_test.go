package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/twilio"
	"dispatchbot/adapters/twilio/twiliotest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

const callbackURL = "https://bot.example.org/webhooks/twilio/status"

// mustSender returns a Sender for cs that talks to api through twilio-go.
func mustSender(tb testing.TB, cs twilio.Companies, api *twiliotest.API) *twilio.Sender {
	tb.Helper()
	s, err := twilio.NewSender(cs, twilio.SenderOptions{APIBase: api.URL, StatusCallback: callbackURL})
	if err != nil {
		tb.Fatalf("NewSender: %v", err)
	}
	return s
}

func sms(text string) bot.Outbound {
	return bot.Outbound{Company: "acme", To: bot.Address{Channel: bot.SMS, ID: customer}, Text: text}
}

func TestSender_Delivers(t *testing.T) {
	tests := []struct {
		name string
		m    bot.Outbound
		want []twiliotest.Message
	}{
		{
			name: "sms from the first number",
			m:    sms("Alice arrives between 10:00 and 12:00."),
			want: []twiliotest.Message{{AccountSID: acmeSID, To: customer, From: acmeNumber,
				Body: "Alice arrives between 10:00 and 12:00.", StatusCallback: callbackURL}},
		},
		{
			name: "sms via another number",
			m:    bot.Outbound{Company: "acme", To: bot.Address{Channel: bot.SMS, ID: customer}, Via: acmeNumber2, Text: "Hi"},
			want: []twiliotest.Message{{AccountSID: acmeSID, To: customer, From: acmeNumber2, Body: "Hi", StatusCallback: callbackURL}},
		},
		{
			name: "whatsapp gets prefixes",
			m:    bot.Outbound{Company: "bolt", To: bot.Address{Channel: bot.WhatsApp, ID: customer}, Via: boltNumber, Text: "Booked ✅"},
			want: []twiliotest.Message{{AccountSID: boltSID, To: "whatsapp:" + customer, From: "whatsapp:" + boltNumber,
				Body: "Booked ✅", StatusCallback: callbackURL}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			s := mustSender(t, testCompanies(), api)
			if err := s.Send(context.Background(), tt.m); err != nil {
				t.Fatalf("Send(%+v) = %v, want nil", tt.m, err)
			}
			if diff := cmp.Diff(tt.want, api.Messages()); diff != "" {
				t.Errorf("messages at the API (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSender_NoStatusCallback(t *testing.T) {
	api := twiliotest.NewAPI(t)
	s, err := twilio.NewSender(testCompanies(), twilio.SenderOptions{APIBase: api.URL + "/"})
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	if err := s.Send(context.Background(), sms("Hi")); err != nil {
		t.Fatalf("Send = %v, want nil", err)
	}
	if got := api.Messages(); len(got) != 1 || got[0].StatusCallback != "" {
		t.Errorf("messages = %+v, want one without StatusCallback", got)
	}
}

func TestSender_SplitsLongMessages(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"gsm", strings.Repeat("Please leave the side gate open. ", 61)}, // 2013 GSM chars
		{"ucs2 with emoji", strings.Repeat("Leak fixed 🔧 thanks ", 60)},  // 1200 UTF-16 units
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			s := mustSender(t, testCompanies(), api)
			if err := s.Send(context.Background(), sms(tt.text)); err != nil {
				t.Fatalf("Send(%d chars) = %v, want nil", len(tt.text), err)
			}
			got := api.Messages()
			if len(got) < 2 {
				t.Fatalf("API got %d messages, want the text split in at least 2", len(got))
			}
			bodies := make([]string, len(got))
			for i, m := range got {
				bodies[i] = m.Body
				if n := twilio.Segments(m.Body); n > twilio.MaxSegments {
					t.Errorf("part %d has %d segments, want at most %d", i, n, twilio.MaxSegments)
				}
			}
			if diff := cmp.Diff(twilio.Split(tt.text), bodies); diff != "" {
				t.Errorf("parts sent (-want +got):\n%s", diff)
			}
			if joined := strings.Join(bodies, " "); joined != tt.text {
				t.Errorf("parts joined do not give back the text in order")
			}
		})
	}
}

func TestSender_Errors(t *testing.T) {
	tests := []struct {
		name          string
		status, code  int
		wantPermanent bool
		wantRetryAt   time.Duration // 0: no RetryAfterError
	}{
		{"server error is retryable", 500, 0, false, 0},
		{"bad gateway is retryable", 502, 0, false, 0},
		{"too many requests waits", 429, 20429, false, time.Second},
		{"invalid To", 400, 21211, true, 0},
		{"unsubscribed recipient", 400, 21610, true, 0},
		{"not mobile", 400, 21614, true, 0},
		{"region not enabled", 400, 21408, true, 0},
		{"whatsapp session window", 400, 63016, true, 0},
		{"other bad request", 400, 21999, true, 0},
		{"bad credentials", 401, 20003, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			s := mustSender(t, testCompanies(), api)
			api.FailNext(1, tt.status, tt.code)
			err := s.Send(context.Background(), sms("Hi"))
			if err == nil {
				t.Fatalf("Send with API answering %d/%d = nil, want an error", tt.status, tt.code)
			}
			if got := errors.Is(err, bot.ErrPermanent); got != tt.wantPermanent {
				t.Errorf("errors.Is(%v, ErrPermanent) = %v, want %v", err, got, tt.wantPermanent)
			}
			var ra *bot.RetryAfterError
			if got := errors.As(err, &ra); got != (tt.wantRetryAt != 0) {
				t.Errorf("errors.As(%v, *RetryAfterError) = %v, want %v", err, got, tt.wantRetryAt != 0)
			} else if got && ra.After != tt.wantRetryAt {
				t.Errorf("RetryAfterError.After = %v, want %v", ra.After, tt.wantRetryAt)
			}
			var pe *bot.PartialError
			if errors.As(err, &pe) {
				t.Errorf("Send of one part = %v, want no PartialError", err)
			}
			if strings.Contains(err.Error(), customer) {
				t.Errorf("error %q shows the full phone number", err)
			}
			if n := api.Requests(); n != 1 {
				t.Errorf("API got %d requests, want 1 (no retries inside Send)", n)
			}
		})
	}
}

func TestSender_PartialAndSkip(t *testing.T) {
	text := strings.Repeat("word ", 700) // 3500 GSM chars: 3 parts
	parts := twilio.Split(text)
	if len(parts) != 3 {
		t.Fatalf("Split(%d chars) gave %d parts, want 3", len(text), len(parts))
	}
	tests := []struct {
		name      string
		skip      int
		okBefore  int // requests that pass before the failure
		wantSent  int // the PartialError's Sent; 0 means a plain error
		wantSent2 []string
	}{
		{"second part fails", 0, 1, 1, parts[1:]},
		{"third part fails", 0, 2, 2, parts[2:]},
		{"first part fails", 0, 0, 0, parts},
		{"skip one, third part fails", 1, 1, 2, parts[2:]},
		{"skip one, second part fails", 1, 0, 0, parts[1:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			s := mustSender(t, testCompanies(), api)
			api.FailAfter(tt.okBefore, 1, 500, 0)
			m := sms(text)
			m.SkipParts = tt.skip
			err := s.Send(context.Background(), m)
			var pe *bot.PartialError
			switch {
			case err == nil:
				t.Fatalf("Send = nil, want an error")
			case errors.Is(err, bot.ErrPermanent):
				t.Errorf("Send = %v, want a retryable error", err)
			case tt.wantSent == 0 && errors.As(err, &pe):
				t.Errorf("Send = %v, want no PartialError when nothing was sent", err)
			case tt.wantSent > 0 && (!errors.As(err, &pe) || pe.Sent != tt.wantSent):
				t.Errorf("Send = %v, want *PartialError{Sent: %d}", err, tt.wantSent)
			}

			// The outbox retries with SkipParts set to what was sent.
			first := len(api.Messages())
			m.SkipParts = max(tt.wantSent, tt.skip)
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("retry with SkipParts %d = %v, want nil", m.SkipParts, err)
			}
			var got []string
			for _, msg := range api.Messages()[first:] {
				got = append(got, msg.Body)
			}
			if diff := cmp.Diff(tt.wantSent2, got); diff != "" {
				t.Errorf("parts sent on retry (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSender_SkipAll(t *testing.T) {
	api := twiliotest.NewAPI(t)
	s := mustSender(t, testCompanies(), api)
	m := sms("Short one")
	m.SkipParts = 1
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send with every part skipped = %v, want nil", err)
	}
	if n := api.Requests(); n != 0 {
		t.Errorf("API got %d requests, want 0", n)
	}
}

func TestSender_RejectsWithoutCalling(t *testing.T) {
	noNumbers := append(testCompanies(), &config.Company{ID: "bare", Channels: config.Channels{Twilio: &config.Twilio{
		AccountSID: "AC3", AuthToken: "t3"}}})
	tests := []struct {
		name string
		m    bot.Outbound
	}{
		{"telegram address", bot.Outbound{Company: "acme", To: bot.Address{Channel: bot.Telegram, ID: "42"}, Text: "Hi"}},
		{"unknown company", bot.Outbound{Company: "nope", To: bot.Address{Channel: bot.SMS, ID: customer}, Text: "Hi"}},
		{"company without twilio", bot.Outbound{Company: "tg", To: bot.Address{Channel: bot.SMS, ID: customer}, Text: "Hi"}},
		{"company without numbers", bot.Outbound{Company: "bare", To: bot.Address{Channel: bot.SMS, ID: customer}, Text: "Hi"}},
		{"To not E.164", bot.Outbound{Company: "acme", To: bot.Address{Channel: bot.SMS, ID: "07700900123"}, Text: "Hi"}},
		{"empty text", sms(" \n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			s := mustSender(t, noNumbers, api)
			if err := s.Send(context.Background(), tt.m); !errors.Is(err, bot.ErrPermanent) {
				t.Errorf("Send(%+v) = %v, want ErrPermanent", tt.m, err)
			}
			if n := api.Requests(); n != 0 {
				t.Errorf("API got %d requests, want 0", n)
			}
		})
	}
}

func TestSender_NetworkErrorIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there any more
	s, err := twilio.NewSender(testCompanies(), twilio.SenderOptions{APIBase: srv.URL})
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), sms("Hi"))
	if err == nil || errors.Is(err, bot.ErrPermanent) {
		t.Errorf("Send to a closed server = %v, want a retryable error", err)
	}
}

func TestSender_ContextDone(t *testing.T) {
	api := twiliotest.NewAPI(t)
	s := mustSender(t, testCompanies(), api)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, sms("Hi"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v, want context.Canceled", err)
	}
	if n := api.Requests(); n != 0 {
		t.Errorf("API got %d requests, want 0", n)
	}
}

func TestSender_PacesSegments(t *testing.T) {
	slow := testCompanies()
	slow[0].Channels.Twilio.SegmentsPerSecond = 0.001 // one segment every ~17 minutes
	api := twiliotest.NewAPI(t)
	s := mustSender(t, slow, api)
	// The burst allows ten segments at once.
	if err := s.Send(context.Background(), sms(strings.Repeat("a", 1530))); err != nil {
		t.Fatalf("Send of a full burst = %v, want nil", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.Send(ctx, sms("one more"))
	if err == nil || errors.Is(err, bot.ErrPermanent) {
		t.Errorf("Send beyond the rate within a minute = %v, want a retryable error", err)
	}
	if n := api.Requests(); n != 1 {
		t.Errorf("API got %d requests, want 1", n)
	}
	// Another number of the same company has its own limit.
	m := sms("from the other number")
	m.Via = acmeNumber2
	if err := s.Send(context.Background(), m); err != nil {
		t.Errorf("Send via another number = %v, want nil", err)
	}
}

func TestNewSender_BadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts twilio.SenderOptions
	}{
		{"api base without scheme", twilio.SenderOptions{APIBase: "localhost:8080"}},
		{"api base ftp", twilio.SenderOptions{APIBase: "ftp://example.com"}},
		{"api base unparsable", twilio.SenderOptions{APIBase: "http://[::1"}},
		{"relative status callback", twilio.SenderOptions{StatusCallback: "/webhooks/twilio/status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := twilio.NewSender(testCompanies(), tt.opts); err == nil {
				t.Errorf("NewSender(%+v) = nil error, want one", tt.opts)
			}
		})
	}
}

func TestSender_APIBaseWithPath(t *testing.T) {
	api := twiliotest.NewAPI(t)
	target, err := url.Parse(api.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(http.StripPrefix("/twilio", httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)
	s, err := twilio.NewSender(testCompanies(), twilio.SenderOptions{APIBase: proxy.URL + "/twilio/"})
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	if err := s.Send(context.Background(), sms("Hi")); err != nil {
		t.Fatalf("Send through a proxy path = %v, want nil", err)
	}
	if n := len(api.Messages()); n != 1 {
		t.Errorf("API got %d messages, want 1", n)
	}
}
