package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"dispatchbot/bot"
)

// errorBody is the JSON every error response carries.
type errorBody struct {
	Error string `json:"error"`
}

// errorHandler renders errors as {"error": "..."}: an *echo.HTTPError keeps
// its status and message; a refused action or a missing job or company gets
// its 4xx (see refusal); anything else is a 500 whose cause is logged, never
// shown.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, msg := http.StatusInternalServerError, "internal error"
		if he, ok := errors.AsType[*echo.HTTPError](err); ok {
			status = he.Code
			switch m := he.Message.(type) {
			case string:
				msg = m
			case error:
				msg = m.Error()
			default:
				msg = fmt.Sprint(m)
			}
			if he.Internal != nil {
				log.Warn("request failed", "status", status, "err", he.Internal)
			}
		} else if st, m, ok := refusal(err); ok {
			status, msg = st, m
		} else {
			log.Error("request failed", "path", c.Request().URL.Path, "err", err)
		}
		var werr error
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, errorBody{Error: msg})
		}
		if werr != nil {
			log.Warn("write error response", "err", werr)
		}
	}
}

// refusal maps the core's refusals to a status and a message written for
// the dispatcher.
func refusal(err error) (int, string, bool) {
	if ae, ok := errors.AsType[*bot.ActionError](err); ok {
		switch ae.Kind {
		case bot.RefusedNotFound:
			return http.StatusNotFound, ae.Msg, true
		case bot.RefusedConflict:
			return http.StatusConflict, ae.Msg, true
		default: // bot.RefusedBad and any kind added later
			return http.StatusBadRequest, ae.Msg, true
		}
	}
	switch {
	case errors.Is(err, bot.ErrNoJob):
		return http.StatusNotFound, "no such job", true
	case errors.Is(err, bot.ErrUnknownCompany):
		return http.StatusNotFound, "unknown company", true
	}
	return 0, "", false
}
