package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/conversation"
)

var dispatcher = bot.Address{Channel: bot.Telegram, ID: "100001"}

// alert is a message from the company to a dispatcher.
func alert(to bot.Address, text string, routine bool) bot.Outbound {
	return bot.Outbound{Company: co, To: to, Text: text, Routine: routine}
}

func mustTranscript(tb testing.TB, s *redisstore.Store, who bot.Address, n int) []bot.ChatLine {
	tb.Helper()
	lines, err := s.Transcript(context.Background(), co, who, n)
	if err != nil {
		tb.Fatalf("Transcript(%s, %s, %d) = %v", co, who, n, err)
	}
	return lines
}

func TestTranscript_CommitKeepsBothSides(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		at := time.Date(2025, 3, 1, 9, 30, 0, 123000000, time.FixedZone("EST", -5*3600)) // kept to the millisecond
		heard := "My sink \"leaks\" <badly> & the tap drips\nüñí"
		sess := conversation.Session{State: conversation.Open}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess,
			Heard: heard, At: at, Outbox: []bot.Outbound{
				reply("Sorry to hear that. What is your address?"),
				alert(dispatcher, "New customer +15550100", false),
				reply("Reply STOP to opt out. Danke schön 👍 \u2028"),
				reply("bad \xff UTF-8"),
			}})

		wantAlice := []bot.ChatLine{
			{At: at, In: true, Text: heard},
			{At: at, Text: "Sorry to hear that. What is your address?"},
			{At: at, Text: "Reply STOP to opt out. Danke schön 👍 \u2028"},
			{At: at, Text: "bad \ufffd UTF-8"},
		}
		if diff := cmp.Diff(wantAlice, mustTranscript(t, s, alice, 0)); diff != "" {
			t.Errorf("Transcript(alice) (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantAlice[2:], mustTranscript(t, s, alice, 2)); diff != "" {
			t.Errorf("Transcript(alice, 2) (-want +got):\n%s", diff)
		}
		wantDispatcher := []bot.ChatLine{{At: at, Text: "New customer +15550100"}}
		if diff := cmp.Diff(wantDispatcher, mustTranscript(t, s, dispatcher, 10)); diff != "" {
			t.Errorf("Transcript(dispatcher) (-want +got):\n%s", diff)
		}
		if got := mustTranscript(t, s, bot.Address{Channel: bot.SMS, ID: "+15550199"}, 10); len(got) != 0 {
			t.Errorf("Transcript of a stranger = %v, want none", got)
		}
	})
}

func TestTranscript_ZeroAtMeansNow(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		before := time.Now().Truncate(time.Millisecond) // kept to the millisecond
		mustCommit(t, s, bot.Change{Company: co, From: alice, Heard: "hi"})
		after := time.Now()
		got := mustTranscript(t, s, alice, 0)
		if len(got) != 1 || got[0].At.Before(before) || got[0].At.After(after) || !got[0].In {
			t.Errorf("Transcript after a change without At = %+v, want one inbound line at [%v, %v]", got, before, after)
		}
	})
}

func TestTranscript_KeepsTheLast50(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		const commits = 30 // two lines each
		var all []bot.ChatLine
		for i := range commits {
			at := start.Add(time.Duration(i) * time.Minute)
			heard, answer := fmt.Sprintf("question %d", i), fmt.Sprintf("answer %d", i)
			mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: fmt.Sprintf("SM%d", i),
				Heard: heard, At: at, Outbox: []bot.Outbound{reply(answer)}})
			all = append(all, bot.ChatLine{At: at, In: true, Text: heard}, bot.ChatLine{At: at, Text: answer})
		}
		want := all[len(all)-redisstore.ChatMax:]
		if diff := cmp.Diff(want, mustTranscript(t, s, alice, 0)); diff != "" {
			t.Errorf("Transcript after %d lines (-want +got):\n%s", len(all), diff)
		}
		if diff := cmp.Diff(want, mustTranscript(t, s, alice, 100)); diff != "" {
			t.Errorf("Transcript(100) after %d lines (-want +got):\n%s", len(all), diff)
		}
		n, err := b.Client.LLen(context.Background(), key(b, "chat:"+alice.String())).Result()
		if err != nil || n != redisstore.ChatMax {
			t.Errorf("LLEN of alice's chat = %d, %v, want %d", n, err, redisstore.ChatMax)
		}
	})
}

func TestTranscript_TTL(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		say := func(text string) {
			t.Helper()
			mustCommit(t, s, bot.Change{Company: co, From: alice, Heard: text})
		}
		say("one")
		ttl, err := b.Client.PTTL(ctx, key(b, "chat:"+alice.String())).Result()
		if err != nil || ttl <= redisstore.ChatTTL-time.Hour || ttl > redisstore.ChatTTL {
			t.Errorf("PTTL(alice's chat) = %v, %v, want about %v", ttl, err, redisstore.ChatTTL)
		}

		// Each line restarts the clock; ChatTTL of silence ends the transcript.
		b.FastForward(t, redisstore.ChatTTL-time.Hour)
		say("two")
		b.FastForward(t, 2*time.Hour)
		if got := mustTranscript(t, s, alice, 0); len(got) != 2 {
			t.Errorf("Transcript after activity = %+v, want both lines", got)
		}
		b.FastForward(t, redisstore.ChatTTL)
		if got := mustTranscript(t, s, alice, 0); len(got) != 0 {
			t.Errorf("Transcript after ChatTTL of silence = %+v, want none", got)
		}
	})
}

func TestTranscript_RefusedChangeKeepsNothing(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		sess := conversation.Session{State: conversation.Open}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess,
			Heard: "first", Outbox: []bot.Outbound{reply("got it"), alert(dispatcher, "first alert", false)}})
		wantAlice, wantDispatcher := mustTranscript(t, s, alice, 0), mustTranscript(t, s, dispatcher, 0)
		if len(wantAlice) != 2 || len(wantDispatcher) != 1 {
			t.Fatalf("transcripts after the first change = %+v and %+v, want 2 and 1 lines", wantAlice, wantDispatcher)
		}

		again := mustLoad(t, s, alice, "").Session
		err := s.Commit(ctx, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &again,
			Heard: "first, redelivered", Outbox: []bot.Outbound{reply("again"), alert(dispatcher, "again", false)}})
		if !errors.Is(err, bot.ErrDuplicate) {
			t.Fatalf("Commit of SM1 again = %v, want ErrDuplicate", err)
		}
		stale := conversation.Session{State: conversation.Open}
		err = s.Commit(ctx, bot.Change{Company: co, From: alice, ProviderID: "SM2", Session: &stale,
			Heard: "stale", Outbox: []bot.Outbound{reply("never")}})
		if !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("Commit of a stale session = %v, want ErrConflict", err)
		}

		if diff := cmp.Diff(wantAlice, mustTranscript(t, s, alice, 0)); diff != "" {
			t.Errorf("Transcript(alice) after refused changes (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantDispatcher, mustTranscript(t, s, dispatcher, 0)); diff != "" {
			t.Errorf("Transcript(dispatcher) after refused changes (-want +got):\n%s", diff)
		}
	})
}

func TestTranscript_NothingToKeep(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		sess := conversation.Session{State: conversation.Open}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess})
		for _, k := range scanKeys(t, b) {
			if strings.Contains(k, ":chat:") {
				t.Errorf("change without heard text or messages wrote %s", k)
			}
		}
	})
}

func TestTranscript_HeardWithoutSender(t *testing.T) {
	b := redistest.New(t)
	s := newStore(t, b)
	c := bot.Change{Company: co, Heard: "who said this?"}
	if err := s.Commit(context.Background(), c); err == nil {
		t.Fatalf("Commit(%+v) = nil, want an error", c)
	}
	if keys := b.Mini.Keys(); len(keys) != 0 {
		t.Errorf("keys after rejected Commit = %q, want none", keys)
	}
}

func TestStore_ChatKeysShareHashTag(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		mustCommit(t, s, bot.Change{Company: co, From: alice, Heard: "hello",
			Quiet:  map[string]bool{simDispatcher.String(): true},
			Outbox: []bot.Outbound{reply("hi"), alert(dispatcher, "new customer", false)}})
		if _, err := s.AppendSim(context.Background(), co, bot.SimMessage{Phone: "customer-1", In: true, Text: "hi"}); err != nil {
			t.Fatalf("AppendSim() = %v", err)
		}
		var want []string
		for _, suffix := range []string{"chat:sms:+15550100", "chat:telegram:100001", "outbox", "quiet", "sim", "sim:seq"} {
			want = append(want, key(b, suffix))
		}
		if diff := cmp.Diff(want, scanKeys(t, b)); diff != "" {
			t.Errorf("keys of %s (-want +got):\n%s", co, diff)
		}
	})
}
