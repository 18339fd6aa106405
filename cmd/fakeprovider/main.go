// Command fakeprovider stands in for the Twilio Messages API and the
// Telegram Bot API on a loopback port, so the service can be tried and
// load-tested without provider accounts. It accepts every message, answers
// as the provider would, and prints each one as a JSON line.
//
//	go run ./cmd/fakeprovider -addr 127.0.0.1:9999
//	TWILIO_API_BASE=http://127.0.0.1:9999 TELEGRAM_API_BASE=http://127.0.0.1:9999 go run ./cmd/dispatchbot
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr := flag.String("addr", "127.0.0.1:9999", "listen address (keep it on loopback)")
	quiet := flag.Bool("quiet", false, "count messages without printing them")
	flag.Parse()
	if err := run(ctx, *addr, *quiet, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr string, quiet bool, out io.Writer) error {
	f := &fake{out: out, quiet: quiet}
	srv := &http.Server{Addr: addr, Handler: f.routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(os.Stderr, "fakeprovider: Twilio and Telegram APIs on http://%s\n", addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintf(os.Stderr, "fakeprovider: %d messages accepted\n", f.count.Load())
	return nil
}

// fake accepts messages and prints them.
type fake struct {
	out   io.Writer
	quiet bool
	mu    sync.Mutex // serialises writes to out
	count atomic.Int64
}

// record is one accepted message as printed.
type record struct {
	Provider string `json:"provider"`
	Account  string `json:"account,omitempty"`
	From     string `json:"from,omitempty"`
	To       string `json:"to"`
	Text     string `json:"text"`
}

func (f *fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", f.twilio)
	mux.HandleFunc("POST /{bot}/{method}", f.telegram)
	return mux
}

func (f *fake) twilio(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, `{"code":21601,"message":"bad form","status":400}`, http.StatusBadRequest)
		return
	}
	n := f.count.Add(1)
	f.print(record{Provider: "twilio", Account: r.PathValue("sid"), From: r.PostForm.Get("From"),
		To: r.PostForm.Get("To"), Text: r.PostForm.Get("Body")})
	w.Header().Set("Content-Type", "application/json")
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
		n := f.count.Add(1)
		f.print(record{Provider: "telegram", To: r.FormValue("chat_id"), Text: r.FormValue("text")})
		writeJSON(w, map[string]any{"ok": true, "result": map[string]any{
			"message_id": n, "date": time.Now().Unix(), "text": r.FormValue("text"),
			"chat": map[string]any{"id": json.Number(r.FormValue("chat_id")), "type": "private"}}})
	case "getMe":
		writeJSON(w, map[string]any{"ok": true, "result": map[string]any{"id": 1, "is_bot": true, "first_name": "fake"}})
	default:
		writeJSON(w, map[string]any{"ok": true, "result": true})
	}
}

func (f *fake) print(rec record) {
	if f.quiet {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	enc := json.NewEncoder(f.out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider: print:", err)
	}
}

func writeJSON(w io.Writer, v any) {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider: write response:", err)
	}
}
