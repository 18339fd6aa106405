package conversation

import (
	"errors"
	"fmt"
	"sync"

	"dispatchbot/dispatch"
)

// Urgency is how soon a job must be done.
type Urgency string

// The urgency grades, from most to least pressing.
const (
	// Emergency is danger to people or severe damage happening now.
	Emergency Urgency = "emergency"
	// Urgent is a job for today or tomorrow with no danger.
	Urgent Urgency = "urgent"
	// Routine is a job that can wait days: servicing, installs, quotes, questions.
	Routine Urgency = "routine"
)

// Valid reports whether u is one of the known grades.
func (u Urgency) Valid() bool { return u.rank() > 0 }

func (u Urgency) rank() int {
	switch u {
	case Routine:
		return 1
	case Urgent:
		return 2
	case Emergency:
		return 3
	}
	return 0
}

// Hazard names the danger an emergency poses; it picks the safety advice sent first.
type Hazard string

// The hazards the grader reports. HazardNone is the zero value.
const (
	HazardNone       Hazard = ""
	HazardGas        Hazard = "gas"
	HazardCO         Hazard = "co"
	HazardFire       Hazard = "fire"
	HazardElectrical Hazard = "electrical"
	HazardWater      Hazard = "water"
	// HazardPerson is someone hurt, shocked, trapped or at risk from heat or cold,
	// or a child or pet locked in.
	HazardPerson Hazard = "person"
)

// triHazardOrder ranks hazards for the safety message when several are present:
// the first one wins.
var triHazardOrder = []Hazard{HazardCO, HazardGas, HazardFire, HazardElectrical, HazardWater, HazardPerson}

// Valid reports whether h is HazardNone or a known hazard.
func (h Hazard) Valid() bool { return h == HazardNone || h.rank() > 0 }

func (h Hazard) rank() int {
	for i, k := range triHazardOrder {
		if k == h {
			return len(triHazardOrder) - i
		}
	}
	return 0
}

// Grade is the triage of one customer message.
type Grade struct {
	Urgency Urgency        `json:"urgency"`
	Trade   dispatch.Trade `json:"trade"`
	// Hazard is set for emergencies only.
	Hazard Hazard `json:"hazard,omitempty"`
	// Reasons are the signals that decided the grade, short and human readable,
	// e.g. "gas smell", "vulnerable: baby", "negated: no gas smell".
	Reasons []string `json:"reasons"`
	// Confident is false when the signals are weak, missing or conflicting;
	// the conversation then asks one triage question instead of guessing.
	Confident bool `json:"confident"`
}

// ErrTriageRules reports a triage rule set that does not compile; the error
// that wraps it lists every problem with its place in the rules.
var ErrTriageRules = errors.New("conversation: invalid triage rules")

// Grader grades free text by a compiled set of TriageRules. It is safe for
// concurrent use.
type Grader struct {
	c    *triCompiled
	pool sync.Pool
}

// NewGrader validates and compiles r. It reports every problem it finds, e.g.
// an unknown urgency, trade or hazard name, a combo naming an undefined tag or
// a phrase using an undefined @group.
func NewGrader(r TriageRules) (*Grader, error) {
	c, err := triCompile(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTriageRules, err)
	}
	g := &Grader{c: c}
	g.pool.New = func() any { return new(triScratch) }
	return g, nil
}

// Grade grades one message. Empty or unrecognised text grades as a routine
// general job that is not confident.
func (g *Grader) Grade(text string) Grade {
	s := g.pool.Get().(*triScratch)
	defer g.pool.Put(s)
	s.reset()
	g.c.tokenize(s, text)
	g.c.matchAll(s)
	return g.c.decide(s)
}
