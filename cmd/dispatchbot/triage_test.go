package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestTriageCommandGradesSampleSet runs `dispatchbot triage` over the sample
// set: one graded line per input, in order, with valid labels.
func TestTriageCommandGradesSampleSet(t *testing.T) {
	in, err := os.ReadFile("../../conversation/testdata/triage-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"triage"}, func(string) string { return "" }, bytes.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("triage exit %d: %s", code, errOut.String())
	}
	inLines := strings.Split(strings.TrimSpace(string(in)), "\n")
	sc := bufio.NewScanner(&out)
	urgencies := map[string]bool{"emergency": true, "urgent": true, "routine": true}
	trades := map[string]bool{"plumbing": true, "electrical": true, "hvac": true, "appliance": true, "cleaning": true, "locksmith": true, "general": true}
	n, agree := 0, 0
	for sc.Scan() {
		var got struct {
			Text    string   `json:"text"`
			Urgency string   `json:"urgency"`
			Trade   string   `json:"trade"`
			Reasons []string `json:"reasons"`
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("output line %d is not JSON: %v", n+1, err)
		}
		var want struct{ Text, Urgency, Trade string }
		if err := json.Unmarshal([]byte(inLines[n]), &want); err != nil {
			t.Fatal(err)
		}
		if got.Text != want.Text || !urgencies[got.Urgency] || !trades[got.Trade] || got.Reasons == nil {
			t.Errorf("line %d = %+v, want the input's text with a valid urgency, trade and reasons", n+1, got)
		}
		if got.Urgency == want.Urgency && got.Trade == want.Trade {
			agree++
		}
		n++
	}
	if n != len(inLines) {
		t.Fatalf("triage wrote %d lines for %d inputs", n, len(inLines))
	}
	t.Logf("urgency and trade both agree with the labels on %d of %d", agree, n)
}

func TestTriageCommandRejectsBadInput(t *testing.T) {
	for _, in := range []string{"not json\n", `{"txt":"hi"}` + "\n"} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"triage"}, func(string) string { return "" }, strings.NewReader(in), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "line 1") {
			t.Errorf("triage on %q: exit %d, stderr %q; want 1 naming line 1", in, code, errOut.String())
		}
	}
}
