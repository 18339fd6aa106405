package main

import (
	"errors"
	"testing"
)

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		raw     string
		ok      bool
		notLoop bool // refused for being off this machine
	}{
		{"http://127.0.0.1:8080", true, false},
		{"http://127.9.9.9:8080/base", true, false},
		{"http://localhost:8080", true, false},
		{"https://[::1]:8443", true, false},
		{"http://10.0.0.5:8080", false, true},
		{"http://0.0.0.0:8080", false, true},
		{"http://example.com", false, true},
		{"http://127.0.0.1.nip.io:8080", false, true},
		{"ftp://127.0.0.1", false, false},
		{"127.0.0.1:8080", false, false},
		{"http://", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := loopbackURL(tt.raw, "http", "https")
			if (err == nil) != tt.ok {
				t.Fatalf("loopbackURL(%q) = %v, want ok %v", tt.raw, err, tt.ok)
			}
			if got := errors.Is(err, errNotLoopback); got != tt.notLoop {
				t.Errorf("loopbackURL(%q) = %v; refused as not loopback: %v, want %v", tt.raw, err, got, tt.notLoop)
			}
		})
	}
}

func TestLoopbackAddr(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:9999", true},
		{"localhost:0", true},
		{"[::1]:9999", true},
		{":9999", false}, // every interface
		{"0.0.0.0:9999", false},
		{"192.168.1.2:9999", false},
		{"127.0.0.1", false}, // no port
	}
	for _, tt := range tests {
		if err := loopbackAddr(tt.addr); (err == nil) != tt.ok {
			t.Errorf("loopbackAddr(%q) = %v, want ok %v", tt.addr, err, tt.ok)
		}
	}
}

func TestRunRefusesRemoteTargets(t *testing.T) {
	tests := [][]string{
		{"-target", "http://192.0.2.10:8080"},
		{"-listen", "0.0.0.0:9999"},
		{"-redis", "redis://192.0.2.10:6379/9"},
	}
	for _, args := range tests {
		err := run(t.Context(), args, discard{}, discard{})
		if !errors.Is(err, errNotLoopback) {
			t.Errorf("run(%q) = %v, want a refusal for not being loopback", args, err)
		}
	}
}

// discard is an io.Writer that keeps nothing.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
