package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// stats prints the KPIs of every company's jobs created in the last -days
// days, read from the Redis named by REDIS_URL, one JSON line per company.
func stats(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	days := fs.Int("days", 7, "how many days back to look, counting today")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *days < 1 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: dispatchbot stats [-days N]  (N ≥ 1)")
		return 2
	}
	if err := printStats(ctx, *days, getenv, stdout); err != nil {
		fmt.Fprintln(stderr, "dispatchbot stats:", err)
		return 1
	}
	return 0
}

func printStats(ctx context.Context, days int, getenv func(string) string, stdout io.Writer) error {
	env := config.LoadEnv(getenv)
	if env.RedisURL == "" {
		return errors.New("REDIS_URL is not set: stats reads the Redis the servers share")
	}
	cfg, err := loadConfig(env, getenv, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	rdb, err := redisstore.Open(ctx, env.RedisURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	store := redisstore.New(rdb, redisstore.Options{Prefix: env.RedisPrefix})
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -days)
	enc := json.NewEncoder(stdout)
	for _, co := range cfg.Companies {
		jobs, err := store.History(ctx, co.ID, from, to.Add(time.Minute))
		if err != nil {
			return err
		}
		if err := enc.Encode(bot.StatsReportOf(co, jobs, from, to)); err != nil {
			return err
		}
	}
	return nil
}
