package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/London wherever they run

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// weekdays is a week with the same spans Monday to Friday.
func weekdays(spans ...dispatch.Span) dispatch.Week {
	var w dispatch.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = spans
	}
	return w
}

// hoursSpan is the span from one whole hour of the day to another.
func hoursSpan(from, to int) dispatch.Span {
	return dispatch.Span{From: time.Duration(from) * time.Hour, To: time.Duration(to) * time.Hour}
}

// scheduleCompany is a small company like the demo one: on a weekday two
// plumbers serve M1 from 08:00 to 12:00 and one of them until 17:00.
func scheduleCompany(tb testing.TB) *config.Company {
	tb.Helper()
	return &config.Company{
		ID:          co,
		Location:    london,
		SlotMinutes: 120,
		Hours:       weekdays(hoursSpan(8, 18)),
		Technicians: []config.Technician{
			{ID: "ann", Trades: []dispatch.Trade{dispatch.Plumbing, dispatch.HVAC}, Areas: []string{"M1", "M2"},
				Hours: weekdays(hoursSpan(8, 17))},
			{ID: "dan", Trades: []dispatch.Trade{dispatch.Plumbing, dispatch.General}, Areas: []string{"M1"},
				Hours: weekdays(hoursSpan(8, 12))},
			{ID: "eve", Trades: []dispatch.Trade{dispatch.Electrical}, Areas: []string{"M1", "M13"},
				Hours: weekdays(hoursSpan(8, 17))},
		},
	}
}

// Times of the tests: Monday 1 June 2026 in London (BST) and the slots of
// the next day.
var (
	london, _ = time.LoadLocation("Europe/London") // embedded by time/tzdata
	mondayPM  = time.Date(2026, 6, 1, 15, 0, 0, 0, london)
	tuesdayAt = func(hour int) time.Time { return time.Date(2026, 6, 2, hour, 0, 0, 0, london) }
)

// slotAt is the two-hour slot from hour on Tuesday, in UTC as Slots returns it.
func slotAt(hour int) conversation.Slot {
	return conversation.Slot{Start: tuesdayAt(hour).UTC(), End: tuesdayAt(hour + 2).UTC()}
}

// plumbing is a routine plumbing request in M1; slot is nil or the chosen slot.
func plumbing(slot *conversation.Slot) conversation.Request {
	return conversation.Request{Problem: "dripping tap", Urgency: "routine", Trade: dispatch.Plumbing,
		Address: "1 Piccadilly, Manchester", Postcode: "M1 1AE", Name: "Pat", Slot: slot}
}

func booking(key string, req conversation.Request) bot.Booking {
	return bot.Booking{Key: key, Customer: alice, Request: req, At: mondayPM}
}

func mustBook(tb testing.TB, sc *redisstore.Scheduler, company *config.Company, b bot.Booking) string {
	tb.Helper()
	id, err := sc.Book(context.Background(), company, b)
	if err != nil {
		tb.Fatalf("Book(%q) = %v, want nil", b.Key, err)
	}
	return id
}

func mustSlots(tb testing.TB, sc *redisstore.Scheduler, company *config.Company, req conversation.Request, now time.Time, n int) []conversation.Slot {
	tb.Helper()
	got, err := sc.Slots(context.Background(), company, req, now, n)
	if err != nil {
		tb.Fatalf("Slots(%+v, %s, %d) = %v", req, now, n, err)
	}
	return got
}

func TestScheduler_Slots(t *testing.T) {
	company := scheduleCompany(t)
	mondayAM := time.Date(2026, 6, 1, 9, 30, 0, 0, london)
	mondaySlot := func(hour int) conversation.Slot {
		return conversation.Slot{Start: time.Date(2026, 6, 1, hour, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 1, hour+2, 0, 0, 0, time.UTC)}
	}
	with := func(f func(r *conversation.Request)) conversation.Request {
		r := plumbing(nil)
		f(&r)
		return r
	}
	cases := []struct {
		name string
		req  conversation.Request
		now  time.Time
		n    int
		want []conversation.Slot
	}{
		{"routine starts tomorrow", plumbing(nil), mondayAM, 3, []conversation.Slot{slotAt(8), slotAt(10), slotAt(12)}},
		{"urgent starts two hours from now", with(func(r *conversation.Request) { r.Urgency = "urgent" }), mondayAM, 3,
			[]conversation.Slot{mondaySlot(11), mondaySlot(13), slotAt(8)}}, // 12:00 and 14:00 BST
		{"emergency is not slotted", with(func(r *conversation.Request) { r.Urgency = "emergency" }), mondayAM, 3, nil},
		{"no urgency is routine", with(func(r *conversation.Request) { r.Urgency = "" }), mondayAM, 1, []conversation.Slot{slotAt(8)}},
		{"trade nobody does", with(func(r *conversation.Request) { r.Trade = dispatch.Cleaning }), mondayAM, 3, nil},
		{"out of area", with(func(r *conversation.Request) { r.Postcode = "M13 9PL" }), mondayAM, 3, nil},
		{"friday afternoon skips the weekend", plumbing(nil), time.Date(2026, 6, 5, 16, 0, 0, 0, london), 1,
			[]conversation.Slot{{Start: time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)}}},
		{"none asked for", plumbing(nil), mondayAM, 0, nil},
	}
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		sc := redisstore.NewScheduler(newStore(t, b))
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := mustSlots(t, sc, company, c.req, c.now, c.n)
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("Slots (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestScheduler_SlotsSkipsFullSlot(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		// 08:00 and 10:00 hold two plumbers, 12:00 one.
		ten := slotAt(10)
		mustBook(t, sc, company, booking("SM1", plumbing(&ten)))
		eight := slotAt(8)
		mustBook(t, sc, company, booking("SM2", plumbing(&eight)))
		if diff := cmp.Diff([]conversation.Slot{slotAt(8), slotAt(10), slotAt(12)},
			mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)); diff != "" {
			t.Errorf("Slots with one booking each at 08:00 and 10:00 (-want +got):\n%s", diff)
		}
		mustBook(t, sc, company, booking("SM3", plumbing(&ten)))
		if diff := cmp.Diff([]conversation.Slot{slotAt(8), slotAt(12), slotAt(14)},
			mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)); diff != "" {
			t.Errorf("Slots with 10:00 full (-want +got):\n%s", diff)
		}
		// Plumbing bookings cannot take the one electrician, so 08:00 and 10:00
		// stay open for electrical work.
		electrical := plumbing(nil)
		electrical.Trade = dispatch.Electrical
		if diff := cmp.Diff([]conversation.Slot{slotAt(8), slotAt(10)},
			mustSlots(t, sc, company, electrical, mondayPM, 2)); diff != "" {
			t.Errorf("electrical Slots (-want +got):\n%s", diff)
		}
		eightE := slotAt(8)
		mustBook(t, sc, company, booking("SM4", func() conversation.Request { r := electrical; r.Slot = &eightE; return r }()))
		if diff := cmp.Diff([]conversation.Slot{slotAt(10), slotAt(12)},
			mustSlots(t, sc, company, electrical, mondayPM, 2)); diff != "" {
			t.Errorf("electrical Slots with 08:00 taken (-want +got):\n%s", diff)
		}
		// Each booking records who could work it.
		load := b.Client.HGetAll(context.Background(), key(b, "slotload:2026-06-02")).Val()
		want := map[string]string{
			fmt.Sprint(tuesdayAt(10).Unix(), ":1001"): "ann,dan",
			fmt.Sprint(tuesdayAt(8).Unix(), ":1002"):  "ann,dan",
			fmt.Sprint(tuesdayAt(10).Unix(), ":1003"): "ann,dan",
			fmt.Sprint(tuesdayAt(8).Unix(), ":1004"):  "eve",
		}
		if diff := cmp.Diff(want, load); diff != "" {
			t.Errorf("slot load (-want +got):\n%s", diff)
		}
	})
}

// TestScheduler_TravelBuffer checks that a company's travel buffer spaces
// its slots and keeps a booked technician from the slot that starts before
// the buffer after the booking ends.
func TestScheduler_TravelBuffer(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		company.TravelBufferMinutes = 30
		company.Technicians = company.Technicians[:1] // ann: 08:00-17:00
		sc := redisstore.NewScheduler(newStore(t, b))
		at := func(h, m int) conversation.Slot {
			return conversation.Slot{Start: time.Date(2026, 6, 2, h, m, 0, 0, london).UTC(),
				End: time.Date(2026, 6, 2, h+2, m, 0, 0, london).UTC()}
		}
		if diff := cmp.Diff([]conversation.Slot{at(8, 0), at(10, 30), at(13, 0)},
			mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)); diff != "" {
			t.Errorf("Slots (-want +got):\n%s", diff)
		}
		// A slot laid end to end with a booking is refused: no time to drive.
		eight, ten := at(8, 0), at(10, 0)
		mustBook(t, sc, company, booking("TB1", plumbing(&eight)))
		if _, err := sc.Book(context.Background(), company, booking("TB2", plumbing(&ten))); !errors.Is(err, bot.ErrSlotTaken) {
			t.Errorf("Book(10:00 after an 08:00 booking) = %v, want ErrSlotTaken", err)
		}
		if diff := cmp.Diff([]conversation.Slot{at(10, 30), at(13, 0)},
			mustSlots(t, sc, company, plumbing(nil), mondayPM, 2)); diff != "" {
			t.Errorf("Slots after booking 08:00 (-want +got):\n%s", diff)
		}
	})
}

func TestScheduler_BookNumbersAndFetch(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		ctx := context.Background()
		slot := slotAt(8)
		req := plumbing(&slot)
		req.Access, req.MakeModel, req.ErrorCode, req.Details = "side gate", "Bristan", "E1", "drips all night"
		req.Photos, req.Fee, req.FeeAgreed = []string{"https://example.com/tap.jpg"}, 80, true
		if got := mustBook(t, sc, company, booking("SM1", req)); got != "J-1001" {
			t.Errorf("first Book = %q, want J-1001", got)
		}
		if got := mustBook(t, sc, company, booking("SM2", plumbing(nil))); got != "J-1002" {
			t.Errorf("second Book = %q, want J-1002", got)
		}
		want := dispatch.Job{
			ID: "J-1001", Number: 1001, Company: co, Status: dispatch.StatusNew, Urgency: "routine",
			Trade: dispatch.Plumbing, Problem: "dripping tap", Address: "1 Piccadilly, Manchester", Postcode: "M1 1AE",
			Name: "Pat", Access: "side gate", MakeModel: "Bristan", ErrorCode: "E1", Details: "drips all night",
			Photos: []string{"https://example.com/tap.jpg"}, Customer: "sms:+15550100",
			SlotStart: tuesdayAt(8), SlotEnd: tuesdayAt(10), Fee: 80, FeeAgreed: true, Created: mondayPM,
		}
		for _, id := range []string{"J-1001", "j-1001", "1001"} {
			got, err := sc.FetchJob(ctx, co, id)
			if err != nil {
				t.Fatalf("FetchJob(%q) = %v", id, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FetchJob(%q) (-want +got):\n%s", id, diff)
			}
			if got.Created.Location() != time.UTC || got.SlotStart.Location() != time.UTC {
				t.Errorf("FetchJob(%q) times in %v and %v, want UTC", id, got.Created.Location(), got.SlotStart.Location())
			}
		}
		for _, id := range []string{"J-1003", "J-0", "nonsense", ""} {
			if _, err := sc.FetchJob(ctx, co, id); !errors.Is(err, redisstore.ErrNotFound) {
				t.Errorf("FetchJob(%q) = %v, want ErrNotFound", id, err)
			}
		}
		if _, err := sc.FetchJob(ctx, "other", "J-1001"); !errors.Is(err, redisstore.ErrNotFound) {
			t.Errorf("FetchJob of another company = %v, want ErrNotFound", err)
		}

		// Each company numbers its own jobs.
		other := scheduleCompany(t)
		other.ID = "other"
		if got := mustBook(t, sc, other, booking("SM1", plumbing(nil))); got != "J-1001" {
			t.Errorf("first Book of another company = %q, want J-1001", got)
		}
	})
}

func TestScheduler_BookIdempotent(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		noon := slotAt(12) // one plumber works it
		first := mustBook(t, sc, company, booking("SM1", plumbing(&noon)))
		again := mustBook(t, sc, company, booking("SM1", plumbing(&noon)))
		if first != "J-1001" || again != first {
			t.Errorf("Book twice with one key = %q then %q, want J-1001 both times", first, again)
		}
		if n := b.Client.ZCard(context.Background(), key(b, "jobs")).Val(); n != 1 {
			t.Errorf("jobs after booking one key twice = %d, want 1", n)
		}
		// The retry held no second place: the slot has one, and it is taken.
		if _, err := sc.Book(context.Background(), company, booking("SM2", plumbing(&noon))); !errors.Is(err, bot.ErrSlotTaken) {
			t.Errorf("Book of the full slot with a new key = %v, want ErrSlotTaken", err)
		}
		// A retry still answers with its job once the slot is full.
		if got := mustBook(t, sc, company, booking("SM1", plumbing(&noon))); got != first {
			t.Errorf("Book retried after the slot filled = %q, want %q", got, first)
		}
	})
}

func TestScheduler_BookRejects(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		ctx := context.Background()
		slot := func(start time.Time) *conversation.Slot {
			return &conversation.Slot{Start: start, End: start.Add(2 * time.Hour)}
		}
		for _, c := range []struct {
			name string
			slot *conversation.Slot
		}{
			{"not aligned", slot(tuesdayAt(9))},
			{"leftover after the last slot", slot(tuesdayAt(16))},
			{"nobody works", slot(time.Date(2026, 6, 6, 10, 0, 0, 0, london))},
			{"already started", slot(time.Date(2026, 6, 1, 14, 0, 0, 0, london))},
		} {
			t.Run(c.name, func(t *testing.T) {
				if _, err := sc.Book(ctx, company, booking("SM-"+c.name, plumbing(c.slot))); !errors.Is(err, bot.ErrSlotTaken) {
					t.Errorf("Book(%s) = %v, want ErrSlotTaken", c.slot.Start, err)
				}
			})
		}
		if _, err := sc.Book(ctx, company, booking("", plumbing(nil))); err == nil || errors.Is(err, bot.ErrSlotTaken) {
			t.Errorf("Book without a key = %v, want an error other than ErrSlotTaken", err)
		}
		bad := *company
		bad.ID = "a{b}"
		if _, err := sc.Book(ctx, &bad, booking("SM1", plumbing(nil))); err == nil {
			t.Error("Book for a company id with braces = nil, want an error")
		}
		if got := scanKeys(t, b); len(got) != 0 {
			t.Errorf("keys after rejected bookings = %q, want none", got)
		}
	})
}

func TestScheduler_BookEmergency(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		req := conversation.Request{Problem: "burst pipe, water everywhere", Urgency: "emergency",
			Trade: dispatch.Plumbing, Address: "1 Piccadilly", Postcode: "M1 1AE", Fee: 150, FeeAgreed: true}
		bk := bot.Booking{Key: "SM9", Customer: bot.Address{Channel: bot.Telegram, ID: "4242"}, Request: req,
			At: time.Date(2026, 6, 6, 23, 0, 0, 0, london)} // Saturday night: nobody is on the rota
		id := mustBook(t, sc, company, bk)
		got, err := sc.FetchJob(context.Background(), co, id)
		if err != nil {
			t.Fatalf("FetchJob(%q) = %v", id, err)
		}
		want := dispatch.Job{ID: "J-1001", Number: 1001, Company: co, Status: dispatch.StatusNew, Urgency: "emergency",
			Trade: dispatch.Plumbing, Problem: "burst pipe, water everywhere", Address: "1 Piccadilly", Postcode: "M1 1AE",
			Customer: "telegram:4242", Fee: 150, FeeAgreed: true, Created: bk.At}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("emergency job (-want +got):\n%s", diff)
		}
	})
}

// race books the same slot under n different keys at once and returns the
// job ids booked and the number of ErrSlotTaken answers.
func race(tb testing.TB, sc *redisstore.Scheduler, company *config.Company, slot conversation.Slot, n int) (ids []string, taken int) {
	tb.Helper()
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for i := range n {
		wg.Go(func() {
			id, err := sc.Book(context.Background(), company, booking("race-"+strconv.Itoa(i), plumbing(&slot)))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ids = append(ids, id)
			case errors.Is(err, bot.ErrSlotTaken):
				taken++
			default:
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatalf("racing Book: %v", err)
	}
	slices.Sort(ids)
	return ids, taken
}

func TestScheduler_BookRace(t *testing.T) {
	cases := []struct {
		name      string
		slot      conversation.Slot
		n         int
		wantIDs   []string
		wantTaken int
	}{
		{"two for one place", slotAt(12), 2, []string{"J-1001"}, 1},
		{"twenty for two places", slotAt(8), 20, []string{"J-1001", "J-1002"}, 18},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			redistest.Each(t, func(t *testing.T, b redistest.Backend) {
				company := scheduleCompany(t)
				sc := redisstore.NewScheduler(newStore(t, b))
				ids, taken := race(t, sc, company, c.slot, c.n)
				if !cmp.Equal(ids, c.wantIDs) || taken != c.wantTaken {
					t.Errorf("%d racing Books = %q and %d ErrSlotTaken, want %q and %d", c.n, ids, taken, c.wantIDs, c.wantTaken)
				}
				if n := b.Client.ZCard(context.Background(), key(b, "jobs")).Val(); n != int64(len(c.wantIDs)) {
					t.Errorf("jobs after the race = %d, want %d", n, len(c.wantIDs))
				}
			})
		})
	}
}

// TestScheduler_BookOverlapping books slots that overlap because two
// technicians start at different times: ann works 08:00-17:00 and dan
// 07:30-12:30, so 07:30-09:30 and 08:00-10:00 share dan.
func TestScheduler_BookOverlapping(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		company.Technicians[1].Hours = weekdays(dispatch.Span{From: 7*time.Hour + 30*time.Minute, To: 12*time.Hour + 30*time.Minute})
		sc := redisstore.NewScheduler(newStore(t, b))
		ctx := context.Background()
		early := conversation.Slot{Start: tuesdayAt(8).Add(-30 * time.Minute).UTC(), End: tuesdayAt(9).Add(30 * time.Minute).UTC()}
		if diff := cmp.Diff([]conversation.Slot{early, slotAt(8)}, mustSlots(t, sc, company, plumbing(nil), mondayPM, 2)); diff != "" {
			t.Fatalf("Slots (-want +got):\n%s", diff)
		}
		mustBook(t, sc, company, booking("SM1", plumbing(&early)))
		eight := slotAt(8)
		mustBook(t, sc, company, booking("SM2", plumbing(&eight)))
		if _, err := sc.Book(ctx, company, booking("SM3", plumbing(&eight))); !errors.Is(err, bot.ErrSlotTaken) {
			t.Errorf("Book of 08:00 with 07:30 and 08:00 held = %v, want ErrSlotTaken", err)
		}
		ninethirty := conversation.Slot{Start: early.End, End: early.End.Add(2 * time.Hour)}
		if diff := cmp.Diff([]conversation.Slot{ninethirty, slotAt(10)}, mustSlots(t, sc, company, plumbing(nil), mondayPM, 2)); diff != "" {
			t.Errorf("Slots after booking 07:30 and 08:00 (-want +got):\n%s", diff)
		}
	})
}

func TestScheduler_KeysShareHashTag(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		ctx := context.Background()
		slot := slotAt(8)
		mustBook(t, sc, company, booking("SM1", plumbing(&slot)))
		mustBook(t, sc, company, booking("SM2", conversation.Request{Urgency: "emergency", Trade: dispatch.Plumbing}))
		mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)

		got := scanKeys(t, b)
		for _, k := range got {
			if !strings.Contains(k, "{"+co+"}") {
				t.Errorf("key %q lacks the hash tag {%s}", k, co)
			}
		}
		var want []string
		for _, suffix := range []string{"booking:SM1", "booking:SM2", "job:1001", "job:1002", "jobs", "jobseq",
			"open", "slotload:2026-06-02", "timers"} {
			want = append(want, key(b, suffix))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("keys of %s (-want +got):\n%s", co, diff)
		}
		for _, k := range []struct {
			suffix   string
			min, max time.Duration
		}{
			{"booking:SM1", 7*24*time.Hour - time.Minute, 7 * 24 * time.Hour},
			// Kept until three days after Tuesday 2 June, counted from the booking.
			{"slotload:2026-06-02", 0, time.Date(2026, 6, 5, 0, 0, 0, 0, london).Sub(mondayPM)},
		} {
			ttl, err := b.Client.PTTL(ctx, key(b, k.suffix)).Result()
			if err != nil || ttl <= k.min || ttl > k.max {
				t.Errorf("PTTL(%s) = %v, %v, want in (%v, %v]", k.suffix, ttl, err, k.min, k.max)
			}
		}
		for _, suffix := range []string{"job:1001", "jobs", "jobseq"} {
			if ttl := b.Client.PTTL(ctx, key(b, suffix)).Val(); ttl >= 0 {
				t.Errorf("PTTL(%s) = %v, want no expiry", suffix, ttl)
			}
		}
	})
}
