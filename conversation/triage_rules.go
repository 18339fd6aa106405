package conversation

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"slices"

	"dispatchbot/dispatch"
)

// TriageRules is the data the triage grader runs on: phrases, weights,
// negations and trade keywords. DefaultTriageRules holds the built-in set
// (triage_rules.json); a company's config extends it with Merge.
//
// A phrase is a sequence of words matched against the message's normalised
// tokens (lowercase, apostrophes dropped, aliases applied; a word ending in
// "s" also matches as its stem, so "boiler's" is boiler):
//
//	word        exactly that word
//	word*       the word and its inflections (leaks, leaking, leaked, leakin)
//	a|b*|c      any of the one-word alternatives
//	(a b|c ~ d) any of the alternatives, each a phrase
//	@name       any phrase of the group name
//	#name       a number of the number class name; #num is any number
//	~ or ~N     up to 3 (or N) other words of the same sentence in between,
//	            never a negating word ("water, nothing near the fuse box")
//
// Grading: every signal found and not negated, ended or cancelled by its
// unless phrases votes; the highest urgency wins, a longer phrase hides a
// shorter one of the same kind unless that would hide an emergency, and the
// trade follows the winning evidence (for routine jobs, the trade keywords).
type TriageRules struct {
	// Aliases maps a word or several words, as customers write them, to one
	// canonical word: typos ("furnance"), US/UK variants ("faucet"), and
	// multi-word terms joined into one ("fuse box", "consumer unit" → "fusebox").
	Aliases map[string]string `json:"aliases,omitempty" yaml:"aliases,omitempty"`
	// Fuzzy lists long canonical words that also match a one-letter typo.
	Fuzzy []string `json:"fuzzy,omitempty" yaml:"fuzzy,omitempty"`
	// Groups are named lists of alternative phrases, used in phrases as @name.
	Groups map[string][]string `json:"groups,omitempty" yaml:"groups,omitempty"`
	// Numbers classify numeric tokens (ages, temperatures) for #name in phrases.
	Numbers []NumberClass `json:"numbers,omitempty" yaml:"numbers,omitempty"`
	// Negation says which words negate a signal or mark it as already over.
	Negation Negation `json:"negation" yaml:"negation"`
	// Signals are the phrases that grade urgency, name the trade or tag facts
	// for combos.
	Signals []Signal `json:"signals,omitempty" yaml:"signals,omitempty"`
	// Combos grade facts that matter only together, e.g. no heat, a baby and
	// freezing weather.
	Combos []Combo `json:"combos,omitempty" yaml:"combos,omitempty"`
	// Disable switches off signals and combos by name, and phrases exactly as
	// written in a signal or group.
	Disable []string `json:"disable,omitempty" yaml:"disable,omitempty"`
}

// NumberClass gives numbers from Min to Max inclusive the class Name, which
// starts with '#'.
type NumberClass struct {
	Name string  `json:"name" yaml:"name"`
	Min  float64 `json:"min" yaml:"min"`
	Max  float64 `json:"max" yaml:"max"`
}

// Negation holds the words that cancel or end a signal.
type Negation struct {
	// Before are words that negate a signal starting within Window words after
	// them in the same clause ("no", "not", "isnt").
	Before []string `json:"before,omitempty" yaml:"before,omitempty"`
	// Over are words that mark a signal starting within Window words after them
	// as already over ("stopped leaking", "after the flood").
	Over []string `json:"over,omitempty" yaml:"over,omitempty"`
	// OverAfter are phrases that mark a signal ending within AfterWindow words
	// before them, in the same sentence, as over ("has stopped", "now fixed").
	OverAfter []string `json:"over_after,omitempty" yaml:"over_after,omitempty"`
	// Breaks are words that end the reach of Before and Over ("but", "and").
	Breaks []string `json:"breaks,omitempty" yaml:"breaks,omitempty"`
	// Window is how many words Before and Over reach; 0 means 3.
	Window int `json:"window,omitempty" yaml:"window,omitempty"`
	// AfterWindow is how many words OverAfter reaches back; 0 means 8.
	AfterWindow int `json:"after_window,omitempty" yaml:"after_window,omitempty"`
}

// Signal is one kind of evidence: phrases that, when found and not negated,
// grade the urgency, point at a trade, or tag a fact for combos. A signal
// with only Trade and Weight is a trade keyword.
type Signal struct {
	// Name identifies the signal for Merge and Disable.
	Name    string   `json:"name" yaml:"name"`
	Phrases []string `json:"phrases" yaml:"phrases"`
	// Urgency is the grade the signal gives; empty for trade keywords and tags.
	Urgency Urgency `json:"urgency,omitempty" yaml:"urgency,omitempty"`
	// Trade is the trade the signal points at.
	Trade dispatch.Trade `json:"trade,omitempty" yaml:"trade,omitempty"`
	// Context lets the nearest trade keyword of these trades decide the trade
	// instead of Trade, e.g. sparks from an oven are appliance work.
	Context []dispatch.Trade `json:"context,omitempty" yaml:"context,omitempty"`
	Hazard  Hazard           `json:"hazard,omitempty" yaml:"hazard,omitempty"`
	// Tag names the fact for combos; several signals may share a tag.
	Tag string `json:"tag,omitempty" yaml:"tag,omitempty"`
	// Weight is the signal's vote for its trade; 0 means 1.
	Weight float64 `json:"weight,omitempty" yaml:"weight,omitempty"`
	// Unless are phrases that, found near the signal, downgrade it to Otherwise
	// (or drop it when Otherwise is empty), e.g. a burst pipe with the water off.
	Unless    []string `json:"unless,omitempty" yaml:"unless,omitempty"`
	Otherwise Urgency  `json:"otherwise,omitempty" yaml:"otherwise,omitempty"`
	// Weak marks a signal that alone does not make the grade confident.
	Weak bool `json:"weak,omitempty" yaml:"weak,omitempty"`
	// Reason is the text reported when the signal decides the grade; "%s"
	// stands for the matched words. Empty means the matched words.
	Reason string `json:"reason,omitempty" yaml:"reason,omitempty"`
}

// Combo grades facts that matter only together: all of All, at least one of
// Any (if given) and none of None must be tagged in the message.
type Combo struct {
	Name string   `json:"name" yaml:"name"`
	All  []string `json:"all" yaml:"all"`
	Any  []string `json:"any,omitempty" yaml:"any,omitempty"`
	None []string `json:"none,omitempty" yaml:"none,omitempty"`
	// Sentence requires the All and Any tags to occur in one sentence.
	Sentence bool    `json:"sentence,omitempty" yaml:"sentence,omitempty"`
	Urgency  Urgency `json:"urgency" yaml:"urgency"`
	// Trade is the combo's trade; empty means the trade of its first tag's signal.
	Trade  dispatch.Trade `json:"trade,omitempty" yaml:"trade,omitempty"`
	Hazard Hazard         `json:"hazard,omitempty" yaml:"hazard,omitempty"`
	Weight float64        `json:"weight,omitempty" yaml:"weight,omitempty"`
	Weak   bool           `json:"weak,omitempty" yaml:"weak,omitempty"`
	Reason string         `json:"reason,omitempty" yaml:"reason,omitempty"`
}

//go:embed triage_rules.json
var triRulesJSON []byte

// triDefaultRules is decoded once at init; a broken embedded file is a
// programmer error caught by every test run.
var triDefaultRules = triDecodeRules(triRulesJSON)

func triDecodeRules(b []byte) TriageRules {
	var r TriageRules
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		panic("conversation: decode embedded triage_rules.json: " + err.Error())
	}
	return r
}

// DefaultTriageRules returns a deep copy of the built-in rule set.
func DefaultTriageRules() TriageRules {
	return TriageRules{}.Merge(triDefaultRules)
}

// Merge returns r extended by override; neither is modified. Aliases and
// number classes in override replace those of the same key or name; groups
// gain override's phrases; a signal or combo whose name exists is updated
// (phrases and unless phrases are added, the non-zero fields replace),
// others are appended; negation words are added and non-zero windows replace;
// Disable lists are joined.
func (r TriageRules) Merge(override TriageRules) TriageRules {
	out := TriageRules{
		Aliases:  map[string]string{},
		Fuzzy:    triAddUnique(slices.Clone(r.Fuzzy), override.Fuzzy),
		Groups:   map[string][]string{},
		Numbers:  slices.Clone(r.Numbers),
		Negation: r.Negation.merge(override.Negation),
		Disable:  triAddUnique(slices.Clone(r.Disable), override.Disable),
	}
	for _, m := range []map[string]string{r.Aliases, override.Aliases} {
		for k, v := range m {
			out.Aliases[k] = v
		}
	}
	for k, v := range r.Groups {
		out.Groups[k] = slices.Clone(v)
	}
	for k, v := range override.Groups {
		out.Groups[k] = triAddUnique(out.Groups[k], v)
	}
	for _, n := range override.Numbers {
		if i := slices.IndexFunc(out.Numbers, func(o NumberClass) bool { return o.Name == n.Name }); i >= 0 {
			out.Numbers[i] = n
		} else {
			out.Numbers = append(out.Numbers, n)
		}
	}
	for _, s := range r.Signals {
		out.Signals = append(out.Signals, s.clone())
	}
	for _, s := range override.Signals {
		i := slices.IndexFunc(out.Signals, func(o Signal) bool { return s.Name != "" && o.Name == s.Name })
		if i < 0 {
			out.Signals = append(out.Signals, s.clone())
			continue
		}
		out.Signals[i] = out.Signals[i].update(s)
	}
	for _, c := range r.Combos {
		out.Combos = append(out.Combos, c.clone())
	}
	for _, c := range override.Combos {
		i := slices.IndexFunc(out.Combos, func(o Combo) bool { return c.Name != "" && o.Name == c.Name })
		if i < 0 {
			out.Combos = append(out.Combos, c.clone())
			continue
		}
		out.Combos[i] = out.Combos[i].update(c)
	}
	return out
}

func (n Negation) merge(o Negation) Negation {
	out := Negation{
		Before:      triAddUnique(slices.Clone(n.Before), o.Before),
		Over:        triAddUnique(slices.Clone(n.Over), o.Over),
		OverAfter:   triAddUnique(slices.Clone(n.OverAfter), o.OverAfter),
		Breaks:      triAddUnique(slices.Clone(n.Breaks), o.Breaks),
		Window:      n.Window,
		AfterWindow: n.AfterWindow,
	}
	if o.Window != 0 {
		out.Window = o.Window
	}
	if o.AfterWindow != 0 {
		out.AfterWindow = o.AfterWindow
	}
	return out
}

func (s Signal) clone() Signal {
	s.Phrases = slices.Clone(s.Phrases)
	s.Context = slices.Clone(s.Context)
	s.Unless = slices.Clone(s.Unless)
	return s
}

func (s Signal) update(o Signal) Signal {
	s.Phrases = triAddUnique(s.Phrases, o.Phrases)
	s.Unless = triAddUnique(s.Unless, o.Unless)
	if o.Urgency != "" {
		s.Urgency = o.Urgency
	}
	if o.Trade != "" {
		s.Trade = o.Trade
	}
	if len(o.Context) > 0 {
		s.Context = slices.Clone(o.Context)
	}
	if o.Hazard != "" {
		s.Hazard = o.Hazard
	}
	if o.Tag != "" {
		s.Tag = o.Tag
	}
	if o.Weight != 0 {
		s.Weight = o.Weight
	}
	if o.Otherwise != "" {
		s.Otherwise = o.Otherwise
	}
	if o.Weak {
		s.Weak = true
	}
	if o.Reason != "" {
		s.Reason = o.Reason
	}
	return s
}

func (c Combo) clone() Combo {
	c.All = slices.Clone(c.All)
	c.Any = slices.Clone(c.Any)
	c.None = slices.Clone(c.None)
	return c
}

func (c Combo) update(o Combo) Combo {
	if len(o.All) > 0 {
		c.All = slices.Clone(o.All)
	}
	if len(o.Any) > 0 {
		c.Any = slices.Clone(o.Any)
	}
	c.None = triAddUnique(c.None, o.None)
	if o.Sentence {
		c.Sentence = true
	}
	if o.Urgency != "" {
		c.Urgency = o.Urgency
	}
	if o.Trade != "" {
		c.Trade = o.Trade
	}
	if o.Hazard != "" {
		c.Hazard = o.Hazard
	}
	if o.Weight != 0 {
		c.Weight = o.Weight
	}
	if o.Weak {
		c.Weak = true
	}
	if o.Reason != "" {
		c.Reason = o.Reason
	}
	return c
}

// triAddUnique appends the items of add not already in list.
func triAddUnique(list, add []string) []string {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}
