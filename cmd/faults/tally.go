package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// message is one send the fake provider accepted, as GET /messages lists it.
type message struct {
	Seq      int64  `json:"seq"`
	At       int64  `json:"at"` // Unix nanoseconds
	Provider string `json:"provider"`
	Via      string `json:"via"` // the tag of the instance that sent it
	To       string `json:"to"`
	Text     string `json:"text"`
}

// fetchMessages reads every message the fake provider at base accepted.
func fetchMessages(ctx context.Context, hc *http.Client, base string) ([]message, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/messages", nil)
	if err != nil {
		return nil, fmt.Errorf("fetch messages: %w", err)
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch messages: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch messages: %s", res.Status)
	}
	var ms []message
	if err := json.NewDecoder(res.Body).Decode(&ms); err != nil {
		return nil, fmt.Errorf("fetch messages: %w", err)
	}
	return ms, nil
}

// fetchCounts reads the fake provider's accepted and refused totals.
func fetchCounts(ctx context.Context, hc *http.Client, base string) (accepted, refused int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/count", nil)
	if err != nil {
		return 0, 0, fmt.Errorf("fetch counts: %w", err)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("fetch counts: %w", err)
	}
	defer res.Body.Close()
	var c struct{ Accepted, Refused int64 }
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		return 0, 0, fmt.Errorf("fetch counts: %w", err)
	}
	return c.Accepted, c.Refused, nil
}

// tally is the replies counted per customer.
type tally struct {
	customers int
	once      int                  // customers with exactly one reply
	lost      []string             // customers with none
	doubled   map[string][]message // customers with more than one, and those replies
	others    int                  // messages to anyone who is not a customer
	byVia     map[string]int       // replies to customers by the instance that sent them
	texts     map[string]int       // distinct reply texts and how often each was sent
}

// countReplies counts the messages sent to each phone.
func countReplies(phones []string, ms []message) tally {
	got := make(map[string][]message, len(phones))
	for _, p := range phones {
		got[p] = nil
	}
	t := tally{customers: len(phones), doubled: map[string][]message{}, byVia: map[string]int{}, texts: map[string]int{}}
	for _, m := range ms {
		if _, ok := got[m.To]; !ok {
			t.others++
			continue
		}
		got[m.To] = append(got[m.To], m)
		t.byVia[m.Via]++
		t.texts[m.Text]++
	}
	for _, p := range phones {
		switch n := len(got[p]); {
		case n == 0:
			t.lost = append(t.lost, p)
		case n == 1:
			t.once++
		default:
			t.doubled[p] = got[p]
		}
	}
	return t
}

// replied reports whether every phone has at least one reply.
func (t tally) replied() bool { return len(t.lost) == 0 }

func (t tally) String() string {
	var vias []string
	for _, v := range slices.Sorted(maps.Keys(t.byVia)) {
		vias = append(vias, fmt.Sprintf("%s %d", v, t.byVia[v]))
	}
	s := fmt.Sprintf("replies: %d of %d customers exactly one, %d lost, %d doubled; sent by instance %s; %d other messages; %d distinct texts",
		t.once, t.customers, len(t.lost), len(t.doubled), strings.Join(vias, ", "), t.others, len(t.texts))
	if len(t.lost) > 0 {
		s += fmt.Sprintf("\n   lost, e.g. %s", strings.Join(t.lost[:min(5, len(t.lost))], " "))
	}
	n := 0
	for p, ms := range t.doubled {
		if n++; n > 5 {
			break
		}
		s += fmt.Sprintf("\n   doubled %s:", p)
		for _, m := range ms {
			s += fmt.Sprintf(" [#%d by %s at %s]", m.Seq, m.Via, time.Unix(0, m.At).Format("15:04:05.000"))
		}
	}
	return s
}

// awaitReplies polls the fake provider until each phone has a reply or
// limit passes, and returns when that was (zero if it never was).
func (r *rig) awaitReplies(ctx context.Context, phones []string, limit time.Duration) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		ms, err := fetchMessages(ctx, r.hc, r.fakeURL)
		if err != nil {
			if ctx.Err() != nil {
				return time.Time{}, nil
			}
			return time.Time{}, err
		}
		if countReplies(phones, ms).replied() {
			return time.Now(), nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, nil
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// awaitDrained polls the outbox until nothing is pending or unread, or limit
// passes, and returns the last state seen.
func (r *rig) awaitDrained(ctx context.Context, limit time.Duration) (outboxState, error) {
	var st outboxState
	err := waitFor(ctx, nil, limit, "outbox drained", func(ctx context.Context) bool {
		var err error
		st, err = inspectOutbox(ctx, r.rdb, "*")
		return err == nil && st.pending == 0 && st.lag == 0
	})
	if err != nil && st.streams == 0 {
		return st, err
	}
	return st, nil
}
