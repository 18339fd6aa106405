// Package telegramtest fakes the Telegram Bot API for tests: an httptest
// server that the real go-telegram client talks to, recording what was sent
// and failing on demand, plus builders for webhook update bodies.
package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one text accepted by the fake's sendMessage.
type Message struct {
	Token  string // the bot token from the request path
	ChatID int64
	Text   string
}

// Webhook is one setWebhook call received by the fake.
type Webhook struct {
	Token       string
	URL         string
	SecretToken string
}

// failure is a canned error answer for sendMessage.
type failure struct {
	code        int
	description string
	retryAfter  int
}

// API is a fake Bot API server. Point a client at URL with
// tgbot.WithServerURL. It is safe for concurrent use.
type API struct {
	// URL is the server's base URL, without a trailing slash.
	URL string

	mu        sync.Mutex
	messages  []Message
	webhooks  []Webhook
	requests  int
	nextID    int
	failCount int
	failNext  failure
	failAll   *failure
	arrived   chan struct{} // closed and replaced whenever a message arrives
}

// NewAPI starts a fake Bot API server that is closed when tb ends.
func NewAPI(tb testing.TB) *API {
	tb.Helper()
	a := &API{arrived: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	tb.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// Messages returns a copy of the accepted messages in arrival order.
func (a *API) Messages() []Message {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Message(nil), a.messages...)
}

// Webhooks returns a copy of the setWebhook calls in arrival order.
func (a *API) Webhooks() []Webhook {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Webhook(nil), a.webhooks...)
}

// Requests returns how many requests of any method reached the fake.
func (a *API) Requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests
}

// FailNext makes the next n sendMessage calls fail with HTTP status code and
// Telegram's error body; retryAfter > 0 adds parameters.retry_after.
func (a *API) FailNext(n int, code int, description string, retryAfter int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failCount = n
	a.failNext = failure{code: code, description: description, retryAfter: retryAfter}
}

// FailAlways makes every sendMessage call fail with code and description
// until Recover. FailNext failures, if any are left, come first.
func (a *API) FailAlways(code int, description string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failAll = &failure{code: code, description: description}
}

// Recover cancels FailNext and FailAlways.
func (a *API) Recover() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failCount = 0
	a.failAll = nil
}

// WaitMessages waits until at least n messages have arrived and returns them
// all. It fails tb if they have not arrived within timeout. Call it from the
// test's goroutine.
func (a *API) WaitMessages(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		a.mu.Lock()
		if len(a.messages) >= n {
			msgs := append([]Message(nil), a.messages...)
			a.mu.Unlock()
			return msgs
		}
		arrived := a.arrived
		a.mu.Unlock()
		select {
		case <-arrived:
		case <-timer.C:
			got := a.Messages()
			tb.Fatalf("telegramtest: %d messages after %s, want at least %d: %+v", len(got), timeout, n, got)
			return got
		}
	}
}

// serve routes /bot<token>/<method>.
func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests++
	a.mu.Unlock()

	token, method, ok := splitPath(r.URL.Path)
	if !ok || r.Method != http.MethodPost {
		writeError(w, failure{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	switch method {
	case "sendMessage":
		a.sendMessage(w, r, token)
	case "setWebhook":
		a.setWebhook(w, r, token)
	case "getMe":
		id, _ := strconv.ParseInt(strings.SplitN(token, ":", 2)[0], 10, 64)
		writeResult(w, map[string]any{"id": id, "is_bot": true, "first_name": "Test Bot", "username": "test_bot"})
	default:
		writeError(w, failure{code: http.StatusNotFound, description: "Not Found"})
	}
}

// sendMessage records a text message, or fails as told.
func (a *API) sendMessage(w http.ResponseWriter, r *http.Request, token string) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: " + err.Error()})
		return
	}
	chatID, err := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	if err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: chat not found"})
		return
	}
	text := r.FormValue("text")
	if strings.TrimSpace(text) == "" {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: message text is empty"})
		return
	}

	a.mu.Lock()
	if f, failed := a.takeFailure(); failed {
		a.mu.Unlock()
		writeError(w, f)
		return
	}
	a.nextID++
	id := a.nextID
	a.messages = append(a.messages, Message{Token: token, ChatID: chatID, Text: text})
	close(a.arrived)
	a.arrived = make(chan struct{})
	a.mu.Unlock()

	writeResult(w, map[string]any{
		"message_id": id,
		"date":       time.Now().Unix(),
		"chat":       map[string]any{"id": chatID, "type": "private"},
		"text":       text,
	})
}

// takeFailure returns the failure due for this sendMessage call, if any.
// The caller holds a.mu.
func (a *API) takeFailure() (failure, bool) {
	if a.failCount > 0 {
		a.failCount--
		return a.failNext, true
	}
	if a.failAll != nil {
		return *a.failAll, true
	}
	return failure{}, false
}

// setWebhook records a webhook registration.
func (a *API) setWebhook(w http.ResponseWriter, r *http.Request, token string) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: " + err.Error()})
		return
	}
	a.mu.Lock()
	a.webhooks = append(a.webhooks, Webhook{Token: token, URL: r.FormValue("url"), SecretToken: r.FormValue("secret_token")})
	a.mu.Unlock()
	writeResult(w, true)
}

// splitPath parses "/bot<token>/<method>".
func splitPath(p string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(p, "/bot")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 || i == len(rest)-1 {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

// writeResult answers {"ok":true,"result":result}.
func writeResult(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// writeError answers in Telegram's error shape with f.code as HTTP status.
func writeError(w http.ResponseWriter, f failure) {
	body := map[string]any{"ok": false, "error_code": f.code, "description": f.description}
	if f.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": f.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.code)
	_ = json.NewEncoder(w).Encode(body)
}
