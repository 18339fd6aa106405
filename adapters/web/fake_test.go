package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"dispatchbot/adapters/web"
	"dispatchbot/bot"
	"dispatchbot/dispatch"
)

// testToken is the admin token the API tests use.
const testToken = "s3cret-admin-token"

// actCall is one Console.Act call the fake saw.
type actCall struct {
	Company, By string
	Action      bot.Action
}

// fakeConsole is an in-memory web.Console.
type fakeConsole struct {
	mu         sync.Mutex
	refs       []web.CompanyRef
	board      bot.Board
	boardReads int
	jobs       []bot.BoardJob
	techs      []bot.BoardTech
	filter     string // the last Jobs filter
	period     string // the last Stats period
	acts       []actCall
	actErr     error // what Act returns, when set
}

var _ web.Console = (*fakeConsole)(nil)

func newFakeConsole(companies ...string) *fakeConsole {
	f := &fakeConsole{
		board: bot.Board{Name: "Acme", Jobs: []bot.BoardJob{{Job: dispatch.Job{ID: "J-1042", Status: "new"}}}},
		jobs:  []bot.BoardJob{{Job: dispatch.Job{ID: "J-1042", Number: 1042, Status: "new"}}},
		techs: []bot.BoardTech{{ID: "alice", Name: "Alice Smith", OnDuty: true}},
	}
	for _, id := range companies {
		f.refs = append(f.refs, web.CompanyRef{ID: id, Name: strings.ToUpper(id)})
	}
	return f
}

func (f *fakeConsole) Companies() []web.CompanyRef { return f.refs }

func (f *fakeConsole) Board(_ context.Context, company string) (bot.Board, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.boardReads++
	b := f.board
	b.Company = company
	return b, nil
}

// setBoard changes the board the fake serves.
func (f *fakeConsole) setBoard(change func(*bot.Board)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.board
	b.Jobs = append([]bot.BoardJob(nil), b.Jobs...)
	change(&b)
	f.board = b
}

// reads is how many times Board was called.
func (f *fakeConsole) reads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.boardReads
}

func (f *fakeConsole) Jobs(_ context.Context, _, filter string) ([]bot.BoardJob, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filter = filter
	return f.jobs, nil
}

func (f *fakeConsole) Job(_ context.Context, _, id string) (bot.BoardJobDetail, error) {
	for _, j := range f.jobs {
		if j.ID == id || "J-"+id == j.ID {
			return bot.BoardJobDetail{BoardJob: j, Transcript: []bot.ChatLine{{In: true, Text: "leak"}}}, nil
		}
	}
	return bot.BoardJobDetail{}, bot.ErrNoJob
}

func (f *fakeConsole) Technicians(context.Context, string) ([]bot.BoardTech, error) {
	return f.techs, nil
}

func (f *fakeConsole) Stats(_ context.Context, company, period string) (bot.StatsReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.period = period
	return bot.StatsReport{Company: company, All: bot.StatsFigures{Jobs: 3}}, nil
}

func (f *fakeConsole) Act(_ context.Context, company, by string, a bot.Action) (bot.ActionResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.actErr != nil {
		return bot.ActionResult{}, f.actErr
	}
	f.acts = append(f.acts, actCall{company, by, a})
	return bot.ActionResult{Message: "done: " + a.Name}, nil
}

// calls returns the Act calls that went through.
func (f *fakeConsole) calls() []actCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]actCall(nil), f.acts...)
}

// fakeSim is an in-memory web.Simulator whose phones echo nothing: Send
// records the message as sent by the phone.
type fakeSim struct {
	mu   sync.Mutex
	msgs []bot.SimMessage
}

var _ web.Simulator = (*fakeSim)(nil)

func (s *fakeSim) Phones(string) []bot.SimPhone {
	return []bot.SimPhone{
		{ID: "customer-1", Role: "customer", Name: "Customer"},
		{ID: "tech:alice", Role: "technician", Name: "Alice Smith"},
	}
}

func (s *fakeSim) Send(_ context.Context, _, phone, text string) error {
	s.add(bot.SimMessage{Phone: phone, In: true, Text: text})
	return nil
}

// add appends m with the next seq.
func (s *fakeSim) add(m bot.SimMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Seq = int64(len(s.msgs) + 1)
	s.msgs = append(s.msgs, m)
}

func (s *fakeSim) Messages(_ context.Context, _ string, after int64, limit int) ([]bot.SimMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.SimMessage
	for _, m := range s.msgs {
		if m.Seq > after && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, nil
}

// all returns every message the fake holds.
func (s *fakeSim) all() []bot.SimMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.SimMessage(nil), s.msgs...)
}

// MustAPI returns a router serving a one-company console and a simulator.
func MustAPI(tb testing.TB) (*echo.Echo, *fakeConsole, *fakeSim) {
	tb.Helper()
	fc, fs := newFakeConsole("acme"), &fakeSim{}
	return web.New(web.Deps{Console: fc, Simulator: fs, AdminToken: testToken}), fc, fs
}

// serve sends one request through e with the admin token and returns the
// response; a non-empty body goes as JSON.
func serve(e *echo.Echo, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, reqBody(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// errorOf returns the JSON error message of a response.
func errorOf(tb testing.TB, rec *httptest.ResponseRecorder) string {
	tb.Helper()
	var body struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		tb.Fatalf("error body %q is not JSON: %v", rec.Body, err)
	}
	return body.Error
}

// reqBody is a request body reading s; nil for "".
func reqBody(s string) io.Reader {
	if s == "" {
		return nil
	}
	return strings.NewReader(s)
}
