package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/metrics"
	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/twilio"
	"dispatchbot/adapters/web"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
)

// serveHooks lets tests learn the bound address and tune the service.
type serveHooks struct {
	listening func(addr string)
	delivery  func(*bot.DeliveryOptions)
	config    func(*config.Config)
}

// serve runs the server until ctx ends, then stops taking webhooks, lets
// in-flight deliveries finish and closes Redis.
func serve(ctx context.Context, getenv func(string) string, stdout io.Writer, hooks *serveHooks) error {
	if hooks == nil {
		hooks = &serveHooks{}
	}
	env := config.LoadEnv(getenv)
	log, err := newLogger(stdout, env.LogLevel)
	if err != nil {
		return err
	}
	setRedisLogger.Do(func() { redis.SetLogger(redisLog{log}) })
	cfg, err := loadConfig(env, getenv, log)
	if err != nil {
		return err
	}
	if hooks.config != nil {
		hooks.config(cfg)
	}
	rdb, closeRedis, err := openRedis(ctx, env, log)
	if err != nil {
		return err
	}
	defer closeRedis()

	ids := make([]string, len(cfg.Companies))
	for i, co := range cfg.Companies {
		ids[i] = co.ID
	}
	var store *redisstore.Store
	obs := metrics.New(ids, func(ctx context.Context, co string) (int64, error) { return store.Depth(ctx, co) })
	store = redisstore.New(rdb, redisstore.Options{Prefix: env.RedisPrefix, Observer: obs, Logger: log})

	nudge, expire, err := intakeTimes(env)
	if err != nil {
		return err
	}
	intake, err := bot.NewIntake(cfg.Companies, redisstore.NewScheduler(store),
		bot.IntakeOptions{NudgeAfter: nudge, ExpireAfter: expire, Jobs: store})
	if err != nil {
		return err
	}
	var b *bot.Bot
	sched := redisstore.NewScheduler(store)
	console := bot.NewConsole(bot.ConsoleOptions{Companies: cfg.Companies, Store: store, Jobs: store, Transcripts: store, Log: log})
	desk := bot.NewDesk(bot.DeskOptions{Companies: cfg, Store: store, Jobs: store, Log: log, Slots: sched,
		Notify: func(ctx context.Context, co string, who bot.Address, news conversation.Input) error {
			return b.Notify(ctx, co, who, news)
		}})
	b = bot.New(bot.Options{
		Companies:   cfg,
		Store:       store,
		StatusLog:   store,
		Customers:   intake,
		Technicians: desk,
		Dispatchers: bot.NewDispatchers(console),
		Observer:    obs,
		Log:         log,
	})

	statusURL := ""
	if env.PublicURL != "" {
		statusURL = strings.TrimRight(env.PublicURL, "/") + "/webhooks/twilio/status"
	}
	sms, err := twilio.NewSender(cfg, twilio.SenderOptions{
		APIBase: env.TwilioAPIBase, StatusCallback: statusURL, Log: log,
	})
	if err != nil {
		return fmt.Errorf("twilio sender: %w", err)
	}
	tg, err := telegram.NewSender(cfg.Companies, telegram.SenderOptions{APIBase: env.TelegramAPIBase, Log: log})
	if err != nil {
		return fmt.Errorf("telegram sender: %w", err)
	}
	dopts := bot.DeliveryOptions{
		Outbox:    store,
		Senders:   map[bot.Channel]bot.Sender{bot.SMS: sms, bot.WhatsApp: sms, bot.Telegram: tg, bot.Sim: &bot.SimSender{Log: store}},
		Companies: ids,
		Consumer:  consumerName(),
		Observer:  obs,
		Log:       log,
	}
	if err := outboxTuning(env, &dopts); err != nil {
		return err
	}
	if hooks.delivery != nil {
		hooks.delivery(&dopts)
	}
	deliverer := bot.NewDeliverer(dopts)
	waker := bot.NewWaker(bot.WakerOptions{Wakes: store, Bot: b, Companies: ids, Log: log})
	timers := bot.NewTimerRunner(bot.TimerRunnerOptions{Timers: store, Desk: desk, Companies: ids, Log: log})

	twh := twilio.NewWebhook(cfg, b, twilio.WebhookOptions{PublicURL: env.PublicURL, Observer: obs, Log: log})
	tgh := telegram.NewWebhook(cfg, b, telegram.WebhookOptions{Observer: obs, Log: log})
	token := env.AdminToken
	if token == "" {
		token = randomToken()
	}
	e := web.New(web.Deps{
		TwilioInbound:  twh.Inbound,
		TwilioStatus:   twh.Status,
		TelegramUpdate: tgh.Update,
		Ready:          store.Ping,
		Metrics:        obs.Handler(),
		Console:        webConsole{console},
		Simulator:      bot.NewSimulator(cfg, b, store),
		AdminToken:     token,
		Assets:         web.Assets(),
		Log:            log,
	})

	ln, err := net.Listen("tcp", env.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", env.ListenAddr, err)
	}
	e.Listener = ln
	addr := ln.Addr().String()
	log.Info("dispatchbot listening", "addr", addr, "url", "http://"+displayHost(addr), "version", version,
		"companies", len(cfg.Companies))
	switch {
	case cfg.Demo && env.AdminToken == "":
		// The demo's token is made up at start and worthless elsewhere:
		// print the board's address with it so a new user can open it.
		fmt.Fprintf(stdout, "\nOpen the board and the simulator: http://%s/?token=%s\n\n", displayHost(addr), token)
	case env.AdminToken == "":
		log.Warn("ADMIN_TOKEN is not set: the API and the board use a random token nobody knows; set ADMIN_TOKEN to use them")
	}
	if hooks.listening != nil {
		hooks.listening(addr)
	}

	deliverCtx, stopDelivery := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDelivery()
	delivered, woken, timed := make(chan error, 1), make(chan error, 1), make(chan error, 1)
	go func() { delivered <- deliverer.Run(deliverCtx) }()
	go func() { woken <- waker.Run(deliverCtx) }()
	go func() { timed <- timers.Run(deliverCtx) }()
	served := make(chan error, 1)
	go func() { served <- e.Start("") }()

	select {
	case err = <-served:
		err = fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
		log.Info("shutting down: no new webhooks; finishing deliveries in flight")
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if serr := e.Shutdown(sctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("http shutdown: %w", serr))
	}
	stopDelivery()
	<-woken
	<-timed
	<-delivered
	if herr := <-served; herr != nil && !errors.Is(herr, http.ErrServerClosed) && err == nil {
		err = herr
	}
	log.Info("stopped")
	return err
}

// intakeTimes reads NUDGE_AFTER and EXPIRE_AFTER.
func intakeTimes(env config.Env) (nudge, expire time.Duration, err error) {
	nudge, err = time.ParseDuration(env.NudgeAfter)
	if err != nil || nudge <= 0 {
		return 0, 0, fmt.Errorf("NUDGE_AFTER %q: want a duration such as 30m", env.NudgeAfter)
	}
	expire, err = time.ParseDuration(env.ExpireAfter)
	if err != nil || expire <= nudge {
		return 0, 0, fmt.Errorf("EXPIRE_AFTER %q: want a duration longer than NUDGE_AFTER, such as 24h", env.ExpireAfter)
	}
	return nudge, expire, nil
}

// outboxTuning reads OUTBOX_CLAIM_IDLE, OUTBOX_RETRY_BASE and
// OUTBOX_MAX_ATTEMPTS into o; unset ones keep the Deliverer's defaults.
// Taken-over entries are looked for four times per claim idle time, at
// least every 15s as by default.
func outboxTuning(env config.Env, o *bot.DeliveryOptions) error {
	if v := env.OutboxClaimIdle; v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond {
			return fmt.Errorf("OUTBOX_CLAIM_IDLE %q: want a duration of at least 100ms, such as 60s", v)
		}
		o.ClaimIdle, o.ClaimEvery = d, min(d/4, 15*time.Second)
	}
	if v := env.OutboxRetryBase; v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Millisecond {
			return fmt.Errorf("OUTBOX_RETRY_BASE %q: want a duration of at least 1ms, such as 2s", v)
		}
		o.BackoffBase = d
	}
	if v := env.OutboxMaxAttempts; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("OUTBOX_MAX_ATTEMPTS %q: want a whole number of at least 1, such as 8", v)
		}
		o.MaxAttempts = n
	}
	return nil
}

func loadConfig(env config.Env, getenv func(string) string, log *slog.Logger) (*config.Config, error) {
	if env.ConfigPath == "" {
		log.Warn("DISPATCHBOT_CONFIG is not set: using the built-in demo company")
		return config.Demo(), nil
	}
	cfg, err := config.Load(env.ConfigPath, getenv)
	if err != nil {
		return nil, fmt.Errorf("config %s:\n%w", env.ConfigPath, err)
	}
	return cfg, nil
}

func openRedis(ctx context.Context, env config.Env, log *slog.Logger) (redis.UniversalClient, func(), error) {
	if env.RedisURL == "" {
		rdb, closeFn, err := redisstore.OpenEmbedded()
		if err != nil {
			return nil, nil, fmt.Errorf("embedded redis: %w", err)
		}
		log.Warn("REDIS_URL is not set: using an embedded in-process Redis; all data is lost on exit")
		return rdb, closeFn, nil
	}
	rdb, err := redisstore.Open(ctx, env.RedisURL)
	if err != nil {
		return nil, nil, err
	}
	return rdb, func() {
		if err := rdb.Close(); err != nil {
			log.Warn("close redis", "err", err)
		}
	}, nil
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// consumerName names this instance in the outbox consumer group.
func consumerName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "dispatchbot"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

// displayHost turns a listen address into something a browser can open.
func displayHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// setRedisLogger installs the go-redis logger once: it is process-wide.
var setRedisLogger sync.Once

// redisLog routes go-redis's own messages (pool dial failures and the
// like) into the structured log.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}
