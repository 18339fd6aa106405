package telegram_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

const otherToken = "654321:OTHER-token"

// MustSender builds a Sender for acme and beta against api, with limits high
// enough that tests never wait on them.
func MustSender(tb testing.TB, api *telegramtest.API) *telegram.Sender {
	tb.Helper()
	companies := []*config.Company{
		{ID: "acme", Channels: config.Channels{Telegram: &config.Telegram{BotToken: testToken, WebhookSecret: testSecret}}},
		{ID: "plain"},
		{ID: "beta", Channels: config.Channels{Telegram: &config.Telegram{BotToken: otherToken, WebhookSecret: "beta-secret"}}},
	}
	s, err := telegram.NewSender(companies, telegram.SenderOptions{
		APIBase: api.URL + "/",
		PerBot:  1000,
		PerChat: 1000,
		Log:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		tb.Fatalf("NewSender() = %v", err)
	}
	return s
}

func to(chat string) bot.Address { return bot.Address{Channel: bot.Telegram, ID: chat} }

func TestSenderSend(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	ctx := context.Background()

	if err := s.Send(ctx, bot.Outbound{Company: "acme", To: to("4242"), Text: "Your plumber is on the way"}); err != nil {
		t.Fatalf("Send(acme) = %v, want nil", err)
	}
	if err := s.Send(ctx, bot.Outbound{Company: "beta", To: to("-1001"), Text: "beta here"}); err != nil {
		t.Fatalf("Send(beta) = %v, want nil", err)
	}
	want := []telegramtest.Message{
		{Token: testToken, ChatID: 4242, Text: "Your plumber is on the way"},
		{Token: otherToken, ChatID: -1001, Text: "beta here"},
	}
	if diff := cmp.Diff(want, api.Messages()); diff != "" {
		t.Errorf("messages at the fake (-want +got):\n%s", diff)
	}
}

func TestSenderSendInvalid(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	tests := []struct {
		name string
		m    bot.Outbound
	}{
		{"sms address", bot.Outbound{Company: "acme", To: bot.Address{Channel: bot.SMS, ID: "+447700900001"}, Text: "hi"}},
		{"chat id not a number", bot.Outbound{Company: "acme", To: to("@someone"), Text: "hi"}},
		{"company without telegram", bot.Outbound{Company: "plain", To: to("1"), Text: "hi"}},
		{"unknown company", bot.Outbound{Company: "nobody", To: to("1"), Text: "hi"}},
		{"empty text", bot.Outbound{Company: "acme", To: to("1"), Text: ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Send(context.Background(), tt.m); !errors.Is(err, bot.ErrPermanent) {
				t.Errorf("Send(%+v) = %v, want ErrPermanent", tt.m, err)
			}
		})
	}
	if n := api.Requests(); n != 0 {
		t.Errorf("fake got %d requests, want 0", n)
	}
}

func TestSenderSplitsLongText(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	// 5000 characters of words: two parts, breaking at a space.
	text := strings.Repeat("word ", 1000)[:4999] + "!"

	if err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: to("7"), Text: text}); err != nil {
		t.Fatalf("Send(%d chars) = %v, want nil", len(text), err)
	}
	msgs := api.Messages()
	if len(msgs) != 2 {
		t.Fatalf("fake got %d messages, want 2", len(msgs))
	}
	parts := make([]string, len(msgs))
	for i, m := range msgs {
		parts[i] = m.Text
	}
	checkParts(t, text, parts, 4096)
	if got, want := parts[0]+" "+parts[1], text; got != want {
		t.Errorf("parts joined by the dropped space differ from the text")
	}
}

func TestSenderSplitsEmoji(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	// "x" then 3000 emoji (two UTF-16 units each), no spaces: a hard cut that
	// would land inside a surrogate pair at unit 4096.
	text := "x" + strings.Repeat("😀", 3000)

	if err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: to("7"), Text: text}); err != nil {
		t.Fatalf("Send = %v, want nil", err)
	}
	msgs := api.Messages()
	var parts []string
	for _, m := range msgs {
		parts = append(parts, m.Text)
	}
	if len(parts) != 2 {
		t.Fatalf("fake got %d messages, want 2", len(parts))
	}
	checkParts(t, text, parts, 4096)
	if got := strings.Join(parts, ""); got != text {
		t.Errorf("hard-cut parts joined differ from the text")
	}
	if got, want := len(utf16.Encode([]rune(parts[0]))), 4095; got != want {
		t.Errorf("first part has %d UTF-16 units, want %d", got, want)
	}
}

// checkParts asserts what splitText promises: each part is valid UTF-8 (if
// text is) and within max UTF-16 units (unless it is a single rune wider
// than max); one part is the text itself; several parts are non-blank,
// start and end with a non-space, and text == w0 + p1 + w1 + … + pn + wn
// where every wi is whitespace (the breaks and the ends, dropped).
func checkParts(tb testing.TB, text string, parts []string, max int) {
	tb.Helper()
	for i, p := range parts {
		if utf8.ValidString(text) && !utf8.ValidString(p) {
			tb.Errorf("part %d is not valid UTF-8", i)
		}
		if n := len(utf16.Encode([]rune(p))); n > max && utf8.RuneCountInString(p) > 1 {
			tb.Errorf("part %d has %d UTF-16 units, want at most %d", i, n, max)
		}
	}
	if len(parts) == 1 && parts[0] == text {
		return
	}
	rest := text
	for i, p := range parts {
		first, _ := utf8.DecodeRuneInString(p)
		last, _ := utf8.DecodeLastRuneInString(p)
		if p == "" || unicode.IsSpace(first) || unicode.IsSpace(last) {
			tb.Errorf("part %d = %q, want it to start and end with a non-space", i, p)
			continue
		}
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if !strings.HasPrefix(rest, p) {
			tb.Fatalf("part %d is not the next non-space text after part %d", i, i-1)
		}
		rest = rest[len(p):]
	}
	if strings.TrimSpace(rest) != "" {
		tb.Errorf("text has %d bytes of non-space left after the parts", len(rest))
	}
}

func TestSenderErrors(t *testing.T) {
	tests := []struct {
		name          string
		code          int
		description   string
		retryAfter    int
		wantRetry     time.Duration // 0: want no *bot.RetryAfterError
		wantPermanent bool
	}{
		{"too many requests", http.StatusTooManyRequests, "Too Many Requests: retry after 7", 7, 7 * time.Second, false},
		{"blocked by the user", http.StatusForbidden, "Forbidden: bot was blocked by the user", 0, 0, true},
		{"chat not found", http.StatusBadRequest, "Bad Request: chat not found", 0, 0, true},
		{"bad token", http.StatusUnauthorized, "Unauthorized", 0, 0, true},
		{"server error", http.StatusInternalServerError, "Internal Server Error", 0, 0, false},
		{"bad gateway", http.StatusBadGateway, "Bad Gateway", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := telegramtest.NewAPI(t)
			s := MustSender(t, api)
			api.FailNext(1, tt.code, tt.description, tt.retryAfter)

			err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: to("42"), Text: "hello"})
			if err == nil {
				t.Fatalf("Send = nil, want an error")
			}
			var ra *bot.RetryAfterError
			switch isRetry := errors.As(err, &ra); {
			case tt.wantRetry == 0 && isRetry:
				t.Errorf("Send = %v, want no RetryAfterError", err)
			case tt.wantRetry != 0 && !isRetry:
				t.Errorf("Send = %v, want a RetryAfterError", err)
			case isRetry && ra.After != tt.wantRetry:
				t.Errorf("RetryAfterError.After = %s, want %s", ra.After, tt.wantRetry)
			}
			if got := errors.Is(err, bot.ErrPermanent); got != tt.wantPermanent {
				t.Errorf("errors.Is(%v, ErrPermanent) = %t, want %t", err, got, tt.wantPermanent)
			}
			var pe *bot.PartialError
			if errors.As(err, &pe) {
				t.Errorf("Send = %v, want no PartialError for a one-part message", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q reveals the bot token", err)
			}
			if n := len(api.Messages()); n != 0 {
				t.Errorf("fake recorded %d messages, want 0", n)
			}
		})
	}
}

func TestSenderRecoversAfterFailure(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	m := bot.Outbound{Company: "acme", To: to("42"), Text: "hello"}
	api.FailAlways(http.StatusInternalServerError, "Internal Server Error")
	for i := range 2 {
		if err := s.Send(context.Background(), m); err == nil {
			t.Fatalf("Send #%d during FailAlways = nil, want an error", i+1)
		}
	}
	api.Recover()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send after Recover = %v, want nil", err)
	}
	if got := api.WaitMessages(t, 1, time.Second); len(got) != 1 {
		t.Errorf("fake has %d messages, want 1", len(got))
	}
	if got, want := api.Requests(), 3; got != want {
		t.Errorf("fake got %d requests, want %d", got, want)
	}
}

// threeParts is a text that splits into exactly three parts at blank lines.
func threeParts() (string, []string) {
	p := []string{strings.Repeat("a", 4000), strings.Repeat("b", 4000), strings.Repeat("c", 3000)}
	return strings.Join(p, "\n\n"), p
}

func TestSenderSkipParts(t *testing.T) {
	text, parts := threeParts()
	tests := []struct {
		skip int
		want []string
	}{
		{0, parts},
		{1, parts[1:]},
		{2, parts[2:]},
		{3, nil},
		{9, nil},
	}
	for _, tt := range tests {
		api := telegramtest.NewAPI(t)
		s := MustSender(t, api)
		m := bot.Outbound{Company: "acme", To: to("42"), Text: text, SkipParts: tt.skip}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send(SkipParts %d) = %v, want nil", tt.skip, err)
		}
		var got []string
		for _, msg := range api.Messages() {
			got = append(got, msg.Text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Send(SkipParts %d) sent (-want +got):\n%s", tt.skip, diff)
		}
	}
}

func TestSenderSetWebhooks(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s := MustSender(t, api)
	if err := s.SetWebhooks(context.Background(), "https://bot.example.com/"); err != nil {
		t.Fatalf("SetWebhooks = %v, want nil", err)
	}
	updates := []string{"message", "callback_query"} // button presses arrive as callback_query
	want := []telegramtest.Webhook{
		{Token: testToken, URL: "https://bot.example.com/webhooks/telegram/acme", SecretToken: testSecret, AllowedUpdates: updates},
		{Token: otherToken, URL: "https://bot.example.com/webhooks/telegram/beta", SecretToken: "beta-secret", AllowedUpdates: updates},
	}
	if diff := cmp.Diff(want, api.Webhooks()); diff != "" {
		t.Errorf("webhooks at the fake (-want +got):\n%s", diff)
	}
	if err := s.SetWebhooks(context.Background(), ""); err == nil {
		t.Errorf("SetWebhooks(\"\") = nil, want an error")
	}
}

func TestNewSenderInvalid(t *testing.T) {
	tests := []struct {
		name      string
		companies []*config.Company
		opts      telegram.SenderOptions
	}{
		{"empty token", []*config.Company{{ID: "a", Channels: config.Channels{Telegram: &config.Telegram{}}}}, telegram.SenderOptions{}},
		{"bad API base", nil, telegram.SenderOptions{APIBase: "localhost:8081"}},
		{"company twice", []*config.Company{
			{ID: "a", Channels: config.Channels{Telegram: &config.Telegram{BotToken: testToken}}},
			{ID: "a", Channels: config.Channels{Telegram: &config.Telegram{BotToken: otherToken}}},
		}, telegram.SenderOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := telegram.NewSender(tt.companies, tt.opts); err == nil {
				t.Errorf("NewSender(%s) = nil error, want one", tt.name)
			}
		})
	}
}
