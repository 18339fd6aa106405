package web

import "github.com/labstack/echo/v4"

// routes lists every route the service serves.
func routes(e *echo.Echo, d Deps) {
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
	if d.Home != nil {
		e.GET("/", d.Home)
	}
}
