package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// proc is one child process with its output in a log file. The kernel
// kills it when this program dies (Pdeathsig), so no child outlives a
// crashed or killed run.
type proc struct {
	name string
	log  string // path of the file holding its stdout and stderr
	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited
	err  error         // its exit; read after done
}

// startProc starts bin with args and extra environment variables, writing
// its output to logPath.
func startProc(name, logPath string, env []string, bin string, args ...string) (*proc, error) {
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	defer out.Close() // the child has its own copy
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), env...) // later entries win
	// Its own process group keeps a terminal's Ctrl-C for us to handle;
	// Pdeathsig kills it if we die first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, log: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Kill() // fails only when it has already exited
	<-p.done
}

// stop sends SIGTERM, waits up to grace, then kills. It returns an error
// unless the process exited with status 0 or of the SIGTERM itself.
func (p *proc) stop(grace time.Duration) error {
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		var ee *exec.ExitError
		if !errors.As(p.err, &ee) {
			return p.err
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM {
			return nil
		}
		return fmt.Errorf("%s: %w", p.name, p.err)
	case <-time.After(grace):
		p.kill()
		return fmt.Errorf("%s did not stop within %s", p.name, grace)
	}
}

// freePorts returns n distinct loopback ports nothing listens on now.
// Each is picked by the kernel; one could be taken again before it is
// used, which startup then reports.
func freePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			_ = ln.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// loopback is the address of port on 127.0.0.1.
func loopback(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// waitFor calls ok every 50ms until it returns true, p exits, or the time
// is up.
func waitFor(ctx context.Context, p *proc, limit time.Duration, what string, ok func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if ok(ctx) {
			return nil
		}
		if p != nil && p.exited() {
			return fmt.Errorf("%s exited before %s: %v (log %s)", p.name, what, p.err, p.log)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: not within %s", what, limit)
		case <-t.C:
		}
	}
}

// httpStatus returns the status of GET url, or 0 when there is no answer.
func httpStatus(ctx context.Context, hc *http.Client, url string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0
	}
	_ = res.Body.Close()
	return res.StatusCode
}
