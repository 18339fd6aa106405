package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/twilio"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// TestFakeAcceptsRealClients sends through the real Twilio and Telegram
// adapters and checks what the fake prints.
func TestFakeAcceptsRealClients(t *testing.T) {
	var out bytes.Buffer
	f := &fake{out: &out}
	srv := httptest.NewServer(f.routes())
	defer srv.Close()

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
	if err := sms.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.SMS, ID: "+447700900555"}, Text: "hello sms"}); err != nil {
		t.Fatalf("twilio Send = %v", err)
	}
	if err := tg.Send(ctx, bot.Outbound{Company: co.ID, To: bot.Address{Channel: bot.Telegram, ID: "4242"}, Text: "hello telegram"}); err != nil {
		t.Fatalf("telegram Send = %v", err)
	}

	var got []record
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r record
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output line: %v", err)
		}
		got = append(got, r)
	}
	want := []record{
		{Provider: "twilio", Account: co.Channels.Twilio.AccountSID, From: co.SMSNumber(), To: "+447700900555", Text: "hello sms"},
		{Provider: "telegram", To: "4242", Text: "hello telegram"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("printed (-want +got):\n%s", diff)
	}
	if n := f.count.Load(); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}
