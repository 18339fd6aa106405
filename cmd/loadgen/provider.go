package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// inboxSize is how many replies a customer can have waiting; a reply that
// finds the inbox full is counted and dropped rather than holding up the
// server's delivery worker.
const inboxSize = 16

// provider stands in for the Twilio Messages API and the Telegram Bot API
// (the server's TWILIO_API_BASE and TELEGRAM_API_BASE point at it). It
// accepts every message, answers as the provider would, and hands each
// message to the simulated customer it is addressed to.
type provider struct {
	inboxes  sync.Map // address ("sms:+44…", "telegram:123") → chan string
	routed   atomic.Int64
	unrouted atomic.Int64 // replies to nobody waiting: preloaded or finished customers
	dropped  atomic.Int64 // replies that found their customer's inbox full
	seq      atomic.Int64
}

// register opens the inbox of addr and returns it.
func (p *provider) register(addr string) <-chan string {
	ch := make(chan string, inboxSize)
	p.inboxes.Store(addr, ch)
	return ch
}

// unregister closes nothing: late replies to addr are counted as unrouted.
func (p *provider) unregister(addr string) {
	p.inboxes.Delete(addr)
}

// deliver hands text to addr's customer, if one is waiting.
func (p *provider) deliver(addr, text string) {
	v, ok := p.inboxes.Load(addr)
	if !ok {
		p.unrouted.Add(1)
		return
	}
	select {
	case v.(chan string) <- text:
		p.routed.Add(1)
	default:
		p.dropped.Add(1)
	}
}

// ServeHTTP answers the two APIs.
func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/2010-04-01/Accounts/") &&
		strings.HasSuffix(r.URL.Path, "/Messages.json"):
		p.twilio(w, r)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/bot"):
		p.telegram(w, r)
	default:
		http.NotFound(w, r)
	}
}

// twilio answers a Create Message call with 201 and the message resource.
func (p *provider) twilio(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 21601, "message": "bad form", "status": 400})
		return
	}
	to, body := r.PostForm.Get("To"), r.PostForm.Get("Body")
	ch := "sms:"
	if n, ok := strings.CutPrefix(to, "whatsapp:"); ok {
		ch, to = "whatsapp:", n
	}
	p.deliver(ch+to, body)
	writeJSON(w, http.StatusCreated, twilioMessage{
		SID: "SM" + strconv.FormatInt(p.seq.Add(1), 16), Status: "queued",
		To: r.PostForm.Get("To"), From: r.PostForm.Get("From"), Body: body,
	})
}

// twilioMessage is the part of Twilio's message resource the server reads.
type twilioMessage struct {
	SID    string `json:"sid"`
	Status string `json:"status"`
	To     string `json:"to"`
	From   string `json:"from"`
	Body   string `json:"body"`
}

// telegram answers sendMessage with the sent message and every other
// method with true.
func (p *provider) telegram(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if method != "sendMessage" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": true})
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request"})
		return
	}
	chat, text := r.FormValue("chat_id"), r.FormValue("text")
	p.deliver("telegram:"+chat, text)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": map[string]any{
		"message_id": p.seq.Add(1), "date": time.Now().Unix(), "text": text,
		"chat": map[string]any{"id": json.Number(chat), "type": "private"}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the server hung up; nothing to tell it
}
