package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dispatchbot/bot"
)

// StreamOptions tunes GET /api/v1/events; a zero field takes its default.
type StreamOptions struct {
	BoardEvery time.Duration // how often the board is read; 1 s
	SimEvery   time.Duration // how often new simulator messages are read; 500 ms
	PingEvery  time.Duration // how often a keep-alive comment goes out; 15 s
}

// withDefaults fills the zero fields.
func (o StreamOptions) withDefaults() StreamOptions {
	if o.BoardEvery <= 0 {
		o.BoardEvery = time.Second
	}
	if o.SimEvery <= 0 {
		o.SimEvery = 500 * time.Millisecond
	}
	if o.PingEvery <= 0 {
		o.PingEvery = 15 * time.Second
	}
	return o
}

// simBatch is how many simulator messages one read of the stream asks for.
const simBatch = 100

// events answers GET /api/v1/events with Server-Sent Events: "board" with
// the whole bot.Board on connect and whenever it changes (its "at" aside),
// and "sim" with new []bot.SimMessage, whose id is the last one's seq so a
// reconnecting EventSource resumes after it (Last-Event-ID, else ?after=).
// It runs until the client leaves or the server shuts down.
func (a *api) events(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	after, err := streamAfter(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	b, err := a.readBoard(ctx, co)
	if err != nil { // not yet streaming, so the client still gets a JSON error
		return fmt.Errorf("events %s: %w", co, err)
	}

	w := c.Response()
	// Past echo's Response, whose Flush panics where flushing is unsupported.
	rc := http.NewResponseController(w.Writer)
	// The server's WriteTimeout suits requests, not a stream: past it every
	// write fails. (net/http already clears the read deadline while the
	// handler runs, to notice the client leaving.)
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		a.log.Warn("event stream: clear write deadline", "err", err)
	}
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	s := &stream{a: a, w: w, rc: rc, company: co, after: after}
	err = s.board(b)
	var simC <-chan time.Time
	if a.sim != nil && err == nil {
		t := time.NewTicker(a.stream.SimEvery)
		defer t.Stop()
		simC = t.C
		err = s.pollSim(ctx)
	}
	boardT := time.NewTicker(a.stream.BoardEvery)
	defer boardT.Stop()
	pingT := time.NewTicker(a.stream.PingEvery)
	defer pingT.Stop()
	for err == nil {
		select {
		case <-ctx.Done():
			return nil
		case <-a.stop:
			return nil
		case <-boardT.C:
			err = s.pollBoard(ctx)
		case <-simC:
			err = s.pollSim(ctx)
		case <-pingT.C:
			err = s.write([]byte(": ping\n\n"))
		}
	}
	a.log.Debug("event stream ended", "company", co, "err", err)
	return nil // the response is under way; there is no one left to tell
}

// streamAfter is the simulator seq the stream starts after: the
// Last-Event-ID of a reconnecting EventSource, else ?after=, else 0.
func streamAfter(c echo.Context) (int64, error) {
	if id := c.Request().Header.Get("Last-Event-ID"); id != "" {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	n, err := intParam(c.QueryParam("after"), 0, 0, 1<<62)
	if err != nil {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "after must be a sequence number, 0 or more")
	}
	return n, nil
}

// readBoard reads company's board within one call's budget.
func (a *api) readBoard(ctx context.Context, company string) (bot.Board, error) {
	ctx, cancel := context.WithTimeout(ctx, callBudget)
	defer cancel()
	return a.console.Board(ctx, company)
}

// stream is one client's event stream.
type stream struct {
	a       *api
	w       http.ResponseWriter
	rc      *http.ResponseController
	company string
	last    []byte // the last board sent, without its "at"
	after   int64  // the last simulator seq sent
	// Whether the last read of the board, of the simulator, failed (and
	// was logged).
	boardFailing, simFailing bool
}

// pollBoard sends the board if it changed. A failed read is logged once
// until reads work again; only a failed write ends the stream.
func (s *stream) pollBoard(ctx context.Context) error {
	b, err := s.a.readBoard(ctx, s.company)
	if err != nil {
		s.readFailed(ctx, "board", err, &s.boardFailing)
		return nil
	}
	s.boardFailing = false
	return s.board(b)
}

// board sends b unless only its time differs from the last board sent.
func (s *stream) board(b bot.Board) error {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode board: %w", err)
	}
	b.At = time.Time{}
	key, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode board: %w", err)
	}
	if s.last != nil && bytes.Equal(key, s.last) {
		return nil
	}
	s.last = key
	return s.event("board", "", data)
}

// pollSim sends the simulator messages after the last one sent, in batches.
func (s *stream) pollSim(ctx context.Context) error {
	for {
		cctx, cancel := context.WithTimeout(ctx, callBudget)
		msgs, err := s.a.sim.Messages(cctx, s.company, s.after, simBatch)
		cancel()
		if err != nil {
			s.readFailed(ctx, "sim messages", err, &s.simFailing)
			return nil
		}
		s.simFailing = false
		if len(msgs) == 0 {
			return nil
		}
		data, err := json.Marshal(msgs)
		if err != nil {
			return fmt.Errorf("encode sim messages: %w", err)
		}
		last := msgs[len(msgs)-1].Seq
		if err := s.event("sim", strconv.FormatInt(last, 10), data); err != nil {
			return err
		}
		s.after = last
		if len(msgs) < simBatch {
			return nil
		}
	}
}

// readFailed logs a failed read, unless the stream is ending or the last
// read of the same thing failed too.
func (s *stream) readFailed(ctx context.Context, what string, err error, failing *bool) {
	if ctx.Err() != nil || *failing {
		return
	}
	*failing = true
	s.a.log.Warn("event stream: read "+what, "company", s.company, "err", err)
}

// event sends one event; data is one line of JSON.
func (s *stream) event(name, id string, data []byte) error {
	var buf bytes.Buffer
	buf.WriteString("event: " + name + "\n")
	if id != "" {
		buf.WriteString("id: " + id + "\n")
	}
	buf.WriteString("data: ")
	buf.Write(data)
	buf.WriteString("\n\n")
	return s.write(buf.Bytes())
}

// write sends p to the client now.
func (s *stream) write(p []byte) error {
	if _, err := s.w.Write(p); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("flush event: %w", err)
	}
	return nil
}
