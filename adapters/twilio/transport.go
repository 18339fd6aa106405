package twilio

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxErrorBody bounds how much of an error response is kept in memory.
const maxErrorBody = 64 << 10

// transport sends the SDK's requests to target (TWILIO_API_BASE) instead of
// api.twilio.com when target is set, and buffers error responses.
type transport struct {
	target *url.URL // nil: Twilio's own API
	base   http.RoundTripper
}

// RoundTrip rewrites the scheme and host (and prefixes target's path), then
// reads error bodies into memory: twilio-go never closes the body of an error
// response, which would pin the connection and its goroutines.
func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.target != nil {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.target.Scheme, t.target.Host, t.target.Host
		if p := strings.TrimRight(t.target.Path, "/"); p != "" {
			r.URL.Path, r.URL.RawPath = p+r.URL.Path, ""
		}
	}
	res, err := t.base.RoundTrip(r)
	if err != nil || res.StatusCode < http.StatusBadRequest {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res, nil
}

// parseBase checks TWILIO_API_BASE: "" or an absolute http(s) URL.
func parseBase(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errNotHTTPURL
	}
	return u, nil
}
