package config

import (
	"errors"
	"strings"
	"testing"
)

const triageBase = `companies:
  - id: acme
    name: Acme
    timezone: Europe/London
    region: GB
    service_areas: [M1]
`

func TestTriageOverride(t *testing.T) {
	good := triageBase + `    triage:
      signals:
        - name: hot-tub
          phrases: ["hot tub"]
          trade: plumbing
          urgency: routine
      disable: []
`
	cfg, err := Parse([]byte(good), nil)
	if err != nil {
		t.Fatalf("Parse(override) = %v, want nil", err)
	}
	if tr := cfg.Companies[0].Triage; tr == nil || len(tr.Signals) != 1 || tr.Signals[0].Name != "hot-tub" {
		t.Fatalf("Triage = %+v, want the hot-tub signal", tr)
	}

	bad := triageBase + `    triage:
      signals:
        - name: bogus
          phrases: ["flux capacitor"]
          urgency: whenever
`
	_, err = Parse([]byte(bad), nil)
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Path != "companies[0].triage" || !strings.Contains(probs[0].Msg, "whenever") {
		t.Fatalf("Parse(bad override) = %v, want one problem at companies[0].triage naming the bad urgency", err)
	}
}
