package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/telegram"
	"dispatchbot/adapters/twilio"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
)

// trips counts Redis round trips: one per command sent alone, one per
// pipeline or MULTI/EXEC block (a script is one command). Calls made for
// the delivery workers are counted apart from the rest, which is the
// webhook path; calls made for one webhook request are also counted on the
// request, so that the most any one message took can be read.
//
// Two kinds of call are left out, being costs of a cold start rather than
// of a message: the commands that set up a new pooled connection (HELLO,
// CLIENT), and the EVAL that follows a script's first EVALSHA on a server
// that has not cached it yet (nothing else sends EVAL); those are counted
// in scriptLoads.
type trips struct {
	webhook, delivery, scriptLoads atomic.Int64

	mu            sync.Mutex
	maxPerMessage int64
	perMessage    map[int64]int // how many messages took n round trips
}

type tripKey int

const (
	deliveryPath tripKey = iota // marks the delivery workers' context
	requestTrips                // *atomic.Int64 of one webhook request
)

func (tr *trips) count(ctx context.Context, cmd string) {
	switch cmd {
	case "hello", "client", "auth", "select":
		return
	case "eval":
		tr.scriptLoads.Add(1)
		return
	}
	if ctx.Value(deliveryPath) != nil {
		tr.delivery.Add(1)
		return
	}
	tr.webhook.Add(1)
	if n, ok := ctx.Value(requestTrips).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// hook implements redis.Hook.
type hook struct{ tr *trips }

func (h hook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h hook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.tr.count(ctx, cmd.Name())
		return next(ctx, cmd)
	}
}

func (h hook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		name := "client" // a new connection's set-up, unless another command is in it
		for _, c := range cmds {
			switch c.Name() {
			case "hello", "client", "auth", "select", "multi", "exec":
			default:
				name = "pipeline"
			}
		}
		h.tr.count(ctx, name)
		return next(ctx, cmds)
	}
}

// perRequest counts each webhook request's round trips and keeps the most.
func (tr *trips) perRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var n atomic.Int64
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestTrips, &n)))
		err := next(c)
		tr.mu.Lock()
		tr.maxPerMessage = max(tr.maxPerMessage, n.Load())
		if tr.perMessage == nil {
			tr.perMessage = map[int64]int{}
		}
		tr.perMessage[n.Load()]++
		tr.mu.Unlock()
		return err
	}
}

// stack is dispatchbot wired as cmd/dispatchbot wires it (the demo company,
// Redis, the Twilio and Telegram webhooks and senders, the delivery
// workers), served by httptest, with its provider APIs at providerURL.
type stack struct {
	URL   string
	trips *trips
}

// startStack runs the stack on rdb under prefix until the test ends.
func startStack(tb testing.TB, rdb redis.UniversalClient, prefix, providerURL string) stack {
	tb.Helper()
	tr := &trips{}
	rdb.AddHook(hook{tr})
	cfg := config.Demo()
	cfg.Companies[0].Channels.Twilio.SegmentsPerSecond = 1e6
	store := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	sched := redisstore.NewScheduler(store)
	intake, err := bot.NewIntake(cfg.Companies, sched, bot.IntakeOptions{Jobs: store})
	if err != nil {
		tb.Fatal(err)
	}
	var b *bot.Bot
	console := bot.NewConsole(bot.ConsoleOptions{Companies: cfg.Companies, Store: store, Jobs: store, Transcripts: store})
	desk := bot.NewDesk(bot.DeskOptions{Companies: cfg, Store: store, Jobs: store, Slots: sched,
		Notify: func(ctx context.Context, co string, who bot.Address, news conversation.Input) error {
			return b.Notify(ctx, co, who, news)
		}})
	b = bot.New(bot.Options{Companies: cfg, Store: store, StatusLog: store, Customers: intake,
		Technicians: desk, Dispatchers: bot.NewDispatchers(console)})
	sms, err := twilio.NewSender(cfg, twilio.SenderOptions{APIBase: providerURL})
	if err != nil {
		tb.Fatal(err)
	}
	// The test's Telegram customers answer at once, so the per-chat limit
	// (one message a second) is lifted.
	tg, err := telegram.NewSender(cfg.Companies, telegram.SenderOptions{APIBase: providerURL, PerChat: 1000, PerBot: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	deliverer := bot.NewDeliverer(bot.DeliveryOptions{
		Outbox:       store,
		Senders:      map[bot.Channel]bot.Sender{bot.SMS: sms, bot.Telegram: tg, bot.Sim: &bot.SimSender{Log: store}},
		Companies:    []string{"demo"},
		Consumer:     "loadgen-test",
		Block:        50 * time.Millisecond,
		PromoteEvery: 100 * time.Millisecond,
	})
	e := echo.New()
	e.GET("/readyz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.POST("/webhooks/twilio", twilio.NewWebhook(cfg, b, twilio.WebhookOptions{}).Inbound, tr.perRequest)
	e.POST("/webhooks/telegram/:company", telegram.NewWebhook(cfg, b, telegram.WebhookOptions{}).Update, tr.perRequest)
	srv := httptest.NewServer(e)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), deliveryPath, true))
	done := make(chan error, 1)
	go func() { done <- deliverer.Run(ctx) }()
	tb.Cleanup(func() {
		srv.Close()
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("deliverer: %v", err)
		}
	})
	return stack{URL: srv.URL, trips: tr}
}

// startProvider serves a provider on a loopback port until the test ends.
func startProvider(tb testing.TB) (*provider, string) {
	tb.Helper()
	p := &provider{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: p}}
	srv.Start()
	tb.Cleanup(srv.Close)
	return p, srv.URL
}
