package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/twilio"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// startFake serves a fake made with o on an httptest server closed when tb ends.
func startFake(tb testing.TB, o options) (*fake, *httptest.Server) {
	tb.Helper()
	f := newFake(io.Discard, o)
	srv := httptest.NewServer(f.routes())
	tb.Cleanup(srv.Close)
	return f, srv
}

// mustGetJSON decodes the JSON answer of GET url into v.
func mustGetJSON(tb testing.TB, url string, v any) {
	tb.Helper()
	res, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s = %s, want 200", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		tb.Fatalf("GET %s: decode: %v", url, err)
	}
}

// TestFakeRecordsTags sends through the real senders by two tagged bases
// and checks what GET /messages and GET /count answer.
func TestFakeRecordsTags(t *testing.T) {
	_, srv := startFake(t, options{record: true, quiet: true})
	cfg := config.Demo()
	co := cfg.Companies[0]
	sms, err := twilio.NewSender(cfg, twilio.SenderOptions{APIBase: srv.URL + "/via/a"})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.NewSender(cfg.Companies, telegram.SenderOptions{APIBase: srv.URL + "/via/b"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sms.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.SMS, ID: "+447700900555"}, Text: "one"}); err != nil {
		t.Fatalf("twilio Send = %v", err)
	}
	if err := tg.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.Telegram, ID: "4242"}, Text: "two"}); err != nil {
		t.Fatalf("telegram Send = %v", err)
	}

	var got []sent
	mustGetJSON(t, srv.URL+"/messages", &got)
	want := []sent{
		{Seq: 1, record: record{Provider: "twilio", Via: "a", Account: co.Channels.Twilio.AccountSID, From: co.SMSNumber(), To: "+447700900555", Text: "one"}},
		{Seq: 2, record: record{Provider: "telegram", Via: "b", To: "4242", Text: "two"}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sent{}), cmpopts.IgnoreFields(sent{}, "At")); diff != "" {
		t.Errorf("GET /messages (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if s.At <= 0 {
			t.Errorf("message %d: At = %d, want a time", s.Seq, s.At)
		}
	}
	var c counts
	mustGetJSON(t, srv.URL+"/count", &c)
	if want := (counts{Accepted: 2}); c != want {
		t.Errorf("GET /count = %+v, want %+v", c, want)
	}
}

// TestFakeRefusesShare posts straight to the Messages API and checks that
// the refused share is near -fail, that both 429 and 500 occur, and that
// refused sends are neither listed nor counted as accepted.
func TestFakeRefusesShare(t *testing.T) {
	const n = 2000
	_, srv := startFake(t, options{record: true, quiet: true, fail: 0.3, seed: 7})
	form := url.Values{"To": {"+447700900555"}, "From": {"+441614960000"}, "Body": {"hi"}}
	statuses := map[int]int{}
	for range n {
		res, err := http.PostForm(srv.URL+"/2010-04-01/Accounts/AC1/Messages.json", form)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		statuses[res.StatusCode]++
	}
	refused := statuses[http.StatusTooManyRequests] + statuses[http.StatusInternalServerError]
	if share := float64(refused) / n; share < 0.25 || share > 0.35 {
		t.Errorf("refused %d of %d (%.2f), want about 0.3; statuses %v", refused, n, share, statuses)
	}
	if statuses[http.StatusTooManyRequests] == 0 || statuses[http.StatusInternalServerError] == 0 {
		t.Errorf("statuses %v, want both 429 and 500", statuses)
	}
	var c counts
	mustGetJSON(t, srv.URL+"/count", &c)
	if want := (counts{Accepted: int64(statuses[http.StatusCreated]), Refused: int64(refused)}); c != want {
		t.Errorf("GET /count = %+v, want %+v", c, want)
	}
	var list []sent
	mustGetJSON(t, srv.URL+"/messages", &list)
	if len(list) != statuses[http.StatusCreated] {
		t.Errorf("GET /messages lists %d, want the %d accepted", len(list), statuses[http.StatusCreated])
	}
}

// TestFakeRefusalsAreRetryable checks that the real senders take every
// refusal for one worth retrying, never a permanent one.
func TestFakeRefusalsAreRetryable(t *testing.T) {
	_, srv := startFake(t, options{quiet: true, fail: 1, seed: 1})
	cfg := config.Demo()
	co := cfg.Companies[0]
	sms, err := twilio.NewSender(cfg, twilio.SenderOptions{APIBase: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.NewSender(cfg.Companies, telegram.SenderOptions{APIBase: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 8 {
		err := sms.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.SMS, ID: "+447700900555"}, Text: "x"})
		if err == nil || errors.Is(err, bot.ErrPermanent) {
			t.Errorf("twilio Send #%d = %v, want a retryable error", i, err)
		}
		chat := strconv.Itoa(4200 + i) // one chat each: Telegram's per-chat pacing would make this slow
		err = tg.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.Telegram, ID: chat}, Text: "x"})
		if err == nil || errors.Is(err, bot.ErrPermanent) {
			t.Errorf("telegram Send #%d = %v, want a retryable error", i, err)
		}
	}
}

func TestFakeMessagesNeedsRecord(t *testing.T) {
	_, srv := startFake(t, options{quiet: true})
	res, err := http.Get(srv.URL + "/messages")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /messages without -record = %s, want 404", res.Status)
	}
}

func TestRunRejectsBadFail(t *testing.T) {
	for _, fail := range []float64{-0.1, 1.5} {
		err := run(context.Background(), options{addr: "127.0.0.1:0", fail: fail}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "-fail") {
			t.Errorf("run with -fail %v = %v, want an error naming -fail", fail, err)
		}
	}
}

// TestFakeDropsAbandonedSends checks that a send whose sender hangs up
// during -delay is neither accepted nor refused but counted as abandoned.
func TestFakeDropsAbandonedSends(t *testing.T) {
	f := newFake(io.Discard, options{record: true, quiet: true, delay: time.Hour})
	arrived := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		f.routes().ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	form := url.Values{"To": {"+447700900555"}, "From": {"+441614960000"}, "Body": {"hi"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/2010-04-01/Accounts/AC1/Messages.json",
		strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	errc := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = res.Body.Close()
		}
		errc <- err
	}()
	<-arrived
	cancel() // the sender hangs up while the hour's delay runs
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("abandoned send = %v, want context.Canceled", err)
	}
	var c counts
	for c.Abandoned == 0 { // the handler notices the hang-up on its own goroutine
		mustGetJSON(t, srv.URL+"/count", &c)
		runtime.Gosched()
	}
	if want := (counts{Abandoned: 1}); c != want {
		t.Errorf("GET /count = %+v, want %+v", c, want)
	}
}
