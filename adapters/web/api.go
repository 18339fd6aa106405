package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// callBudget bounds each call an API request makes into the console.
const callBudget = 10 * time.Second

// api serves /api/v1: the dispatcher's JSON view of each company, the
// overrides, the live-board stream and the simulator.
type api struct {
	console Console
	sim     Simulator // nil: no simulator routes or sim events
	stream  StreamOptions
	log     *slog.Logger
	stop    <-chan struct{} // closed when the server shuts down
}

// company resolves the ?company= parameter: optional when the service runs
// one company, required otherwise, and it must name a configured company.
func (a *api) company(c echo.Context) (string, error) {
	id := c.QueryParam("company")
	refs := a.console.Companies()
	if id == "" {
		if len(refs) == 1 {
			return refs[0].ID, nil
		}
		ids := make([]string, len(refs))
		for i, r := range refs {
			ids[i] = r.ID
		}
		return "", echo.NewHTTPError(http.StatusBadRequest,
			"the company parameter is required; one of: "+strings.Join(ids, ", "))
	}
	for _, r := range refs {
		if r.ID == id {
			return id, nil
		}
	}
	return "", echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("unknown company %q", id))
}

// callCtx is the request's context with the budget of one console call.
func callCtx(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), callBudget)
}

// companies answers GET /api/v1/companies.
func (a *api) companies(c echo.Context) error {
	return c.JSON(http.StatusOK, orEmpty(a.console.Companies()))
}

// board answers GET /api/v1/board.
func (a *api) board(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	b, err := a.console.Board(ctx, co)
	if err != nil {
		return fmt.Errorf("board %s: %w", co, err)
	}
	return c.JSON(http.StatusOK, b)
}

// jobs answers GET /api/v1/jobs?filter=.
func (a *api) jobs(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	jobs, err := a.console.Jobs(ctx, co, c.QueryParam("filter"))
	if err != nil {
		return fmt.Errorf("jobs %s: %w", co, err)
	}
	return c.JSON(http.StatusOK, orEmpty(jobs))
}

// job answers GET /api/v1/jobs/:id.
func (a *api) job(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	j, err := a.console.Job(ctx, co, c.Param("id"))
	if err != nil {
		return fmt.Errorf("job %s/%s: %w", co, c.Param("id"), err)
	}
	return c.JSON(http.StatusOK, j)
}

// technicians answers GET /api/v1/technicians.
func (a *api) technicians(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	techs, err := a.console.Technicians(ctx, co)
	if err != nil {
		return fmt.Errorf("technicians %s: %w", co, err)
	}
	return c.JSON(http.StatusOK, orEmpty(techs))
}

// stats answers GET /api/v1/stats?period=today|week.
func (a *api) stats(c echo.Context) error {
	co, err := a.company(c)
	if err != nil {
		return err
	}
	period := c.QueryParam("period")
	switch period {
	case "":
		period = "today"
	case "today", "week":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, `period must be "today" or "week"`)
	}
	ctx, cancel := callCtx(c)
	defer cancel()
	st, err := a.console.Stats(ctx, co, period)
	if err != nil {
		return fmt.Errorf("stats %s %s: %w", co, period, err)
	}
	return c.JSON(http.StatusOK, st)
}

// orEmpty makes a nil list encode as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
