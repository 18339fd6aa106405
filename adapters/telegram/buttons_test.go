package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

func TestSenderButtons(t *testing.T) {
	long := strings.Repeat("x", 65)
	tests := []struct {
		name    string
		buttons [][]bot.Button
		want    [][]telegramtest.Button
		dropped int // buttons logged as dropped
	}{
		{
			name:    "offer/one row",
			buttons: [][]bot.Button{{{Text: "Yes", Reply: "YES 1042"}, {Text: "No", Reply: "NO 1042"}}},
			want:    [][]telegramtest.Button{{{Text: "Yes", CallbackData: "YES 1042"}, {Text: "No", CallbackData: "NO 1042"}}},
		},
		{
			name: "slots and a dispatcher reply/rows kept in order",
			buttons: [][]bot.Button{
				{{Text: "1", Reply: "1"}, {Text: "2", Reply: "2"}, {Text: "3", Reply: "3"}},
				{{Text: "Assign alice", Reply: "/assign J-1042 alice"}},
			},
			want: [][]telegramtest.Button{
				{{Text: "1", CallbackData: "1"}, {Text: "2", CallbackData: "2"}, {Text: "3", CallbackData: "3"}},
				{{Text: "Assign alice", CallbackData: "/assign J-1042 alice"}},
			},
		},
		{
			name:    "reply of exactly 64 bytes/kept",
			buttons: [][]bot.Button{{{Text: "edge", Reply: long[:64]}}},
			want:    [][]telegramtest.Button{{{Text: "edge", CallbackData: long[:64]}}},
		},
		{
			name: "reply over 64 bytes/dropped, the rest kept",
			buttons: [][]bot.Button{
				{{Text: "long", Reply: long}, {Text: "Yes", Reply: "YES 1042"}},
				{{Text: "too", Reply: "/say J-1042 " + strings.Repeat("é", 30)}}, // 12 + 60 bytes
			},
			want:    [][]telegramtest.Button{{{Text: "Yes", CallbackData: "YES 1042"}}},
			dropped: 2,
		},
		{
			name:    "blank text or empty reply/dropped",
			buttons: [][]bot.Button{{{Text: " ", Reply: "1"}, {Text: "Two", Reply: ""}}},
			want:    nil,
			dropped: 2,
		},
		{
			name:    "empty rows/no keyboard",
			buttons: [][]bot.Button{{}, nil},
			want:    nil,
		},
		{
			name: "no buttons/no keyboard",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := telegramtest.NewAPI(t)
			var logs bytes.Buffer
			s := senderWithLog(t, api, &logs)
			m := bot.Outbound{Company: "acme", To: to("4242"), Text: "New job J-1042", Buttons: tt.buttons}
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send(%+v) = %v, want nil", tt.buttons, err)
			}
			want := []telegramtest.Message{{Token: testToken, ChatID: 4242, Text: "New job J-1042", Keyboard: tt.want}}
			if diff := cmp.Diff(want, api.Messages()); diff != "" {
				t.Errorf("messages at the fake (-want +got):\n%s", diff)
			}
			if got := strings.Count(logs.String(), "telegram button dropped"); got != tt.dropped {
				t.Errorf("logged %d dropped buttons, want %d; logs:\n%s", got, tt.dropped, logs.String())
			}
			if strings.Contains(logs.String(), "4242") {
				t.Errorf("logs reveal the chat id: %s", logs.String())
			}
		})
	}
}

// senderWithLog is MustSender logging at debug level to w.
func senderWithLog(tb testing.TB, api *telegramtest.API, w *bytes.Buffer) *telegram.Sender {
	tb.Helper()
	companies := []*config.Company{
		{ID: "acme", Channels: config.Channels{Telegram: &config.Telegram{BotToken: testToken, WebhookSecret: testSecret}}},
	}
	s, err := telegram.NewSender(companies, telegram.SenderOptions{
		APIBase: api.URL, PerBot: 1000, PerChat: 1000,
		Log: slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		tb.Fatalf("NewSender() = %v", err)
	}
	return s
}

func TestSenderButtonsOnLastPart(t *testing.T) {
	text, parts := threeParts()
	buttons := [][]bot.Button{{{Text: "Yes", Reply: "YES 1042"}}}
	keyboard := [][]telegramtest.Button{{{Text: "Yes", CallbackData: "YES 1042"}}}
	tests := []struct {
		skip int
		want []telegramtest.Message
	}{
		{0, []telegramtest.Message{
			{Token: testToken, ChatID: 42, Text: parts[0]},
			{Token: testToken, ChatID: 42, Text: parts[1]},
			{Token: testToken, ChatID: 42, Text: parts[2], Keyboard: keyboard},
		}},
		{2, []telegramtest.Message{{Token: testToken, ChatID: 42, Text: parts[2], Keyboard: keyboard}}},
		{3, nil},
	}
	for _, tt := range tests {
		api := telegramtest.NewAPI(t)
		s := MustSender(t, api)
		m := bot.Outbound{Company: "acme", To: to("42"), Text: text, SkipParts: tt.skip, Buttons: buttons}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send(SkipParts %d) = %v, want nil", tt.skip, err)
		}
		if diff := cmp.Diff(tt.want, api.Messages()); diff != "" {
			t.Errorf("Send(SkipParts %d) sent (-want +got):\n%s", tt.skip, diff)
		}
	}
}
