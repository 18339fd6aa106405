package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"dispatchbot/bot"
)

// TestServeDispatcherControls books a job by SMS, then overrides it as the
// dispatcher by chat command over SMS and Telegram and through the JSON
// API; a customer's /assign takes the customer path, and a wrong token
// changes nothing.
func TestServeDispatcherControls(t *testing.T) {
	const token = "s3cret-board-token"
	s := startServerWith(t, map[string]string{"ADMIN_TOKEN": token}, overProviders)
	const customer, dana = "+447700900557", "+447700900001"
	sid := 0
	sms := func(from, text string) {
		sid++
		if resp := s.postTwilio(t, smsForm(fmt.Sprintf("SMctl%02d", sid), from, text), "demoauthtoken"); resp.StatusCode != http.StatusOK {
			t.Fatalf("%q: webhook = %d", text, resp.StatusCode)
		}
	}
	for _, step := range []struct{ say, wait string }{
		{"the kitchen tap is dripping, can someone replace the washer", "address"},
		{"12 Oak Road, M1 5AB", "name"}, {"Sam Jones", "get in"}, {"none", "Reply 1, 2 or 3"},
	} {
		sms(customer, step.say)
		s.waitSMS(t, customer, step.wait)
	}
	before := len(s.twilio.Messages())
	sms(customer, "1")
	if msgs := s.twilio.WaitMessages(t, before+1, 10*time.Second); strings.Contains(msgs[len(msgs)-1].Body, "fee") {
		sms(customer, "yes")
	}
	s.waitSMS(t, customer, "Booked:", "J-1001")
	s.offeredTo(t, "J-1001")

	// Chat commands: over SMS, then Telegram.
	sms(dana, "jobs")
	s.waitSMS(t, dana, "1 open job", "J-1001")
	s.sendTelegram(t, 9001, 100001, "/assign J-1001 bob")
	s.waitTelegram(t, 100001, "J-1001 is now Bob's")
	s.waitTelegram(t, 200002, "Dana gave you J-1001", "12 Oak Road")
	s.waitSMS(t, customer, "Confirmed: Bob")
	s.sendTelegram(t, 9002, 100001, "/assign J-1010 bob")
	s.waitTelegram(t, 100001, "No job J-1010. Did you mean J-1001?")

	// A customer trying a command gets the customer path.
	sms(customer, "/assign J-1001 alice")
	reply := s.waitSMS(t, customer, "J-1001")
	if strings.Contains(reply, "Alice") || strings.Contains(strings.ToLower(reply), "command") {
		t.Errorf("customer's /assign answered %q", reply)
	}

	api := func(method, path, tok, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	job := func() bot.BoardJobDetail {
		t.Helper()
		code, body := api("GET", "/api/v1/jobs/J-1001", token, "")
		var d bot.BoardJobDetail
		if err := json.Unmarshal([]byte(body), &d); code != http.StatusOK || err != nil {
			t.Fatalf("GET job = %d %s (%v)", code, body, err)
		}
		return d
	}
	for _, tok := range []string{"", "wrong"} {
		if code, _ := api("GET", "/api/v1/jobs", tok, ""); code != http.StatusUnauthorized {
			t.Errorf("GET jobs with token %q = %d, want 401", tok, code)
		}
		if code, _ := api("POST", "/api/v1/jobs/J-1001/assign", tok, `{"tech":"alice"}`); code != http.StatusUnauthorized {
			t.Errorf("POST assign with token %q = %d, want 401", tok, code)
		}
	}
	if d := job(); d.Tech != "bob" {
		t.Fatalf("after unauthorised calls the job is %q's, want bob's", d.Tech)
	}
	d := job()
	var heard bool
	for _, l := range d.Transcript {
		heard = heard || (l.In && l.Text == "12 Oak Road, M1 5AB")
	}
	if !heard || d.TechName != "Bob Okafor" {
		t.Errorf("job detail: tech %q, transcript %+v; want Bob and the customer's address message", d.TechName, d.Transcript)
	}
	if code, body := api("POST", "/api/v1/jobs/J-1001/say", token, `{"arg":"Bob will call you first."}`); code != http.StatusOK {
		t.Fatalf("POST say = %d %s", code, body)
	}
	s.waitSMS(t, customer, "Bob will call you first.")
	if code, body := api("POST", "/api/v1/jobs/J-1001/reassign", token, `{"tech":"alice"}`); code != http.StatusOK || !strings.Contains(body, "Alice") {
		t.Fatalf("POST reassign = %d %s", code, body)
	}
	s.waitTelegram(t, 200002, "J-1001 has been given to someone else")
	s.waitTelegram(t, 200001, "gave you J-1001")
	for _, c := range []struct {
		path, body string
		code       int
	}{
		{"/api/v1/jobs/J-1999/assign", `{"tech":"alice"}`, http.StatusNotFound},
		{"/api/v1/jobs/J-1001/assign", `{"tech":"zed"}`, http.StatusNotFound},
		{"/api/v1/jobs/J-1001/urgency", `{"arg":"whenever"}`, http.StatusBadRequest},
		{"/api/v1/jobs/J-1001/cancel", `{"arg":"duplicate booking"}`, http.StatusOK},
		{"/api/v1/jobs/J-1001/cancel", `{}`, http.StatusConflict},
	} {
		code, body := api("POST", c.path, token, c.body)
		if code != c.code || (code >= 400 && !strings.Contains(body, `"error"`)) {
			t.Errorf("POST %s %s = %d %s, want %d", c.path, c.body, code, body, c.code)
		}
	}
	s.waitSMS(t, customer, "cancelled (duplicate booking)")
	if d := job(); d.Status != "cancelled" || d.Audit[len(d.Audit)-1].By.ID != "web board" {
		t.Errorf("job after the API cancel: %s, last audit %+v", d.Status, d.Audit[len(d.Audit)-1])
	}
}
