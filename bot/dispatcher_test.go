package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// danaSMS is the demo dispatcher's phone.
var danaSMS = bot.Address{Channel: bot.SMS, ID: "+447700900001"}

// TestDispatcherCommands drives a job through the dispatcher's chat
// commands: listing, near-miss errors, assigning over a pending offer,
// urgency, notes, texting the customer, duty and cancelling, each recorded
// with who did it.
func TestDispatcherCommands(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		want(t, f.fire(t), aliceTG, fmt.Sprintf("New job J-%d", n))
		id := fmt.Sprintf("J-%d", n)

		want(t, f.say(t, danaTG, "/jobs"), danaTG, "1 open job", id, "offered, Alice")
		want(t, f.say(t, danaTG, "jobs emergency"), danaTG, "No open jobs match emergency")
		want(t, f.say(t, danaTG, "/job "+id), danaTG, id, "5 Oak Street", "Conversation:", "customer: Sam Jones")
		want(t, f.say(t, danaTG, fmt.Sprintf("/assign J-%d alice", n+1)), danaTG, fmt.Sprintf("No job J-%d. Did you mean %s?", n+1, id))
		want(t, f.say(t, danaTG, fmt.Sprintf("/assign %d alise", n)), danaTG, `No technician "alise". Did you mean alice?`)
		if j := f.job(t, n); j.Status != dispatch.StatusOffered {
			t.Fatalf("after refused commands the job is %s, want it still offered", j.Status)
		}

		got := f.say(t, danaTG, fmt.Sprintf("ASSIGN j%d Dev", n))
		want(t, got, danaTG, id+" is now Dev's")
		want(t, got, devTG, "Dana gave you "+id, "5 Oak Street")
		want(t, got, aliceTG, "given to someone else")
		want(t, got, customer, "Confirmed: Dev")
		j := f.job(t, n)
		last := j.Audit[len(j.Audit)-1]
		if j.Status != dispatch.StatusAssigned || j.Tech != "dev" || last.By.Kind != dispatch.ActorDispatcher || last.By.ID != "Dana" {
			t.Fatalf("after /assign: %s %q, last audit %+v; want assigned to dev by dispatcher Dana", j.Status, j.Tech, last)
		}

		want(t, f.say(t, danaTG, "/urgency "+id+" emergency"), danaTG, id+" is now emergency")
		want(t, f.say(t, danaTG, "/note "+id+" gate code 4411"), danaTG, "Noted")
		got = f.say(t, danaTG, "/say "+id+" Dev is running 10 minutes late, sorry!")
		want(t, got, customer, "Dev is running 10 minutes late, sorry!")
		j = f.job(t, n)
		if j.Urgency != "emergency" || len(j.Notes) != 3 || j.Notes[1].Text != "gate code 4411" || j.Notes[1].By.ID != "Dana" {
			t.Fatalf("urgency %q, notes %+v; want emergency and three notes by Dana", j.Urgency, j.Notes)
		}

		want(t, f.say(t, danaTG, "/tech alice off"), danaTG, "Alice is off duty")
		if off, err := f.store.OffDuty(ctx, f.co); err != nil || !off["alice"] {
			t.Fatalf("OffDuty = %v, %v; want alice off", off, err)
		}

		got = f.say(t, danaTG, "/cancel "+id+" customer fixed it")
		want(t, got, customer, "has been cancelled (customer fixed it)")
		want(t, got, devTG, "cancelled")
		if j := f.job(t, n); j.Status != dispatch.StatusCancelled {
			t.Fatalf("after /cancel: %s", j.Status)
		}
		want(t, f.say(t, danaTG, "/cancel "+id), danaTG, id+" is cancelled; that can't be done now")
		slot := f.job(t, n).SlotStart
		loadKey := b.Prefix + ":{" + f.co + "}:slotload:" + slot.In(f.cfg.Companies[0].Location).Format("2006-01-02")
		if load := b.Client.HGetAll(ctx, loadKey).Val(); len(load) != 1 {
			t.Fatalf("slot load %s before the release timer = %v, want the job's hold", loadKey, load)
		}
		f.fire(t) // gives the slot back
		if load := b.Client.HGetAll(ctx, loadKey).Val(); len(load) != 0 {
			t.Errorf("slot load after the cancellation = %v, want the hold released", load)
		}
	})
}

// TestDispatcherTakesOverAndReleases hands a customer's conversation to
// the dispatcher and back: meanwhile the customer's texts go to the
// dispatcher and the bot stays quiet.
func TestDispatcherTakesOverAndReleases(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		f.fire(t)
		id := fmt.Sprintf("J-%d", n)
		want(t, f.say(t, danaSMS, "takeover "+id), danaSMS, "You are answering "+id)
		f.fire(t)
		if s, _ := f.store.Load(ctx, f.co, customer, ""); s.Session.State != conversation.HandedOver {
			t.Fatalf("customer session %q after /takeover, want %q", s.Session.State, conversation.HandedOver)
		}
		got := f.say(t, customer, "what time will they come?")
		want(t, got, danaTG, `Customer wrote: "what time will they come?"`) // alerts reach Dana on Telegram
		if len(got[customer]) != 0 {
			t.Errorf("the bot answered a customer a person is handling: %q", got[customer])
		}
		want(t, f.say(t, danaSMS, "/release "+id), danaSMS, "The bot answers "+id)
		f.fire(t)
		if s, _ := f.store.Load(ctx, f.co, customer, ""); s.Session.State != conversation.Booked {
			t.Fatalf("customer session %q after /release, want %q", s.Session.State, conversation.Booked)
		}
		if j := f.job(t, n); j.Held != "" || len(j.Notes) != 2 {
			t.Errorf("job held by %q with notes %+v; want nobody and two notes", j.Held, j.Notes)
		}
	})
}

// TestCustomerCannotUseCommands sends a dispatcher command from a customer:
// it takes the customer's path and changes no job.
func TestCustomerCannotUseCommands(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		f.fire(t)
		before := f.job(t, n)
		got := f.say(t, customer, fmt.Sprintf("/assign J-%d dev", n))
		for _, m := range got[customer] {
			if strings.Contains(strings.ToLower(m), "command") || strings.Contains(m, "is now Dev") {
				t.Errorf("customer got %q: a hint of dispatcher commands", m)
			}
		}
		if len(got[customer]) == 0 {
			t.Errorf("customer got no answer")
		}
		if len(got[devTG]) != 0 {
			t.Errorf("dev was texted: %q", got[devTG])
		}
		if j := f.job(t, n); j.Status != before.Status || j.Tech != before.Tech {
			t.Errorf("job %s %q after a customer's /assign, want %s %q", j.Status, j.Tech, before.Status, before.Tech)
		}
	})
}

// TestDispatcherQuiet mutes and unmutes routine alerts.
func TestDispatcherQuiet(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		f := newDeskFixture(t, b, b.Prefix)
		want(t, f.say(t, danaTG, "/quiet on"), danaTG, "muted")
		if q, err := f.store.Quiet(ctx, f.co, danaTG); err != nil || !q {
			t.Fatalf("Quiet = %v, %v after /quiet on", q, err)
		}
		routine := bot.Outbound{Company: f.co, To: danaTG, Text: "low feedback", Routine: true}
		urgent := bot.Outbound{Company: f.co, To: danaTG, Text: "EMERGENCY"}
		if err := f.store.Commit(ctx, bot.Change{Company: f.co, Outbox: []bot.Outbound{routine, urgent}, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		got := f.sent(t)
		if len(got[danaTG]) != 1 || got[danaTG][0] != "EMERGENCY" {
			t.Errorf("muted dispatcher got %q, want only the emergency", got[danaTG])
		}
		want(t, f.say(t, danaTG, "quiet off"), danaTG, "on again")
		if err := f.store.Commit(ctx, bot.Change{Company: f.co, Outbox: []bot.Outbound{routine}}); err != nil {
			t.Fatal(err)
		}
		want(t, f.sent(t), danaTG, "low feedback")
	})
}
