package dispatch_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

var (
	lifeT0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

	actCustomer   = dispatch.Actor{Kind: dispatch.ActorCustomer, ID: "sms:+447700900123"}
	actAlice      = dispatch.Actor{Kind: dispatch.ActorTechnician, ID: "alice"}
	actBob        = dispatch.Actor{Kind: dispatch.ActorTechnician, ID: "bob"}
	actDispatcher = dispatch.Actor{Kind: dispatch.ActorDispatcher, ID: "dana"}
	actSystem     = dispatch.Actor{Kind: dispatch.ActorSystem}

	lifeActors = []dispatch.Actor{actCustomer, actAlice, actDispatcher, actSystem}
)

// lifeAllowed is the lifecycle spelt out by hand, as "from>to" → actor kinds.
var lifeAllowed = map[string][]string{
	"new>cancelled":              {"customer", "dispatcher"},
	"new>needs_reschedule":       {"customer", "dispatcher"},
	"offered>assigned":           {"technician", "dispatcher", "system"},
	"offered>new":                {"technician", "dispatcher", "system"},
	"offered>cancelled":          {"customer", "dispatcher"},
	"offered>needs_reschedule":   {"customer", "dispatcher"},
	"assigned>en_route":          {"technician", "dispatcher"},
	"assigned>new":               {"technician", "dispatcher"},
	"assigned>cancelled":         {"customer", "dispatcher"},
	"assigned>needs_reschedule":  {"customer", "dispatcher", "system"},
	"en_route>on_site":           {"technician", "dispatcher"},
	"en_route>new":               {"technician", "dispatcher"},
	"en_route>cancelled":         {"customer", "dispatcher"},
	"en_route>no_show":           {"technician", "dispatcher"},
	"en_route>needs_reschedule":  {"customer", "dispatcher", "system"},
	"on_site>done":               {"technician", "dispatcher"},
	"on_site>cancelled":          {"dispatcher"},
	"on_site>no_show":            {"technician", "dispatcher"},
	"on_site>needs_reschedule":   {"technician", "dispatcher"},
	"needs_reschedule>new":       {"customer", "dispatcher", "system"},
	"needs_reschedule>cancelled": {"customer", "dispatcher", "system"},
}

func lifeWantAllowed(from, to, kind string) bool {
	for _, k := range lifeAllowed[from+">"+to] {
		if k == kind {
			return true
		}
	}
	return false
}

// lifeJob returns job J-1001 in status st, as it would be there: alice holds
// it once assigned, and an offered job waits for alice's answer until ten
// minutes after lifeT0.
func lifeJob(tb testing.TB, st string) dispatch.Job {
	tb.Helper()
	j := dispatch.Job{ID: "J-1001", Number: 1001, Company: "acme", Status: st, Urgency: "routine",
		Customer: "sms:+447700900123", Created: lifeT0.Add(-time.Hour)}
	switch st {
	case dispatch.StatusOffered:
		j.Offers = []dispatch.Offer{{Tech: "alice", At: lifeT0.Add(-time.Minute), Expires: lifeT0.Add(10 * time.Minute)}}
	case dispatch.StatusAssigned, dispatch.StatusEnRoute, dispatch.StatusOnSite,
		dispatch.StatusDone, dispatch.StatusNoShow:
		j.Tech = "alice"
	}
	return j
}

func TestAllowed(t *testing.T) {
	for _, from := range dispatch.Statuses {
		for _, to := range dispatch.Statuses {
			for _, a := range lifeActors {
				want := lifeWantAllowed(from, to, a.Kind)
				if got := dispatch.Allowed(from, to, a.Kind); got != want {
					t.Errorf("Allowed(%q, %q, %q) = %v, want %v", from, to, a.Kind, got, want)
				}
			}
		}
	}
	if dispatch.Allowed("new", "cancelled", "stranger") {
		t.Errorf("Allowed(new, cancelled, stranger) = true, want false")
	}
}

// TestTransition_everyPair tries every status pair with every kind of
// actor: the allowed ones succeed with one audit entry, the rest fail with
// ErrBadTransition and change nothing.
func TestTransition_everyPair(t *testing.T) {
	for _, from := range dispatch.Statuses {
		for _, to := range dispatch.Statuses {
			for _, a := range lifeActors {
				t.Run(from+">"+to+"/"+a.Kind, func(t *testing.T) {
					j := lifeJob(t, from)
					got, err := dispatch.Transition(j, to, a, "because", lifeT0)
					if !lifeWantAllowed(from, to, a.Kind) {
						if !errors.Is(err, dispatch.ErrBadTransition) {
							t.Fatalf("Transition(%s, %s, %v) = %v, want ErrBadTransition", from, to, a, err)
						}
						if diff := cmp.Diff(j, got); diff != "" {
							t.Errorf("Transition(%s, %s, %v) changed the job (-want +got):\n%s", from, to, a, diff)
						}
						return
					}
					if err != nil {
						t.Fatalf("Transition(%s, %s, %v) = %v, want nil", from, to, a, err)
					}
					if got.Status != to {
						t.Errorf("Transition(%s, %s, %v).Status = %q, want %q", from, to, a, got.Status, to)
					}
					want := []dispatch.AuditEntry{{At: lifeT0, By: a, From: from, To: to, Why: "because"}}
					if diff := cmp.Diff(want, got.Audit); diff != "" {
						t.Errorf("Transition(%s, %s, %v).Audit (-want +got):\n%s", from, to, a, diff)
					}
				})
			}
		}
	}
}

func TestTransition(t *testing.T) {
	late := func(j dispatch.Job) dispatch.Job { j.Late = 20 * time.Minute; return j }
	withOffer := func(j dispatch.Job, answer string) dispatch.Job {
		j.Offers = []dispatch.Offer{{Tech: "alice", At: lifeT0.Add(-time.Minute), Expires: lifeT0.Add(10 * time.Minute), Answer: answer}}
		return j
	}
	moved := func(j dispatch.Job, by dispatch.Actor, to, why, tech string) dispatch.Job {
		j.Audit = append(j.Audit, dispatch.AuditEntry{At: lifeT0, By: by, From: j.Status, To: to, Why: why})
		j.Status, j.Tech = to, tech
		return j
	}
	cases := []struct {
		name string
		job  dispatch.Job
		to   string
		by   dispatch.Actor
		why  string
		want dispatch.Job
	}{
		{"tech accepts their offer", lifeJob(t, "offered"), "assigned", actAlice, "accepted",
			moved(withOffer(lifeJob(t, "offered"), "yes"), actAlice, "assigned", "accepted", "alice")},
		{"tech declines their offer", lifeJob(t, "offered"), "new", actAlice, "declined",
			moved(withOffer(lifeJob(t, "offered"), "no"), actAlice, "new", "declined", "")},
		{"dispatcher accepts for the tech", lifeJob(t, "offered"), "assigned", actDispatcher, "by phone",
			moved(withOffer(lifeJob(t, "offered"), "yes"), actDispatcher, "assigned", "by phone", "alice")},
		{"dispatcher withdraws the offer", lifeJob(t, "offered"), "new", actDispatcher, "wrong tech",
			moved(withOffer(lifeJob(t, "offered"), "expired"), actDispatcher, "new", "wrong tech", "")},
		{"customer cancels while offered", lifeJob(t, "offered"), "cancelled", actCustomer, "C",
			moved(withOffer(lifeJob(t, "offered"), "expired"), actCustomer, "cancelled", "C", "")},
		{"on my way", lifeJob(t, "assigned"), "en_route", actAlice, "omw",
			moved(lifeJob(t, "assigned"), actAlice, "en_route", "omw", "alice")},
		{"can't make it goes back to matching", late(lifeJob(t, "en_route")), "new", actAlice, "can't make it",
			moved(lifeJob(t, "en_route"), actAlice, "new", "can't make it", "")},
		{"pre-emption clears the tech", lifeJob(t, "assigned"), "needs_reschedule", actSystem, "emergency J-1002",
			moved(lifeJob(t, "assigned"), actSystem, "needs_reschedule", "emergency J-1002", "")},
		{"done keeps the tech", late(lifeJob(t, "on_site")), "done", actAlice, "fixed",
			moved(late(lifeJob(t, "on_site")), actAlice, "done", "fixed", "alice")},
		{"customer cancels an assigned job", lifeJob(t, "assigned"), "cancelled", actCustomer, "C",
			moved(lifeJob(t, "assigned"), actCustomer, "cancelled", "C", "alice")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dispatch.Transition(c.job, c.to, c.by, c.why, lifeT0)
			if err != nil {
				t.Fatalf("Transition(%s, %s, %v) = %v, want nil", c.job.Status, c.to, c.by, err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Transition(%s, %s, %v) (-want +got):\n%s", c.job.Status, c.to, c.by, diff)
			}
		})
	}
}

func TestTransition_errors(t *testing.T) {
	expired := lifeJob(t, "offered")
	cases := []struct {
		name    string
		job     dispatch.Job
		to      string
		by      dispatch.Actor
		at      time.Time
		wantErr error
		wantMsg string
	}{
		{"done is final", lifeJob(t, "done"), "en_route", actAlice, lifeT0, dispatch.ErrBadTransition,
			"job J-1001 cannot go from done to en_route"},
		{"another tech's job", lifeJob(t, "assigned"), "en_route", actBob, lifeT0, dispatch.ErrBadTransition,
			"job J-1001 is not assigned to bob"},
		{"tech on a job with no tech", dispatch.Job{ID: "J-1001", Status: "assigned"}, "en_route", actAlice, lifeT0, dispatch.ErrBadTransition,
			"job J-1001 is not assigned to alice"},
		{"accepting another tech's offer", lifeJob(t, "offered"), "assigned", actBob, lifeT0, dispatch.ErrOfferClosed, ""},
		{"accepting after expiry", expired, "assigned", actAlice, lifeT0.Add(10 * time.Minute), dispatch.ErrOfferClosed, ""},
		{"dispatcher accepting an expired offer", expired, "assigned", actDispatcher, lifeT0.Add(time.Hour), dispatch.ErrOfferClosed, ""},
		{"no actor", lifeJob(t, "new"), "cancelled", dispatch.Actor{}, lifeT0, dispatch.ErrBadTransition, "by nobody"},
		{"unknown status", lifeJob(t, "assigned"), "teleported", actDispatcher, lifeT0, dispatch.ErrBadTransition, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dispatch.Transition(c.job, c.to, c.by, "", c.at)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Transition(%s, %s, %v) = %v, want %v", c.job.Status, c.to, c.by, err, c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("Transition(%s, %s, %v) = %q, want it to say %q", c.job.Status, c.to, c.by, err, c.wantMsg)
			}
			if diff := cmp.Diff(c.job, got); diff != "" {
				t.Errorf("Transition(%s, %s, %v) changed the job (-want +got):\n%s", c.job.Status, c.to, c.by, diff)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	offeredTo := func(tech string) dispatch.Job {
		j := lifeJob(t, "new")
		j.Status = "offered"
		j.Offers = []dispatch.Offer{{Tech: tech, At: lifeT0, Expires: lifeT0.Add(time.Minute)}}
		return j
	}
	cases := []struct {
		name       string
		job        dispatch.Job
		tech       string
		by         dispatch.Actor
		wantErr    error
		wantAnswer string // of the job's last offer
	}{
		{"new job", lifeJob(t, "new"), "bob", actDispatcher, nil, ""},
		{"needs reschedule", lifeJob(t, "needs_reschedule"), "bob", actSystem, nil, ""},
		{"reassign", lifeJob(t, "assigned"), "bob", actDispatcher, nil, ""},
		{"offered to someone else", offeredTo("alice"), "bob", actDispatcher, nil, "expired"},
		{"offered to the same tech", offeredTo("bob"), "bob", actDispatcher, nil, "yes"},
		{"already theirs", lifeJob(t, "assigned"), "alice", actDispatcher, dispatch.ErrBadTransition, ""},
		{"no tech", lifeJob(t, "new"), "", actDispatcher, dispatch.ErrBadTransition, ""},
		{"by a technician", lifeJob(t, "new"), "alice", actAlice, dispatch.ErrBadTransition, ""},
		{"by a customer", lifeJob(t, "new"), "alice", actCustomer, dispatch.ErrBadTransition, ""},
		{"under way", lifeJob(t, "en_route"), "bob", actDispatcher, dispatch.ErrBadTransition, ""},
		{"done", lifeJob(t, "done"), "bob", actDispatcher, dispatch.ErrBadTransition, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dispatch.Assign(c.job, c.tech, c.by, "nearest", lifeT0)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Assign(%s, %q, %v) = %v, want %v", c.job.Status, c.tech, c.by, err, c.wantErr)
			}
			want := c.job
			if c.wantErr == nil {
				want.Status, want.Tech = "assigned", c.tech
				want.Audit = []dispatch.AuditEntry{{At: lifeT0, By: c.by, From: c.job.Status, To: "assigned", Why: "nearest"}}
				if len(want.Offers) > 0 {
					want.Offers = []dispatch.Offer{want.Offers[0]}
					want.Offers[0].Answer = c.wantAnswer
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Assign(%s, %q, %v) (-want +got):\n%s", c.job.Status, c.tech, c.by, diff)
			}
		})
	}
}

func TestOfferJob(t *testing.T) {
	now, exp := lifeT0, lifeT0.Add(5*time.Minute)
	withOffers := func(st string, offers ...dispatch.Offer) dispatch.Job {
		j := lifeJob(t, "new")
		j.Status, j.Offers = st, offers
		return j
	}
	declined := dispatch.Offer{Tech: "alice", At: lifeT0.Add(-time.Hour), Expires: lifeT0.Add(-50 * time.Minute), Answer: "no"}
	lapsed := dispatch.Offer{Tech: "alice", At: lifeT0.Add(-time.Hour), Expires: lifeT0.Add(-50 * time.Minute), Answer: "expired"}
	stale := dispatch.Offer{Tech: "alice", At: lifeT0.Add(-time.Hour), Expires: lifeT0}
	waiting := dispatch.Offer{Tech: "alice", At: lifeT0.Add(-time.Minute), Expires: lifeT0.Add(time.Minute)}
	cases := []struct {
		name      string
		job       dispatch.Job
		tech      string
		expires   time.Time
		wantErr   error
		wantAudit []string // "from>to" of the entries added
	}{
		{"new job", lifeJob(t, "new"), "bob", exp, nil, []string{"new>offered"}},
		{"needs reschedule", lifeJob(t, "needs_reschedule"), "bob", exp, nil, []string{"needs_reschedule>offered"}},
		{"after a decline", withOffers("new", declined), "bob", exp, nil, []string{"new>offered"}},
		{"stale offer expires first", withOffers("offered", stale), "bob", exp, nil, []string{"offered>new", "new>offered"}},
		{"offer pending", withOffers("offered", waiting), "bob", exp, dispatch.ErrOfferPending, nil},
		{"declined before", withOffers("new", declined), "alice", exp, dispatch.ErrOffered, nil},
		{"let it expire once", withOffers("new", lapsed), "alice", exp, nil, []string{"new>offered"}},
		{"let it expire, not yet marked", withOffers("offered", stale), "alice", exp, nil, []string{"offered>new", "new>offered"}},
		{"let it expire twice", withOffers("new", lapsed, lapsed), "alice", exp, dispatch.ErrOffered, nil},
		{"assigned", lifeJob(t, "assigned"), "bob", exp, dispatch.ErrBadTransition, nil},
		{"cancelled", lifeJob(t, "cancelled"), "bob", exp, dispatch.ErrBadTransition, nil},
		{"no tech", lifeJob(t, "new"), "", exp, dispatch.ErrBadTransition, nil},
		{"expires at once", lifeJob(t, "new"), "bob", now, dispatch.ErrBadTransition, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dispatch.OfferJob(c.job, c.tech, now, c.expires)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("OfferJob(%s, %q) = %v, want %v", c.job.Status, c.tech, err, c.wantErr)
			}
			if err != nil {
				if diff := cmp.Diff(c.job, got); diff != "" {
					t.Errorf("OfferJob(%s, %q) changed the job (-want +got):\n%s", c.job.Status, c.tech, diff)
				}
				return
			}
			if got.Status != "offered" || got.Tech != "" {
				t.Errorf("OfferJob(%s, %q) status, tech = %q, %q, want offered, none", c.job.Status, c.tech, got.Status, got.Tech)
			}
			o, ok := got.PendingOffer(now)
			if want := (dispatch.Offer{Tech: c.tech, At: now, Expires: c.expires}); !ok || o != want {
				t.Errorf("OfferJob(%s, %q).PendingOffer = %v, %v, want %v, true", c.job.Status, c.tech, o, ok, want)
			}
			var audit []string
			for _, e := range got.Audit {
				audit = append(audit, e.From+">"+e.To)
			}
			if diff := cmp.Diff(c.wantAudit, audit); diff != "" {
				t.Errorf("OfferJob(%s, %q).Audit (-want +got):\n%s", c.job.Status, c.tech, diff)
			}
			if n := len(c.job.Offers); n > 0 && got.Offers[n-1].Answer == "" {
				t.Errorf("OfferJob(%s, %q) left the earlier offer %v unanswered", c.job.Status, c.tech, got.Offers[n-1])
			}
		})
	}
}

func TestAnswer(t *testing.T) {
	offered := lifeJob(t, "offered") // to alice until lifeT0+10m
	cases := []struct {
		name       string
		tech       string
		answer     string
		at         time.Time
		wantErr    error
		wantStatus string
		wantTech   string
	}{
		{"yes", "alice", "yes", lifeT0, nil, "assigned", "alice"},
		{"yes a second before expiry", "alice", "yes", lifeT0.Add(10*time.Minute - time.Second), nil, "assigned", "alice"},
		{"no", "alice", "no", lifeT0, nil, "new", ""},
		{"yes at expiry", "alice", "yes", lifeT0.Add(10 * time.Minute), dispatch.ErrOfferClosed, "", ""},
		{"no after expiry", "alice", "no", lifeT0.Add(time.Hour), dispatch.ErrOfferClosed, "", ""},
		{"yes from someone else", "bob", "yes", lifeT0, dispatch.ErrOfferClosed, "", ""},
		{"no from someone else", "bob", "no", lifeT0, dispatch.ErrOfferClosed, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dispatch.Answer(offered, c.tech, c.answer, c.at)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Answer(%q, %q) = %v, want %v", c.tech, c.answer, err, c.wantErr)
			}
			if err != nil {
				if diff := cmp.Diff(offered, got); diff != "" {
					t.Errorf("Answer(%q, %q) changed the job (-want +got):\n%s", c.tech, c.answer, diff)
				}
				return
			}
			if got.Status != c.wantStatus || got.Tech != c.wantTech {
				t.Errorf("Answer(%q, %q) status, tech = %q, %q, want %q, %q", c.tech, c.answer, got.Status, got.Tech, c.wantStatus, c.wantTech)
			}
			if a := got.Offers[0].Answer; a != c.answer {
				t.Errorf("Answer(%q, %q) left the offer answered %q", c.tech, c.answer, a)
			}
			by := dispatch.Actor{Kind: "technician", ID: c.tech}
			if e := got.Audit[len(got.Audit)-1]; e.By != by || e.At != c.at || e.From != "offered" || e.To != c.wantStatus {
				t.Errorf("Answer(%q, %q) audit entry = %+v", c.tech, c.answer, e)
			}
			if offered.Offers[0].Answer != "" {
				t.Errorf("Answer(%q, %q) wrote through to the caller's offers", c.tech, c.answer)
			}
		})
	}
	if _, err := dispatch.Answer(offered, "alice", "maybe", lifeT0); err == nil {
		t.Errorf(`Answer("alice", "maybe") = nil, want an error`)
	}
	if _, err := dispatch.Answer(lifeJob(t, "new"), "alice", "yes", lifeT0); !errors.Is(err, dispatch.ErrOfferClosed) {
		t.Errorf(`Answer(new job, "alice", "yes") = %v, want ErrOfferClosed`, err)
	}
}

func TestAnswer_doubleAccept(t *testing.T) {
	won, err := dispatch.Answer(lifeJob(t, "offered"), "alice", "yes", lifeT0)
	if err != nil {
		t.Fatalf("first Answer(yes) = %v, want nil", err)
	}
	for _, tech := range []string{"alice", "bob"} {
		got, err := dispatch.Answer(won, tech, "yes", lifeT0.Add(time.Second))
		if !errors.Is(err, dispatch.ErrOfferClosed) {
			t.Errorf("second Answer(%q, yes) = %v, want ErrOfferClosed", tech, err)
		}
		if got.Tech != "alice" || got.Status != "assigned" {
			t.Errorf("second Answer(%q, yes) tech, status = %q, %q, want alice, assigned", tech, got.Tech, got.Status)
		}
	}
}

func TestExpireOffer(t *testing.T) {
	offered := lifeJob(t, "offered") // to alice until lifeT0+10m
	answered, err := dispatch.Answer(offered, "alice", "yes", lifeT0)
	if err != nil {
		t.Fatalf("Answer(yes) = %v", err)
	}
	cases := []struct {
		name string
		job  dispatch.Job
		at   time.Time
		want bool
	}{
		{"before expiry", offered, lifeT0.Add(10*time.Minute - time.Nanosecond), false},
		{"at expiry", offered, lifeT0.Add(10 * time.Minute), true},
		{"long after", offered, lifeT0.Add(time.Hour), true},
		{"answered", answered, lifeT0.Add(time.Hour), false},
		{"never offered", lifeJob(t, "new"), lifeT0.Add(time.Hour), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := dispatch.ExpireOffer(c.job, c.at)
			if ok != c.want {
				t.Fatalf("ExpireOffer(%s, %v) ok = %v, want %v", c.job.Status, c.at, ok, c.want)
			}
			want := c.job
			if ok {
				want.Status = "new"
				want.Offers = []dispatch.Offer{c.job.Offers[0]}
				want.Offers[0].Answer = "expired"
				want.Audit = []dispatch.AuditEntry{{At: c.at, By: actSystem, From: "offered", To: "new", Why: "offer to alice expired"}}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ExpireOffer(%s, %v) (-want +got):\n%s", c.job.Status, c.at, diff)
			}
		})
	}
}

// TestLife follows one job from booking to done through a decline and an
// expiry, and checks the whole audit trail and offer history.
func TestLife(t *testing.T) {
	atMin := func(n int) time.Time { return lifeT0.Add(time.Duration(n) * time.Minute) }
	j := lifeJob(t, "new")
	steps := []struct {
		name string
		do   func(dispatch.Job) (dispatch.Job, error)
	}{
		{"offer alice", func(j dispatch.Job) (dispatch.Job, error) { return dispatch.OfferJob(j, "alice", atMin(0), atMin(5)) }},
		{"alice says no", func(j dispatch.Job) (dispatch.Job, error) { return dispatch.Answer(j, "alice", "no", atMin(1)) }},
		{"offer bob", func(j dispatch.Job) (dispatch.Job, error) { return dispatch.OfferJob(j, "bob", atMin(2), atMin(7)) }},
		{"bob lets it expire", func(j dispatch.Job) (dispatch.Job, error) {
			j, ok := dispatch.ExpireOffer(j, atMin(7))
			if !ok {
				return j, errors.New("not expired")
			}
			return j, nil
		}},
		{"offer carol", func(j dispatch.Job) (dispatch.Job, error) { return dispatch.OfferJob(j, "carol", atMin(8), atMin(13)) }},
		{"carol says yes", func(j dispatch.Job) (dispatch.Job, error) { return dispatch.Answer(j, "carol", "yes", atMin(9)) }},
		{"on my way", func(j dispatch.Job) (dispatch.Job, error) {
			return dispatch.Transition(j, "en_route", dispatch.Actor{Kind: "technician", ID: "carol"}, "omw", atMin(60))
		}},
		{"arrived", func(j dispatch.Job) (dispatch.Job, error) {
			return dispatch.Transition(j, "on_site", dispatch.Actor{Kind: "technician", ID: "carol"}, "arrived", atMin(80))
		}},
		{"done", func(j dispatch.Job) (dispatch.Job, error) {
			return dispatch.Transition(j, "done", dispatch.Actor{Kind: "technician", ID: "carol"}, "new washer", atMin(120))
		}},
	}
	for _, s := range steps {
		var err error
		if j, err = s.do(j); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	carol := dispatch.Actor{Kind: "technician", ID: "carol"}
	wantAudit := []dispatch.AuditEntry{
		{At: atMin(0), By: actSystem, From: "new", To: "offered", Why: "offered to alice"},
		{At: atMin(1), By: actAlice, From: "offered", To: "new", Why: "declined"},
		{At: atMin(2), By: actSystem, From: "new", To: "offered", Why: "offered to bob"},
		{At: atMin(7), By: actSystem, From: "offered", To: "new", Why: "offer to bob expired"},
		{At: atMin(8), By: actSystem, From: "new", To: "offered", Why: "offered to carol"},
		{At: atMin(9), By: carol, From: "offered", To: "assigned", Why: "accepted"},
		{At: atMin(60), By: carol, From: "assigned", To: "en_route", Why: "omw"},
		{At: atMin(80), By: carol, From: "en_route", To: "on_site", Why: "arrived"},
		{At: atMin(120), By: carol, From: "on_site", To: "done", Why: "new washer"},
	}
	if diff := cmp.Diff(wantAudit, j.Audit); diff != "" {
		t.Errorf("Audit (-want +got):\n%s", diff)
	}
	wantOffers := []dispatch.Offer{
		{Tech: "alice", At: atMin(0), Expires: atMin(5), Answer: "no"},
		{Tech: "bob", At: atMin(2), Expires: atMin(7), Answer: "expired"},
		{Tech: "carol", At: atMin(8), Expires: atMin(13), Answer: "yes"},
	}
	if diff := cmp.Diff(wantOffers, j.Offers); diff != "" {
		t.Errorf("Offers (-want +got):\n%s", diff)
	}
	if j.Status != "done" || j.Tech != "carol" || j.Open() {
		t.Errorf("final status, tech, open = %q, %q, %v, want done, carol, false", j.Status, j.Tech, j.Open())
	}

	b, err := json.Marshal(j)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var back dispatch.Job
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(j, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestJob_Open(t *testing.T) {
	for _, st := range dispatch.Statuses {
		want := st != "done" && st != "cancelled" && st != "no_show"
		if got := (dispatch.Job{Status: st}).Open(); got != want {
			t.Errorf("Job{Status: %q}.Open() = %v, want %v", st, got, want)
		}
	}
}

func TestJob_PendingOffer(t *testing.T) {
	j := lifeJob(t, "offered") // to alice until lifeT0+10m
	cases := []struct {
		name string
		job  dispatch.Job
		now  time.Time
		want bool
	}{
		{"waiting", j, lifeT0, true},
		{"expired", j, lifeT0.Add(10 * time.Minute), false},
		{"not offered", lifeJob(t, "new"), lifeT0, false},
	}
	for _, c := range cases {
		o, ok := c.job.PendingOffer(c.now)
		if ok != c.want || ok && o != j.Offers[0] {
			t.Errorf("%s: PendingOffer(%v) = %v, %v, want ok %v", c.name, c.now, o, ok, c.want)
		}
	}
}
