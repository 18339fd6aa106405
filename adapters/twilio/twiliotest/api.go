package twiliotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Message is one message the fake API accepted.
type Message struct {
	AccountSID     string
	To             string
	From           string
	Body           string
	StatusCallback string
}

// API is a fake of Twilio's Messages API: it accepts form POSTs to
// /2010-04-01/Accounts/{sid}/Messages.json with Basic auth whose user is
// that sid, and answers as Twilio does. Point a client at URL (for the
// twilio adapter, as TWILIO_API_BASE). Its methods are safe for concurrent use.
type API struct {
	// URL is the fake's base URL, e.g. http://127.0.0.1:41234.
	URL string

	mu       sync.Mutex
	messages []Message
	requests int
	script   []outcome // outcomes of the next requests, in order
	always   *outcome  // when set, every request after the script fails
	arrived  chan struct{}
}

// outcome is how the fake answers one request: pass, or fail with status and code.
type outcome struct {
	fail         bool
	status, code int
}

// NewAPI starts a fake Messages API that is closed when the test ends.
func NewAPI(t testing.TB) *API {
	t.Helper()
	a := &API{arrived: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", a.create)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.count()
		writeError(w, http.StatusNotFound, 20404, "The requested resource was not found")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// Messages returns a copy of the accepted messages, in the order they arrived.
func (a *API) Messages() []Message {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Message(nil), a.messages...)
}

// Requests returns how many requests the fake got, failed ones included.
func (a *API) Requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests
}

// FailNext makes the next n requests fail with HTTP status and Twilio error
// code, replacing any earlier FailNext or FailAfter.
func (a *API) FailNext(n, status, code int) {
	a.FailAfter(0, n, status, code)
}

// FailAfter lets the next ok requests pass and makes the n after them fail
// with HTTP status and Twilio error code, replacing any earlier FailNext or
// FailAfter. It fails the second part of a split message with ok = 1.
func (a *API) FailAfter(ok, n, status, code int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.script = a.script[:0]
	for range ok {
		a.script = append(a.script, outcome{})
	}
	for range n {
		a.script = append(a.script, outcome{fail: true, status: status, code: code})
	}
}

// FailAlways makes every request fail with HTTP status and Twilio error code
// until Recover.
func (a *API) FailAlways(status, code int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.always = &outcome{fail: true, status: status, code: code}
}

// Recover ends FailAlways and drops pending FailNext and FailAfter failures.
func (a *API) Recover() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.always, a.script = nil, nil
}

// WaitMessages blocks until at least n messages were accepted and returns
// them; it fails the test if that takes longer than timeout.
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
		got, arrived := len(a.messages), a.arrived
		a.mu.Unlock()
		select {
		case <-arrived:
		case <-timer.C:
			tb.Fatalf("twiliotest: got %d messages within %v, want at least %d", got, timeout, n)
			return nil
		}
	}
}

// create serves the Messages resource.
func (a *API) create(w http.ResponseWriter, r *http.Request) {
	o := a.count()
	sid := r.PathValue("sid")
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Malformed request body")
		return
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != sid || pass == "" {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if o.fail {
		writeError(w, o.status, o.code, "Injected failure")
		return
	}
	f := r.PostForm
	m := Message{AccountSID: sid, To: f.Get("To"), From: f.Get("From"), Body: f.Get("Body"),
		StatusCallback: f.Get("StatusCallback")}
	switch {
	case m.To == "":
		writeError(w, http.StatusBadRequest, 21604, "A 'To' phone number is required.")
		return
	case m.From == "" && f.Get("MessagingServiceSid") == "":
		writeError(w, http.StatusBadRequest, 21603, "A 'From' phone number is required.")
		return
	case m.Body == "" && f.Get("MediaUrl") == "" && f.Get("ContentSid") == "":
		writeError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	msgSID := a.accept(m)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sid": msgSID, "account_sid": sid, "to": m.To, "from": m.From, "body": m.Body,
		"status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
		"num_media": "0", "uri": "/2010-04-01/Accounts/" + sid + "/Messages/" + msgSID + ".json",
	})
}

// count records one request and takes its scripted outcome.
func (a *API) count() outcome {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests++
	if len(a.script) > 0 {
		o := a.script[0]
		a.script = a.script[1:]
		return o
	}
	if a.always != nil {
		return *a.always
	}
	return outcome{}
}

// accept stores m, wakes WaitMessages and returns a fresh message sid.
func (a *API) accept(m Message) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.messages = append(a.messages, m)
	close(a.arrived)
	a.arrived = make(chan struct{})
	return fmt.Sprintf("SM%032x", len(a.messages))
}

// writeError answers with Twilio's error body.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}
