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
	Token    string // the bot token from the request path
	ChatID   int64
	Text     string
	Keyboard [][]Button // the inline keyboard from reply_markup, rows left to right; nil without one
}

// Button is one inline keyboard button as sendMessage received it.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// Commands is one setMyCommands call received by the fake.
type Commands struct {
	Token    string
	Scope    Scope // zero when the call had no scope (Telegram's default scope)
	Commands []Command
}

// Scope is a setMyCommands scope: its type ("chat", "default", …) and, for
// the chat scopes, the chat id.
type Scope struct {
	Type   string `json:"type"`
	ChatID int64  `json:"chat_id"`
}

// Command is one entry of a command menu.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CallbackAnswer is one answerCallbackQuery call received by the fake.
type CallbackAnswer struct {
	Token           string
	CallbackQueryID string
	Text            string
}

// Webhook is one setWebhook call received by the fake.
type Webhook struct {
	Token          string
	URL            string
	SecretToken    string
	AllowedUpdates []string // nil when the call did not list them
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

	mu         sync.Mutex
	messages   []Message
	webhooks   []Webhook
	commands   []Commands
	answers    []CallbackAnswer
	failTokens map[string]failure
	requests   int
	nextID     int
	failCount  int
	failNext   failure
	failAll    *failure
	arrived    chan struct{} // closed and replaced whenever a message arrives
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

// Commands returns a copy of the setMyCommands calls in arrival order.
func (a *API) Commands() []Commands {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Commands(nil), a.commands...)
}

// CallbackAnswers returns a copy of the answerCallbackQuery calls in
// arrival order.
func (a *API) CallbackAnswers() []CallbackAnswer {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]CallbackAnswer(nil), a.answers...)
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

// FailToken makes every call, of any method, with bot token fail with code
// and description until Recover, as for a revoked token. Calls with other
// tokens are unaffected.
func (a *API) FailToken(token string, code int, description string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failTokens == nil {
		a.failTokens = make(map[string]failure)
	}
	a.failTokens[token] = failure{code: code, description: description}
}

// Recover cancels FailNext, FailAlways and FailToken.
func (a *API) Recover() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failCount = 0
	a.failAll = nil
	a.failTokens = nil
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
	a.mu.Lock()
	f, failed := a.failTokens[token]
	a.mu.Unlock()
	if failed {
		writeError(w, f)
		return
	}
	switch method {
	case "sendMessage":
		a.sendMessage(w, r, token)
	case "setWebhook":
		a.setWebhook(w, r, token)
	case "setMyCommands":
		a.setMyCommands(w, r, token)
	case "answerCallbackQuery":
		a.answerCallbackQuery(w, r, token)
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
	keyboard, problem := parseKeyboard(r.FormValue("reply_markup"))
	if problem != "" {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: " + problem})
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
	a.messages = append(a.messages, Message{Token: token, ChatID: chatID, Text: text, Keyboard: keyboard})
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
	hook := Webhook{Token: token, URL: r.FormValue("url"), SecretToken: r.FormValue("secret_token")}
	if au := r.FormValue("allowed_updates"); au != "" {
		if err := json.Unmarshal([]byte(au), &hook.AllowedUpdates); err != nil {
			writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: can't parse allowed updates"})
			return
		}
	}
	a.mu.Lock()
	a.webhooks = append(a.webhooks, hook)
	a.mu.Unlock()
	writeResult(w, true)
}

// parseKeyboard reads an inline keyboard reply_markup as Telegram checks
// it: every button needs text and callback_data of 1 to 64 bytes (the only
// kind the fake knows). It returns the problem Telegram would report, if any.
func parseKeyboard(markup string) ([][]Button, string) {
	if markup == "" {
		return nil, ""
	}
	var m struct {
		InlineKeyboard [][]Button `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &m); err != nil || m.InlineKeyboard == nil {
		return nil, "can't parse reply keyboard markup JSON object"
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.Text == "":
				return nil, "can't parse inline keyboard button: Text must be non-empty"
			case b.CallbackData == "":
				return nil, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
			case len(b.CallbackData) > 64:
				return nil, "BUTTON_DATA_INVALID"
			}
		}
	}
	return m.InlineKeyboard, ""
}

// setMyCommands records a command menu after Telegram's checks on it.
func (a *API) setMyCommands(w http.ResponseWriter, r *http.Request, token string) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: " + err.Error()})
		return
	}
	var call Commands
	if err := json.Unmarshal([]byte(r.FormValue("commands")), &call.Commands); err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: can't parse commands JSON object"})
		return
	}
	if len(call.Commands) > 100 {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: too many commands specified"})
		return
	}
	for _, c := range call.Commands {
		if !validCommand(c.Command) || c.Description == "" || len([]rune(c.Description)) > 256 {
			writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: BOT_COMMAND_INVALID"})
			return
		}
	}
	if scope := r.FormValue("scope"); scope != "" {
		if err := json.Unmarshal([]byte(scope), &call.Scope); err != nil || call.Scope.Type == "" ||
			(call.Scope.Type == "chat" && call.Scope.ChatID == 0) {
			writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: can't parse BotCommandScope JSON object"})
			return
		}
	}
	call.Token = token
	a.mu.Lock()
	a.commands = append(a.commands, call)
	a.mu.Unlock()
	writeResult(w, true)
}

// validCommand reports whether c is 1 to 32 lowercase letters, digits and
// underscores, as Telegram requires.
func validCommand(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// answerCallbackQuery records an answer to a button press.
func (a *API) answerCallbackQuery(w http.ResponseWriter, r *http.Request, token string) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: " + err.Error()})
		return
	}
	id := r.FormValue("callback_query_id")
	if id == "" {
		writeError(w, failure{code: http.StatusBadRequest, description: "Bad Request: query is too old and response timeout expired or query ID is invalid"})
		return
	}
	a.mu.Lock()
	a.answers = append(a.answers, CallbackAnswer{Token: token, CallbackQueryID: id, Text: r.FormValue("text")})
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
