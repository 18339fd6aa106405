package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/web"
	"dispatchbot/bot"
	"dispatchbot/dispatch"
)

// fast polls the board and the simulator every millisecond and never pings.
var fast = web.StreamOptions{BoardEvery: time.Millisecond, SimEvery: time.Millisecond, PingEvery: time.Hour}

// sseEvent is one Server-Sent Event; a comment has name ":" and its text
// as data.
type sseEvent struct{ name, id, data string }

// sseStream reads the events of one response.
type sseStream struct {
	resp *http.Response
	sc   *bufio.Scanner
}

// next returns the next event or comment; it fails when the stream ends,
// which a test's deadline also forces.
func (s *sseStream) next() (sseEvent, error) {
	var ev sseEvent
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "":
			if ev.name != "" {
				return ev, nil
			}
		case strings.HasPrefix(line, ":"):
			return sseEvent{name: ":", data: strings.TrimSpace(line[1:])}, nil
		default:
			field, value, _ := strings.Cut(line, ": ")
			switch field {
			case "event":
				ev.name = value
			case "id":
				ev.id = value
			case "data":
				ev.data += value
			}
		}
	}
	if err := s.sc.Err(); err != nil {
		return sseEvent{}, err
	}
	return sseEvent{}, errors.New("stream ended")
}

// MustNext returns the next event named name, skipping any others.
func (s *sseStream) MustNext(tb testing.TB, name string) sseEvent {
	tb.Helper()
	for {
		ev, err := s.next()
		if err != nil {
			tb.Fatalf("waiting for a %q event: %v", name, err)
		}
		if ev.name == name {
			return ev
		}
	}
}

// MustStreamServer serves h on a real server, so that deadlines and
// flushing are real, and reports on ended each time a request's handler
// returns.
func MustStreamServer(tb testing.TB, h http.Handler, configure func(*http.Server)) (url string, ended <-chan struct{}) {
	tb.Helper()
	done := make(chan struct{}, 16)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		done <- struct{}{}
	}))
	if configure != nil {
		configure(srv.Config)
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv.URL, done
}

// MustOpen opens the event stream at url with header set and checks it is one.
func MustOpen(ctx context.Context, tb testing.TB, url string, header http.Header) *sseStream {
	tb.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	tb.Cleanup(func() { _ = resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s = %d, want 200", url, resp.StatusCode)
	}
	want := http.Header{
		"Content-Type":      {"text/event-stream"},
		"Cache-Control":     {"no-cache"},
		"X-Accel-Buffering": {"no"},
	}
	for k, v := range want {
		if got := resp.Header.Values(k); !slices.Equal(got, v) {
			tb.Errorf("GET %s header %s = %q, want %q", url, k, got, v)
		}
	}
	return &sseStream{resp: resp, sc: bufio.NewScanner(resp.Body)}
}

// auth is the header carrying the admin token.
func auth() http.Header { return http.Header{"Authorization": {"Bearer " + testToken}} }

// boardOf decodes a board event.
func boardOf(tb testing.TB, ev sseEvent) bot.Board {
	tb.Helper()
	var b bot.Board
	if err := json.Unmarshal([]byte(ev.data), &b); err != nil {
		tb.Fatalf("board event %q: %v", ev.data, err)
	}
	return b
}

// waitReads returns once the console's board has been read more than n times.
func waitReads(ctx context.Context, tb testing.TB, fc *fakeConsole, n int) {
	tb.Helper()
	for fc.reads() <= n {
		if ctx.Err() != nil {
			tb.Fatalf("board read %d times, waited for more than %d", fc.reads(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitEnded returns once a handler has returned.
func waitEnded(ctx context.Context, tb testing.TB, ended <-chan struct{}) {
	tb.Helper()
	select {
	case <-ended:
	case <-ctx.Done():
		tb.Fatal("the stream's handler did not return")
	}
}

func TestEventsBoard(t *testing.T) {
	ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	fc := newFakeConsole("acme")
	url, ended := MustStreamServer(t, web.New(web.Deps{Console: fc, AdminToken: testToken, Stream: fast}), nil)
	clientCtx, leave := context.WithCancel(ctx)
	s := MustOpen(clientCtx, t, url+"/api/v1/events", auth())

	first := boardOf(t, s.MustNext(t, "board"))
	if first.Company != "acme" || len(first.Jobs) != 1 || first.Jobs[0].ID != "J-1042" {
		t.Fatalf("first board = %+v, want acme with J-1042", first)
	}

	// A board that differs only in its time is not news: the next event
	// must be the one that adds a job.
	fc.setBoard(func(b *bot.Board) { b.At = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) })
	waitReads(ctx, t, fc, fc.reads())
	fc.setBoard(func(b *bot.Board) {
		b.Jobs = append(b.Jobs, bot.BoardJob{Job: dispatch.Job{ID: "J-1043", Status: "new"}})
	})
	second := boardOf(t, s.MustNext(t, "board"))
	ids := []string{}
	for _, j := range second.Jobs {
		ids = append(ids, j.ID)
	}
	if diff := cmp.Diff([]string{"J-1042", "J-1043"}, ids); diff != "" {
		t.Errorf("second board's jobs (-want +got):\n%s", diff)
	}

	leave()
	waitEnded(ctx, t, ended)
}

func TestEventsSim(t *testing.T) {
	ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	fc, fs := newFakeConsole("acme"), &fakeSim{}
	fs.add(bot.SimMessage{Phone: "customer-1", In: true, Text: "hello"})
	url, _ := MustStreamServer(t, web.New(web.Deps{Console: fc, Simulator: fs, AdminToken: testToken, Stream: fast}), nil)

	s := MustOpen(ctx, t, url+"/api/v1/events", auth())
	s.MustNext(t, "board")
	seqsOf := func(ev sseEvent) []int64 {
		t.Helper()
		var msgs []bot.SimMessage
		if err := json.Unmarshal([]byte(ev.data), &msgs); err != nil {
			t.Fatalf("sim event %q: %v", ev.data, err)
		}
		var seqs []int64
		for _, m := range msgs {
			seqs = append(seqs, m.Seq)
		}
		return seqs
	}
	if ev := s.MustNext(t, "sim"); ev.id != "1" || !slices.Equal(seqsOf(ev), []int64{1}) {
		t.Errorf("backlog sim event = id %q %s, want id 1 with seq 1", ev.id, ev.data)
	}
	fs.add(bot.SimMessage{Phone: "customer-1", Text: "Hi, what's the problem?"})
	if ev := s.MustNext(t, "sim"); ev.id != "2" || !slices.Equal(seqsOf(ev), []int64{2}) {
		t.Errorf("new sim event = id %q %s, want id 2 with seq 2", ev.id, ev.data)
	}

	// A reconnecting EventSource resumes after its Last-Event-ID, which
	// wins over the ?after= of the URL it reopens.
	fs.add(bot.SimMessage{Phone: "customer-1", In: true, Text: "leak"})
	h := auth()
	h.Set("Last-Event-ID", "2")
	again := MustOpen(ctx, t, url+"/api/v1/events?after=0", h)
	if ev := again.MustNext(t, "sim"); !slices.Equal(seqsOf(ev), []int64{3}) {
		t.Errorf("resumed sim event = %s, want seq 3 only", ev.data)
	}
	fromURL := MustOpen(ctx, t, url+"/api/v1/events?after=1", auth())
	if ev := fromURL.MustNext(t, "sim"); !slices.Equal(seqsOf(ev), []int64{2, 3}) {
		t.Errorf("sim event after=1 = %s, want seqs 2, 3", ev.data)
	}
}

func TestEventsTokenInQuery(t *testing.T) {
	ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	fc := newFakeConsole("acme")
	e := web.New(web.Deps{Console: fc, AdminToken: testToken, Stream: fast})
	url, _ := MustStreamServer(t, e, nil)
	s := MustOpen(ctx, t, url+"/api/v1/events?token="+testToken, nil)
	if b := boardOf(t, s.MustNext(t, "board")); b.Company != "acme" {
		t.Errorf("board via ?token= = %+v, want acme's", b)
	}
	for _, path := range []string{"/api/v1/events?token=wrong", "/api/v1/board?token=" + testToken} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s = %d, want 401", path, rec.Code)
		}
	}
}

func TestEventsRefusedBeforeStreaming(t *testing.T) {
	e := web.New(web.Deps{Console: newFakeConsole("acme", "bolt"), AdminToken: testToken, Stream: fast})
	cases := []struct {
		path   string
		status int
	}{
		{"/api/v1/events", http.StatusBadRequest},
		{"/api/v1/events?company=zeta", http.StatusNotFound},
		{"/api/v1/events?company=acme&after=x", http.StatusBadRequest},
	}
	for _, tc := range cases {
		rec := serve(e, http.MethodGet, tc.path, "")
		if rec.Code != tc.status || errorOf(t, rec) == "" {
			t.Errorf("GET %s = %d %s, want %d with an error", tc.path, rec.Code, rec.Body, tc.status)
		}
	}
}

// The server's read and write timeouts are for requests; a stream must
// outlive them.
func TestEventsOutliveServerTimeouts(t *testing.T) {
	ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	const timeout = 20 * time.Millisecond
	fc := newFakeConsole("acme")
	opts := fast
	opts.PingEvery = 2 * time.Millisecond
	url, ended := MustStreamServer(t, web.New(web.Deps{Console: fc, AdminToken: testToken, Stream: opts}),
		func(s *http.Server) { s.ReadTimeout, s.WriteTimeout = timeout, timeout })
	clientCtx, leave := context.WithCancel(ctx)
	s := MustOpen(clientCtx, t, url+"/api/v1/events", auth())
	start := time.Now()
	s.MustNext(t, "board")
	for time.Since(start) < 5*timeout {
		if ev, err := s.next(); err != nil || ev.name != ":" || ev.data != "ping" {
			t.Fatalf("while waiting past the timeouts: %+v, %v; want pings", ev, err)
		}
	}
	fc.setBoard(func(b *bot.Board) { b.Name = "Acme Ltd" })
	if b := boardOf(t, s.MustNext(t, "board")); b.Name != "Acme Ltd" {
		t.Errorf("board after the timeouts = %q, want the new name", b.Name)
	}
	leave()
	waitEnded(ctx, t, ended)
}

func TestEventsEndOnShutdown(t *testing.T) {
	ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	e := web.New(web.Deps{Console: newFakeConsole("acme"), AdminToken: testToken, Stream: fast})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.Listener = ln
	served := make(chan error, 1)
	go func() { served <- e.Start("") }()

	s := MustOpen(ctx, t, "http://"+ln.Addr().String()+"/api/v1/events", auth())
	s.MustNext(t, "board")
	if err := e.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown with a stream open = %v, want nil", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Start = %v, want ErrServerClosed", err)
	}
	for {
		ev, err := s.next()
		if err != nil {
			break // the stream ended
		}
		if ev.name != "board" && ev.name != ":" {
			t.Errorf("unexpected event %+v", ev)
		}
	}
}
