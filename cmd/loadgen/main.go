// Command loadgen drives simulated customers through the HTTP webhooks of a
// running dispatchbot, as Twilio and Telegram would call them, and reports
// throughput, webhook latency, errors, replies and Redis commands per
// message. It also stands in for the provider APIs the server sends its
// replies to, and each customer answers the questions those replies ask
// until its job is booked (or, once the demo's week is full, it is handed
// to a person). Everything stays on loopback.
//
//	loadgen -write-config /tmp/loadtest.yaml   # the demo company, its number not paced to 1 SMS/s
//	DISPATCHBOT_CONFIG=/tmp/loadtest.yaml REDIS_URL=redis://127.0.0.1:6390/0 LOG_LEVEL=warn \
//	  LISTEN_ADDR=127.0.0.1:8080 PUBLIC_URL=http://127.0.0.1:8080 \
//	  TWILIO_API_BASE=http://127.0.0.1:9999 TELEGRAM_API_BASE=http://127.0.0.1:9999 dispatchbot &
//	loadgen -n 10000 -c 300 -redis redis://127.0.0.1:6390/0
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

// options are loadgen's flags.
type options struct {
	plan
	Target, PublicURL, Listen string
	Company                   string
	AuthToken, Account        string
	Number, TGSecret          string
	RedisURL, Prefix          string
	Memory                    bool
	WriteConfig               string
	SMSRate                   float64
	Procs                     int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Target, "target", "http://127.0.0.1:8080", "the running server (loopback only)")
	fs.StringVar(&o.PublicURL, "public-url", "", "the server's PUBLIC_URL, which Twilio signatures cover; default -target")
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:9999", "where the fake Twilio and Telegram APIs listen (the server's TWILIO_API_BASE and TELEGRAM_API_BASE)")
	fs.IntVar(&o.Customers, "n", 1000, "customers to run")
	fs.IntVar(&o.Concurrency, "c", 50, "SMS customers in flight at once")
	fs.IntVar(&o.Telegram, "telegram", 10, "how many of the -n customers use Telegram; they run all at once, beside the -c SMS ones")
	fs.DurationVar(&o.Duration, "duration", time.Minute, "send no new message after this")
	fs.DurationVar(&o.Warmup, "warmup", 2*time.Second, "messages posted this soon after the start are sent but not timed or counted in the rate")
	fs.Float64Var(&o.Emergency, "emergency", 0, "share of SMS customers reporting an emergency (always bookable) instead of a routine job")
	fs.DurationVar(&o.TGThink, "tg-think", 1100*time.Millisecond, "a Telegram customer's pause before answering (the bot texts a chat at most once a second)")
	fs.DurationVar(&o.ReplyTimeout, "reply-timeout", 10*time.Second, "how long a customer waits for the bot's next question")
	fs.IntVar(&o.ShowFailed, "show-failed", 3, "print the conversations of this many failed customers")
	fs.IntVar(&o.Preload, "preload", 0, "store this many conversations first (one message each, through the webhook, not measured)")
	fs.StringVar(&o.Company, "company", "demo", "company id, for the Telegram webhook path")
	fs.StringVar(&o.AuthToken, "auth-token", "demoauthtoken", "the company's Twilio auth token")
	fs.StringVar(&o.Account, "account", "AC00000000000000000000000000000000", "the company's Twilio account SID")
	fs.StringVar(&o.Number, "number", "+441614960000", "the company's Twilio number")
	fs.StringVar(&o.TGSecret, "tg-secret", "demo-secret", "the company's Telegram webhook secret")
	fs.StringVar(&o.RedisURL, "redis", "", "the server's Redis (loopback), for commands per message from INFO commandstats")
	fs.StringVar(&o.Prefix, "prefix", "dispatchbot", "the server's REDIS_PREFIX, for -memory")
	fs.BoolVar(&o.Memory, "memory", false, "after the run, sum MEMORY USAGE of the server's keys by kind (needs -redis)")
	fs.IntVar(&o.Procs, "procs", 1, "GOMAXPROCS of loadgen itself: 1 leaves the other cores to the server and Redis")
	fs.StringVar(&o.WriteConfig, "write-config", "", "write the demo company as a config file with its number paced at -sms-rate, and exit")
	fs.Float64Var(&o.SMSRate, "sms-rate", 100000, "segments per second for -write-config")
	var runID uint
	fs.UintVar(&runID, "run-id", 0, "this run's block of phone numbers and message ids; default random")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case o.Customers < 0, o.Concurrency < 1, o.Telegram < 0, o.Preload < 0:
		return o, errors.New("-n, -telegram and -preload must be 0 or more, and -c at least 1")
	case o.Customers+o.Preload > maxCustomers:
		return o, fmt.Errorf("-n plus -preload must be at most %d", maxCustomers)
	case o.Emergency < 0 || o.Emergency > 1:
		return o, errors.New("-emergency must be between 0 and 1")
	case o.Duration <= 0 || o.ReplyTimeout <= 0 || o.Warmup < 0:
		return o, errors.New("-duration and -reply-timeout must be positive, and -warmup not negative")
	case o.Memory && o.RedisURL == "":
		return o, errors.New("-memory needs -redis")
	case o.Procs < 1:
		return o, errors.New("-procs must be at least 1")
	}
	o.Run = uint32(runID)
	if runID == 0 {
		var b [4]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		o.Run = binary.BigEndian.Uint32(b[:])
	}
	return o, nil
}

// run parses args and does what they ask.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.WriteConfig != "" {
		return writeDemoConfig(o.WriteConfig, o.SMSRate)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(o.Procs))
	target, err := loopbackURL(o.Target, "http", "https")
	if err != nil {
		return fmt.Errorf("-target: %w", err)
	}
	if err := loopbackAddr(o.Listen); err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	var rdb *redis.Client
	if o.RedisURL != "" {
		if rdb, err = openRedis(o.RedisURL); err != nil {
			return err
		}
		defer rdb.Close()
	}
	base := strings.TrimRight(target.String(), "/")
	public := strings.TrimRight(o.PublicURL, "/")
	if public == "" {
		public = base
	}

	prov := &provider{}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", o.Listen, err)
	}
	srv := &http.Server{Handler: prov, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			fmt.Fprintln(stderr, "loadgen: stop provider:", err)
		}
		<-served
	}()

	hc := newClient(o.Concurrency + o.Telegram)
	if err := checkReady(ctx, hc, base); err != nil {
		return err
	}
	r := newRunner(o.plan, hc, prov,
		twilioAccount{PostURL: base + "/webhooks/twilio", SignedURL: public + "/webhooks/twilio",
			AuthToken: o.AuthToken, AccountSID: o.Account, Number: o.Number},
		telegramBot{PostURL: base + "/webhooks/telegram/" + o.Company, Secret: o.TGSecret}, stderr)
	fmt.Fprintf(stdout, "loadgen run %08x: target %s, %d customers (%d on Telegram), concurrency %d, duration %s, warm-up %s\n",
		o.Run, base, o.Customers, min(o.Telegram, o.Customers), o.Concurrency, o.Duration, o.Warmup)

	if o.Preload > 0 {
		preload(ctx, stdout, r, prov, o.Preload, o.Concurrency)
	}
	var before commandStats
	if rdb != nil {
		if before, err = fetchCommandStats(ctx, rdb); err != nil {
			return err
		}
	}
	routed0, dropped0, unrouted0 := prov.routed.Load(), prov.dropped.Load(), prov.unrouted.Load()
	elapsed := r.measure(ctx)
	res := result{
		Elapsed:  elapsed,
		Sent:     r.sent.Load(),
		OK:       r.ok.Load(),
		All:      r.all.Load(),
		Webhook:  r.webhook.summary(),
		Reply:    r.reply.summary(),
		Routed:   prov.routed.Load() - routed0,
		Dropped:  prov.dropped.Load() - dropped0,
		Unrouted: prov.unrouted.Load() - unrouted0,
		Errors:   r.errs.snapshot(),
		Outcomes: r.outcomes.snapshot(),
	}
	if rdb != nil {
		after, err := fetchCommandStats(context.WithoutCancel(ctx), rdb)
		if err != nil {
			return err
		}
		res.Redis = after.since(before)
	}
	printResult(stdout, res)
	if o.Memory {
		usage, err := memoryUsage(context.WithoutCancel(ctx), rdb, o.Prefix)
		if err != nil {
			return err
		}
		printMemory(stdout, o.Prefix, usage)
	}
	return nil
}

// preload stores n conversations and waits until their replies have come
// back, so that their delivery does not run into the measured part.
func preload(ctx context.Context, w io.Writer, r *runner, prov *provider, n, c int) {
	start := time.Now()
	accepted := r.preloadN(ctx, n, c)
	took := time.Since(start)
	// Wait for the replies: one each, until none has come for five seconds.
	last, idle := prov.unrouted.Load(), time.Now()
	for ctx.Err() == nil && prov.unrouted.Load() < int64(accepted) && time.Since(idle) < 5*time.Second {
		time.Sleep(100 * time.Millisecond)
		if v := prov.unrouted.Load(); v != last {
			last, idle = v, time.Now()
		}
	}
	fmt.Fprintf(w, "preload            %d conversations stored in %s (%.0f/s, webhook latency %s); %d replies back after %s\n",
		accepted, took.Round(time.Millisecond), float64(accepted)/took.Seconds(), r.preload.summary(),
		prov.unrouted.Load(), time.Since(start).Round(time.Millisecond))
}

// newClient returns an HTTP client that keeps a connection per customer in flight.
func newClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns + 16
	t.MaxIdleConnsPerHost = conns + 16
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// checkReady fails unless the server answers GET /readyz with 200.
func checkReady(ctx context.Context, hc *http.Client, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
	if err != nil {
		return fmt.Errorf("readyz: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("server not reachable: %w", err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("readyz: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server not ready: GET /readyz = %s", resp.Status)
	}
	return nil
}

// openRedis connects to the loopback Redis at raw.
func openRedis(raw string) (*redis.Client, error) {
	if _, err := loopbackURL(raw, "redis"); err != nil {
		return nil, fmt.Errorf("-redis: %w", err)
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("-redis: %w", err)
	}
	opt.DisableIdentity = true
	return redis.NewClient(opt), nil
}
