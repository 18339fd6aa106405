package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// bearer lets a request through only with "Authorization: Bearer <token>",
// or, when query is true and no Authorization header is sent, ?token=.
// Comparing hashes keeps the comparison constant-time whatever the lengths.
func bearer(token string, query bool) echo.MiddlewareFunc {
	want := sha256.Sum256([]byte(token))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			got, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
			if !ok && query && c.Request().Header.Get(echo.HeaderAuthorization) == "" {
				got = c.QueryParam("token")
				ok = got != ""
			}
			sum := sha256.Sum256([]byte(got))
			if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, "Bearer")
				return echo.NewHTTPError(http.StatusUnauthorized, "missing or wrong bearer token")
			}
			return next(c)
		}
	}
}

// bearerToken returns the token of an "Authorization: Bearer <token>" value.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
