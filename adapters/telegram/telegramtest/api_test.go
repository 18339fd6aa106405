package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram/telegramtest"
)

const token = "42:FAKE-token"

// mustBot returns a real client for api; New calls getMe on the fake.
func mustBot(tb testing.TB, api *telegramtest.API) *tgbot.Bot {
	tb.Helper()
	b, err := tgbot.New(token, tgbot.WithServerURL(api.URL))
	if err != nil {
		tb.Fatalf("tgbot.New against the fake = %v", err)
	}
	return b
}

func TestAPISendMessage(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ctx := context.Background()

	var ids []int
	for _, text := range []string{"one", "two"} {
		m, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: text})
		if err != nil {
			t.Fatalf("SendMessage(%q) = %v", text, err)
		}
		if m.Chat.ID != 7 || m.Text != text {
			t.Errorf("SendMessage(%q) result = chat %d text %q, want chat 7 and the text", text, m.Chat.ID, m.Text)
		}
		ids = append(ids, m.ID)
	}
	if ids[0] == ids[1] {
		t.Errorf("message ids = %v, want fresh ids", ids)
	}
	want := []telegramtest.Message{{Token: token, ChatID: 7, Text: "one"}, {Token: token, ChatID: 7, Text: "two"}}
	if diff := cmp.Diff(want, api.WaitMessages(t, 2, time.Second)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	got := api.Messages()
	got[0].Text = "changed"
	if api.Messages()[0].Text != "one" {
		t.Errorf("Messages() shares its slice with the fake, want a copy")
	}
	if got := api.Requests(); got != 3 { // getMe + 2 sendMessage
		t.Errorf("Requests() = %d, want 3", got)
	}
}

func TestAPIFailures(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ctx := context.Background()
	send := func() error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "hi"})
		return err
	}

	api.FailNext(2, http.StatusTooManyRequests, "Too Many Requests: retry after 7", 7)
	for i := range 2 {
		var tooMany *tgbot.TooManyRequestsError
		if err := send(); !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
			t.Errorf("send #%d = %v, want TooManyRequestsError with RetryAfter 7", i+1, err)
		}
	}
	if err := send(); err != nil {
		t.Errorf("send after FailNext(2) ran out = %v, want nil", err)
	}

	api.FailAlways(http.StatusForbidden, "Forbidden: bot was blocked by the user")
	for i := range 2 {
		if err := send(); !errors.Is(err, tgbot.ErrorForbidden) {
			t.Errorf("send #%d during FailAlways = %v, want ErrorForbidden", i+1, err)
		}
	}
	api.Recover()
	if err := send(); err != nil {
		t.Errorf("send after Recover = %v, want nil", err)
	}
	if got := len(api.Messages()); got != 2 {
		t.Errorf("fake recorded %d messages, want 2 (failed sends are not recorded)", got)
	}
}

func TestAPIWebhookAndUnknownMethod(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ctx := context.Background()

	ok, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://x.example/hook", SecretToken: "sec"})
	if err != nil || !ok {
		t.Fatalf("SetWebhook = %t, %v; want true, nil", ok, err)
	}
	ok, err = b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://x.example/two", AllowedUpdates: []string{"message", "callback_query"}})
	if err != nil || !ok {
		t.Fatalf("SetWebhook(allowed updates) = %t, %v; want true, nil", ok, err)
	}
	want := []telegramtest.Webhook{
		{Token: token, URL: "https://x.example/hook", SecretToken: "sec"},
		{Token: token, URL: "https://x.example/two", AllowedUpdates: []string{"message", "callback_query"}},
	}
	if diff := cmp.Diff(want, api.Webhooks()); diff != "" {
		t.Errorf("webhooks (-want +got):\n%s", diff)
	}
	if _, err := b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); !errors.Is(err, tgbot.ErrorNotFound) {
		t.Errorf("DeleteWebhook on the fake = %v, want ErrorNotFound", err)
	}
}

func TestUpdate(t *testing.T) {
	var u models.Update
	if err := json.Unmarshal(telegramtest.Update(9, 1234, "hello"), &u); err != nil {
		t.Fatalf("Update() is not a models.Update: %v", err)
	}
	if u.ID != 9 || u.Message == nil {
		t.Fatalf("Update() = %+v, want update 9 with a message", u)
	}
	m := u.Message
	if m.Chat.ID != 1234 || m.Chat.Type != models.ChatTypePrivate || m.From == nil || m.From.ID != 1234 ||
		m.Text != "hello" || m.Date == 0 {
		t.Errorf("Update() message = %+v, want a dated private text from 1234", m)
	}
}

// fatalRecorder is a testing.TB whose Fatalf records instead of stopping.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) { r.fatal = format }

func TestWaitMessagesTimesOut(t *testing.T) {
	api := telegramtest.NewAPI(t)
	rec := &fatalRecorder{TB: t}
	got := api.WaitMessages(rec, 1, 10*time.Millisecond)
	if rec.fatal == "" {
		t.Errorf("WaitMessages with no messages did not fail the test")
	}
	if len(got) != 0 {
		t.Errorf("WaitMessages = %v, want none", got)
	}
}

func TestAPIKeyboard(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ctx := context.Background()
	send := func(rows [][]models.InlineKeyboardButton) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "pick",
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: rows}})
		return err
	}

	if err := send([][]models.InlineKeyboardButton{
		{{Text: "Yes", CallbackData: "YES 1042"}, {Text: "No", CallbackData: "NO 1042"}},
		{{Text: "1", CallbackData: "1"}},
	}); err != nil {
		t.Fatalf("SendMessage with a keyboard = %v", err)
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "plain"}); err != nil {
		t.Fatalf("SendMessage without a keyboard = %v", err)
	}
	want := []telegramtest.Message{
		{Token: token, ChatID: 7, Text: "pick", Keyboard: [][]telegramtest.Button{
			{{Text: "Yes", CallbackData: "YES 1042"}, {Text: "No", CallbackData: "NO 1042"}},
			{{Text: "1", CallbackData: "1"}},
		}},
		{Token: token, ChatID: 7, Text: "plain"},
	}
	if diff := cmp.Diff(want, api.Messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}

	bad := map[string][][]models.InlineKeyboardButton{
		"callback_data over 64 bytes": {{{Text: "x", CallbackData: strings.Repeat("a", 65)}}},
		"no callback_data":            {{{Text: "x"}}},
		"no text":                     {{{CallbackData: "x"}}},
	}
	for name, rows := range bad {
		if err := send(rows); !errors.Is(err, tgbot.ErrorBadRequest) {
			t.Errorf("SendMessage with %s = %v, want ErrorBadRequest", name, err)
		}
	}
	if got := len(api.Messages()); got != 2 {
		t.Errorf("fake recorded %d messages, want 2 (refused keyboards are not recorded)", got)
	}
}

func TestAPICommands(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ctx := context.Background()
	cmds := []models.BotCommand{{Command: "jobs", Description: "List jobs"}, {Command: "help", Description: "Help"}}

	if ok, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, Scope: &models.BotCommandScopeChat{ChatID: int64(111)}}); err != nil || !ok {
		t.Fatalf("SetMyCommands(chat 111) = %t, %v; want true, nil", ok, err)
	}
	if ok, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds[:1]}); err != nil || !ok {
		t.Fatalf("SetMyCommands(no scope) = %t, %v; want true, nil", ok, err)
	}
	want := []telegramtest.Commands{
		{Token: token, Scope: telegramtest.Scope{Type: "chat", ChatID: 111}, Commands: []telegramtest.Command{
			{Command: "jobs", Description: "List jobs"}, {Command: "help", Description: "Help"}}},
		{Token: token, Commands: []telegramtest.Command{{Command: "jobs", Description: "List jobs"}}},
	}
	if diff := cmp.Diff(want, api.Commands()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}

	for _, bad := range []models.BotCommand{{Command: "Jobs", Description: "x"}, {Command: "/jobs", Description: "x"}, {Command: "jobs"}} {
		if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{bad}}); !errors.Is(err, tgbot.ErrorBadRequest) {
			t.Errorf("SetMyCommands(%+v) = %v, want ErrorBadRequest", bad, err)
		}
	}
	if got := len(api.Commands()); got != 2 {
		t.Errorf("fake recorded %d command menus, want 2", got)
	}
}

func TestAPIAnswerCallbackQuery(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	ok, err := b.AnswerCallbackQuery(context.Background(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "cq1", Text: "done"})
	if err != nil || !ok {
		t.Fatalf("AnswerCallbackQuery = %t, %v; want true, nil", ok, err)
	}
	want := []telegramtest.CallbackAnswer{{Token: token, CallbackQueryID: "cq1", Text: "done"}}
	if diff := cmp.Diff(want, api.CallbackAnswers()); diff != "" {
		t.Errorf("callback answers (-want +got):\n%s", diff)
	}
}

func TestAPIFailToken(t *testing.T) {
	api := telegramtest.NewAPI(t)
	b := mustBot(t, api)
	other, err := tgbot.New("99:OTHER", tgbot.WithServerURL(api.URL))
	if err != nil {
		t.Fatalf("tgbot.New(other) = %v", err)
	}
	ctx := context.Background()
	api.FailToken(token, http.StatusUnauthorized, "Unauthorized")

	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "hi"}); !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Errorf("SendMessage with the failing token = %v, want ErrorUnauthorized", err)
	}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "a", Description: "b"}}}); !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Errorf("SetMyCommands with the failing token = %v, want ErrorUnauthorized", err)
	}
	if _, err := other.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "hi"}); err != nil {
		t.Errorf("SendMessage with another token = %v, want nil", err)
	}
	api.Recover()
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(7), Text: "again"}); err != nil {
		t.Errorf("SendMessage after Recover = %v, want nil", err)
	}
	if got := len(api.Messages()); got != 2 {
		t.Errorf("fake recorded %d messages, want 2", got)
	}
}

func TestCallbackUpdate(t *testing.T) {
	var u models.Update
	if err := json.Unmarshal(telegramtest.CallbackUpdate(9, 1234, "cq9", "YES 1042"), &u); err != nil {
		t.Fatalf("CallbackUpdate() is not a models.Update: %v", err)
	}
	cq := u.CallbackQuery
	if u.ID != 9 || cq == nil {
		t.Fatalf("CallbackUpdate() = %+v, want update 9 with a callback query", u)
	}
	if cq.ID != "cq9" || cq.Data != "YES 1042" || cq.From.ID != 1234 || cq.Message.Message == nil ||
		cq.Message.Message.Chat.ID != 1234 || cq.Message.Message.Chat.Type != models.ChatTypePrivate {
		t.Errorf("CallbackUpdate() callback = %+v, want a press of YES 1042 by 1234 in their private chat", cq)
	}
}
