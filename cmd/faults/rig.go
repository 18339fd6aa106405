package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.yaml.in/yaml/v3"

	"dispatchbot/config"
)

// binaries are the programs a scenario runs.
type binaries struct {
	dispatchbot  string
	fakeprovider string
	redisServer  string
}

// rigOptions shape the processes of one scenario.
type rigOptions struct {
	bins      binaries
	dir       string        // the scenario's working directory: logs, config, Redis data
	instances int           // dispatchbot instances, tagged a, b, …
	fail      float64       // share of sends the fake provider refuses
	latency   time.Duration // how long the fake provider takes to answer a send
	durable   bool          // Redis appends every write to its log and syncs it before answering
	env       []string      // extra environment of every instance
}

// rig is one scenario's processes: a Redis, a fake provider and the
// dispatchbot instances, all on loopback.
type rig struct {
	o         rigOptions
	hc        *http.Client
	redisPort int
	redis     *proc
	rdb       *redis.Client // the driver's own connection, for inspecting the outbox
	fake      *proc
	fakeURL   string
	bots      []*instance
}

// instance is one dispatchbot process.
type instance struct {
	tag   string // its /via/ tag at the fake provider: which instance sent a reply
	url   string // its base URL, also its PUBLIC_URL
	proc  *proc
	alive atomic.Bool // false once the scenario has killed it
}

// startRig starts Redis, the fake provider and the instances, and waits
// until each answers.
func startRig(ctx context.Context, o rigOptions) (_ *rig, err error) {
	r := &rig{o: o, hc: &http.Client{Timeout: 10 * time.Second}}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	ports, err := freePorts(2 + o.instances)
	if err != nil {
		return nil, err
	}
	r.redisPort = ports[0]
	r.rdb = redis.NewClient(&redis.Options{Addr: loopback(r.redisPort), DisableIdentity: true,
		MaxRetries: -1, DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	if err := r.startRedis(ctx); err != nil {
		return nil, err
	}
	r.fakeURL = "http://" + loopback(ports[1])
	r.fake, err = startProc("fakeprovider", filepath.Join(o.dir, "fakeprovider.log"), nil, o.bins.fakeprovider,
		"-addr", loopback(ports[1]), "-quiet", "-record", "-fail", strconv.FormatFloat(o.fail, 'f', -1, 64), "-delay", o.latency.String())
	if err != nil {
		return nil, err
	}
	if err := waitFor(ctx, r.fake, 10*time.Second, "fake provider answers", func(ctx context.Context) bool {
		return httpStatus(ctx, r.hc, r.fakeURL+"/count") == http.StatusOK
	}); err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(o.dir, "demo.yaml")
	if err := writeDemoConfig(cfgPath); err != nil {
		return nil, err
	}
	for i := range o.instances {
		if err := r.startInstance(ctx, string(rune('a'+i)), ports[2+i], cfgPath); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// startRedis starts (or restarts, on the same port and data) the Redis server.
func (r *rig) startRedis(ctx context.Context) error {
	data := filepath.Join(r.o.dir, "redis")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return fmt.Errorf("redis data dir: %w", err)
	}
	args := []string{"--port", strconv.Itoa(r.redisPort), "--bind", "127.0.0.1", "--dir", data,
		"--save", "", "--daemonize", "no", "--appendonly", "no"}
	if r.o.durable {
		// Every write is in the append-only file, synced, before Redis
		// answers it: a crash loses nothing that was acknowledged.
		args = append(args[:len(args)-2], "--appendonly", "yes", "--appendfsync", "always")
	}
	p, err := startProc("redis-server", filepath.Join(r.o.dir, "redis.log"), nil, r.o.bins.redisServer, args...)
	if err != nil {
		return err
	}
	r.redis = p
	return waitFor(ctx, p, 10*time.Second, "redis answers PING", func(ctx context.Context) bool {
		return r.rdb.Ping(ctx).Err() == nil
	})
}

// startInstance starts one dispatchbot with the demo company and waits for
// its /readyz.
func (r *rig) startInstance(ctx context.Context, tag string, port int, cfgPath string) error {
	in := &instance{tag: tag, url: "http://" + loopback(port)}
	api := r.fakeURL + "/via/" + tag
	env := append([]string{
		"REDIS_URL=redis://" + loopback(r.redisPort) + "/0",
		"LISTEN_ADDR=" + loopback(port),
		"PUBLIC_URL=" + in.url,
		"TWILIO_API_BASE=" + api,
		"TELEGRAM_API_BASE=" + api,
		"DISPATCHBOT_CONFIG=" + cfgPath,
		"ADMIN_TOKEN=faults-not-secret",
		"LOG_LEVEL=warn",
	}, r.o.env...)
	p, err := startProc("dispatchbot "+tag, filepath.Join(r.o.dir, "dispatchbot-"+tag+".log"), env, r.o.bins.dispatchbot)
	if err != nil {
		return err
	}
	in.proc = p
	in.alive.Store(true)
	r.bots = append(r.bots, in)
	return waitFor(ctx, p, 15*time.Second, "dispatchbot "+tag+" ready", func(ctx context.Context) bool {
		return httpStatus(ctx, r.hc, in.url+"/readyz") == http.StatusOK
	})
}

// pick returns the URL of instance pref, or of another live one when it is
// dead, as a load balancer would.
func (r *rig) pick(pref int) (string, bool) {
	for i := range r.bots {
		if in := r.bots[(pref+i)%len(r.bots)]; in.alive.Load() {
			return in.url, true
		}
	}
	return "", false
}

// killInstance takes instance i out of the balancer and kills it with SIGKILL.
func (r *rig) killInstance(i int) {
	r.bots[i].alive.Store(false)
	r.bots[i].proc.kill()
}

// crashed lists the instances that ended without being killed.
func (r *rig) crashed() []string {
	var out []string
	for _, in := range r.bots {
		if in.alive.Load() && in.proc.exited() {
			out = append(out, fmt.Sprintf("%s (%v; log %s)", in.tag, in.proc.err, in.proc.log))
		}
	}
	return out
}

// readyStatuses returns each live instance's /readyz status.
func (r *rig) readyStatuses(ctx context.Context) []int {
	var out []int
	for _, in := range r.bots {
		if in.alive.Load() {
			out = append(out, httpStatus(ctx, r.hc, in.url+"/readyz"))
		}
	}
	return out
}

// close stops the instances (letting them finish deliveries), then the
// fake provider and Redis.
func (r *rig) close() {
	for _, in := range r.bots {
		_ = in.proc.stop(15 * time.Second) // unclean stops are not what a scenario checks
	}
	if r.fake != nil {
		_ = r.fake.stop(5 * time.Second)
	}
	if r.rdb != nil {
		_ = r.rdb.Close()
	}
	if r.redis != nil {
		_ = r.redis.stop(5 * time.Second)
	}
}

// writeDemoConfig writes the built-in demo company as a config file, with
// one change: its SMS number may send 10,000 segments a second instead of
// the long-code default of 1, so that pacing does not stretch the run.
func writeDemoConfig(path string) error {
	cfg := config.Demo()
	for _, co := range cfg.Companies {
		if co.Channels.Twilio == nil {
			return errors.New("faults: the demo company has no Twilio account")
		}
		co.Channels.Twilio.SegmentsPerSecond = 10000
	}
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("faults: demo config: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("faults: demo config: %w", err)
	}
	return nil
}
