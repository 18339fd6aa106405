package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/web"
	"dispatchbot/bot"
)

func TestActions(t *testing.T) {
	cases := []struct {
		path, body string
		want       bot.Action
	}{
		{"/api/v1/jobs/J-1042/assign", `{"tech":"alice"}`, bot.Action{Name: "assign", Job: "J-1042", Tech: "alice"}},
		{"/api/v1/jobs/1042/reassign", `{"tech":"bob","arg":"closer"}`, bot.Action{Name: "reassign", Job: "1042", Tech: "bob", Arg: "closer"}},
		{"/api/v1/jobs/J-1042/cancel", `{"arg":"duplicate"}`, bot.Action{Name: "cancel", Job: "J-1042", Arg: "duplicate"}},
		{"/api/v1/jobs/J-1042/urgency", `{"arg":"emergency"}`, bot.Action{Name: "urgency", Job: "J-1042", Arg: "emergency"}},
		{"/api/v1/jobs/J-1042/say", `{"arg":"On our way"}`, bot.Action{Name: "say", Job: "J-1042", Arg: "On our way"}},
		{"/api/v1/jobs/J-1042/takeover", "", bot.Action{Name: "takeover", Job: "J-1042"}},
		{"/api/v1/jobs/J-1042/release", "", bot.Action{Name: "release", Job: "J-1042"}},
		{"/api/v1/jobs/J-1042/release?company=acme", "{}", bot.Action{Name: "release", Job: "J-1042"}},
		{"/api/v1/jobs/J-1042/note", `{"arg":"gate code 1234"}`, bot.Action{Name: "note", Job: "J-1042", Arg: "gate code 1234"}},
		{"/api/v1/technicians/alice/duty", `{"on":false}`, bot.Action{Name: "duty", Tech: "alice", Arg: "off"}},
		{"/api/v1/technicians/alice/duty", `{"on":true}`, bot.Action{Name: "duty", Tech: "alice", Arg: "on"}},
	}
	for _, tc := range cases {
		t.Run(tc.path+" "+tc.body, func(t *testing.T) {
			e, fc, _ := MustAPI(t)
			rec := serve(e, http.MethodPost, tc.path, tc.body)
			if rec.Code != http.StatusOK {
				t.Fatalf("POST %s %s = %d %s, want 200", tc.path, tc.body, rec.Code, rec.Body)
			}
			var res bot.ActionResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Message != "done: "+tc.want.Name {
				t.Errorf("POST %s: body %s (%v), want the ActionResult", tc.path, rec.Body, err)
			}
			want := []actCall{{Company: "acme", By: "web board", Action: tc.want}}
			if diff := cmp.Diff(want, fc.calls()); diff != "" {
				t.Errorf("POST %s %s: Act calls (-want +got):\n%s", tc.path, tc.body, diff)
			}
		})
	}
}

func TestActionRefusals(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
	}{
		{"not found", &bot.ActionError{Kind: bot.RefusedNotFound, Msg: "no technician bobby; did you mean bob?"}, http.StatusNotFound},
		{"bad request", &bot.ActionError{Kind: bot.RefusedBad, Msg: "urgency must be emergency, urgent or routine"}, http.StatusBadRequest},
		{"conflict", &bot.ActionError{Kind: bot.RefusedConflict, Msg: "J-1042 is already done"}, http.StatusConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, fc, _ := MustAPI(t)
			fc.actErr = tc.err
			rec := serve(e, http.MethodPost, "/api/v1/jobs/J-1042/assign", `{"tech":"bobby"}`)
			want := tc.err.(*bot.ActionError).Msg
			if got := errorOf(t, rec); rec.Code != tc.status || got != want {
				t.Errorf("refused %s = %d %q, want %d %q", tc.name, rec.Code, got, tc.status, want)
			}
		})
	}
}

func TestActionBadRequests(t *testing.T) {
	cases := []struct {
		name        string
		path, body  string
		contentType string
		status      int
		msg         string
	}{
		{"unknown action", "/api/v1/jobs/J-1042/explode", `{}`, "application/json", http.StatusNotFound,
			`unknown action "explode"; actions: assign, reassign, cancel, urgency, say, takeover, release, note`},
		{"malformed JSON", "/api/v1/jobs/J-1042/cancel", `{"arg":`, "application/json", http.StatusBadRequest,
			`malformed JSON body; want {"tech": "...", "arg": "..."}`},
		{"unknown field", "/api/v1/jobs/J-1042/cancel", `{"reason":"x"}`, "application/json", http.StatusBadRequest,
			`malformed JSON body; want {"tech": "...", "arg": "..."}`},
		{"wrong type", "/api/v1/jobs/J-1042/assign", `{"tech":7}`, "application/json", http.StatusBadRequest,
			`malformed JSON body; want {"tech": "...", "arg": "..."}`},
		{"two objects", "/api/v1/jobs/J-1042/cancel", `{"arg":"a"}{"arg":"b"}`, "application/json", http.StatusBadRequest,
			`malformed JSON body: one object only; want {"tech": "...", "arg": "..."}`},
		{"no body", "/api/v1/jobs/J-1042/cancel", ``, "", http.StatusBadRequest,
			`cancel needs a JSON body: {"tech": "...", "arg": "..."}`},
		{"form body", "/api/v1/jobs/J-1042/cancel", `arg=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType,
			"Content-Type must be application/json"},
		{"no content type", "/api/v1/jobs/J-1042/takeover", `{}`, "", http.StatusUnsupportedMediaType,
			"Content-Type must be application/json"},
		{"too large", "/api/v1/jobs/J-1042/say", `{"arg":"` + strings.Repeat("a", 70<<10) + `"}`, "application/json",
			http.StatusRequestEntityTooLarge, "Request Entity Too Large"},
		{"duty without body", "/api/v1/technicians/alice/duty", ``, "", http.StatusBadRequest,
			`duty needs a JSON body: {"on": true} or {"on": false}`},
		{"duty without on", "/api/v1/technicians/alice/duty", `{}`, "application/json", http.StatusBadRequest,
			`duty needs a JSON body: {"on": true} or {"on": false}`},
		{"duty as a word", "/api/v1/technicians/alice/duty", `{"on":"off"}`, "application/json", http.StatusBadRequest,
			`malformed JSON body; want {"on": true} or {"on": false}`},
		{"unknown company", "/api/v1/jobs/J-1042/takeover?company=zeta", ``, "", http.StatusNotFound,
			`unknown company "zeta"`},
		{"GET an action", "/api/v1/jobs/J-1042/note", ``, "", http.StatusMethodNotAllowed, "Method Not Allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, fc, _ := MustAPI(t)
			method := http.MethodPost
			if strings.HasPrefix(tc.name, "GET") {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tc.path, reqBody(tc.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if got := errorOf(t, rec); rec.Code != tc.status || got != tc.msg {
				t.Errorf("%s %s = %d %q, want %d %q", method, tc.path, rec.Code, got, tc.status, tc.msg)
			}
			if got := fc.calls(); len(got) != 0 {
				t.Errorf("Act calls = %v, want none", got)
			}
		})
	}
}

func TestActionJSONWithCharset(t *testing.T) {
	fc := newFakeConsole("acme")
	e := web.New(web.Deps{Console: fc, AdminToken: testToken})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/jobs/J-1042/note", strings.NewReader(`{"arg":"hi"}`))
	req.Header.Set("Authorization", "bearer "+testToken)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || len(fc.calls()) != 1 {
		t.Errorf("POST note with charset = %d %s, %d Act calls; want 200 and 1", rec.Code, rec.Body, len(fc.calls()))
	}
}
