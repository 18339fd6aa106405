package telegram_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// commandCompanies are acme (two dispatchers on Telegram, one on SMS only),
// plain (no Telegram bot, so its dispatcher is skipped) and beta (one).
func commandCompanies() []*config.Company {
	return []*config.Company{
		{ID: "acme", Channels: config.Channels{Telegram: &config.Telegram{BotToken: testToken, WebhookSecret: testSecret}},
			Dispatchers: []config.Dispatcher{
				{Name: "Dana", TelegramID: 111},
				{Name: "Sam", Phone: "+447700900001"},
				{Name: "Lee", Phone: "+447700900002", TelegramID: 333},
			}},
		{ID: "plain", Dispatchers: []config.Dispatcher{{Name: "Pat", TelegramID: 555}}},
		{ID: "beta", Channels: config.Channels{Telegram: &config.Telegram{BotToken: otherToken, WebhookSecret: "beta-secret"}},
			Dispatchers: []config.Dispatcher{{Name: "Bo", TelegramID: 444}}},
		nil,
	}
}

// wantMenu is bot.CommandMenu as the fake records it.
func wantMenu(tb testing.TB) []telegramtest.Command {
	tb.Helper()
	var out []telegramtest.Command
	for _, c := range bot.CommandMenu() {
		out = append(out, telegramtest.Command{Command: c.Command, Description: c.Description})
	}
	if len(out) == 0 {
		tb.Fatalf("bot.CommandMenu() is empty")
	}
	return out
}

func TestSenderSetCommands(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	if err := s.SetCommands(context.Background(), commandCompanies()); err != nil {
		t.Fatalf("SetCommands = %v, want nil", err)
	}
	menu := wantMenu(t)
	chat := func(id int64) telegramtest.Scope { return telegramtest.Scope{Type: "chat", ChatID: id} }
	want := []telegramtest.Commands{
		{Token: testToken, Scope: chat(111), Commands: menu},
		{Token: testToken, Scope: chat(333), Commands: menu},
		{Token: otherToken, Scope: chat(444), Commands: menu},
	}
	if diff := cmp.Diff(want, api.Commands()); diff != "" {
		t.Errorf("setMyCommands calls (-want +got):\n%s", diff)
	}
}

func TestSenderSetCommandsFailures(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	api.FailToken(testToken, http.StatusUnauthorized, "Unauthorized")

	err := s.SetCommands(context.Background(), commandCompanies())
	if err == nil {
		t.Fatalf("SetCommands with acme's token revoked = nil, want an error")
	}
	msg := err.Error()
	for _, want := range []string{"set commands for acme", "Dana", "Lee"} {
		if !strings.Contains(msg, want) {
			t.Errorf("SetCommands error %q, want it to mention %q", msg, want)
		}
	}
	for _, leak := range []string{"beta", testToken, "111", "333"} {
		if strings.Contains(msg, leak) {
			t.Errorf("SetCommands error %q mentions %q", msg, leak)
		}
	}
	if !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("SetCommands error %v, want ErrPermanent for a bad token", err)
	}
	want := []telegramtest.Commands{{Token: otherToken, Scope: telegramtest.Scope{Type: "chat", ChatID: 444}, Commands: wantMenu(t)}}
	if diff := cmp.Diff(want, api.Commands()); diff != "" {
		t.Errorf("setMyCommands calls after acme failed (-want +got):\n%s", diff)
	}
}

func TestSenderSetCommandsUnknownCompany(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	stranger := &config.Company{ID: "stranger", Channels: config.Channels{Telegram: &config.Telegram{BotToken: "9:X"}},
		Dispatchers: []config.Dispatcher{{Name: "Al", TelegramID: 999}}}
	err := s.SetCommands(context.Background(), []*config.Company{stranger})
	if !errors.Is(err, bot.ErrPermanent) || !strings.Contains(err.Error(), "stranger") {
		t.Errorf("SetCommands(company the sender has no bot for) = %v, want ErrPermanent naming it", err)
	}
	if n := api.Requests(); n != 0 {
		t.Errorf("fake got %d requests, want 0", n)
	}
}

func TestSenderSetCommandsNoDispatchers(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s, err := telegram.NewSender(nil, telegram.SenderOptions{APIBase: api.URL, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("NewSender(nil) = %v", err)
	}
	if err := s.SetCommands(context.Background(), nil); err != nil {
		t.Errorf("SetCommands(nil) = %v, want nil", err)
	}
	if n := api.Requests(); n != 0 {
		t.Errorf("fake got %d requests, want 0", n)
	}
}
