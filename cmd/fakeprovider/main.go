// Command fakeprovider stands in for the Twilio Messages API and the
// Telegram Bot API on a loopback port, so the service can be tried and
// load-tested without provider accounts. It answers as the provider would,
// prints each accepted message as a JSON line, and can refuse a share of
// sends to test retries.
//
//	go run ./cmd/fakeprovider -addr 127.0.0.1:9999
//	TWILIO_API_BASE=http://127.0.0.1:9999 TELEGRAM_API_BASE=http://127.0.0.1:9999 go run ./cmd/dispatchbot
//
// Under /via/{tag}/ the same APIs record which sender called (give each
// instance its own tag in its API bases). -delay makes each send take a
// while, as a real API does. GET /count answers how many sends were
// accepted and refused; with -record, GET /messages lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:9999", "listen address (keep it on loopback)")
	flag.BoolVar(&o.quiet, "quiet", false, "count messages without printing them")
	flag.BoolVar(&o.record, "record", false, "keep every accepted message in memory for GET /messages")
	flag.Float64Var(&o.fail, "fail", 0, "share of sends refused with 500 or 429, 0 to 1 (e.g. 0.3)")
	flag.Uint64Var(&o.seed, "seed", 0, "seed of the refusals; 0 picks one at random")
	flag.DurationVar(&o.delay, "delay", 0, "how long each send takes to answer, like a real API's latency (e.g. 50ms)")
	flag.Parse()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	addr   string
	quiet  bool
	record bool
	fail   float64
	seed   uint64
	delay  time.Duration
}

func run(ctx context.Context, o options, out io.Writer) error {
	if !(o.fail >= 0 && o.fail <= 1) {
		return fmt.Errorf("-fail %v: want a share from 0 to 1", o.fail)
	}
	f := newFake(out, o)
	srv := &http.Server{Addr: o.addr, Handler: f.routes(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(os.Stderr, "fakeprovider: Twilio and Telegram APIs on http://%s\n", o.addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	c := f.counts()
	fmt.Fprintf(os.Stderr, "fakeprovider: %d messages accepted, %d refused, %d abandoned\n", c.Accepted, c.Refused, c.Abandoned)
	return nil
}
