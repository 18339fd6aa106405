package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// allDay makes every demo technician work and be on call around the clock
// and asks for feedback as soon as a job is done, so the tests do not
// depend on the hour they run at.
func allDay(cfg *config.Config) {
	var week dispatch.Week
	for d := range week {
		week[d] = []dispatch.Span{{From: 0, To: 24 * time.Hour}}
	}
	for _, co := range cfg.Companies {
		co.Dispatch.FeedbackAfter = 0
		for i := range co.Technicians {
			co.Technicians[i].Hours, co.Technicians[i].OnCall = week, week
		}
	}
}

// overProviders is allDay with the demo's simulator switched off, so offers
// and alerts go to technicians and dispatchers over SMS and Telegram.
func overProviders(cfg *config.Config) {
	allDay(cfg)
	for _, co := range cfg.Companies {
		co.Simulator = false
	}
}

// waitFor waits until list returns a message to whom containing every part,
// and returns it.
func waitFor[M any](t *testing.T, list func() []M, to func(M) (string, string), whom string, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range list() {
			who, text := to(m)
			if who != whom {
				continue
			}
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(text, p)
			}
			if ok {
				return text
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s containing %q within 10s", whom, parts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s server) waitTelegram(t *testing.T, chat int64, parts ...string) string {
	t.Helper()
	return waitFor(t, s.telegram.Messages, func(m telegramtest.Message) (string, string) {
		return fmt.Sprint(m.ChatID), m.Text
	}, fmt.Sprint(chat), parts...)
}

func (s server) waitSMS(t *testing.T, to string, parts ...string) string {
	t.Helper()
	msgs := func() []struct{ to, body string } {
		var out []struct{ to, body string }
		for _, m := range s.twilio.Messages() {
			out = append(out, struct{ to, body string }{m.To, m.Body})
		}
		return out
	}
	return waitFor(t, msgs, func(m struct{ to, body string }) (string, string) { return m.to, m.body }, to, parts...)
}

// sendTelegram posts a Telegram update from user (a private chat) to the demo bot.
func (s server) sendTelegram(t *testing.T, update, user int64, text string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/telegram/demo", bytes.NewReader(telegramtest.Update(update, user, text)))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "demo-secret")
	if resp := do(t, req); resp.StatusCode != http.StatusOK {
		t.Fatalf("telegram webhook %q = %d", text, resp.StatusCode)
	}
}

// offeredTo finds the technician's chat that got the offer of job.
func (s server) offeredTo(t *testing.T, job string) int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range s.telegram.Messages() {
			if strings.Contains(m.Text, job+" (") && strings.Contains(m.Text, "Reply YES") {
				return m.ChatID
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no offer of %s within 10s; telegram got %v", job, s.telegram.Messages())
	return 0
}

// TestServeJobOverSMS: a customer books by SMS, a technician takes the
// offer on Telegram, and the customer gets the confirmation, the status
// texts, the completion and the feedback request by SMS.
func TestServeJobOverSMS(t *testing.T) {
	s := startServerWith(t, nil, overProviders)
	const customer = "+447700900556"
	sid := 0
	say := func(text string) {
		sid++
		if resp := s.postTwilio(t, smsForm(fmt.Sprintf("SMjob%02d", sid), customer, text), "demoauthtoken"); resp.StatusCode != http.StatusOK {
			t.Fatalf("%q: webhook = %d", text, resp.StatusCode)
		}
	}
	say("the bathroom tap has been dripping for a week, could someone come and replace the washer")
	s.waitSMS(t, customer, "address")
	say("12 Oak Road, M1 5AB")
	s.waitSMS(t, customer, "name")
	say("Sam Jones")
	s.waitSMS(t, customer, "get in")
	say("none")
	s.waitSMS(t, customer, "Reply 1, 2 or 3")
	before := len(s.twilio.Messages())
	say("2")
	if msgs := s.twilio.WaitMessages(t, before+1, 10*time.Second); strings.Contains(msgs[len(msgs)-1].Body, "fee") {
		say("yes") // a night slot costs the after-hours fee
	}
	s.waitSMS(t, customer, "Booked:", "J-1001")
	tech := s.offeredTo(t, "J-1001")
	offer := s.waitTelegram(t, tech, "J-1001")
	if strings.Contains(offer, "12 Oak Road") || !strings.Contains(offer, "Area M1") {
		t.Errorf("offer %q: want the area and not the street", offer)
	}
	s.sendTelegram(t, 7001, tech, "YES 1001")
	s.waitTelegram(t, tech, "J-1001 is yours", "12 Oak Road")
	s.waitSMS(t, customer, "Confirmed:", "J-1001")
	s.sendTelegram(t, 7002, tech, "on my way, 15 mins")
	s.waitSMS(t, customer, "on the way", "15 minutes")
	s.sendTelegram(t, 7003, tech, "done, new washer fitted")
	s.waitSMS(t, customer, "J-1001 is complete")
	s.waitSMS(t, customer, "How did we do")
	say("5 brilliant")
	s.waitSMS(t, customer, "Thanks for your feedback")
}

// TestServeEmergencyOverTelegram: safety advice first, the dispatcher
// alerted at once, then straight to a technician with no slot; the
// technician's YES, status texts and feedback all on Telegram.
func TestServeEmergencyOverTelegram(t *testing.T) {
	s := startServerWith(t, nil, overProviders)
	const customer, dana = 555002, 100001
	s.sendTelegram(t, 9001, customer, "there's a strong smell of gas in the hallway")
	s.waitTelegram(t, customer, "leave the building")
	s.waitTelegram(t, customer, "address")
	if alert := s.waitTelegram(t, dana, "EMERGENCY"); !strings.Contains(alert, "telegram:555002") {
		t.Errorf("alert %q does not name the customer", alert)
	}
	s.sendTelegram(t, 9002, customer, "7 Hope St, M1 1AA")
	s.sendTelegram(t, 9003, customer, "Jo")
	s.sendTelegram(t, 9004, customer, "yes")
	s.waitTelegram(t, customer, "technician is being sent to 7 Hope St")
	s.waitTelegram(t, dana, "EMERGENCY job J-1001 booked", "7 Hope St")
	tech := s.offeredTo(t, "J-1001")
	s.waitTelegram(t, tech, "EMERGENCY J-1001")
	s.sendTelegram(t, 9005, tech, "yes")
	s.waitTelegram(t, customer, "has your job J-1001")
	s.sendTelegram(t, 9006, tech, "omw")
	s.waitTelegram(t, customer, "on the way")
	s.sendTelegram(t, 9007, tech, "arrived")
	s.waitTelegram(t, customer, "has arrived")
	s.sendTelegram(t, 9008, tech, "done")
	s.waitTelegram(t, customer, "How did we do")
	s.sendTelegram(t, 9009, customer, "4")
	s.waitTelegram(t, customer, "Thanks for your feedback")
}
