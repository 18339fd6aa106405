package redisstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
)

// simDispatcher is a second dispatcher, on the simulator.
var simDispatcher = bot.Address{Channel: bot.Sim, ID: "dispatcher:1"}

func mustQuiet(tb testing.TB, s *redisstore.Store, who bot.Address) bool {
	tb.Helper()
	on, err := s.Quiet(context.Background(), co, who)
	if err != nil {
		tb.Fatalf("Quiet(%s, %s) = %v", co, who, err)
	}
	return on
}

// texts lists the texts of lines.
func texts(lines []bot.ChatLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestQuiet_MutesOnlyRoutineAlerts(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		if mustQuiet(t, s, dispatcher) {
			t.Fatalf("Quiet(%s) of a new company = true, want false", dispatcher)
		}
		mustCommit(t, s, bot.Change{Company: co, From: dispatcher, ProviderID: "1", Heard: "/quiet on",
			Quiet: map[string]bool{dispatcher.String(): true}})
		if !mustQuiet(t, s, dispatcher) || mustQuiet(t, s, simDispatcher) {
			t.Fatalf("Quiet after muting %s = %v, %v for %s, want true, false",
				dispatcher, mustQuiet(t, s, dispatcher), mustQuiet(t, s, simDispatcher), simDispatcher)
		}

		out := []bot.Outbound{
			alert(dispatcher, "job J-1 accepted", true),
			alert(dispatcher, "no technician for J-2", false),
			alert(simDispatcher, "job J-1 accepted", true),
			reply("A technician is on the way."),
		}
		mustCommit(t, s, bot.Change{Company: co, Outbox: out})
		if diff := cmp.Diff(messagesOf(0, out[1:]...), mustRead(t, s, "w1", 10), ignoreEntry); diff != "" {
			t.Errorf("outbox with %s muted (-want +got):\n%s", dispatcher, diff)
		}
		if d := mustDepth(t, s); d != 3 {
			t.Errorf("Depth = %d, want 3", d)
		}
		if diff := cmp.Diff([]string{"/quiet on", "no technician for J-2"}, texts(mustTranscript(t, s, dispatcher, 0))); diff != "" {
			t.Errorf("transcript of the muted dispatcher (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"job J-1 accepted"}, texts(mustTranscript(t, s, simDispatcher, 0))); diff != "" {
			t.Errorf("transcript of the other dispatcher (-want +got):\n%s", diff)
		}

		// Unmuting restores routine alerts.
		mustCommit(t, s, bot.Change{Company: co, Quiet: map[string]bool{dispatcher.String(): false}})
		if mustQuiet(t, s, dispatcher) {
			t.Errorf("Quiet(%s) after unmuting = true, want false", dispatcher)
		}
		back := alert(dispatcher, "job J-3 done", true)
		mustCommit(t, s, bot.Change{Company: co, Outbox: []bot.Outbound{back}})
		if diff := cmp.Diff(messagesOf(0, back), mustRead(t, s, "w1", 10), ignoreEntry); diff != "" {
			t.Errorf("outbox after unmuting (-want +got):\n%s", diff)
		}
		if got := texts(mustTranscript(t, s, dispatcher, 1)); !cmp.Equal(got, []string{"job J-3 done"}) {
			t.Errorf("last transcript line after unmuting = %q, want the routine alert", got)
		}
	})
}

func TestQuiet_AppliesBeforeTheSameChangesOutbox(t *testing.T) {
	tests := []struct {
		name     string
		before   bool // muted before the change
		quiet    bool // what the change sets
		enqueued bool // whether the change's own routine alert goes out
	}{
		{name: "mute drops the alert", before: false, quiet: true, enqueued: false},
		{name: "unmute lets the alert through", before: true, quiet: false, enqueued: true},
		{name: "mute again stays muted", before: true, quiet: true, enqueued: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			redistest.Each(t, func(t *testing.T, b redistest.Backend) {
				s := newStore(t, b)
				if tt.before {
					mustCommit(t, s, bot.Change{Company: co, Quiet: map[string]bool{dispatcher.String(): true}})
				}
				a := alert(dispatcher, "Routine alerts are now off.", true)
				mustCommit(t, s, bot.Change{Company: co, From: dispatcher, ProviderID: "1",
					Quiet: map[string]bool{dispatcher.String(): tt.quiet}, Outbox: []bot.Outbound{a}})
				if got := mustQuiet(t, s, dispatcher); got != tt.quiet {
					t.Errorf("Quiet = %v, want %v", got, tt.quiet)
				}
				var want []bot.Envelope
				if tt.enqueued {
					want = messagesOf(0, a)
				}
				if diff := cmp.Diff(want, mustRead(t, s, "w1", 10), ignoreEntry, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("outbox (-want +got):\n%s", diff)
				}
				if got := len(mustTranscript(t, s, dispatcher, 0)); got != len(want) {
					t.Errorf("transcript has %d lines, want %d", got, len(want))
				}
			})
		})
	}
}

func TestQuiet_EmptyAddressRejected(t *testing.T) {
	b := redistest.New(t)
	s := newStore(t, b)
	c := bot.Change{Company: co, Quiet: map[string]bool{"": true}, Outbox: []bot.Outbound{reply("no")}}
	if err := s.Commit(context.Background(), c); err == nil {
		t.Fatalf("Commit(%+v) = nil, want an error", c)
	}
	if keys := b.Mini.Keys(); len(keys) != 0 {
		t.Errorf("keys after rejected Commit = %q, want none", keys)
	}
}
