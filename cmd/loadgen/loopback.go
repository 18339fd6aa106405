package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// errNotLoopback refuses an address off this machine: a load generator
// must never be pointed at someone else's server by mistake.
var errNotLoopback = errors.New("not a loopback address (use 127.0.0.1, ::1 or localhost)")

// loopbackURL checks that raw is an http(s) or redis URL whose host is a
// loopback IP or "localhost", and returns it parsed.
func loopbackURL(raw string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("url %q: %w", raw, err)
	}
	if !containsFold(schemes, u.Scheme) {
		return nil, fmt.Errorf("url %q: scheme must be one of %s", raw, strings.Join(schemes, ", "))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("url %q: no host", raw)
	}
	if err := loopbackHost(u.Hostname()); err != nil {
		return nil, fmt.Errorf("url %q: %w", raw, err)
	}
	return u, nil
}

// loopbackAddr checks that a listen address (host:port) is on loopback. An
// empty host, which would listen on every interface, is refused.
func loopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if err := loopbackHost(host); err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	return nil
}

// loopbackHost accepts "localhost" and loopback IP literals only; names
// are not resolved, so what is checked is what is dialled.
func loopbackHost(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errNotLoopback
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
