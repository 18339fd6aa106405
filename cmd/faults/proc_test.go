package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mustShell returns the path of sh, skipping the test without one.
func mustShell(tb testing.TB) string {
	tb.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		tb.Skip("no sh on PATH")
	}
	return sh
}

func TestProcKillAndStop(t *testing.T) {
	sh := mustShell(t)
	dir := t.TempDir()
	tests := []struct {
		name     string
		script   string
		kill     bool // kill rather than stop
		stopFail bool // stop reports an unclean end
	}{
		{"stop ends on SIGTERM", "echo ready; exec sleep 60", false, false},
		// An ignored signal stays ignored across exec.
		{"stop kills one that ignores SIGTERM", `trap "" TERM; echo ready; exec sleep 60`, false, true},
		{"kill", "echo ready; exec sleep 60", true, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(dir, strconv.Itoa(i)+".log")
			p, err := startProc(tt.name, log, []string{"FAULTS_TEST=1"}, sh, "-c", tt.script)
			if err != nil {
				t.Fatal(err)
			}
			err = waitFor(context.Background(), p, time.Minute, "script ready", func(context.Context) bool {
				b, _ := os.ReadFile(log)
				return strings.Contains(string(b), "ready")
			})
			if err != nil {
				t.Fatal(err)
			}
			if tt.kill {
				p.kill()
			} else if err := p.stop(200 * time.Millisecond); (err != nil) != tt.stopFail {
				t.Errorf("stop = %v, want an error: %v", err, tt.stopFail)
			}
			if !p.exited() {
				t.Error("still running after kill or stop")
			}
			p.kill() // again: harmless
		})
	}
}

func TestStartProcReportsMissingBinary(t *testing.T) {
	if _, err := startProc("nothing", filepath.Join(t.TempDir(), "log"), nil, "/nonexistent/binary"); err == nil {
		t.Error("startProc of a missing binary = nil error")
	}
}

func TestFreePorts(t *testing.T) {
	ports, err := freePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if p <= 0 || seen[p] {
			t.Errorf("freePorts = %v: want 5 distinct ports", ports)
		}
		seen[p] = true
	}
}
