package web

import "github.com/labstack/echo/v4"

// routes lists every route the service serves; stop closes when the server
// shuts down.
func routes(e *echo.Echo, d Deps, stop <-chan struct{}) {
	e.GET("/healthz", healthz)
	if d.Ready != nil {
		e.GET("/readyz", readyz(d.Ready))
	}
	if d.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(d.Metrics))
	}
	if d.TwilioInbound != nil {
		e.POST("/webhooks/twilio", d.TwilioInbound)
	}
	if d.TwilioStatus != nil {
		e.POST("/webhooks/twilio/status", d.TwilioStatus)
	}
	if d.TelegramUpdate != nil {
		e.POST("/webhooks/telegram/:company", d.TelegramUpdate)
	}
	if d.Assets != nil {
		page := echo.WrapHandler(d.Assets)
		e.GET("/", page)
		e.GET("/static/*", page)
	}
	if d.Console == nil || d.AdminToken == "" {
		return
	}
	a := &api{console: d.Console, sim: d.Simulator, stream: d.Stream.withDefaults(), log: d.Log, stop: stop}
	// Auth is per route, not group middleware, so that a wrong method
	// still gets 405 rather than the group's catch-all 404.
	auth := bearer(d.AdminToken, false)
	v1 := e.Group("/api/v1")
	v1.GET("/companies", a.companies, auth)
	v1.GET("/board", a.board, auth)
	// EventSource cannot set headers, so the stream alone also takes ?token=.
	v1.GET("/events", a.events, bearer(d.AdminToken, true))
	v1.GET("/jobs", a.jobs, auth)
	v1.GET("/jobs/:id", a.job, auth)
	v1.POST("/jobs/:id/:action", a.act, auth)
	v1.GET("/technicians", a.technicians, auth)
	v1.POST("/technicians/:id/duty", a.duty, auth)
	v1.GET("/stats", a.stats, auth)
	if d.Simulator != nil {
		v1.GET("/sim/phones", a.simPhones, auth)
		v1.POST("/sim/send", a.simSend, auth)
		v1.GET("/sim/messages", a.simMessages, auth)
	}
}
