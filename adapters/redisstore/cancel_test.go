package redisstore_test

import (
	"context"
	"errors"
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
