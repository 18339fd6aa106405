package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// Simulator limits.
const (
	maxSimText      = 1600 // characters in one message, as in one long SMS
	defaultSimLimit = 100  // messages per GET /api/v1/sim/messages
	maxSimLimit     = 500
)

// simSendBody is the body of POST /api/v1/sim/send.
type simSendBody struct {
	Phone string `json:"phone"`
	Text  string `json:"text"`
}

// simPhones answers GET /api/v1/sim/phones.
func (a *api) simPhones(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, orEmpty(a.sim.Phones(co)))
}

// simSend answers POST /api/v1/sim/send: text typed on a simulator phone.
func (a *api) simSend(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	const want = `{"phone": "...", "text": "..."}`
	var body simSendBody
	present, err := readJSON(c, &body, want)
	if err != nil {
		return err
	}
	if !present {
		return echo.NewHTTPError(http.StatusBadRequest, "send needs a JSON body: "+want)
	}
	if !a.isPhone(co, body.Phone) {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("unknown simulator phone %q", body.Phone))
	}
	if strings.TrimSpace(body.Text) == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "text is empty")
	}
	if n := utf8.RuneCountInString(body.Text); n > maxSimText {
		return echo.NewHTTPError(http.StatusBadRequest,
			fmt.Sprintf("text is %d characters; at most %d", n, maxSimText))
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	if err := a.sim.Send(ctx, co, body.Phone, body.Text); err != nil {
		return fmt.Errorf("sim send %s: %w", co, err)
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "sent"})
}

// isPhone reports whether id is one of company's simulator phones.
func (a *api) isPhone(company, id string) bool {
	for _, p := range a.sim.Phones(company) {
		if p.ID == id {
			return true
		}
	}
	return false
}

// simMessages answers GET /api/v1/sim/messages?after=N&limit=M.
func (a *api) simMessages(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	after, err := intParam(c.QueryParam("after"), 0, 0, 1<<62)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "after must be a sequence number, 0 or more")
	}
	limit, err := intParam(c.QueryParam("limit"), defaultSimLimit, 1, maxSimLimit)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("limit must be from 1 to %d", maxSimLimit))
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	msgs, err := a.sim.Messages(ctx, co, after, int(limit))
	if err != nil {
		return fmt.Errorf("sim messages %s: %w", co, err)
	}
	return c.JSON(http.StatusOK, orEmpty(msgs))
}

// intParam parses a decimal query parameter within [lo, hi]; "" gives def.
func intParam(s string, def, lo, hi int64) (int64, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", s, err)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d out of range [%d, %d]", n, lo, hi)
	}
	return n, nil
}
