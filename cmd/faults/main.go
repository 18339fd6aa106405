// Command faults runs the service's fault tests against real processes on
// loopback: a fresh redis-server, cmd/fakeprovider and two dispatchbot
// instances per scenario, driven by customers texting the Twilio webhook.
// Scenarios: two instances under load, kill -9 of one instance, Redis
// killed and restarted, and the provider refusing 30% of sends. Each prints
// PASS or FAIL with its figures; the exit status is 1 if any failed.
//
//	go run ./cmd/faults                          # the short form .ci/faults runs
//	go run ./cmd/faults -customers 5000 -rate 1000 -only kill,redis
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The demo company's Twilio account, as config.Demo has it; the demo is
// public, so these are no secrets.
const (
	demoAuthToken = "demoauthtoken"
	demoAccount   = "AC00000000000000000000000000000000"
	demoNumber    = "+441614960000"
	// routineText is a first message that gets exactly one reply: the
	// question for the address.
	routineText = "my kitchen tap is dripping"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// settings are the command-line flags.
type settings struct {
	only        []string
	customers   int
	rate        float64
	concurrency int
	latency     time.Duration
	timeout     time.Duration
	keep        bool
	bins        binaries
}

func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("faults", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("only", "", "comma-separated scenarios to run: two, kill, redis, provider (default all)")
	fs.IntVar(&s.customers, "customers", 1000, "customers per scenario, each sending one message")
	fs.Float64Var(&s.rate, "rate", 500, "messages posted per second (the Redis scenario posts at half this)")
	fs.IntVar(&s.concurrency, "concurrency", 64, "posts in flight at most")
	fs.DurationVar(&s.latency, "latency", 50*time.Millisecond, "how long the fake provider takes to answer a send (Twilio's API: 100-200ms)")
	fs.DurationVar(&s.timeout, "timeout", 150*time.Second, "bound on the whole run")
	fs.BoolVar(&s.keep, "keep", false, "keep the working directory (logs, Redis data) even when every scenario passes")
	fs.StringVar(&s.bins.dispatchbot, "dispatchbot", "", "dispatchbot binary; empty builds ./cmd/dispatchbot")
	fs.StringVar(&s.bins.fakeprovider, "fakeprovider", "", "fakeprovider binary; empty builds ./cmd/fakeprovider")
	fs.StringVar(&s.bins.redisServer, "redis-server", "redis-server", "redis-server binary")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *only != "" {
		s.only = strings.Split(*only, ",")
		for _, name := range s.only {
			if !slices.ContainsFunc(scenarios, func(sc scenario) bool { return sc.name == name }) {
				return s, fmt.Errorf("-only: no scenario %q", name)
			}
		}
	}
	if s.customers < 10 || s.rate <= 0 || s.concurrency < 1 || s.timeout <= 0 || s.latency < 0 {
		return s, errors.New("want -customers of at least 10, a positive -rate, -concurrency and -timeout, and a -latency of 0 or more")
	}
	return s, nil
}

// run runs the chosen scenarios and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	s, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "faults:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	work, err := os.MkdirTemp("", "dispatchbot-faults-")
	if err != nil {
		fmt.Fprintln(stderr, "faults:", err)
		return 1
	}
	if s.bins, err = findBinaries(ctx, s.bins, work); err != nil {
		fmt.Fprintln(stderr, "faults:", err)
		return 1
	}

	began, failed := time.Now(), 0
	for _, sc := range scenarios {
		if len(s.only) > 0 && !slices.Contains(s.only, sc.name) {
			continue
		}
		fmt.Fprintf(stdout, "== %s: %s (%d customers)\n", sc.name, sc.title, s.customers)
		start := time.Now()
		dir := filepath.Join(work, sc.name)
		var rep report
		if err := os.MkdirAll(dir, 0o755); err != nil {
			rep.check(false, "%v", err)
		} else if err := sc.run(ctx, s, dir, &rep); err != nil {
			rep.check(false, "%v", err)
		}
		if ctx.Err() != nil {
			rep.check(false, "run out of time (-timeout %s)", s.timeout)
		}
		for _, l := range rep.lines {
			fmt.Fprintln(stdout, "   "+l)
		}
		for _, f := range rep.failures {
			fmt.Fprintln(stdout, "   not so: "+f)
		}
		verdict := "PASS"
		if len(rep.failures) > 0 {
			verdict = "FAIL"
			failed++
			fmt.Fprintf(stdout, "   logs: %s\n", dir)
		}
		fmt.Fprintf(stdout, "%s %s (%s)\n", verdict, sc.name, round(time.Since(start)))
	}
	if failed > 0 || s.keep {
		fmt.Fprintf(stdout, "working directory kept: %s\n", work)
	} else if err := os.RemoveAll(work); err != nil {
		fmt.Fprintln(stderr, "faults:", err)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "FAIL: %d scenario(s) failed (%s)\n", failed, round(time.Since(began)))
		return 1
	}
	fmt.Fprintf(stdout, "PASS: all scenarios (%s)\n", round(time.Since(began)))
	return 0
}

// findBinaries builds dispatchbot and fakeprovider into dir unless given,
// and finds redis-server.
func findBinaries(ctx context.Context, b binaries, dir string) (binaries, error) {
	for _, t := range []struct {
		path *string
		pkg  string
	}{{&b.dispatchbot, "./cmd/dispatchbot"}, {&b.fakeprovider, "./cmd/fakeprovider"}} {
		if *t.path != "" {
			continue
		}
		out := filepath.Join(dir, filepath.Base(t.pkg))
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, t.pkg)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s (run from the module root, or pass -%s): %w\n%s",
				t.pkg, filepath.Base(t.pkg), err, msg)
		}
		*t.path = out
	}
	p, err := exec.LookPath(b.redisServer)
	if err != nil {
		return b, fmt.Errorf("redis-server: %w (apt-get install redis-server)", err)
	}
	b.redisServer = p
	return b, nil
}
