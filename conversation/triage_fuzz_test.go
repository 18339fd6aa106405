package conversation

import (
	"strings"
	"testing"
)

func FuzzGrade(f *testing.F) {
	for _, s := range []string{
		"",
		"no gas smell, pilot light is just out",
		"WATER POURING THROUGH THE KITCHEN CEILING!!!",
		"my 2 year old is locked in the car, it's -5 and 104 at once?",
		"isn't not no never ~ @ # * | ( ) ~3",
		"co2 alarm 3yo 80s 8°C −12 ’s’’ don’t",
		"\xff\xfe invalid utf-8 \xc3",
		strings.Repeat("leak ", 2000),
		strings.Repeat("no ", 500) + "gas smell",
	} {
		f.Add(s)
	}
	g, err := NewGrader(DefaultTriageRules())
	if err != nil {
		f.Fatalf("NewGrader(DefaultTriageRules()) = %v", err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := g.Grade(text)
		if !got.Urgency.Valid() || !got.Trade.Valid() || !got.Hazard.Valid() {
			t.Fatalf("Grade(%q) = %+v, want a valid urgency, trade and hazard", text, got)
		}
		if got.Hazard != HazardNone && got.Urgency != Emergency {
			t.Fatalf("Grade(%q) = %+v: a hazard on a non-emergency", text, got)
		}
		if got.Reasons == nil || len(got.Reasons) > triMaxReasons {
			t.Fatalf("Grade(%q).Reasons = %q, want 0 to %d reasons", text, got.Reasons, triMaxReasons)
		}
	})
}
