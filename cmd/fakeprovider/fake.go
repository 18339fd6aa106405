package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fake accepts messages, prints them and, with fail set, refuses a share.
type fake struct {
	out    io.Writer
	quiet  bool
	record bool          // keep accepted messages for GET /messages
	fail   float64       // share of sends refused
	delay  time.Duration // how long each send takes

	count atomic.Int64 // accepted sends

	mu        sync.Mutex // guards what follows and serialises writes to out
	rnd       *rand.Rand
	refused   int64
	abandoned int64
	sent      []sent
}

// record is one accepted message as printed.
type record struct {
	Provider string `json:"provider"`
	Via      string `json:"via,omitempty"` // the tag of the /via/{tag}/ path it came by
	Account  string `json:"account,omitempty"`
	From     string `json:"from,omitempty"`
	To       string `json:"to"`
	Text     string `json:"text"`
}

// sent is one accepted message as GET /messages lists it.
type sent struct {
	Seq int64 `json:"seq"` // 1-based order of acceptance
	At  int64 `json:"at"`  // when it was accepted, Unix nanoseconds
	record
}

// counts is the answer of GET /count.
type counts struct {
	Accepted  int64 `json:"accepted"`
	Refused   int64 `json:"refused"`
	Abandoned int64 `json:"abandoned"` // the sender hung up during -delay: not sent
}

func newFake(out io.Writer, o options) *fake {
	seed := o.seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &fake{out: out, quiet: o.quiet, record: o.record, fail: o.fail, delay: o.delay,
		rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (f *fake) routes() http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"", "/via/{via}"} {
		mux.HandleFunc("POST "+p+"/2010-04-01/Accounts/{sid}/Messages.json", f.twilio)
		mux.HandleFunc("POST "+p+"/{bot}/{method}", f.telegram)
	}
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		writeJSON(w, f.counts())
	})
	mux.HandleFunc("GET /messages", f.messages)
	return mux
}

// wait takes the send's -delay and reports whether the sender is still
// there. A send whose sender hung up meanwhile is dropped, as a provider
// drops a request whose connection broke before it was processed.
func (f *fake) wait(r *http.Request) bool {
	if f.delay <= 0 {
		return true
	}
	t := time.NewTimer(f.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		f.mu.Lock()
		f.abandoned++
		f.mu.Unlock()
		return false
	}
}

// refuse decides whether this send fails and, if so, with which status:
// 500 and 429 in equal parts.
func (f *fake) refuse() (int, bool) {
	if f.fail <= 0 {
		return 0, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rnd.Float64() >= f.fail {
		return 0, false
	}
	f.refused++
	if f.rnd.IntN(2) == 0 {
		return http.StatusTooManyRequests, true
	}
	return http.StatusInternalServerError, true
}

func (f *fake) twilio(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]any{"code": 21601, "message": "bad form", "status": 400})
		return
	}
	if !f.wait(r) {
		return
	}
	if status, ok := f.refuse(); ok {
		w.WriteHeader(status)
		writeJSON(w, map[string]any{"code": 20000 + status, "message": http.StatusText(status), "status": status})
		return
	}
	n := f.accept(record{Provider: "twilio", Via: r.PathValue("via"), Account: r.PathValue("sid"),
		From: r.PostForm.Get("From"), To: r.PostForm.Get("To"), Text: r.PostForm.Get("Body")})
	w.WriteHeader(http.StatusCreated)
	writeJSON(w, map[string]any{"sid": fmt.Sprintf("SM%032d", n), "status": "queued",
		"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body")})
}

func (f *fake) telegram(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if !strings.HasPrefix(r.PathValue("bot"), "bot") {
		w.WriteHeader(http.StatusNotFound)
		writeJSON(w, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
		return
	}
	switch r.PathValue("method") {
	case "sendMessage":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			writeJSON(w, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request"})
			return
		}
		if !f.wait(r) {
			return
		}
		if status, ok := f.refuse(); ok {
			body := map[string]any{"ok": false, "error_code": status, "description": http.StatusText(status)}
			if status == http.StatusTooManyRequests {
				body["description"] = "Too Many Requests: retry after 1"
				body["parameters"] = map[string]any{"retry_after": 1}
			}
			w.WriteHeader(status)
			writeJSON(w, body)
			return
		}
		n := f.accept(record{Provider: "telegram", Via: r.PathValue("via"), To: r.FormValue("chat_id"), Text: r.FormValue("text")})
		writeJSON(w, map[string]any{"ok": true, "result": map[string]any{
			"message_id": n, "date": time.Now().Unix(), "text": r.FormValue("text"),
			"chat": map[string]any{"id": json.Number(r.FormValue("chat_id")), "type": "private"}}})
	case "getMe":
		writeJSON(w, map[string]any{"ok": true, "result": map[string]any{"id": 1, "is_bot": true, "first_name": "fake"}})
	default:
		writeJSON(w, map[string]any{"ok": true, "result": true})
	}
}

// accept counts, keeps and prints one message and returns its number.
func (f *fake) accept(rec record) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.count.Add(1)
	if f.record {
		f.sent = append(f.sent, sent{Seq: n, At: time.Now().UnixNano(), record: rec})
	}
	if !f.quiet {
		enc := json.NewEncoder(f.out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintln(os.Stderr, "fakeprovider: print:", err)
		}
	}
	return n
}

func (f *fake) counts() counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	return counts{Accepted: f.count.Load(), Refused: f.refused, Abandoned: f.abandoned}
}

// messages serves GET /messages: every accepted message in order, when
// recording, or 404 with a hint.
func (f *fake) messages(w http.ResponseWriter, _ *http.Request) {
	if !f.record {
		http.Error(w, "not recording: start fakeprovider with -record", http.StatusNotFound)
		return
	}
	f.mu.Lock()
	list := append([]sent(nil), f.sent...)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider: write response:", err)
	}
}

func writeJSON(w io.Writer, v any) {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider: write response:", err)
	}
}
