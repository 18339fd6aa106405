package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
)

// twilioCheck answers 403 unless the request carries the signature
// twilio-go's own validator expects for url.
func twilioCheck(tb testing.TB, url string, next http.HandlerFunc) http.HandlerFunc {
	tb.Helper()
	v := client.NewRequestValidator(demoAuthToken)
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		params := map[string]string{}
		for k := range r.PostForm {
			params[k] = r.PostForm.Get(k)
		}
		if !v.Validate(url+r.URL.Path, params, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "invalid signature", http.StatusForbidden)
			return
		}
		next(w, r)
	}
}

// testPoster returns a poster to the given base URLs in turn by preference.
func testPoster(bases ...string) *poster {
	return &poster{
		hc: &http.Client{Timeout: 5 * time.Second}, token: demoAuthToken, account: demoAccount,
		number: demoNumber, text: routineText,
		pick:     func(pref int) (string, bool) { return bases[pref%len(bases)], true },
		retryMin: time.Millisecond, retryMax: time.Millisecond,
	}
}

func TestPostSignsAsTwilioDoes(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = twilioCheck(t, "http://"+srv.Listener.Addr().String(), func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Path, r.PostForm.Get("From"), r.PostForm.Get("To"), r.PostForm.Get("Body"), r.PostForm.Get("MessageSid"))
		mu.Unlock()
	})
	srv.Start()
	defer srv.Close()

	c := newCustomers(1, 1)[0]
	res := testPoster(srv.URL).post(context.Background(), c)
	if res.status != http.StatusOK || res.attempts != 1 {
		t.Fatalf("post = status %d after %d attempts, want 200 after 1", res.status, res.attempts)
	}
	want := []string{"/webhooks/twilio", c.phone, demoNumber, routineText, c.sid}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("webhook got %q, want %q", got, want)
	}
}

// TestPostRetries checks which answers a post retries, as Twilio would,
// and which end it.
func TestPostRetries(t *testing.T) {
	tests := []struct {
		name    string
		answers []int // statuses in turn; the last repeats
		want    result
	}{
		{"accepted at once", []int{200}, result{status: 200, attempts: 1}},
		{"503 twice then accepted", []int{503, 503, 200}, result{status: 200, attempts: 3, unavailable: 2}},
		{"500 then accepted", []int{500, 200}, result{status: 200, attempts: 2, other: 1}},
		{"forbidden ends it", []int{403}, result{status: 403, attempts: 1, other: 1}},
		{"bad request after 503", []int{503, 400}, result{status: 400, attempts: 2, unavailable: 1, other: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := min(int(n.Add(1))-1, len(tt.answers)-1)
				w.WriteHeader(tt.answers[i])
			}))
			defer srv.Close()
			got := testPoster(srv.URL).post(context.Background(), newCustomers(1, 1)[0])
			got.latency, got.acceptedAt = 0, time.Time{}
			if got != tt.want {
				t.Errorf("post = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestPostMovesOffADeadInstance checks that a post to an instance that
// does not answer is retried on the one pick offers next.
func TestPostMovesOffADeadInstance(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // its port now refuses connections
	live := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer live.Close()
	p := testPoster()
	var tries atomic.Int64
	p.pick = func(int) (string, bool) {
		if tries.Add(1) == 1 {
			return dead.URL, true
		}
		return live.URL, true
	}
	got := p.post(context.Background(), newCustomers(1, 1)[0])
	if got.status != http.StatusOK || got.attempts != 2 || got.unreachable != 1 {
		t.Errorf("post = %+v, want 200 on the second attempt after one unreachable", got)
	}
}

func TestPostStopsWithContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	p := testPoster(srv.URL)
	inner := p.pick
	p.pick = func(pref int) (string, bool) {
		cancel() // the run's time is up during the first attempt
		return inner(pref)
	}
	got := p.post(ctx, newCustomers(1, 1)[0])
	if got.status == http.StatusOK || !got.acceptedAt.IsZero() {
		t.Errorf("post after the context ended = %+v, want no acceptance", got)
	}
}

// TestLoadPostsEveryCustomerOnce runs a small load against a server that
// counts message ids.
func TestLoadPostsEveryCustomerOnce(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.FormValue("MessageSid")]++
		mu.Unlock()
	}))
	defer srv.Close()
	cs := newCustomers(40, 2)
	l := &load{p: testPoster(srv.URL, srv.URL), customers: cs, rate: 10000, concurrency: 4}
	l.run(context.Background())
	if n := l.launched.Load(); n != int64(len(cs)) {
		t.Errorf("launched %d, want %d", n, len(cs))
	}
	f := summarise(l)
	if f.accepted != len(cs) || f.gaveUp != 0 {
		t.Errorf("summarise = %+v, want %d accepted", f, len(cs))
	}
	for _, c := range cs {
		if seen[c.sid] != 1 {
			t.Errorf("message %s posted %d times, want 1", c.sid, seen[c.sid])
		}
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func TestNewCustomers(t *testing.T) {
	cs := newCustomers(300, 2)
	phones, sids := map[string]bool{}, map[string]bool{}
	for i, c := range cs {
		if !e164.MatchString(c.phone) {
			t.Errorf("customer %d: %s is not an E.164 number", i, c.phone)
		}
		if phones[c.phone] || sids[c.sid] {
			t.Errorf("customer %d: %s / %s used twice", i, c.phone, c.sid)
		}
		phones[c.phone], sids[c.sid] = true, true
		if c.pref != i%2 {
			t.Errorf("customer %d: pref %d, want %d", i, c.pref, i%2)
		}
		if len(c.sid) != 34 || !strings.HasPrefix(c.sid, "SM") {
			t.Errorf("customer %d: MessageSid %q is not shaped like Twilio's", i, c.sid)
		}
	}
}
