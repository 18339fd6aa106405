package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/bot"
)

func TestSimPhones(t *testing.T) {
	e, _, fs := MustAPI(t)
	rec := serve(e, http.MethodGet, "/api/v1/sim/phones", "")
	var got []bot.SimPhone
	if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("GET phones = %d %s (%v), want 200 and a list", rec.Code, rec.Body, err)
	}
	if diff := cmp.Diff(fs.Phones("acme"), got); diff != "" {
		t.Errorf("GET phones (-want +got):\n%s", diff)
	}
}

func TestSimSendAndMessages(t *testing.T) {
	e, _, fs := MustAPI(t)
	long := strings.Repeat("é", 1600) // characters, not bytes
	for _, text := range []string{"my boiler is leaking", "SW1A 1AA", long} {
		body, err := json.Marshal(map[string]string{"phone": "customer-1", "text": text})
		if err != nil {
			t.Fatal(err)
		}
		rec := serve(e, http.MethodPost, "/api/v1/sim/send", string(body))
		if rec.Code != http.StatusAccepted || strings.TrimSpace(rec.Body.String()) != `{"status":"sent"}` {
			t.Fatalf("POST send %.20q = %d %s, want 202 sent", text, rec.Code, rec.Body)
		}
	}
	if got := len(fs.all()); got != 3 {
		t.Fatalf("simulator got %d messages, want 3", got)
	}
	cases := []struct {
		query string
		seqs  []int64
	}{
		{"", []int64{1, 2, 3}},
		{"?after=1", []int64{2, 3}},
		{"?after=1&limit=1", []int64{2}},
		{"?after=3", []int64{}},
	}
	for _, tc := range cases {
		rec := serve(e, http.MethodGet, "/api/v1/sim/messages"+tc.query, "")
		var msgs []bot.SimMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &msgs); rec.Code != http.StatusOK || err != nil || msgs == nil {
			t.Fatalf("GET messages%s = %d %.100s (%v), want 200 and a list", tc.query, rec.Code, rec.Body, err)
		}
		seqs := []int64{}
		for _, m := range msgs {
			seqs = append(seqs, m.Seq)
		}
		if diff := cmp.Diff(tc.seqs, seqs); diff != "" {
			t.Errorf("GET messages%s seqs (-want +got):\n%s", tc.query, diff)
		}
	}
}

func TestSimBadRequests(t *testing.T) {
	e, _, fs := MustAPI(t)
	cases := []struct {
		method, path, body string
		msg                string
	}{
		{http.MethodPost, "/api/v1/sim/send", `{"phone":"customer-9","text":"hi"}`, `unknown simulator phone "customer-9"`},
		{http.MethodPost, "/api/v1/sim/send", `{"phone":"customer-1","text":" \n"}`, "text is empty"},
		{http.MethodPost, "/api/v1/sim/send", `{"phone":"customer-1"}`, "text is empty"},
		{http.MethodPost, "/api/v1/sim/send", `{"phone":"customer-1","text":"` + strings.Repeat("a", 1601) + `"}`, "text is 1601 characters; at most 1600"},
		{http.MethodPost, "/api/v1/sim/send", ``, `send needs a JSON body: {"phone": "...", "text": "..."}`},
		{http.MethodPost, "/api/v1/sim/send", `["customer-1","hi"]`, `malformed JSON body; want {"phone": "...", "text": "..."}`},
		{http.MethodGet, "/api/v1/sim/messages?after=-1", "", "after must be a sequence number, 0 or more"},
		{http.MethodGet, "/api/v1/sim/messages?after=x", "", "after must be a sequence number, 0 or more"},
		{http.MethodGet, "/api/v1/sim/messages?limit=0", "", "limit must be from 1 to 500"},
		{http.MethodGet, "/api/v1/sim/messages?limit=501", "", "limit must be from 1 to 500"},
	}
	for _, tc := range cases {
		rec := serve(e, tc.method, tc.path, tc.body)
		if got := errorOf(t, rec); rec.Code != http.StatusBadRequest || got != tc.msg {
			t.Errorf("%s %s %.40s = %d %q, want 400 %q", tc.method, tc.path, tc.body, rec.Code, got, tc.msg)
		}
	}
	if got := fs.all(); len(got) != 0 {
		t.Errorf("simulator got %v after bad requests, want nothing", got)
	}
}
