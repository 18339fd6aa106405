package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"dispatchbot/adapters/telegram/telegramtest"
)

// TestServeBooksOverTwilio takes a customer from a first text to a
// confirmed slot, and then cancels it, over the signed Twilio webhook, the
// outbox and the fake Messages API.
func TestServeBooksOverTwilio(t *testing.T) {
	s := startServer(t, nil)
	const customer = "+447700900555"
	steps := []struct{ say, want string }{
		{"Hi, my kitchen sink is blocked and the water won't go down", "address"},
		{"12 Oak Road, M14 5AB", "name"},
		{"Sam Jones", "get in"},
		{"none", "Reply 1, 2 or 3"},
		{"2", "Booked:"},
		{"C", "Cancel job J-1001"},
		{"yes", "Job J-1001 is cancelled."},
	}
	for i, st := range steps {
		sid := "SMflow" + string(rune('a'+i))
		if resp := s.postTwilio(t, smsForm(sid, customer, st.say), "demoauthtoken"); resp.StatusCode != http.StatusOK {
			t.Fatalf("step %d %q: webhook = %d", i, st.say, resp.StatusCode)
		}
		msgs := s.twilio.WaitMessages(t, i+1, 10*time.Second)
		last := msgs[len(msgs)-1]
		if last.To != customer || !strings.Contains(last.Body, st.want) {
			t.Fatalf("step %d %q: reply %q to %s, want it to contain %q", i, st.say, last.Body, last.To, st.want)
		}
	}
	if msgs := s.twilio.Messages(); !strings.Contains(msgs[4].Body, "job J-1001") {
		t.Errorf("confirmation %q lacks the job number", msgs[4].Body)
	}
}

// TestServeEmergencyOverTelegram: safety advice first, the dispatcher
// alerted at once, then straight to dispatch without a slot.
func TestServeEmergencyOverTelegram(t *testing.T) {
	s := startServer(t, nil)
	send := func(id int64, text string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/demo", bytes.NewReader(telegramtest.Update(id, 555002, text)))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "demo-secret")
		if resp := do(t, req); resp.StatusCode != http.StatusOK {
			t.Fatalf("telegram webhook %q = %d", text, resp.StatusCode)
		}
	}
	send(9001, "there's a strong smell of gas in the hallway")
	msgs := s.telegram.WaitMessages(t, 3, 10*time.Second)
	var toCustomer, toDispatcher []string
	for _, m := range msgs {
		switch m.ChatID {
		case 555002:
			toCustomer = append(toCustomer, m.Text)
		case 100001: // Dana, the demo dispatcher
			toDispatcher = append(toDispatcher, m.Text)
		}
	}
	if len(toCustomer) != 2 || !strings.Contains(toCustomer[0], "leave the building") || !strings.Contains(toCustomer[1], "address") {
		t.Fatalf("customer got %q, want safety advice then the address question", toCustomer)
	}
	if len(toDispatcher) != 1 || !strings.Contains(toDispatcher[0], "EMERGENCY") || !strings.Contains(toDispatcher[0], "telegram:555002") {
		t.Fatalf("dispatcher got %q, want one EMERGENCY alert naming the customer", toDispatcher)
	}
	send(9002, "7 Hope St, M1 1AA")
	send(9003, "Jo")
	send(9004, "yes")
	// Three more answers to the customer and a second alert with the job and address.
	msgs = s.telegram.WaitMessages(t, 7, 10*time.Second)
	var lastToCustomer, lastToDispatcher string
	for _, m := range msgs {
		switch m.ChatID {
		case 555002:
			lastToCustomer = m.Text
		case 100001:
			lastToDispatcher = m.Text
		}
	}
	if !strings.Contains(lastToCustomer, "technician is being sent to 7 Hope St") {
		t.Errorf("customer's last message %q, want the dispatch confirmation", lastToCustomer)
	}
	if !strings.Contains(lastToDispatcher, "EMERGENCY job J-1001 booked") || !strings.Contains(lastToDispatcher, "7 Hope St") {
		t.Errorf("dispatcher's last message %q, want the booked emergency with its address", lastToDispatcher)
	}
}
