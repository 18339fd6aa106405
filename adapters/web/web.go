// Package web is the service's HTTP face: it mounts the provider webhooks,
// health and readiness checks, metrics, the dispatcher JSON API with its
// live-board event stream, the simulator and the page on one Echo router,
// and renders every error as a JSON body.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Deps are the handlers and checks the router serves; cmd wires them.
type Deps struct {
	TwilioInbound  echo.HandlerFunc // POST /webhooks/twilio
	TwilioStatus   echo.HandlerFunc // POST /webhooks/twilio/status
	TelegramUpdate echo.HandlerFunc // POST /webhooks/telegram/:company
	// Ready reports whether the service can take traffic (Redis reachable).
	Ready   func(ctx context.Context) error
	Metrics http.Handler // GET /metrics
	// Console serves /api/v1/*: the board, jobs, technicians, stats and
	// the dispatcher's overrides. The API is mounted only with Console
	// and AdminToken both set.
	Console Console
	// Simulator serves /api/v1/sim/*; nil leaves those routes out.
	Simulator Simulator
	// AdminToken is the bearer token every /api/v1/* request must carry.
	AdminToken string
	// Assets serves the page at GET / and GET /static/*; nil leaves it out.
	Assets http.Handler
	// Stream tunes GET /api/v1/events; zero fields take the defaults.
	Stream StreamOptions
	Log    *slog.Logger
	// BodyLimit caps request bodies, e.g. "64K" (the default).
	BodyLimit string
}

// New returns the router with every route of the service.
func New(d Deps) *echo.Echo {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.BodyLimit == "" {
		d.BodyLimit = "64K"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Server.ReadHeaderTimeout = 10 * time.Second
	e.Server.ReadTimeout = 30 * time.Second
	e.Server.WriteTimeout = 30 * time.Second
	e.Server.IdleTimeout = 2 * time.Minute
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = errorHandler(d.Log)
	e.Use(middleware.RequestID())
	e.Use(accessLog(d.Log))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(middleware.BodyLimit(d.BodyLimit))
	// Shutdown does not cancel request contexts, so long-lived event
	// streams watch this instead and end when the server drains.
	stop := make(chan struct{})
	e.Server.RegisterOnShutdown(sync.OnceFunc(func() { close(stop) }))
	routes(e, d, stop)
	return e
}

// accessLog logs failed requests at info and the rest at debug, without
// query strings or bodies.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			level := slog.LevelDebug
			if status >= 400 {
				level = slog.LevelInfo
			}
			log.Log(c.Request().Context(), level, "http request",
				"method", c.Request().Method, "path", c.Request().URL.Path, "status", status,
				"ms", time.Since(start).Milliseconds(),
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			return nil
		}
	}
}

func healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func readyz(ready func(context.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "not ready: redis unreachable")
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
}
