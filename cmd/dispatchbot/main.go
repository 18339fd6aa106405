// Command dispatchbot runs the dispatch bot: `dispatchbot serve` (the
// default) serves webhooks and delivers replies; `dispatchbot check-config
// FILE` validates a config file.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // company time zones work in minimal images

	"dispatchbot/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		if err := serve(ctx, getenv, stdout, nil); err != nil {
			fmt.Fprintln(stderr, "dispatchbot:", err)
			return 1
		}
		return 0
	case "check-config":
		if len(args) != 1 {
			fmt.Fprintln(stderr, "usage: dispatchbot check-config FILE")
			return 2
		}
		return config.Check(args[0], getenv, stdout)
	case "telegram-webhooks":
		if err := setTelegramWebhooks(ctx, getenv, stdout); err != nil {
			fmt.Fprintln(stderr, "dispatchbot telegram-webhooks:", err)
			return 1
		}
		return 0
	case "triage":
		if err := triage(stdin, stdout); err != nil {
			fmt.Fprintln(stderr, "dispatchbot triage:", err)
			return 1
		}
		return 0
	case "simulate":
		return simulate(ctx, args, stdout, stderr)
	case "stats":
		return stats(ctx, args, getenv, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "dispatchbot", version)
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dispatchbot: unknown command %q\n%s", cmd, usage)
		return 2
	}
}

const usage = `usage: dispatchbot [command]

commands:
  serve               run the server (the default)
  check-config FILE   validate a config file; print each problem and exit 1 if any
  telegram-webhooks   point every company's Telegram bot at PUBLIC_URL (setWebhook with the secret)
  triage              grade JSON Lines from stdin ({"text": ...}) and print urgency, trade and reasons
  simulate            replay a synthetic working day through dispatch and a round-robin baseline
                      (-seed N, -techs N, -jobs N, -json)
  stats [-days N]     print each company's KPIs (per technician too) from REDIS_URL as JSON lines
  version             print the version
`
