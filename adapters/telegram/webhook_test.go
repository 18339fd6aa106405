package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

const (
	testToken  = "123456:TEST-token"
	testSecret = "s3cret-webhook"
)

// fakeCompanies is a map-backed telegram.Companies.
type fakeCompanies map[string]*config.Company

func (f fakeCompanies) Company(id string) (*config.Company, bool) {
	co, ok := f[id]
	return co, ok
}

// testCompanies holds acme (with Telegram) and plain (without).
func testCompanies() fakeCompanies {
	return fakeCompanies{
		"acme":  {ID: "acme", Channels: config.Channels{Telegram: &config.Telegram{BotToken: testToken, WebhookSecret: testSecret}}},
		"plain": {ID: "plain"},
	}
}

// recordingHandler records every Inbound and answers err.
type recordingHandler struct {
	mu  sync.Mutex
	got []bot.Inbound
	err error
}

func (h *recordingHandler) Handle(ctx context.Context, in bot.Inbound) error {
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("handler context has no deadline")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, in)
	return h.err
}

func (h *recordingHandler) calls() []bot.Inbound {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Inbound(nil), h.got...)
}

// countingObserver counts Inbound outcomes.
type countingObserver struct {
	bot.NopObserver
	mu       sync.Mutex
	outcomes map[string]int
}

func (o *countingObserver) Inbound(ch bot.Channel, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.outcomes == nil {
		o.outcomes = make(map[string]int)
	}
	o.outcomes[string(ch)+"/"+outcome]++
}

func (o *countingObserver) counts() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]int, len(o.outcomes))
	for k, v := range o.outcomes {
		out[k] = v
	}
	return out
}

var fixedNow = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// webhookServer routes the webhook through Echo as the web package does.
type webhookServer struct {
	e   *echo.Echo
	h   *recordingHandler
	obs *countingObserver
	log *bytes.Buffer
}

func newWebhookServer(tb testing.TB, handlerErr error) *webhookServer {
	tb.Helper()
	ws := &webhookServer{
		e:   echo.New(),
		h:   &recordingHandler{err: handlerErr},
		obs: &countingObserver{},
		log: &bytes.Buffer{},
	}
	w := telegram.NewWebhook(testCompanies(), ws.h, telegram.WebhookOptions{
		Observer: ws.obs,
		Log:      slog.New(slog.NewTextHandler(ws.log, nil)),
		Now:      func() time.Time { return fixedNow },
	})
	ws.e.Use(middleware.BodyLimit("64K"))
	ws.e.POST("/webhooks/telegram/:company", w.Update)
	return ws
}

func (ws *webhookServer) post(company, secret, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram/"+company, strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	rec := httptest.NewRecorder()
	ws.e.ServeHTTP(rec, req)
	return rec
}

func TestWebhookUpdate(t *testing.T) {
	textUpdate := `{"update_id":1001,"message":{"message_id":5,"date":1741082400,` +
		`"from":{"id":4242,"is_bot":false,"first_name":"Ann"},"chat":{"id":4242,"type":"private"},"text":"my boiler is leaking"}}`
	wantText := bot.Inbound{
		Company:    "acme",
		From:       bot.Address{Channel: bot.Telegram, ID: "4242"},
		Text:       "my boiler is leaking",
		ProviderID: "1001",
		At:         time.Unix(1741082400, 0).UTC(),
	}
	tests := []struct {
		name        string
		company     string
		secret      string
		body        string
		handlerErr  error
		wantCode    int
		wantBody    string // substring of the response body
		wantCalls   []bot.Inbound
		wantOutcome string
		wantAnswer  string // the answerCallbackQuery id in a 200 body; "" wants an empty body
	}{
		{
			name: "private text/right secret", company: "acme", secret: testSecret, body: textUpdate,
			wantCode: http.StatusOK, wantCalls: []bot.Inbound{wantText},
		},
		{
			name: "private text/no date uses now", company: "acme", secret: testSecret,
			body:     `{"update_id":7,"message":{"message_id":1,"chat":{"id":99,"type":"private"},"text":"hi"}}`,
			wantCode: http.StatusOK,
			wantCalls: []bot.Inbound{{Company: "acme", From: bot.Address{Channel: bot.Telegram, ID: "99"},
				Text: "hi", ProviderID: "7", At: fixedNow}},
		},
		{
			name: "private text/telegramtest.Update", company: "acme", secret: testSecret,
			body:     string(telegramtest.Update(55, 777, "hello there")),
			wantCode: http.StatusOK,
			// At is the fake's "now"; compared separately below.
			wantCalls: []bot.Inbound{{Company: "acme", From: bot.Address{Channel: bot.Telegram, ID: "777"},
				Text: "hello there", ProviderID: "55"}},
		},
		{
			name: "photo with caption/caption is the text", company: "acme", secret: testSecret,
			body: `{"update_id":8,"message":{"message_id":2,"date":1741082400,"chat":{"id":5,"type":"private"},` +
				`"photo":[{"file_id":"f","file_unique_id":"u","width":1,"height":1}],"caption":"this is the leak"}}`,
			wantCode: http.StatusOK,
			wantCalls: []bot.Inbound{{Company: "acme", From: bot.Address{Channel: bot.Telegram, ID: "5"},
				Text: "this is the leak", Media: []string{"telegram-file:f"}, ProviderID: "8", At: time.Unix(1741082400, 0).UTC()}},
		},
		{
			name: "photo without caption/kept as media", company: "acme", secret: testSecret,
			body: `{"update_id":9,"message":{"message_id":3,"date":1741082400,"chat":{"id":5,"type":"private"},` +
				`"photo":[{"file_id":"small","file_unique_id":"u1","width":1,"height":1},{"file_id":"big","file_unique_id":"u2","width":9,"height":9}]}}`,
			wantCode: http.StatusOK,
			wantCalls: []bot.Inbound{{Company: "acme", From: bot.Address{Channel: bot.Telegram, ID: "5"},
				Media: []string{"telegram-file:big"}, ProviderID: "9", At: time.Unix(1741082400, 0).UTC()}},
		},
		{
			name: "wrong secret", company: "acme", secret: "guess", body: textUpdate,
			wantCode: http.StatusForbidden, wantBody: "invalid secret token", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "missing secret", company: "acme", body: textUpdate,
			wantCode: http.StatusForbidden, wantBody: "invalid secret token", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "secret with extra suffix", company: "acme", secret: testSecret + "x", body: textUpdate,
			wantCode: http.StatusForbidden, wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "unknown company", company: "nobody", secret: testSecret, body: textUpdate,
			wantCode: http.StatusNotFound, wantBody: "unknown company", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "company without telegram", company: "plain", secret: testSecret, body: textUpdate,
			wantCode: http.StatusNotFound, wantBody: "unknown company", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "invalid JSON", company: "acme", secret: testSecret, body: `{"update_id":1,`,
			wantCode: http.StatusBadRequest, wantBody: "malformed update", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "no update_id", company: "acme", secret: testSecret,
			body:     `{"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"hi"}}`,
			wantCode: http.StatusBadRequest, wantBody: "malformed update", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "update_id zero", company: "acme", secret: testSecret,
			body:     `{"update_id":0,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"hi"}}`,
			wantCode: http.StatusBadRequest, wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "edited message/ignored", company: "acme", secret: testSecret,
			body:     `{"update_id":9,"edited_message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"edit"}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "callback/private chat", company: "acme", secret: testSecret, body: callbackBody(10, "c1", 4242, "private", "YES 1042"),
			wantCode: http.StatusOK, wantAnswer: "c1", wantCalls: []bot.Inbound{pressed("c1", "4242", "YES 1042")},
		},
		{
			name: "callback/telegramtest.CallbackUpdate", company: "acme", secret: testSecret,
			body:     string(telegramtest.CallbackUpdate(20, 777, "c20", "/assign J-1042 alice")),
			wantCode: http.StatusOK, wantAnswer: "c20", wantCalls: []bot.Inbound{pressed("c20", "777", "/assign J-1042 alice")},
		},
		{
			name: "callback/message over 48 hours old", company: "acme", secret: testSecret,
			body: `{"update_id":21,"callback_query":{"id":"c21","from":{"id":5,"is_bot":false,"first_name":"A"},"chat_instance":"x",` +
				`"message":{"message_id":3,"date":0,"chat":{"id":5,"type":"private"}},"data":"2"}}`,
			wantCode: http.StatusOK, wantAnswer: "c21", wantCalls: []bot.Inbound{pressed("c21", "5", "2")},
		},
		{
			name: "callback/inline message without chat/ignored", company: "acme", secret: testSecret,
			body:     `{"update_id":10,"callback_query":{"id":"c1","from":{"id":1,"is_bot":false,"first_name":"A"},"chat_instance":"x","inline_message_id":"im","data":"yes"}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored, wantAnswer: "c1",
		},
		{
			name: "callback/no data/ignored", company: "acme", secret: testSecret, body: callbackBody(22, "c22", 4242, "private", ""),
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored, wantAnswer: "c22",
		},
		{
			name: "callback/group/ignored", company: "acme", secret: testSecret, body: callbackBody(23, "c23", -100, "group", "YES 1042"),
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored, wantAnswer: "c23",
		},
		{
			name: "callback/presser is not the chat/ignored", company: "acme", secret: testSecret,
			body: `{"update_id":24,"callback_query":{"id":"c24","from":{"id":6,"is_bot":false,"first_name":"A"},"chat_instance":"x",` +
				`"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"}},"data":"1"}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored, wantAnswer: "c24",
		},
		{
			name: "callback/no id/ignored, nothing to answer", company: "acme", secret: testSecret, body: callbackBody(25, "", 4242, "private", "1"),
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "callback/wrong secret", company: "acme", secret: "guess", body: callbackBody(26, "c26", 4242, "private", "1"),
			wantCode: http.StatusForbidden, wantBody: "invalid secret token", wantOutcome: bot.OutcomeRejected,
		},
		{
			name: "callback/handler error/503 without an answer", company: "acme", secret: testSecret,
			body: callbackBody(10, "c1", 4242, "private", "YES 1042"), handlerErr: errors.New("store down"),
			wantCode: http.StatusServiceUnavailable, wantBody: "temporarily unavailable",
			wantCalls: []bot.Inbound{pressed("c1", "4242", "YES 1042")},
		},
		{
			name: "callback/handler reports duplicate/answered", company: "acme", secret: testSecret,
			body: callbackBody(10, "c1", 4242, "private", "YES 1042"), handlerErr: bot.ErrDuplicate,
			wantCode: http.StatusOK, wantAnswer: "c1", wantCalls: []bot.Inbound{pressed("c1", "4242", "YES 1042")},
		},
		{
			name: "group chat/ignored", company: "acme", secret: testSecret,
			body:     `{"update_id":11,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"group","title":"crew"},"text":"hi all"}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "sticker without text/ignored", company: "acme", secret: testSecret,
			body: `{"update_id":12,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},` +
				`"sticker":{"file_id":"f","file_unique_id":"u","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "channel post/ignored", company: "acme", secret: testSecret,
			body:     `{"update_id":13,"channel_post":{"message_id":1,"date":1,"chat":{"id":-200,"type":"channel"},"text":"news"}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "my_chat_member/ignored", company: "acme", secret: testSecret,
			body: `{"update_id":14,"my_chat_member":{"chat":{"id":1,"type":"private"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,` +
				`"old_chat_member":{"status":"member","user":{"id":2,"is_bot":true,"first_name":"B"}},` +
				`"new_chat_member":{"status":"kicked","user":{"id":2,"is_bot":true,"first_name":"B"},"until_date":0}}}`,
			wantCode: http.StatusOK, wantOutcome: bot.OutcomeIgnored,
		},
		{
			name: "handler error/503", company: "acme", secret: testSecret, body: textUpdate,
			handlerErr: errors.New("store down"),
			wantCode:   http.StatusServiceUnavailable, wantBody: "temporarily unavailable", wantCalls: []bot.Inbound{wantText},
		},
		{
			name: "handler reports duplicate/200", company: "acme", secret: testSecret, body: textUpdate,
			handlerErr: bot.ErrDuplicate,
			wantCode:   http.StatusOK, wantCalls: []bot.Inbound{wantText},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWebhookServer(t, tt.handlerErr)
			rec := ws.post(tt.company, tt.secret, tt.body)

			if rec.Code != tt.wantCode {
				t.Fatalf("POST %s = %d %q, want %d", tt.company, rec.Code, rec.Body.String(), tt.wantCode)
			}
			if tt.wantBody != "" && !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body.String(), tt.wantBody)
			}
			if tt.wantCode == http.StatusOK {
				checkAnswer(t, rec, tt.wantAnswer)
			}
			got := ws.h.calls()
			ignoreAt := tt.name == "private text/telegramtest.Update"
			opts := cmp.Options{}
			if ignoreAt {
				opts = append(opts, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".At" }, cmp.Ignore()))
				if len(got) == 1 && got[0].At.IsZero() {
					t.Errorf("Inbound.At is zero, want the update's date")
				}
			}
			if diff := cmp.Diff(tt.wantCalls, got, opts); diff != "" {
				t.Errorf("Handle calls (-want +got):\n%s", diff)
			}
			wantCounts := map[string]int{}
			if tt.wantOutcome != "" {
				wantCounts["telegram/"+tt.wantOutcome] = 1
			}
			if diff := cmp.Diff(wantCounts, ws.obs.counts()); diff != "" {
				t.Errorf("observer counts (-want +got):\n%s", diff)
			}
			if logs := ws.log.String(); strings.Contains(logs, testToken) || strings.Contains(logs, testSecret) {
				t.Errorf("logs reveal a secret: %s", logs)
			}
		})
	}
}

// callbackBody is a callback_query update: user chatID pressed a button with
// data on one of the bot's messages in a chat of chatType.
func callbackBody(updateID int64, id string, chatID int64, chatType, data string) string {
	b, err := json.Marshal(map[string]any{
		"update_id": updateID,
		"callback_query": map[string]any{
			"id": id, "from": map[string]any{"id": chatID, "is_bot": false, "first_name": "Ann"}, "chat_instance": "ci", "data": data,
			"message": map[string]any{"message_id": 3, "date": 1741082400, "chat": map[string]any{"id": chatID, "type": chatType}, "text": "Pick"},
		},
	})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// pressed is the Inbound for a press of a button with data by chat.
func pressed(id, chat, data string) bot.Inbound {
	return bot.Inbound{Company: "acme", From: bot.Address{Channel: bot.Telegram, ID: chat},
		Text: data, ProviderID: "cb:" + id, At: fixedNow}
}

// checkAnswer asserts a 200 body: empty when id is "", else the JSON
// answerCallbackQuery call for id.
func checkAnswer(tb testing.TB, rec *httptest.ResponseRecorder, id string) {
	tb.Helper()
	if id == "" {
		if rec.Body.Len() != 0 {
			tb.Errorf("body = %q, want empty", rec.Body.String())
		}
		return
	}
	if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		tb.Errorf("Content-Type = %q, want application/json", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		tb.Fatalf("body %q is not JSON: %v", rec.Body.String(), err)
	}
	want := map[string]any{"method": "answerCallbackQuery", "callback_query_id": id}
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Errorf("answer in the body (-want +got):\n%s", diff)
	}
}

// dedupingHandler applies each ProviderID once, as bot.Bot does through its
// store, and answers bot.ErrDuplicate after that.
type dedupingHandler struct {
	mu      sync.Mutex
	seen    map[string]bool
	applied []bot.Inbound
}

func (h *dedupingHandler) Handle(_ context.Context, in bot.Inbound) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen[in.ProviderID] {
		return bot.ErrDuplicate
	}
	if h.seen == nil {
		h.seen = make(map[string]bool)
	}
	h.seen[in.ProviderID] = true
	h.applied = append(h.applied, in)
	return nil
}

func TestWebhookCallbackOnce(t *testing.T) {
	h := &dedupingHandler{}
	w := telegram.NewWebhook(testCompanies(), h, telegram.WebhookOptions{
		Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return fixedNow },
	})
	e := echo.New()
	e.POST("/webhooks/telegram/:company", w.Update)
	post := func(body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram/acme", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}

	press := telegramtest.CallbackUpdate(77, 4242, "77", "YES 1042")
	for i := range 2 { // Telegram redelivers an update it thinks was lost
		rec := post(press)
		if rec.Code != http.StatusOK {
			t.Fatalf("delivery #%d = %d %q, want 200", i+1, rec.Code, rec.Body.String())
		}
		checkAnswer(t, rec, "77")
	}
	// A second press is a new callback id; a typed message with the same
	// number as its update_id is a different key.
	for _, body := range [][]byte{telegramtest.CallbackUpdate(78, 4242, "78", "YES 1042"), telegramtest.Update(77, 4242, "YES 1042")} {
		if rec := post(body); rec.Code != http.StatusOK {
			t.Fatalf("POST = %d %q, want 200", rec.Code, rec.Body.String())
		}
	}
	var keys []string
	for _, in := range h.applied {
		keys = append(keys, in.ProviderID)
	}
	if diff := cmp.Diff([]string{"cb:77", "cb:78", "77"}, keys); diff != "" {
		t.Errorf("applied ProviderIDs (-want +got):\n%s", diff)
	}
}

func TestWebhookHandlerErrorIsLogged(t *testing.T) {
	ws := newWebhookServer(t, errors.New("store down"))
	rec := ws.post("acme", testSecret, string(telegramtest.Update(31, 4242123, "hi")))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("POST = %d, want 503", rec.Code)
	}
	logs := ws.log.String()
	for _, want := range []string{"store down", "update_id=31", "****123"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs = %q, want them to contain %q", logs, want)
		}
	}
	if strings.Contains(logs, "4242123") {
		t.Errorf("logs = %q, want the chat id masked", logs)
	}
}

func TestWebhookBodyLimit(t *testing.T) {
	ws := newWebhookServer(t, nil)
	body := `{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"` +
		strings.Repeat("a", 70<<10) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram/acme", strings.NewReader(body))
	req.ContentLength = -1 // as if chunked: the limit trips while reading, not on the header
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
	rec := httptest.NewRecorder()
	ws.e.ServeHTTP(rec, req)

	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("POST %d bytes = %d %q, want 413", len(body), rec.Code, rec.Body.String())
	}
	if calls := ws.h.calls(); len(calls) != 0 {
		t.Errorf("Handle called %d times, want 0", len(calls))
	}
}
