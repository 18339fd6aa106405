package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"dispatchbot/bot"
)

// actor is the name the console's audit trail gives overrides made here.
const actor = "web board"

// jobActions are the overrides POST /api/v1/jobs/:id/:action accepts.
var jobActions = []string{"assign", "reassign", "cancel", "urgency", "say", "takeover", "release", "note"}

// actionBody is the body of a job action; takeover and release need none.
type actionBody struct {
	Tech string `json:"tech"`
	Arg  string `json:"arg"`
}

// dutyBody is the body of POST /api/v1/technicians/:id/duty.
type dutyBody struct {
	On *bool `json:"on"`
}

// act answers POST /api/v1/jobs/:id/:action.
func (a *api) act(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	name := c.Param("action")
	if !slices.Contains(jobActions, name) {
		return echo.NewHTTPError(http.StatusNotFound,
			fmt.Sprintf("unknown action %q; actions: %s", name, strings.Join(jobActions, ", ")))
	}
	var body actionBody
	present, err := readJSON(c, &body, `{"tech": "...", "arg": "..."}`)
	if err != nil {
		return err
	}
	if !present && name != "takeover" && name != "release" {
		return echo.NewHTTPError(http.StatusBadRequest,
			fmt.Sprintf(`%s needs a JSON body: {"tech": "...", "arg": "..."}`, name))
	}
	return a.apply(c, co, bot.Action{Name: name, Job: c.Param("id"), Tech: body.Tech, Arg: body.Arg})
}

// duty answers POST /api/v1/technicians/:id/duty.
func (a *api) duty(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	const want = `{"on": true} or {"on": false}`
	var body dutyBody
	present, err := readJSON(c, &body, want)
	if err != nil {
		return err
	}
	if !present || body.On == nil {
		return echo.NewHTTPError(http.StatusBadRequest, "duty needs a JSON body: "+want)
	}
	arg := "off"
	if *body.On {
		arg = "on"
	}
	return a.apply(c, co, bot.Action{Name: "duty", Tech: c.Param("id"), Arg: arg})
}

// apply runs one override; a refusal reaches errorHandler as *bot.ActionError.
func (a *api) apply(c echo.Context, company string, act bot.Action) error {
	ctx, cancel := callCtx(c)
	defer cancel()
	res, err := a.console.Act(ctx, company, actor, act)
	if err != nil {
		return fmt.Errorf("act %s %s on %s: %w", company, act.Name, act.Job+act.Tech, err)
	}
	return c.JSON(http.StatusOK, res)
}

// readJSON decodes the request's JSON body into v, strictly: no unknown
// fields, nothing after the value. It reports false for an absent or blank
// body. want shows the expected shape in the error message.
func readJSON(c echo.Context, v any, want string) (bool, error) {
	req := c.Request()
	data, err := io.ReadAll(req.Body)
	if err != nil {
		if he, ok := errors.AsType[*echo.HTTPError](err); ok {
			return false, he // the body limit's 413
		}
		return false, echo.NewHTTPError(http.StatusBadRequest, "unreadable request body").SetInternal(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return false, nil
	}
	if mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return false, echo.NewHTTPError(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return false, echo.NewHTTPError(http.StatusBadRequest, "malformed JSON body; want "+want)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return false, echo.NewHTTPError(http.StatusBadRequest, "malformed JSON body: one object only; want "+want)
	}
	return true, nil
}
