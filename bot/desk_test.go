package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// The demo's people, as the desk texts them.
var (
	aliceTG = bot.Address{Channel: bot.Telegram, ID: "200001"}
	devTG   = bot.Address{Channel: bot.Telegram, ID: "200004"}
	danaTG  = bot.Address{Channel: bot.Telegram, ID: "100001"}
)

// monday9 is Monday 23 November 2026, 09:00 in London (UTC in winter).
var monday9 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// clock is a fake clock that tests move by hand.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock     { c := &clock{}; c.set(t); return c }
func (c *clock) now() time.Time       { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)      { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration)  { c.ns.Add(int64(d)) }
func (c *clock) fn() func() time.Time { return c.now }

// deskFixture is the whole service minus HTTP: the intake for customers,
// the desk for technicians, the timer runner, on one store, under a fake clock.
type deskFixture struct {
	fixture
	clock  *clock
	desk   *bot.Desk
	runner *bot.TimerRunner
	sched  *redisstore.Scheduler
	seq    int
}

func newDeskFixture(t *testing.T, b redistest.Backend, prefix string) *deskFixture {
	t.Helper()
	cfg := config.Demo()
	cfg.Companies[0].Simulator = false // offers and alerts go over Telegram and SMS
	store := redisstore.New(b.Client, redisstore.Options{Prefix: prefix})
	sched := redisstore.NewScheduler(store)
	it, err := bot.NewIntake(cfg.Companies, sched, bot.IntakeOptions{Jobs: store})
	if err != nil {
		t.Fatal(err)
	}
	c := newClock(monday9)
	var bt *bot.Bot
	desk := bot.NewDesk(bot.DeskOptions{Companies: cfg, Store: store, Jobs: store, Now: c.fn(), Slots: sched,
		Notify: func(ctx context.Context, co string, who bot.Address, news conversation.Input) error {
			return bt.Notify(ctx, co, who, news)
		}})
	bt = bot.New(bot.Options{
		Companies: cfg, Store: store, StatusLog: store,
		Customers: it, Technicians: desk,
		Dispatchers: bot.NewDispatchers(bot.NewConsole(bot.ConsoleOptions{
			Companies: cfg.Companies, Store: store, Jobs: store, Transcripts: store, Now: c.fn()})),
		Now: c.fn(),
	})
	f := &deskFixture{
		fixture: fixture{bot: bt, store: store, cfg: cfg, co: cfg.Companies[0].ID},
		clock:   c, desk: desk, sched: sched,
	}
	f.runner = f.newRunner(c.fn())
	return f
}

func (f *deskFixture) newRunner(now func() time.Time) *bot.TimerRunner {
	return bot.NewTimerRunner(bot.TimerRunnerOptions{Timers: f.store, Desk: f.desk, Companies: []string{f.co}, Now: now})
}

// say sends text from who and returns what the outbox gained, by recipient.
func (f *deskFixture) say(t *testing.T, who bot.Address, text string) map[bot.Address][]string {
	t.Helper()
	f.seq++
	in := bot.Inbound{Company: f.co, From: who, Text: text, ProviderID: fmt.Sprintf("m%d", f.seq), At: f.clock.now()}
	if who.Channel == bot.SMS {
		in.Via = via
	}
	f.mustHandle(t, in)
	return f.sent(t)
}

// fire fires the due timers and returns what the outbox gained.
func (f *deskFixture) fire(t *testing.T) map[bot.Address][]string {
	t.Helper()
	f.runner.FireDue(context.Background(), f.co)
	return f.sent(t)
}

func (f *deskFixture) sent(t *testing.T) map[bot.Address][]string {
	t.Helper()
	out := map[bot.Address][]string{}
	for _, m := range f.outbox(t) {
		out[m.To] = append(out[m.To], m.Text)
	}
	return out
}

func (f *deskFixture) job(t *testing.T, n int64) dispatch.Job {
	t.Helper()
	sj, err := f.store.Job(context.Background(), f.co, n)
	if err != nil {
		t.Fatalf("Job(%d) = %v", n, err)
	}
	return sj.Job
}

// book takes a customer through intake by text to the first slot offered
// and returns the job number.
func (f *deskFixture) book(t *testing.T, who bot.Address, problem, address string) int64 {
	t.Helper()
	for _, text := range []string{problem, address, "Sam Jones", "none", "2"} {
		f.say(t, who, text)
	}
	snap, err := f.store.Load(context.Background(), f.co, who, "")
	if err == nil && snap.Session.State == "fee" { // an early slot costs the after-hours fee
		f.say(t, who, "yes")
		snap, err = f.store.Load(context.Background(), f.co, who, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	n, ok := dispatch.ParseJobID(snap.Session.LastJob)
	if !ok {
		t.Fatalf("%s: no job booked; session state %q", who.ID, snap.Session.State)
	}
	return n
}

// want fails unless one of got's messages to who contains each of parts.
func want(t *testing.T, got map[bot.Address][]string, who bot.Address, parts ...string) string {
	t.Helper()
	for _, m := range got[who] {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(m, p)
		}
		if ok {
			return m
		}
	}
	t.Fatalf("no message to %s containing %q; got %q", who, parts, got)
	return ""
}

func statuses(j dispatch.Job) []string {
	var out []string
	for _, a := range j.Audit {
		out = append(out, a.To)
	}
	return out
}

// TestDeskJobLife follows a job from the customer's first text to their
// feedback: offer, accept, confirmation, both reminders (each once), on my
// way, arrived, done, the feedback request and the stored score.
func TestDeskJobLife(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		j := f.job(t, n)
		if j.Status != dispatch.StatusNew || j.SlotStart.IsZero() || j.Lat == 0 || !j.FirstMessage.Equal(monday9) {
			t.Fatalf("booked job = %+v, want new, slotted, located, first message at %v", j, monday9)
		}
		got := f.fire(t)
		offer := want(t, got, aliceTG, fmt.Sprintf("New job J-%d", n), "Area M1", fmt.Sprintf("YES %d", n))
		if strings.Contains(offer, "Oak Street") {
			t.Errorf("offer %q shows the street before acceptance", offer)
		}
		got = f.say(t, aliceTG, "yes")
		want(t, got, aliceTG, "is yours", "5 Oak Street")
		want(t, got, customer, "Confirmed: Alice", fmt.Sprintf("J-%d", n), "R to reschedule")

		slot := f.job(t, n).SlotStart
		f.clock.set(time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC))
		want(t, f.fire(t), customer, "Reminder", "tomorrow")
		f.clock.set(slot.Add(-time.Hour))
		want(t, f.fire(t), customer, "Reminder", "today")
		if again := f.fire(t); len(again) != 0 {
			t.Errorf("timers fired again: %q", again)
		}

		f.clock.set(slot.Add(-30 * time.Minute))
		want(t, f.say(t, aliceTG, "omw"), customer, "Alice is on the way", "minutes")
		want(t, f.say(t, aliceTG, "arrived"), customer, "has arrived")
		got = f.say(t, aliceTG, "done - replaced the washer")
		want(t, got, customer, "is complete")
		j = f.job(t, n)
		if j.Status != dispatch.StatusDone || j.Note != "replaced the washer" || j.Tech != "alice" {
			t.Fatalf("job after done = %s, note %q, tech %q", j.Status, j.Note, j.Tech)
		}
		f.clock.add(30 * time.Minute)
		want(t, f.fire(t), customer, "How did we do")
		want(t, f.say(t, customer, "5 great job"), customer, "Thanks for your feedback")
		j = f.job(t, n)
		if j.Feedback != 5 || j.Comment != "great job" {
			t.Errorf("feedback stored = %d %q, want 5 \"great job\"", j.Feedback, j.Comment)
		}
		wantPath := []string{dispatch.StatusOffered, dispatch.StatusAssigned, dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusDone}
		if got := statuses(j); strings.Join(got, ",") != strings.Join(wantPath, ",") {
			t.Errorf("audit trail %v, want %v", got, wantPath)
		}
		if open, _ := f.store.OpenJobs(context.Background(), f.co); len(open) != 0 {
			t.Errorf("open jobs after done = %d, want 0", len(open))
		}
	})
}

// TestDeskDeclineAndExpiryCascade: a decline moves the offer to the next
// technician at once; when the last one's silence runs out the dispatcher
// is told, once, and that technician is asked once more; a late YES from
// one who said no is turned away, and one from one who only ran out of
// time takes the job while nobody else has it.
func TestDeskDeclineAndExpiryCascade(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		want(t, f.fire(t), aliceTG, fmt.Sprintf("New job J-%d", n))
		got := f.say(t, aliceTG, fmt.Sprintf("no %d", n))
		want(t, got, aliceTG, "will go to someone else")
		want(t, got, devTG, fmt.Sprintf("New job J-%d", n))
		f.clock.add(9 * time.Minute)
		if got := f.fire(t); len(got) != 0 {
			t.Fatalf("before expiry: %q", got)
		}
		f.clock.add(time.Minute)
		got = f.fire(t)
		want(t, got, devTG, "ran out")
		want(t, got, devTG, fmt.Sprintf("New job J-%d", n)) // asked once more: he may have been driving
		want(t, got, danaTG, "Nobody is free", fmt.Sprintf("J-%d", n))
		f.clock.add(10 * time.Minute)
		if got := f.fire(t); len(got[danaTG]) != 0 || len(got[devTG]) != 1 {
			t.Fatalf("second expiry: dispatcher got %q, dev got %q; want nothing and one 'ran out'", got[danaTG], got[devTG])
		}
		j := f.job(t, n)
		if j.Status != dispatch.StatusNew || j.Escalated.IsZero() || len(j.Offers) != 3 ||
			j.Offers[0].Answer != dispatch.AnswerNo || j.Offers[1].Answer != dispatch.AnswerExpired || j.Offers[2].Answer != dispatch.AnswerExpired {
			t.Fatalf("job = %s escalated %v offers %+v", j.Status, j.Escalated, j.Offers)
		}
		// The retry finds nobody new and does not alert again.
		f.clock.add(31 * time.Minute)
		if got := f.fire(t); len(got) != 0 {
			t.Errorf("retry sent %q", got)
		}
		// Alice said no, so her YES is turned away; dev only ran out of time, and nobody has it: his YES wins.
		want(t, f.say(t, aliceTG, fmt.Sprintf("yes %d", n)), aliceTG, "no longer on offer")
		got = f.say(t, devTG, fmt.Sprintf("yes %d", n))
		want(t, got, devTG, "is yours")
		want(t, got, customer, "Confirmed: Dev")
		if j := f.job(t, n); j.Status != dispatch.StatusAssigned || j.Tech != "dev" {
			t.Errorf("after dev's late yes: %s %q", j.Status, j.Tech)
		}
	})
}

// TestDeskAcceptRacesExpiry runs a technician's YES, the offer's expiry
// (which offers the job to the next technician) and that technician's YES
// at the same moment, many times: exactly one technician gets the job and
// the customer is confirmed exactly once.
func TestDeskAcceptRacesExpiry(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		for round := range 15 {
			f := newDeskFixture(t, b, fmt.Sprintf("%s:r%d", b.Prefix, round))
			n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
			f.fire(t)
			expiry := f.job(t, n).Offers[0].Expires
			f.clock.set(expiry.Add(-time.Millisecond)) // the technicians' texts arrive just in time
			lateDesk := bot.NewDesk(bot.DeskOptions{Companies: f.cfg, Store: f.store, Jobs: f.store,
				Now: func() time.Time { return expiry }})
			late := bot.NewTimerRunner(bot.TimerRunnerOptions{Timers: f.store, Desk: lateDesk, Companies: []string{f.co},
				Now: func() time.Time { return expiry }})
			var wg sync.WaitGroup
			ctx := context.Background()
			for i, who := range []bot.Address{aliceTG, devTG} {
				wg.Go(func() {
					in := bot.Inbound{Company: f.co, From: who, Text: fmt.Sprintf("YES %d", n), ProviderID: fmt.Sprintf("race%d", i)}
					if err := f.bot.Handle(ctx, in); err != nil {
						t.Errorf("Handle = %v", err)
					}
				})
			}
			wg.Go(func() { late.FireDue(ctx, f.co) })
			wg.Wait()
			j := f.job(t, n)
			got := f.sent(t)
			assigned := 0
			for _, a := range j.Audit {
				if a.To == dispatch.StatusAssigned {
					assigned++
				}
			}
			switch {
			case j.Status == dispatch.StatusAssigned:
				if assigned != 1 || len(got[customer]) != 1 || !strings.Contains(got[customer][0], "Confirmed") {
					t.Fatalf("round %d: assigned %d times to %s; customer got %q", round, assigned, j.Tech, got[customer])
				}
			case j.Status == dispatch.StatusOffered:
				// Expiry won and dev's YES came before his offer existed.
				if assigned != 0 || len(got[customer]) != 0 || bot.Holder(j) != "dev" {
					t.Fatalf("round %d: offered to %q with %d assignments; customer got %q", round, bot.Holder(j), assigned, got[customer])
				}
			default:
				t.Fatalf("round %d: status %s", round, j.Status)
			}
		}
	})
}

// TestTimersFireOnceAcrossRunners lets two runners, as two instances would,
// fire the same due timers at once: each timer is finished exactly once and
// each job gets exactly one offer.
func TestTimersFireOnceAcrossRunners(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		ctx := context.Background()
		co, _ := f.cfg.Company(f.co)
		const jobs = 20
		for i := range jobs {
			req := conversation.Request{Problem: "dripping tap", Urgency: conversation.Routine, Trade: dispatch.Plumbing,
				Address: "5 Oak Street", Postcode: "M1 1AA", Name: "Sam"}
			if _, err := f.sched.Book(ctx, co, bot.Booking{Key: fmt.Sprint("k", i),
				Customer: bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+4477009006%02d", i)}, Request: req, At: monday9}); err != nil {
				t.Fatal(err)
			}
		}
		second := f.newRunner(f.clock.fn())
		var done atomic.Int64
		var wg sync.WaitGroup
		for _, r := range []*bot.TimerRunner{f.runner, second} {
			wg.Go(func() {
				for range 5 {
					done.Add(int64(r.FireDue(ctx, f.co)))
				}
			})
		}
		wg.Wait()
		if done.Load() != jobs {
			t.Errorf("timers finished %d times, want %d", done.Load(), jobs)
		}
		offers := 0
		for _, texts := range f.sent(t) {
			for _, m := range texts {
				if strings.Contains(m, "New job") {
					offers++
				}
			}
		}
		for i := range jobs {
			if j := f.job(t, int64(1001+i)); len(j.Offers) > 1 {
				t.Errorf("J-%d offered %d times", 1001+i, len(j.Offers))
			}
		}
		if offers > jobs {
			t.Errorf("%d offers sent for %d jobs", offers, jobs)
		}
	})
}

// emergencyOverRoutine books a routine job that Alice accepts, puts
// everyone else off duty, and at her slot books an emergency nearby; it
// returns the routine job's number, the emergency's customer and Alice's
// emergency offer, which pre-empts the routine job.
func emergencyOverRoutine(t *testing.T, f *deskFixture) (int64, bot.Address, string) {
	t.Helper()
	n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
	f.fire(t)
	f.say(t, aliceTG, "yes")
	f.say(t, devTG, "off")
	f.say(t, bot.Address{Channel: bot.Telegram, ID: "200003"}, "off") // carla could come from outside her areas
	f.clock.set(f.job(t, n).SlotStart.Add(5 * time.Minute))           // alice is at work, not yet on her way
	f.fire(t)                                                         // the reminders
	other := bot.Address{Channel: bot.SMS, ID: "+447700900777"}
	for _, text := range []string{"there's water pouring through the ceiling from a burst pipe", "9 Hope St, M1 2AB", "Jo", "yes"} {
		f.say(t, other, text)
	}
	offer := want(t, f.fire(t), aliceTG, "EMERGENCY", fmt.Sprintf("J-%d will be moved", n))
	return n, other, offer
}

// TestDeskEmergencyPreemptsRoutine: with nobody free, an emergency is
// offered to the nearest technician whose routine job has not started; when
// they accept, that job moves: its customer is told and offered new times,
// and the dispatcher is told.
func TestDeskEmergencyPreemptsRoutine(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n, other, emergency := emergencyOverRoutine(t, f)
		if j := f.job(t, n); j.Status != dispatch.StatusAssigned {
			t.Fatalf("routine job moved before the emergency was accepted: %s", j.Status)
		}
		got := f.say(t, aliceTG, "yes "+strings.Fields(emergency)[1][2:])
		want(t, got, other, "Alice")
		want(t, got, aliceTG, fmt.Sprintf("J-%d", n), "off your list")
		want(t, got, danaTG, "must move")
		bumped := f.job(t, n)
		if bumped.Status != dispatch.StatusNeedsReschedule || bumped.Tech != "" {
			t.Fatalf("routine job = %s tech %q, want needs_reschedule and no technician", bumped.Status, bumped.Tech)
		}
		got = f.fire(t) // the move timer, due at once
		want(t, got, customer, "need to move your visit")
		want(t, got, customer, "Reply 1")
	})
}

// TestDeskEmergencyPreemptionAskedAgain lets the pre-empted technician's
// emergency offer run out: with nobody free, they are asked once more (the
// dispatcher is told), and their late YES still moves the routine job.
func TestDeskEmergencyPreemptionAskedAgain(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n, other, first := emergencyOverRoutine(t, f)
		e := strings.Fields(first)[1][2:]
		f.clock.add(3 * time.Minute)
		got := f.fire(t)
		want(t, got, aliceTG, "ran out")
		want(t, got, aliceTG, "EMERGENCY", fmt.Sprintf("J-%d will be moved", n))
		want(t, got, danaTG, "nobody is free", "J-"+e)
		want(t, got, aliceTG, "asked once more")
		got = f.say(t, aliceTG, "yes "+e)
		want(t, got, other, "Alice")
		if j := f.job(t, n); j.Status != dispatch.StatusNeedsReschedule {
			t.Errorf("routine job after the second offer was taken: %s, want needs_reschedule", j.Status)
		}
	})
}

// TestDeskTechnicianTexts covers the rest of a technician's words: running
// late, their day in route order, going off and on duty, help, and handing
// a job back, which goes to the next technician and tells the dispatcher.
func TestDeskTechnicianTexts(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		f.fire(t)
		f.say(t, aliceTG, "yes")
		slot := f.job(t, n).SlotStart
		f.clock.set(slot.Add(-2 * time.Hour))
		if got := f.fire(t); len(got[customer]) != 0 {
			t.Errorf("an evening reminder fired late on the visit's day was sent: %q", got[customer])
		}
		day := f.say(t, aliceTG, "my jobs")
		want(t, day, aliceTG, "Your jobs today (1", fmt.Sprintf("J-%d", n), "5 Oak Street")
		want(t, f.say(t, aliceTG, "running 20 mins late"), customer, "about 20 minutes late")
		if j := f.job(t, n); j.Late != 20*time.Minute {
			t.Errorf("Late = %v, want 20m", j.Late)
		}
		want(t, f.say(t, aliceTG, "what?"), aliceTG, "Reply YES or NO")

		got := f.say(t, aliceTG, "can't make it, van broke down")
		want(t, got, aliceTG, "off your list")
		want(t, got, devTG, fmt.Sprintf("New job J-%d", n))
		want(t, got, danaTG, "Alice Smith can't make", "van broke down", "offered to dev")
		if j := f.job(t, n); j.Status != dispatch.StatusOffered || bot.Holder(j) != "dev" {
			t.Fatalf("after can't make it: %s held by %q", j.Status, bot.Holder(j))
		}

		want(t, f.say(t, devTG, "off"), devTG, "off duty")
		off, err := f.store.OffDuty(context.Background(), f.co)
		if err != nil || !off["dev"] {
			t.Fatalf("OffDuty = %v, %v; want dev", off, err)
		}
		want(t, f.say(t, devTG, "back on"), devTG, "on duty")
		if off, _ := f.store.OffDuty(context.Background(), f.co); off["dev"] {
			t.Error("dev still off duty after ON")
		}
		want(t, f.say(t, devTG, "done"), devTG, "no job to update")
	})
}

// TestDeskCustomerMovesAndCancels: a customer's R moves the booked job to a
// new slot, tells the technician who had it and matches it again; C then
// YES cancels it and tells the new technician.
func TestDeskCustomerMovesAndCancels(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		n := f.book(t, customer, "the bathroom tap has been dripping for a week, could someone come and replace the washer", "5 Oak Street, M1 1AA")
		f.fire(t)
		f.say(t, aliceTG, "yes")
		old := f.job(t, n).SlotStart
		want(t, f.say(t, customer, "R"), customer, "Reply 1")
		got := f.say(t, customer, "2")
		want(t, got, customer, "is now")
		want(t, got, aliceTG, fmt.Sprintf("J-%d has moved", n))
		j := f.job(t, n)
		if j.Status != dispatch.StatusNew || j.SlotStart.Equal(old) || j.Tech != "" {
			t.Fatalf("moved job = %s at %v (was %v), tech %q", j.Status, j.SlotStart, old, j.Tech)
		}
		got = f.fire(t)
		var holder bot.Address
		for who, texts := range got {
			if strings.Contains(strings.Join(texts, "\n"), fmt.Sprintf("New job J-%d", n)) {
				holder = who
			}
		}
		if holder == (bot.Address{}) {
			t.Fatalf("moved job not offered again; got %q", got)
		}
		f.say(t, holder, "yes")
		want(t, f.say(t, customer, "C"), customer, "Cancel job")
		got = f.say(t, customer, "yes")
		want(t, got, customer, "is cancelled")
		want(t, got, holder, "cancelled by the customer")
		if j := f.job(t, n); j.Status != dispatch.StatusCancelled {
			t.Errorf("status = %s, want cancelled", j.Status)
		}
	})
}

// TestDeskEmergencyReachesOutsideAreas: when nobody serving the area is
// free for an emergency, the nearest free technician of the trade within
// reach gets it, whatever areas they serve.
func TestDeskEmergencyReachesOutsideAreas(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newDeskFixture(t, b, b.Prefix)
		f.clock.set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) // Tuesday: carla works
		f.say(t, bot.Address{Channel: bot.Telegram, ID: "200003"}, "off")
		for _, text := range []string{"there's water pouring through the ceiling from a burst pipe", "3 Wilmslow Rd, M14 5AB", "Jo", "yes"} {
			f.say(t, customer, text)
		}
		got := f.fire(t)
		want(t, got, aliceTG, "EMERGENCY", "Area M14")
		if len(got[devTG]) != 0 {
			t.Errorf("dev, farther away, was offered it too: %q", got[devTG])
		}
	})
}
