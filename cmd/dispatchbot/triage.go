package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"dispatchbot/conversation"
)

// triageLine is one graded message as `dispatchbot triage` prints it.
type triageLine struct {
	Text    string   `json:"text"`
	Urgency string   `json:"urgency"`
	Trade   string   `json:"trade"`
	Hazard  string   `json:"hazard,omitempty"`
	Reasons []string `json:"reasons"`
}

// triage grades JSON Lines from r (each with a "text" field; other fields
// are ignored) and writes one graded line per input to w, with the same
// grader the conversation uses. A line that is not JSON or has no text is
// an error naming its line number.
func triage(r io.Reader, w io.Writer) error {
	g, err := conversation.NewGrader(conversation.DefaultTriageRules())
	if err != nil {
		return fmt.Errorf("triage rules: %w", err)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var in struct {
			Text *string `json:"text"`
		}
		if err := json.Unmarshal(line, &in); err != nil {
			return fmt.Errorf("line %d: not a JSON object: %w", n, err)
		}
		if in.Text == nil {
			return fmt.Errorf("line %d: no \"text\" field", n)
		}
		gr := g.Grade(*in.Text)
		out := triageLine{Text: *in.Text, Urgency: string(gr.Urgency), Trade: string(gr.Trade), Reasons: gr.Reasons}
		if gr.Hazard != conversation.HazardNone {
			out.Hazard = string(gr.Hazard)
		}
		if out.Reasons == nil {
			out.Reasons = []string{}
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	return bw.Flush()
}
