package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dispatchbot/adapters/web"
)

func TestRouterAnswersErrorsAsJSON(t *testing.T) {
	redisUp := true
	e := web.New(web.Deps{
		Ready: func(context.Context) error {
			if redisUp {
				return nil
			}
			return errors.New("dial tcp: connection refused")
		},
		TwilioInbound: func(c echo.Context) error {
			if c.Request().URL.Query().Get("panic") != "" {
				panic("handler bug")
			}
			if _, err := c.FormParams(); err != nil {
				return err
			}
			return errors.New("secret internal detail")
		},
		BodyLimit: "1K",
	})
	cases := []struct {
		name      string
		method    string
		path      string
		body      string
		down      bool
		status    int
		wantError string
	}{
		{"unknown route", http.MethodGet, "/nope", "", false, http.StatusNotFound, "Not Found"},
		{"wrong method", http.MethodGet, "/webhooks/twilio", "", false, http.StatusMethodNotAllowed, "Method Not Allowed"},
		{"oversized body", http.MethodPost, "/webhooks/twilio", strings.Repeat("a=b&", 1000), false, http.StatusRequestEntityTooLarge, "Request Entity Too Large"},
		{"internal error hides its cause", http.MethodPost, "/webhooks/twilio", "a=b", false, http.StatusInternalServerError, "internal error"},
		{"panic", http.MethodPost, "/webhooks/twilio?panic=1", "a=b", false, http.StatusInternalServerError, "internal error"},
		{"redis down", http.MethodGet, "/readyz", "", true, http.StatusServiceUnavailable, "not ready: redis unreachable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			redisUp = !tc.down
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			var body struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", rec.Body, err)
			}
			if rec.Code != tc.status || body.Error != tc.wantError {
				t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, rec.Code, body.Error, tc.status, tc.wantError)
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	e := web.New(web.Deps{Ready: func(context.Context) error { return nil }})
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, rec.Code)
		}
	}
}
