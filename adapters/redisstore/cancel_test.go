package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

func TestScheduler_CancelFreesTheSlot(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		ten := slotAt(10)
		mustBook(t, sc, company, booking("SM1", plumbing(&ten)))
		id := mustBook(t, sc, company, booking("SM2", plumbing(&ten)))
		full := []conversation.Slot{slotAt(8), slotAt(12), slotAt(14)}
		if diff := cmp.Diff(full, mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)); diff != "" {
			t.Fatalf("Slots with 10:00 full (-want +got):\n%s", diff)
		}

		stranger := bot.Address{Channel: bot.SMS, ID: "+15550199"}
		if _, err := sc.Cancel(ctx, company, id, stranger, mondayPM); !errors.Is(err, bot.ErrNotCancellable) {
			t.Fatalf("Cancel by someone else = %v, want ErrNotCancellable", err)
		}
		if _, err := sc.Cancel(ctx, company, "J-999999", alice, mondayPM); !errors.Is(err, bot.ErrNotCancellable) {
			t.Fatalf("Cancel of a missing job = %v, want ErrNotCancellable", err)
		}
		for range 2 { // the second time changes nothing
			if _, err := sc.Cancel(ctx, company, id, alice, mondayPM); err != nil {
				t.Fatalf("Cancel = %v, want nil", err)
			}
		}
		want := []conversation.Slot{slotAt(8), slotAt(10), slotAt(12)}
		if diff := cmp.Diff(want, mustSlots(t, sc, company, plumbing(nil), mondayPM, 3)); diff != "" {
			t.Errorf("Slots after the cancellation (-want +got):\n%s", diff)
		}
		j, err := sc.FetchJob(ctx, co, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != dispatch.StatusCancelled || len(j.Audit) != 1 || j.Audit[0].By.ID != alice.String() {
			t.Errorf("job after Cancel = status %q, audit %+v; want cancelled with one entry by the customer", j.Status, j.Audit)
		}
	})
}

// TestScheduler_RescheduleMovesTheHold checks that a move takes the new slot
// only while it has a free technician, releases the old one, and leaves the
// slot load naming the job once.
func TestScheduler_RescheduleMovesTheHold(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		company := scheduleCompany(t)
		sc := redisstore.NewScheduler(newStore(t, b))
		eight, ten, twelve := slotAt(8), slotAt(10), slotAt(12)
		mustBook(t, sc, company, booking("RM1", plumbing(&ten)))
		second := mustBook(t, sc, company, booking("RM2", plumbing(&ten)))
		early := mustBook(t, sc, company, booking("RM3", plumbing(&eight)))

		if _, err := sc.Reschedule(ctx, company, early, alice, ten, mondayPM); !errors.Is(err, bot.ErrSlotTaken) {
			t.Fatalf("Reschedule into a full slot = %v, want ErrSlotTaken", err)
		}
		if _, err := sc.Reschedule(ctx, company, second, alice, eight, mondayPM); err != nil {
			t.Fatalf("Reschedule 10:00 → 08:00 = %v", err)
		}
		// 08:00 now holds both plumbers; 10:00 has one free.
		if diff := cmp.Diff([]conversation.Slot{slotAt(10), slotAt(12)}, mustSlots(t, sc, company, plumbing(nil), mondayPM, 2)); diff != "" {
			t.Errorf("Slots after the move (-want +got):\n%s", diff)
		}
		// Only ann works 12:00; the job may move there, and nobody after it.
		if _, err := sc.Reschedule(ctx, company, early, alice, twelve, mondayPM); err != nil {
			t.Fatalf("Reschedule 08:00 → 12:00 = %v", err)
		}
		if _, err := sc.Reschedule(ctx, company, second, alice, twelve, mondayPM); !errors.Is(err, bot.ErrSlotTaken) {
			t.Errorf("Reschedule into 12:00 held by the only plumber = %v, want ErrSlotTaken", err)
		}
		load := b.Client.HGetAll(ctx, key(b, "slotload:2026-06-02")).Val()
		want := map[string]string{
			fmt.Sprint(tuesdayAt(10).Unix(), ":1001"): "ann,dan",
			fmt.Sprint(tuesdayAt(8).Unix(), ":1002"):  "ann,dan",
			fmt.Sprint(tuesdayAt(12).Unix(), ":1003"): "ann",
		}
		if diff := cmp.Diff(want, load); diff != "" {
			t.Errorf("slot load (-want +got):\n%s", diff)
		}
	})
}
