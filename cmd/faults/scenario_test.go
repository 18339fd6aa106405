package main

import (
	"testing"
	"time"
)

func TestDeadConsumer(t *testing.T) {
	const quiet = 500 * time.Millisecond
	tests := []struct {
		name   string
		cs     map[string]consumer
		want   string
		wantOK bool
	}{
		{"one quiet", map[string]consumer{"a": {idle: 10 * time.Millisecond}, "b": {idle: time.Second}}, "b", true},
		{"none quiet", map[string]consumer{"a": {idle: time.Millisecond}, "b": {idle: 2 * time.Millisecond}}, "", false},
		{"both quiet", map[string]consumer{"a": {idle: time.Second}, "b": {idle: time.Second}}, "", false},
		{"no consumers", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := deadConsumer(tt.cs, quiet)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("deadConsumer(%v) = %q, %v; want %q, %v", tt.cs, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-only", "kill,redis", "-customers", "50"}, false},
		{[]string{"-only", "nope"}, true},
		{[]string{"-customers", "3"}, true},
		{[]string{"-rate", "0"}, true},
		{[]string{"-latency", "-1s"}, true},
		{[]string{"stray"}, true},
	}
	for _, tt := range tests {
		s, err := parseFlags(tt.args, &testWriter{t})
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFlags(%q) = %+v, %v; want an error: %v", tt.args, s, err, tt.wantErr)
		}
	}
}

// testWriter sends flag's usage text to the test log.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
