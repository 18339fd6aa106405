package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/adapters/twilio/twiliotest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// server is a running dispatchbot with fake providers.
type server struct {
	base     string
	twilio   *twiliotest.API
	telegram *telegramtest.API
}

// startServer runs serve with the demo company on a free port, talking to
// fake Twilio and Telegram APIs, until the test ends. The demo's simulator
// is off, so technicians and dispatchers are texted over those APIs.
func startServer(t testing.TB, extraEnv map[string]string, tune ...func(*bot.DeliveryOptions)) server {
	return startServerWith(t, extraEnv, func(cfg *config.Config) {
		for _, co := range cfg.Companies {
			co.Simulator = false
		}
	}, tune...)
}

// startServerWith is startServer with the loaded config changed by cfg.
func startServerWith(t testing.TB, extraEnv map[string]string, cfg func(*config.Config), tune ...func(*bot.DeliveryOptions)) server {
	t.Helper()
	tw, tg := twiliotest.NewAPI(t), telegramtest.NewAPI(t)
	env := map[string]string{
		"LISTEN_ADDR":       "127.0.0.1:0",
		"TWILIO_API_BASE":   tw.URL,
		"TELEGRAM_API_BASE": tg.URL,
		"LOG_LEVEL":         "error",
	}
	for k, v := range extraEnv {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	var logs syncBuffer
	hooks := &serveHooks{
		listening: func(addr string) { addrc <- addr },
		config:    cfg,
		delivery: func(o *bot.DeliveryOptions) {
			o.Block, o.PromoteEvery, o.BackoffBase = 50*time.Millisecond, 10*time.Millisecond, 10*time.Millisecond
			for _, f := range tune {
				f(o)
			}
		},
	}
	go func() { done <- serve(ctx, func(k string) string { return env[k] }, &logs, hooks) }()
	t.Cleanup(func() {
		cancel()
		err := <-done
		if t.Failed() {
			t.Logf("server logs:\n%s", logs.String())
		}
		if err != nil {
			t.Errorf("serve returned %v after shutdown; logs:\n%s", err, logs.String())
		}
	})
	select {
	case addr := <-addrc:
		return server{base: "http://" + addr, twilio: tw, telegram: tg}
	case err := <-done:
		t.Fatalf("serve = %v before listening; logs:\n%s", err, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start listening")
	}
	return server{}
}

// postTwilio sends a Twilio webhook signed with the demo auth token.
func (s server) postTwilio(t testing.TB, form url.Values, token string) *http.Response {
	t.Helper()
	u := s.base + "/webhooks/twilio"
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(token, u, form))
	return do(t, req)
}

func do(t testing.TB, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func smsForm(sid, from, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "AccountSid": {"AC00000000000000000000000000000000"},
		"From": {from}, "To": {"+441614960000"}, "Body": {body}}
}

func TestServeAnswersSignedTwilioWebhookThroughFakeProvider(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		url := os.Getenv("REDIS_URL")
		if b.Mini != nil {
			url = "redis://" + b.Mini.Addr()
		}
		testSignedTwilioWebhook(t, startServer(t, map[string]string{"REDIS_URL": url, "REDIS_PREFIX": b.Prefix}))
	})
	t.Run("embedded", func(t *testing.T) { testSignedTwilioWebhook(t, startServer(t, nil)) })
}

func testSignedTwilioWebhook(t *testing.T, s server) {
	resp := s.postTwilio(t, smsForm("SM0001", "+447700900555", "Water is pouring through the ceiling"), "demoauthtoken")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		t.Fatalf("webhook answered %d %s, want 200 TwiML", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The same MessageSid again (a provider retry) is answered but not applied.
	if resp := s.postTwilio(t, smsForm("SM0001", "+447700900555", "Water is pouring through the ceiling"), "demoauthtoken"); resp.StatusCode != http.StatusOK {
		t.Fatalf("repeated webhook answered %d, want 200", resp.StatusCode)
	}
	s.postTwilio(t, smsForm("SM0002", "+447700900555", "Flat 2, M14 5AB"), "demoauthtoken")

	// An emergency: safety advice, then the address question; then the name
	// question for the address. The repeated MessageSid added nothing.
	msgs := s.twilio.WaitMessages(t, 3, 10*time.Second)
	if len(msgs) != 3 {
		t.Fatalf("fake Twilio got %d messages, want 3: %+v", len(msgs), msgs)
	}
	for _, m := range msgs {
		if m.To != "+447700900555" || m.From != "+441614960000" {
			t.Errorf("reply %+v, want it from the demo number to the customer", m)
		}
	}
	want := []string{"stopcock", "Brightwater Plumbing & Heating. What's the address", "name"}
	for i, w := range want {
		if !strings.Contains(msgs[i].Body, w) {
			t.Errorf("reply %d = %q, want it to contain %q", i, msgs[i].Body, w)
		}
	}
	alerts := s.telegram.WaitMessages(t, 1, 10*time.Second)
	if a := alerts[0]; a.ChatID != 100001 || !strings.Contains(a.Text, "EMERGENCY") {
		t.Errorf("dispatcher alert = %+v, want an EMERGENCY alert to Dana on Telegram", a)
	}
}

func TestServeRejectsBadRequestsAndKeepsServing(t *testing.T) {
	s := startServer(t, nil)
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"wrong twilio token", func() *http.Request {
			u := s.base + "/webhooks/twilio"
			f := smsForm("SMbad", "+447700900555", "hi")
			r, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(f.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("X-Twilio-Signature", twiliotest.Sign("wrongtoken", u, f))
			return r
		}, http.StatusForbidden},
		{"oversized body", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/twilio", strings.NewReader("Body="+strings.Repeat("x", 100<<10)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, http.StatusRequestEntityTooLarge},
		{"telegram wrong secret", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/demo", bytes.NewReader(telegramtest.Update(1, 42, "hi")))
			r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "nope")
			return r
		}, http.StatusForbidden},
		{"telegram invalid json", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/demo", strings.NewReader("{"))
			r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "demo-secret")
			return r
		}, http.StatusBadRequest},
		{"telegram unknown company", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/nobody", bytes.NewReader(telegramtest.Update(1, 42, "hi")))
			r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "demo-secret")
			return r
		}, http.StatusNotFound},
	}
	for _, tc := range cases {
		resp := do(t, tc.req())
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.status || !bytes.Contains(body, []byte(`"error"`)) {
			t.Errorf("%s: got %d %s, want %d with a JSON error", tc.name, resp.StatusCode, body, tc.status)
		}
	}
	if resp := do(t, mustGet(t, s.base+"/readyz")); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d after bad requests, want 200", resp.StatusCode)
	}
	if n := len(s.twilio.Messages()) + len(s.telegram.Messages()); n != 0 {
		t.Errorf("bad requests caused %d replies, want none", n)
	}
}

func TestServeDeliversTelegramReplyAndRetriesFailingProvider(t *testing.T) {
	s := startServer(t, nil)
	s.telegram.FailNext(2, http.StatusInternalServerError, "Internal Server Error", 0)
	req, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/demo", bytes.NewReader(telegramtest.Update(7001, 555001, "my fridge is dead")))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "demo-secret")
	if resp := do(t, req); resp.StatusCode != http.StatusOK {
		t.Fatalf("telegram webhook = %d, want 200", resp.StatusCode)
	}
	msgs := s.telegram.WaitMessages(t, 1, 10*time.Second)
	if len(msgs) != 1 || msgs[0].ChatID != 555001 || !strings.Contains(msgs[0].Text, "Brightwater") {
		t.Fatalf("telegram got %+v, want one answer to chat 555001", msgs)
	}
	if got := s.telegram.Requests(); got != 3 {
		t.Errorf("telegram saw %d sendMessage requests, want 3 (two failures, one success)", got)
	}
}

func TestServeMetricsCountInbound(t *testing.T) {
	s := startServer(t, nil)
	s.postTwilio(t, smsForm("SM0100", "+447700900555", "hello"), "demoauthtoken")
	s.twilio.WaitMessages(t, 1, 10*time.Second)
	want := []string{
		`dispatchbot_inbound_messages_total{channel="sms",outcome="handled"} 1`,
		`dispatchbot_outbox_depth{company="demo"} 0`,
		`dispatchbot_delivery_seconds_count{channel="sms"} 1`,
	}
	// The worker records the delivery just after the provider answers.
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body, _ := io.ReadAll(do(t, mustGet(t, s.base+"/metrics")).Body)
		missing = missing[:0]
		for _, w := range want {
			if !bytes.Contains(body, []byte(w)) {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			return
		}
	}
	t.Errorf("/metrics lacks %q", missing)
}

func TestServeWithConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	cfg := `companies:
  - id: acme
    name: Acme Plumbing
    timezone: America/New_York
    region: US
    service_areas: ["100"]
    channels:
      twilio:
        account_sid: ${SID}
        auth_token: ${TOKEN}
        numbers: ["(212) 555-0100"]
`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, map[string]string{
		"DISPATCHBOT_CONFIG": path,
		"SID":                "AC0123456789abcdef0123456789abcdef",
		"TOKEN":              "acmetoken",
	})
	form := url.Values{"MessageSid": {"SMus1"}, "From": {"+13125550142"}, "To": {"+12125550100"}, "Body": {"AC is out"}}
	if resp := s.postTwilio(t, form, "acmetoken"); resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook for the configured company = %d, want 200", resp.StatusCode)
	}
	msgs := s.twilio.WaitMessages(t, 1, 10*time.Second)
	if m := msgs[0]; m.From != "+12125550100" || m.To != "+13125550142" || m.AccountSID != "AC0123456789abcdef0123456789abcdef" ||
		!strings.Contains(m.Body, "Acme Plumbing") {
		t.Errorf("reply = %+v, want an acknowledgement from Acme's number on Acme's account", m)
	}
}

func mustGet(t testing.TB, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// syncBuffer is a bytes.Buffer safe for the server's log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeReportsRedisOutageAndRecovers(t *testing.T) {
	b := redistest.New(t)
	proxy := newCutProxy(t, b.Mini.Addr())
	s := startServer(t, map[string]string{"REDIS_URL": "redis://" + proxy.addr, "REDIS_PREFIX": b.Prefix})
	ready := func() int { return do(t, mustGet(t, s.base+"/readyz")).StatusCode }
	if got := ready(); got != http.StatusOK {
		t.Fatalf("/readyz = %d with Redis up, want 200", got)
	}

	proxy.down()
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d with Redis down, want 503", got)
	}
	if resp := s.postTwilio(t, smsForm("SMdown", "+447700900555", "anyone?"), "demoauthtoken"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("webhook during the outage = %d, want 503 so the provider retries", resp.StatusCode)
	}

	proxy.up(t)
	deadline := time.Now().Add(10 * time.Second)
	for ready() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after Redis came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The provider's retry of the message refused during the outage is applied now.
	if resp := s.postTwilio(t, smsForm("SMdown", "+447700900555", "anyone?"), "demoauthtoken"); resp.StatusCode != http.StatusOK {
		t.Fatalf("retried webhook after recovery = %d, want 200", resp.StatusCode)
	}
	if msgs := s.twilio.WaitMessages(t, 1, 10*time.Second); msgs[0].To != "+447700900555" {
		t.Errorf("reply after recovery = %+v", msgs[0])
	}
}

func TestServeBuriesMessageTheProviderNeverTakes(t *testing.T) {
	s := startServer(t, nil, func(o *bot.DeliveryOptions) { o.MaxAttempts = 3 })
	s.twilio.FailAlways(http.StatusServiceUnavailable, 0)
	s.postTwilio(t, smsForm("SMdead", "+447700900555", "hello"), "demoauthtoken")
	const want = `dispatchbot_delivery_dead_letters_total{channel="sms"} 1`
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		body, _ := io.ReadAll(do(t, mustGet(t, s.base+"/metrics")).Body)
		if bytes.Contains(body, []byte(want)) && bytes.Contains(body, []byte(`dispatchbot_outbox_depth{company="demo"} 0`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics never showed %q and an empty outbox", want)
		}
	}
	if got := s.twilio.Requests(); got != 3 {
		t.Errorf("provider saw %d attempts, want 3 (MaxAttempts)", got)
	}
	if got := len(s.twilio.Messages()); got != 0 {
		t.Errorf("provider accepted %d messages, want 0", got)
	}
}

func TestTelegramWebhooksCommand(t *testing.T) {
	tg := telegramtest.NewAPI(t)
	env := map[string]string{"TELEGRAM_API_BASE": tg.URL, "PUBLIC_URL": "https://bot.example.com/"}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"telegram-webhooks"}, func(k string) string { return env[k] }, nil, &out, &errOut); code != 0 {
		t.Fatalf("telegram-webhooks exit %d: %s", code, errOut.String())
	}
	hooks := tg.Webhooks()
	if len(hooks) != 1 || hooks[0].URL != "https://bot.example.com/webhooks/telegram/demo" || hooks[0].SecretToken != "demo-secret" {
		t.Errorf("webhooks set = %+v, want the demo company's URL and secret", hooks)
	}
	delete(env, "PUBLIC_URL")
	if code := run(context.Background(), []string{"telegram-webhooks"}, func(k string) string { return env[k] }, nil, &out, &errOut); code != 1 {
		t.Errorf("without PUBLIC_URL: exit %d, want 1", code)
	}
}
