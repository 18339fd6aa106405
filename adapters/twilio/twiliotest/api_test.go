package twiliotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twilio/twilio-go/client"

	"dispatchbot/adapters/twilio/twiliotest"
)

const (
	sid   = "AC00000000000000000000000000000009"
	token = "secret9"
)

func TestSign_MatchesTwilioValidator(t *testing.T) {
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+447700900123"}, "To": {"+441234567890"}, "Body": {"hi & <bye>"}}
	rv := client.NewRequestValidator(token)
	params := map[string]string{}
	for k := range form {
		params[k] = form.Get(k)
	}
	tests := []struct {
		name      string
		signedURL string
		checkURL  string
		token     string
		want      bool
	}{
		{"same url", "https://bot.example.org/webhooks/twilio", "https://bot.example.org/webhooks/twilio", token, true},
		{"with query", "https://bot.example.org/webhooks/twilio?a=1", "https://bot.example.org/webhooks/twilio?a=1", token, true},
		{"other scheme", "https://bot.example.org/webhooks/twilio", "http://bot.example.org/webhooks/twilio", token, false},
		{"other path", "https://bot.example.org/webhooks/twilio", "https://bot.example.org/webhooks/twilio/", token, false},
		{"other token", "https://bot.example.org/webhooks/twilio", "https://bot.example.org/webhooks/twilio", "secret8", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := twiliotest.Sign(tt.token, tt.signedURL, form)
			if got := rv.Validate(tt.checkURL, params, sig); got != tt.want {
				t.Errorf("Validate(%q, Sign(%q)) = %v, want %v", tt.checkURL, tt.signedURL, got, tt.want)
			}
		})
	}
}

func TestSign_KnownValue(t *testing.T) {
	// The vector from twilio-go's own request_validator_test.go.
	form := url.Values{
		"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"},
		"ReasonConferenceEnded": {"test"}, "Reason": {"Participant"},
	}
	got := twiliotest.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "vOEb5UThFn24KEfnOFLQY2AE5FY="; got != want {
		t.Errorf("Sign(known vector) = %q, want %q", got, want)
	}
}

// post sends a Messages API request as twilio-go does.
func post(tb testing.TB, api *twiliotest.API, pathSID, user, pass string, form url.Values) (int, map[string]any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, api.URL+"/2010-04-01/Accounts/"+pathSID+"/Messages.json",
		strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		tb.Fatalf("response is not JSON: %v", err)
	}
	return res.StatusCode, body
}

func message(to string) url.Values {
	return url.Values{"To": {to}, "From": {"+441234567890"}, "Body": {"hi"}, "StatusCallback": {"https://x/cb"}}
}

func TestAPI_Accepts(t *testing.T) {
	api := twiliotest.NewAPI(t)
	code, body := post(t, api, sid, sid, token, message("+447700900001"))
	if code != http.StatusCreated {
		t.Fatalf("POST = %d %v, want 201", code, body)
	}
	if s, _ := body["sid"].(string); !strings.HasPrefix(s, "SM") || len(s) != 34 || body["status"] != "queued" {
		t.Errorf("body = %v, want a 34-char SM sid and status queued", body)
	}
	_, second := post(t, api, sid, sid, token, message("+447700900002"))
	if body["sid"] == second["sid"] {
		t.Errorf("two messages got the same sid %v", body["sid"])
	}
	want := []twiliotest.Message{
		{AccountSID: sid, To: "+447700900001", From: "+441234567890", Body: "hi", StatusCallback: "https://x/cb"},
		{AccountSID: sid, To: "+447700900002", From: "+441234567890", Body: "hi", StatusCallback: "https://x/cb"},
	}
	if diff := cmp.Diff(want, api.Messages()); diff != "" {
		t.Errorf("Messages() (-want +got):\n%s", diff)
	}
}

func TestAPI_Rejects(t *testing.T) {
	noBody := message("+447700900001")
	noBody.Del("Body")
	tests := []struct {
		name              string
		pathSID, user     string
		form              url.Values
		wantCode, wantErr int
	}{
		{"no auth", sid, "", message("+447700900001"), 401, 20003},
		{"auth for another account", sid, "AC1", message("+447700900001"), 401, 20003},
		{"no To", sid, sid, url.Values{"From": {"+441234567890"}, "Body": {"hi"}}, 400, 21604},
		{"no Body", sid, sid, noBody, 400, 21602},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := twiliotest.NewAPI(t)
			code, body := post(t, api, tt.pathSID, tt.user, token, tt.form)
			if code != tt.wantCode || body["code"] != float64(tt.wantErr) || body["status"] != float64(tt.wantCode) {
				t.Errorf("POST = %d %v, want %d with code %d", code, body, tt.wantCode, tt.wantErr)
			}
			if n := len(api.Messages()); n != 0 {
				t.Errorf("Messages() has %d, want 0", n)
			}
			if n := api.Requests(); n != 1 {
				t.Errorf("Requests() = %d, want 1", n)
			}
		})
	}
}

func TestAPI_Failures(t *testing.T) {
	api := twiliotest.NewAPI(t)
	var codes []int
	send := func() {
		code, _ := post(t, api, sid, sid, token, message("+447700900001"))
		codes = append(codes, code)
	}
	api.FailNext(2, 429, 20429)
	send()
	send()
	send()
	api.FailAfter(1, 1, 500, 0)
	send()
	send()
	api.FailAlways(503, 0)
	send()
	send()
	api.Recover()
	send()
	want := []int{429, 429, 201, 201, 500, 503, 503, 201}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("status codes (-want +got):\n%s", diff)
	}
	if n := api.Requests(); n != len(want) {
		t.Errorf("Requests() = %d, want %d", n, len(want))
	}
	if n := len(api.Messages()); n != 3 {
		t.Errorf("Messages() has %d, want 3", n)
	}
}

func TestAPI_WaitMessages(t *testing.T) {
	api := twiliotest.NewAPI(t)
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, api.URL+"/2010-04-01/Accounts/"+sid+"/Messages.json",
				strings.NewReader(message("+447700900001").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(sid, token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		})
	}
	if got := api.WaitMessages(t, 3, 10*time.Second); len(got) < 3 {
		t.Errorf("WaitMessages(3) returned %d messages", len(got))
	}
	wg.Wait()
	if diff := cmp.Diff([]int{201, 201, 201}, codes); diff != "" {
		t.Errorf("status codes (-want +got):\n%s", diff)
	}
}
