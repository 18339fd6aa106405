package telegram_test

import (
	"net/http"
	"testing"
)

// FuzzUpdate posts arbitrary bodies with the right secret: nothing panics,
// every answer is one of the documented statuses, and only a 200 can reach
// the handler, at most once.
func FuzzUpdate(f *testing.F) {
	f.Add(`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hi"}}`)
	f.Add(`{"update_id":2,"message":{"chat":{"id":5,"type":"private"},"photo":[{"file_id":"f"}]}}`)
	f.Add(`{"update_id":3,"edited_message":{"chat":{"id":5,"type":"private"},"text":"x"}}`)
	f.Add(`{"update_id":4,"callback_query":{"id":"c4","from":{"id":5,"is_bot":false,"first_name":"A"},"chat_instance":"x",` +
		`"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"}},"data":"YES 1042"}}`)
	f.Add(`{"update_id":5,"callback_query":{"id":"c5","from":{"id":5},"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"}},"data":"1"}}`)
	f.Add(`{"update_id":6,"callback_query":{"id":"c6","from":{"id":-7},"message":{"date":1,"chat":{"id":-7,"type":"group"}},"data":"1"}}`)
	f.Add(`{"update_id":7,"callback_query":{"id":"","inline_message_id":"im"}}`)
	f.Add(`{"update_id":0}`)
	f.Add(`{`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		ws := newWebhookServer(t, nil)
		rec := ws.post("acme", testSecret, body)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for body %q", rec.Code, body)
		}
		if n := len(ws.h.calls()); n > 1 || (n == 1 && rec.Code != http.StatusOK) {
			t.Fatalf("status %d with %d handler calls for body %q", rec.Code, n, body)
		}
	})
}
