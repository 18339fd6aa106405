package conversation

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

// mustMergedGrader compiles the default rules merged with a company override.
func mustMergedGrader(tb testing.TB, override TriageRules) *Grader {
	tb.Helper()
	g, err := NewGrader(DefaultTriageRules().Merge(override))
	if err != nil {
		tb.Fatalf("NewGrader(defaults + %+v) = %v", override, err)
	}
	return g
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name     string
		override TriageRules
		text     string
		before   Urgency // graded with the defaults
		after    Urgency // graded with the override merged in
		trade    dispatch.Trade
	}{
		{
			name: "company adds a signal",
			override: TriageRules{Signals: []Signal{{
				Name: "heating_oil", Phrases: []string{"smell* ~3 heating oil", "oil ~2 leak*"},
				Urgency: Emergency, Hazard: HazardFire, Trade: dispatch.HVAC, Reason: "heating oil",
			}}},
			text: "strong smell of heating oil in the utility room", before: Routine, after: Emergency, trade: dispatch.HVAC,
		},
		{
			name:     "company adds a phrase to a default signal",
			override: TriageRules{Signals: []Signal{{Name: "gas_smell", Phrases: []string{"mercaptan"}}}},
			text:     "I think I can detect mercaptan in the hall", before: Routine, after: Emergency, trade: dispatch.HVAC,
		},
		{
			name:     "company disables a default phrase",
			override: TriageRules{Disable: []string{"eggy"}},
			text:     "eggy whiff in the hallway", before: Emergency, after: Routine, trade: dispatch.General,
		},
		{
			name:     "company disables a default signal",
			override: TriageRules{Disable: []string{"tap_drip"}},
			text:     "the bathroom tap keeps dripping", before: Routine, after: Urgent, trade: dispatch.Plumbing,
		},
		{
			name:     "company raises a default signal",
			override: TriageRules{Signals: []Signal{{Name: "tap_drip", Urgency: Urgent}}},
			text:     "the bathroom tap keeps dripping", before: Routine, after: Urgent, trade: dispatch.Plumbing,
		},
		{
			name:     "company adds an alias",
			override: TriageRules{Aliases: map[string]string{"boilah": "boiler"}},
			text:     "boilah's broken, no heat", before: Urgent, after: Urgent, trade: dispatch.HVAC,
		},
		{
			name: "company outweighs a trade keyword",
			override: TriageRules{Signals: []Signal{{
				Name: "handyman_doors", Phrases: []string{"front door"}, Trade: dispatch.General, Weight: 10,
			}}},
			text: "new lock on the front door please", before: Routine, after: Routine, trade: dispatch.General,
		},
	}
	def := mustTriageGrader(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := def.Grade(tt.text); got.Urgency != tt.before {
				t.Fatalf("default Grade(%q) = %s %q, want %s", tt.text, got.Urgency, got.Reasons, tt.before)
			}
			got := mustMergedGrader(t, tt.override).Grade(tt.text)
			if got.Urgency != tt.after || got.Trade != tt.trade {
				t.Errorf("merged Grade(%q) = %s/%s %q, want %s/%s", tt.text, got.Urgency, got.Trade, got.Reasons, tt.after, tt.trade)
			}
		})
	}
}

func TestMergeFields(t *testing.T) {
	base := TriageRules{
		Aliases:  map[string]string{"faucet": "tap"},
		Groups:   map[string][]string{"wet": {"water"}},
		Numbers:  []NumberClass{{Name: "#old", Min: 65, Max: 110}},
		Negation: Negation{Before: []string{"no"}, Window: 3},
		Signals: []Signal{
			{Name: "leak", Phrases: []string{"leak*"}, Urgency: Urgent, Trade: dispatch.Plumbing, Weight: 1},
		},
		Combos: []Combo{{Name: "c", All: []string{"x"}, Urgency: Urgent}},
	}
	override := TriageRules{
		Aliases:  map[string]string{"spigot": "tap"},
		Groups:   map[string][]string{"wet": {"damp", "water"}},
		Numbers:  []NumberClass{{Name: "#old", Min: 70, Max: 110}},
		Negation: Negation{Before: []string{"never"}, AfterWindow: 5},
		Signals: []Signal{
			{Name: "leak", Phrases: []string{"drip*"}, Weight: 2},
			{Name: "oil", Phrases: []string{"oil leak"}, Urgency: Emergency},
		},
		Combos:  []Combo{{Name: "c", Urgency: Emergency}},
		Disable: []string{"drip*"},
	}
	baseBefore := base.Merge(TriageRules{})
	want := TriageRules{
		Aliases:  map[string]string{"faucet": "tap", "spigot": "tap"},
		Groups:   map[string][]string{"wet": {"water", "damp"}},
		Numbers:  []NumberClass{{Name: "#old", Min: 70, Max: 110}},
		Negation: Negation{Before: []string{"no", "never"}, Window: 3, AfterWindow: 5},
		Signals: []Signal{
			{Name: "leak", Phrases: []string{"leak*", "drip*"}, Urgency: Urgent, Trade: dispatch.Plumbing, Weight: 2},
			{Name: "oil", Phrases: []string{"oil leak"}, Urgency: Emergency},
		},
		Combos:  []Combo{{Name: "c", All: []string{"x"}, Urgency: Emergency}},
		Disable: []string{"drip*"},
	}
	got := base.Merge(override)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(baseBefore, base); diff != "" {
		t.Errorf("Merge changed its receiver (-before +after):\n%s", diff)
	}
	got.Signals[0].Phrases[0] = "changed"
	got.Groups["wet"][0] = "changed"
	if base.Signals[0].Phrases[0] != "leak*" || base.Groups["wet"][0] != "water" {
		t.Errorf("Merge result shares slices with its receiver")
	}
}

func TestDefaultTriageRulesIsACopy(t *testing.T) {
	r := DefaultTriageRules()
	r.Signals[0].Phrases[0] = "changed"
	r.Aliases["faucet"] = "changed"
	r.Groups["wet"][0] = "changed"
	again := DefaultTriageRules()
	if again.Signals[0].Phrases[0] == "changed" || again.Aliases["faucet"] == "changed" || again.Groups["wet"][0] == "changed" {
		t.Errorf("DefaultTriageRules() shares memory between calls")
	}
}

func TestNewGraderRejects(t *testing.T) {
	ok := Signal{Name: "leak", Phrases: []string{"leak*"}, Urgency: Urgent, Trade: dispatch.Plumbing, Tag: "leak"}
	tests := []struct {
		name  string
		rules TriageRules
		want  string // part of the error message
	}{
		{"unknown urgency", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Urgency: "critical"}}}, `unknown urgency "critical"`},
		{"unknown trade", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Trade: "roofing"}}}, `unknown trade "roofing"`},
		{"unknown context trade", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Urgency: Urgent, Context: []dispatch.Trade{"gardening"}}}}, `unknown context trade "gardening"`},
		{"unknown hazard", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Urgency: Emergency, Hazard: "radiation"}}}, `unknown hazard "radiation"`},
		{"unknown otherwise", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Urgency: Urgent, Unless: []string{"y"}, Otherwise: "later"}}}, `unknown otherwise urgency "later"`},
		{"otherwise without unless", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Urgency: Urgent, Otherwise: Routine}}}, "otherwise without unless"},
		{"signal does nothing", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}}}}, "sets none of"},
		{"no phrases", TriageRules{Signals: []Signal{{Name: "x", Urgency: Urgent}}}, "no phrases"},
		{"missing name", TriageRules{Signals: []Signal{{Phrases: []string{"x"}, Urgency: Urgent}}}, "missing name"},
		{"duplicate name", TriageRules{Signals: []Signal{ok, ok}}, "duplicate name"},
		{"negative weight", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"x"}, Trade: dispatch.General, Weight: -1}}}, "weight -1"},
		{"unknown group", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"@nope ~ x"}, Urgency: Urgent}}}, "unknown group @nope"},
		{"group refers to itself", TriageRules{Groups: map[string][]string{"a": {"@a"}}, Signals: []Signal{{Name: "x", Phrases: []string{"@a"}, Urgency: Urgent}}}, "refers to itself"},
		{"gap too long", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"a ~99 b"}, Urgency: Urgent}}}, `bad gap "~99"`},
		{"gap at the start", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"~ b"}, Urgency: Urgent}}}, "gap must stand between"},
		{"unbalanced choice", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"(a|b c"}, Urgency: Urgent}}}, "unbalanced"},
		{"word of letters and digits", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"3yo"}, Urgency: Urgent}}}, `bad word "3yo"`},
		{"unknown number class", TriageRules{Signals: []Signal{{Name: "x", Phrases: []string{"#age"}, Urgency: Urgent}}}, `unknown number class "#age"`},
		{"bad number class", TriageRules{Numbers: []NumberClass{{Name: "old", Min: 1, Max: 2}}}, `bad class name "old"`},
		{"number class upside down", TriageRules{Numbers: []NumberClass{{Name: "#old", Min: 110, Max: 65}}}, "min 110 above max 65"},
		{"alias loop", TriageRules{Aliases: map[string]string{"a": "b", "b": "a"}}, "alias loop"},
		{"multi-word negation", TriageRules{Negation: Negation{Before: []string{"no longer"}}}, "must be one word"},
		{"window too wide", TriageRules{Negation: Negation{Window: 50}}, "windows must be"},
		{"combo unknown tag", TriageRules{Signals: []Signal{ok}, Combos: []Combo{{Name: "c", All: []string{"leak", "nope"}, Urgency: Emergency}}}, `unknown tag "nope"`},
		{"combo unknown urgency", TriageRules{Signals: []Signal{ok}, Combos: []Combo{{Name: "c", All: []string{"leak"}, Urgency: "soon"}}}, `unknown urgency "soon"`},
		{"combo without tags", TriageRules{Combos: []Combo{{Name: "c", Urgency: Urgent}}}, "no tags in all"},
		{"bad override of the defaults", DefaultTriageRules().Merge(TriageRules{Signals: []Signal{{Name: "gas_smell", Urgency: "asap"}}}), `"gas_smell": unknown urgency "asap"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := NewGrader(tt.rules)
			if err == nil {
				t.Fatalf("NewGrader(%+v) = %v, nil; want an error", tt.rules, g)
			}
			if !errors.Is(err, ErrTriageRules) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewGrader(%+v) = %v, want ErrTriageRules mentioning %q", tt.rules, err, tt.want)
			}
		})
	}
}

func TestNewGraderDisabledTag(t *testing.T) {
	// Disabling the only signal that sets a tag turns its combos off instead
	// of breaking the rules.
	g := mustMergedGrader(t, TriageRules{Disable: []string{"vulnerable_tag"}})
	text := "boiler's broken, it's snowing and my 3 week old baby is here"
	if got := g.Grade(text); got.Urgency != Urgent {
		t.Errorf("Grade(%q) without vulnerable_tag = %s %q, want urgent", text, got.Urgency, got.Reasons)
	}
}

// TestTriageRulesTags checks that every field a company config may set has
// matching json and yaml names, so a YAML override decodes like the JSON
// defaults.
func TestTriageRulesTags(t *testing.T) {
	for _, v := range []any{TriageRules{}, Negation{}, NumberClass{}, Signal{}, Combo{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			js, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			ys, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if js == "" || js != ys {
				t.Errorf("%s.%s: json name %q, yaml name %q, want the same non-empty name", typ.Name(), f.Name, js, ys)
			}
		}
	}
}
