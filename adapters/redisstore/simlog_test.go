package redisstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
)

func mustAppendSim(tb testing.TB, s *redisstore.Store, company string, m bot.SimMessage) int64 {
	tb.Helper()
	seq, err := s.AppendSim(context.Background(), company, m)
	if err != nil {
		tb.Fatalf("AppendSim(%s, %+v) = %v", company, m, err)
	}
	return seq
}

func mustSimMessages(tb testing.TB, s *redisstore.Store, after int64, limit int) []bot.SimMessage {
	tb.Helper()
	msgs, err := s.SimMessages(context.Background(), co, after, limit)
	if err != nil {
		tb.Fatalf("SimMessages(%s, %d, %d) = %v", co, after, limit, err)
	}
	return msgs
}

func TestSimLog_AppendAndRead(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		at := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
		var all []bot.SimMessage
		for i := range 5 {
			m := bot.SimMessage{Seq: 99, Phone: "customer-1", In: i%2 == 0, Text: fmt.Sprintf("message %d \"quoted\" <b>", i),
				At: at.Add(time.Duration(i) * time.Second)}
			seq := mustAppendSim(t, s, co, m) // the Seq passed in is ignored
			if want := int64(i + 1); seq != want {
				t.Errorf("AppendSim #%d = %d, want %d", i, seq, want)
			}
			m.Seq = seq
			all = append(all, m)
		}
		if seq := mustAppendSim(t, s, "other", bot.SimMessage{Phone: "customer-1", Text: "elsewhere"}); seq != 1 {
			t.Errorf("AppendSim of another company = %d, want its own sequence starting at 1", seq)
		}

		tests := []struct {
			name  string
			after int64
			limit int
			want  []bot.SimMessage
		}{
			{name: "all, default limit", after: 0, limit: 0, want: all},
			{name: "after the second", after: 2, limit: 10, want: all[2:]},
			{name: "limit keeps the oldest", after: 0, limit: 2, want: all[:2]},
			{name: "after and limit", after: 1, limit: 2, want: all[1:3]},
			{name: "negative limit is the default", after: 3, limit: -1, want: all[3:]},
			{name: "nothing new", after: 5, limit: 10, want: nil},
			{name: "after beyond the last", after: 50, limit: 10, want: nil},
		}
		for _, tt := range tests {
			got := mustSimMessages(t, s, tt.after, tt.limit)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: SimMessages(%d, %d) (-want +got):\n%s", tt.name, tt.after, tt.limit, diff)
			}
		}
	})
}

func TestSimLog_KeepsTheNewest(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		const extra = 5
		for range redisstore.SimMax + extra {
			mustAppendSim(t, s, co, bot.SimMessage{Phone: "customer-1", In: true, Text: "same text every time"})
		}
		n, err := b.Client.ZCard(context.Background(), key(b, "sim")).Result()
		if err != nil || n != redisstore.SimMax {
			t.Errorf("ZCARD of the sim log = %d, %v, want %d", n, err, redisstore.SimMax)
		}
		got := mustSimMessages(t, s, 0, 3*redisstore.SimMax)
		if len(got) != redisstore.SimMax {
			t.Fatalf("SimMessages(0) returned %d messages, want %d", len(got), redisstore.SimMax)
		}
		for i, m := range got {
			if want := int64(extra + 1 + i); m.Seq != want {
				t.Fatalf("SimMessages(0)[%d].Seq = %d, want %d (oldest dropped, equal texts kept apart)", i, m.Seq, want)
			}
		}
		if got := mustSimMessages(t, s, 0, 0); len(got) != 200 || got[0].Seq != extra+1 {
			t.Errorf("SimMessages(0, 0) = %d messages, want 200 from seq %d", len(got), extra+1)
		}
	})
}

func TestSimLog_Rejects(t *testing.T) {
	b := redistest.New(t)
	s := newStore(t, b)
	ctx := context.Background()
	for _, company := range []string{"", "a{b"} {
		if _, err := s.AppendSim(ctx, company, bot.SimMessage{Phone: "customer-1"}); err == nil {
			t.Errorf("AppendSim(%q) = nil error, want one", company)
		}
		if _, err := s.SimMessages(ctx, company, 0, 0); err == nil {
			t.Errorf("SimMessages(%q) = nil error, want one", company)
		}
	}
}
