package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// statsLine is one company's KPIs as `dispatchbot stats` prints them.
type statsLine struct {
	Company     string                  `json:"company"`
	From        time.Time               `json:"from"`
	To          time.Time               `json:"to"`
	All         statsFigures            `json:"all"`
	Technicians map[string]statsFigures `json:"technicians"`
}

// statsFigures are dispatch.Stats with durations in minutes.
type statsFigures struct {
	Jobs            int                       `json:"jobs"`
	Completed       int                       `json:"completed"`
	CompletionRate  float64                   `json:"completion_rate"`
	CancelledPct    float64                   `json:"cancelled_pct"`
	NoShowPct       float64                   `json:"no_show_pct"`
	Feedback        float64                   `json:"feedback"`
	FeedbackCount   int                       `json:"feedback_count"`
	MinutesToAccept map[string]statsDurations `json:"minutes_to_accept,omitempty"`
	JobsPerTechDay  float64                   `json:"jobs_per_tech_day"`
	DriveKm         float64                   `json:"drive_km"`
}

type statsDurations struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	P90  float64 `json:"p90"`
	Max  float64 `json:"max"`
}

func figures(s dispatch.Stats) statsFigures {
	f := statsFigures{Jobs: s.Jobs, Completed: s.Completed, CompletionRate: round2(s.CompletionRate),
		CancelledPct: round2(s.CancelledPct), NoShowPct: round2(s.NoShowPct), Feedback: round2(s.Feedback),
		FeedbackCount: s.FeedbackCount, JobsPerTechDay: round2(s.JobsPerTechDay), DriveKm: round2(s.Km)}
	for u, d := range s.TimeToAccept {
		if f.MinutesToAccept == nil {
			f.MinutesToAccept = map[string]statsDurations{}
		}
		f.MinutesToAccept[u] = statsDurations{N: d.N, Mean: round2(d.Mean.Minutes()), P90: round2(d.P90.Minutes()), Max: round2(d.Max.Minutes())}
	}
	return f
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

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
		all, byTech := bot.Stats(jobs, co)
		line := statsLine{Company: co.ID, From: from, To: to, All: figures(all), Technicians: map[string]statsFigures{}}
		for id, s := range byTech {
			line.Technicians[id] = figures(s)
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}
