package conversation

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestTriageDebug(t *testing.T) {
	f := os.Getenv("TRIAGE_DEBUG")
	if f == "" {
		t.Skip()
	}
	g := mustTriageGrader(t)
	if strings.HasSuffix(f, ".jsonl") {
		data := mustReadTriage(t, f)
		var u, tr, e, eok int
		for _, l := range data {
			gr := g.Grade(l.Text)
			if gr.Urgency == l.Urgency {
				u++
			}
			if gr.Trade == l.Trade {
				tr++
			}
			if l.Urgency == Emergency {
				e++
				if gr.Urgency == Emergency {
					eok++
				}
			}
			if gr.Urgency != l.Urgency || gr.Trade != l.Trade {
				t.Logf("want %s/%s got %s/%s %q :: %s", l.Urgency, l.Trade, gr.Urgency, gr.Trade, gr.Reasons, l.Text)
			}
		}
		t.Logf("n=%d urgency %.1f%% trade %.1f%% recall %d/%d", len(data), 100*float64(u)/float64(len(data)), 100*float64(tr)/float64(len(data)), eok, e)
		return
	}
	fh, _ := os.Open(f)
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		gr := g.Grade(sc.Text())
		t.Logf("%-9s %-10s %-10s conf=%v %q :: %s", gr.Urgency, gr.Trade, gr.Hazard, gr.Confident, gr.Reasons, sc.Text())
	}
}

func TestTriageDebugMatches(t *testing.T) {
	text := os.Getenv("TRIAGE_TEXT")
	if text == "" {
		t.Skip()
	}
	g := mustTriageGrader(t)
	c := g.c
	s := new(triScratch)
	c.tokenize(s, text)
	for i, tk := range s.toks {
		var ws []string
		for k := range tk.n {
			ws = append(ws, c.words[tk.terms[k]])
		}
		t.Logf("tok %d %v sent=%d clause=%d flags=%d", i, ws, tk.sent, tk.clause, tk.flags)
	}
	c.matchAll(s)
	gr := c.decide(s)
	for i, m := range s.matches {
		p := c.patterns[m.pat]
		name := "overafter"
		if p.owner >= 0 {
			name = c.signals[p.owner].name
		}
		t.Logf("match %s kind=%d [%d,%d] state=%d", name, p.kind, m.start, m.end, s.state[i])
	}
	t.Logf("%+v", gr)
}
