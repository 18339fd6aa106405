package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserWait bounds every wait for the page to show something.
const browserWait = 60 * time.Second

// findChromium finds a Chromium or Chrome binary on PATH.
func findChromium() (string, bool) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// browserPage drives one headless Chromium tab and fails the test with what the
// page showed when a wait runs out.
type browserPage struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errors []string // uncaught exceptions and console errors
}

// newBrowserPage starts headless Chromium with a fresh profile for the test.
func newBrowserPage(t *testing.T, bin string) *browserPage {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	p := &browserPage{t: t, ctx: ctx}
	// The first call starts the browser; it must have no deadline.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900)); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.mu.Lock()
				p.errors = append(p.errors, m.String())
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// do runs steps with the browser wait as deadline.
func (p *browserPage) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fail("%s: %v", what, err)
	}
}

// browserEval evaluates a JavaScript expression in the page.
func browserEval[T any](p *browserPage, what, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fail("%s: %v", what, err)
	}
	return v
}

// browserPoll waits until the expression is truthy and returns its value.
func browserPoll[T any](p *browserPage, what, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait+5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(browserWait)))
	if err != nil {
		p.fail("wait for %s: %v", what, err)
	}
	return v
}

// fail stops the test with the visible text of the page.
func (p *browserPage) fail(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		text = "(unreadable: " + err.Error() + ")"
	}
	p.t.Fatalf(format+"\npage errors: %q\npage text:\n%s", append(args, p.pageErrors(), text)...)
}

func (p *browserPage) pageErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// jsQuote quotes s for a JavaScript expression.
func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// gotCount counts the bot's messages shown on a simulator phone.
func (p *browserPage) gotCount(role string) int {
	p.t.Helper()
	return browserEval[int](p, "count "+role+" messages",
		fmt.Sprintf(`document.querySelectorAll("#phone-%s .messages li.got").length`, role))
}

// waitGot waits until the phone shows a bot message, after the first skip,
// containing every part, and returns its text.
func (p *browserPage) waitGot(role string, skip int, parts ...string) string {
	p.t.Helper()
	conds := make([]string, len(parts))
	for i, s := range parts {
		conds[i] = "t.includes(" + jsQuote(s) + ")"
	}
	return browserPoll[string](p, fmt.Sprintf("a message to the %s phone containing %q", role, parts), fmt.Sprintf(`(() => {
		const m = [...document.querySelectorAll("#phone-%s .messages li.got .text")].slice(%d)
			.map((e) => e.textContent).find((t) => %s);
		return m || "";
	})()`, role, skip, strings.Join(conds, " && ")))
}

// send types text on a simulator phone, presses Send and waits until the
// phone shows it as sent.
func (p *browserPage) send(role, text string) {
	p.t.Helper()
	box := "#phone-" + role
	p.do(fmt.Sprintf("send %q from the %s phone", text, role),
		chromedp.WaitEnabled(chromedp.CSS(box+" textarea")),
		chromedp.SendKeys(chromedp.CSS(box+" textarea"), text),
		chromedp.Click(chromedp.CSS(box+` button[type="submit"]`)))
	browserPoll[bool](p, fmt.Sprintf("%q shown as sent on the %s phone", text, role), fmt.Sprintf(
		`[...document.querySelectorAll("#phone-%s .messages li.sent .text")].some((e) => e.textContent === %s)`,
		role, jsQuote(text)))
}

// screenshot saves the whole page as PNG in each dir.
func (p *browserPage) screenshot(name string, dirs ...string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fail("screenshot %s: %v", name, err)
	}
	for _, dir := range dirs {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			p.t.Fatalf("save screenshot: %v", err)
		}
		p.t.Logf("screenshot: %s", path)
	}
}

var browserJobID = regexp.MustCompile(`\bJ-\d+\b`)

// TestBrowserBoardAndSimulator drives the real page in headless Chromium:
// a customer books an emergency on the simulator's phone, the technician
// who gets the offer takes it, the board shows the job assigned, and a
// message the dispatcher sends from the job's panel reaches the customer.
func TestBrowserBoardAndSimulator(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin, ok := findChromium()
	if !ok {
		t.Skip("browser test skipped: no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium)")
	}
	const token = "browser-test-token"
	s := startServerWith(t, map[string]string{"ADMIN_TOKEN": token}, allDay)
	p := newBrowserPage(t, bin)
	shots := t.TempDir()

	p.do("open the board", chromedp.Navigate(s.base+"/?token="+token))
	browserPoll[bool](p, "the live board", `document.querySelector("#conn").dataset.state === "live" &&
		document.querySelector("#company-name").textContent.includes("Brightwater") &&
		!!document.querySelector("#phone-customer").dataset.phone`)
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	cancel()
	if err != nil || strings.Contains(loc, "token") {
		t.Errorf("address bar = %q, %v; want it without the token", loc, err)
	}

	// The customer reports an emergency and answers until it is booked.
	n := p.gotCount("customer")
	p.send("customer", "water is pouring through my ceiling from a burst pipe")
	p.waitGot("customer", n, "address")
	n = p.gotCount("customer")
	p.send("customer", "12 Oak Road, M14 5AB")
	p.waitGot("customer", n, "name")
	n = p.gotCount("customer")
	p.send("customer", "Sam Jones")
	p.waitGot("customer", n, "Reply YES")
	n = p.gotCount("customer")
	p.send("customer", "yes")
	booked := p.waitGot("customer", n, "technician is being sent")
	job := browserJobID.FindString(booked)
	if job == "" {
		t.Fatalf("booking message %q has no job number", booked)
	}

	// The technician who got the offer: marked unread on the phone's
	// picker, or the one the phone shows already.
	techPhone := browserPoll[string](p, "an offer of "+job+" on a technician phone", fmt.Sprintf(`(() => {
		const sel = document.querySelector("#phone-technician select");
		const unread = sel.querySelector("option[data-unread]");
		if (unread) return unread.value;
		const shown = [...document.querySelectorAll("#phone-technician .messages li.got .text")]
			.some((e) => e.textContent.includes(%s));
		return shown ? sel.value : "";
	})()`, jsQuote(job)))
	picked := browserEval[string](p, "pick technician phone "+techPhone, fmt.Sprintf(`(() => {
		const sel = document.querySelector("#phone-technician select");
		sel.value = %s;
		sel.dispatchEvent(new Event("change"));
		return sel.selectedOptions[0].textContent.replace(/ \(\d+ new\)$/, "");
	})()`, jsQuote(techPhone)))
	p.waitGot("technician", 0, job)
	p.send("technician", "YES")

	// The board shows the job assigned to that technician, on their timeline.
	card := fmt.Sprintf(`#job-groups [data-job=%s]`, jsQuote(job))
	techID := browserPoll[string](p, job+" assigned on the board", fmt.Sprintf(`(() => {
		const c = document.querySelector(%s);
		return c && c.dataset.status === "assigned" && c.dataset.tech ? c.dataset.tech : "";
	})()`, jsQuote(card)))
	techName := browserPoll[string](p, job+" on "+techID+"'s timeline", fmt.Sprintf(`(() => {
		const li = document.querySelector(%s);
		return li && li.querySelector(%s) ? li.querySelector("strong").textContent : "";
	})()`, jsQuote(fmt.Sprintf("#tech-list [data-tech=%s]", jsQuote(techID))),
		jsQuote(fmt.Sprintf(".timeline [data-job=%s]", jsQuote(job)))))
	if !strings.Contains(picked, techName) && !strings.Contains(techName, picked) {
		t.Errorf("%s was assigned to %s, but the offer was on the phone of %s", job, techName, picked)
	}

	// The dispatcher opens the job and messages the customer from it.
	p.do("open "+job, chromedp.Click(chromedp.CSS(card)))
	browserPoll[bool](p, job+"'s detail panel", fmt.Sprintf(`!document.querySelector("#detail").hidden &&
		document.querySelector("#detail-title").textContent.startsWith(%s) &&
		document.querySelectorAll("#transcript li.them").length > 0 &&
		document.querySelectorAll("#audit li").length > 0`, jsQuote(job)))
	const say = "Your technician is ten minutes away, keep the stopcock off"
	n = p.gotCount("customer")
	p.do("say to the customer",
		chromedp.SendKeys(chromedp.CSS(`#detail [data-testid="say-text"]`), say),
		chromedp.Click(chromedp.CSS(`#detail [data-testid="say"]`)))
	result := browserPoll[string](p, "the say result", `(() => {
		const r = document.querySelector("#detail-result");
		return r.dataset.ok && r.textContent !== "…" ? r.dataset.ok + ": " + r.textContent : "";
	})()`)
	if !strings.HasPrefix(result, "yes: ") {
		p.fail("say answered %q, want a message", result)
	}
	p.waitGot("customer", n, say)

	if errs := p.pageErrors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %q", errs)
	}
	dirs := []string{shots}
	if os.Getenv("UPDATE_SCREENSHOT") == "1" {
		dirs = append(dirs, filepath.Join("..", "..", "docs"))
	}
	p.screenshot("board.png", dirs...)
	p.do("narrow screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	p.screenshot("board-phone.png", shots)
}
