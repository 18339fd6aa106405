package conversation

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

func TestGrade(t *testing.T) {
	g := mustTriageGrader(t)
	tests := []struct {
		name    string
		text    string
		urgency Urgency
		trade   dispatch.Trade
		hazard  Hazard
	}{
		{"gas/plain", "I can smell gas in the kitchen", Emergency, dispatch.HVAC, HazardGas},
		{"gas/rotten eggs", "house smells like rotten eggs near the boiler", Emergency, dispatch.HVAC, HazardGas},
		{"gas/hedged question", "is it normal to smell gas by the meter?", Emergency, dispatch.HVAC, HazardGas},
		{"negation/no gas smell, pilot out", "no gas smell, pilot light is just out on the water heater", Urgent, dispatch.Plumbing, HazardNone},
		{"negation/not leaking anymore", "the pipe under the sink is not leaking anymore, can someone check the joint next week", Routine, dispatch.Plumbing, HazardNone},
		{"negation/isnt sparking", "socket isn't sparking, it's just loose in the wall", Routine, dispatch.Electrical, HazardNone},
		{"negation/no smoke but hot socket", "there's no smoke, but the plug socket is hot to touch", Emergency, dispatch.Electrical, HazardFire},
		{"indirect/CO thing beeping", "the CO thing keeps beeping", Emergency, dispatch.HVAC, HazardCO},
		{"indirect/outlet black", "outlet is black and smells like burnt plastic", Emergency, dispatch.Electrical, HazardFire},
		{"indirect/water through light", "water coming through the light fitting", Emergency, dispatch.Plumbing, HazardWater},
		{"indirect/headaches and gas fire", "we all have headaches and the old gas fire smells funny", Emergency, dispatch.HVAC, HazardCO},
		{"vulnerable/baby in freezing cold", "boiler's broken, it's snowing and my 3 week old baby is here", Emergency, dispatch.HVAC, HazardPerson},
		{"vulnerable/elderly shivering", "no heating and my nan is 91, she's shivering", Emergency, dispatch.HVAC, HazardPerson},
		{"vulnerable/oxygen and power cut", "power's out and my dad is on an oxygen concentrator", Emergency, dispatch.Electrical, HazardPerson},
		{"vulnerable/heat and symptoms", "AC died, it's 104 out and my mum is 82 and feels dizzy", Emergency, dispatch.HVAC, HazardPerson},
		{"vulnerable/not at risk: service", "my mum is 90, could you service her boiler next month", Routine, dispatch.HVAC, HazardNone},
		{"vulnerable/not at risk: moved out", "AC broke, it's 100 out, we have a newborn but we're staying at my parents until it's fixed", Urgent, dispatch.HVAC, HazardNone},
		{"vulnerable/not at risk: no kids", "no heating and no hot water, no kids or elderly here", Urgent, dispatch.HVAC, HazardNone},
		{"casual urgent/quote", "URGENT need a quote for a new bathroom next month", Routine, dispatch.Plumbing, HazardNone},
		{"casual emergency/question", "emergency question lol, do you clean carpets?", Routine, dispatch.Cleaning, HazardNone},
		{"two problems/worse is urgent", "can you quote for new kitchen lights, also the freezer died and everything is thawing", Urgent, dispatch.Appliance, HazardNone},
		{"two problems/worse is an emergency", "book a boiler service please, oh and the socket in the hall just sparked", Emergency, dispatch.Electrical, HazardElectrical},
		{"typos/gas", "smel of gass in the kitchin", Emergency, dispatch.HVAC, HazardGas},
		{"typos/furnace", "furnance broke, no heat", Urgent, dispatch.HVAC, HazardNone},
		{"texting/lockout", "lockd out of my flat pls help asap", Urgent, dispatch.Locksmith, HazardNone},
		{"texting/fridge", "fridge not cold n food goin off, can u come 2day", Urgent, dispatch.Appliance, HazardNone},
		{"UK/consumer unit", "consumer unit is buzzing and smells hot", Emergency, dispatch.Electrical, HazardFire},
		{"US/breaker panel", "breaker panel is sparking in the garage", Emergency, dispatch.Electrical, HazardElectrical},
		{"US/faucet", "faucet drips, whenever you're free", Routine, dispatch.Plumbing, HazardNone},
		{"UK/stopcock seized", "pipe burst under the sink and the stopcock is seized", Emergency, dispatch.Plumbing, HazardWater},
		{"UK/combi", "combi's not firing, no heating or hot water", Urgent, dispatch.HVAC, HazardNone},
		{"US/furnace in the cold", "furnace is out, it's -10 outside and I'm 84", Emergency, dispatch.HVAC, HazardPerson},
		{"short/help water everywhere", "help!! water everywhere", Emergency, dispatch.Plumbing, HazardWater},
		{"short/locked out", "locked out", Urgent, dispatch.Locksmith, HazardNone},
		{"short/one-word exclamation heads the next sentence", "Gas!! smell everywhere downstairs", Emergency, dispatch.HVAC, HazardGas},
		{"ended/has gone inside a hazard phrase", "switch is warm and has gone brown", Emergency, dispatch.Electrical, HazardFire},
		{"ended/power back on", "had a power cut last night, everything's back on", Routine, dispatch.Electrical, HazardNone},
		{"indirect/hob left on unlit", "hob knob was left on with no flame for who knows how long, house reeks", Emergency, dispatch.HVAC, HazardGas},
		{"indirect/propane", "Propane smell near the tank and by the water heater", Emergency, dispatch.HVAC, HazardGas},
		{"indirect/fumes from a heater", "water heater exhaust pipe came loose, there's fumes in the basement", Emergency, dispatch.HVAC, HazardCO},
		{"indirect/electrical smell", "heard a pop and now theres a strong electrical smell from the socket behind the bed", Emergency, dispatch.Electrical, HazardFire},
		{"UK slang/belt off a switch", "got a belt off the light switch", Emergency, dispatch.Electrical, HazardPerson},
		{"not a shock/belt sander", "got a belt sander, need shelves put up", Routine, dispatch.General, HazardNone},
		{"vulnerable/toddlers by age", "no heat and it's 10 below, kids are 1 and 3", Emergency, dispatch.HVAC, HazardPerson},
		{"sewage/inside despite manhole", "manhole in the kitchen extension is overflowing with sewage into the house", Emergency, dispatch.Plumbing, HazardWater},
		{"long/rambling routine", "Hi there, hope you're well, we've just moved into the house and it's lovely but the previous owners left it in a bit of a state, " +
			"so we'd like a deep clean of the whole place before the furniture arrives in two weeks, including the oven and inside the kitchen cupboards. Thanks!", Routine, dispatch.Cleaning, HazardNone},
		{"long/rambling emergency", "So sorry to bother you this late, we got back from my sister's and the hallway carpet is soaked and there's water coming down the wall " +
			"from the bathroom above, it's dripping out of the light switch now and I don't know where the stopcock is", Emergency, dispatch.Plumbing, HazardWater},
		{"price question", "how much is a boiler service?", Routine, dispatch.HVAC, HazardNone},
		{"contained leak", "leak under the kitchen sink, bowl under it and the valve is turned off", Urgent, dispatch.Plumbing, HazardNone},
		{"contained burst pipe", "burst pipe in the loft but we turned the stopcock off", Urgent, dispatch.Plumbing, HazardNone},
		{"dripping tap", "bathroom tap has been dripping for weeks", Routine, dispatch.Plumbing, HazardNone},
		{"toilet blocked, only one", "our only toilet is blocked", Urgent, dispatch.Plumbing, HazardNone},
		{"sewage backing up", "sewage coming up through the shower drain", Emergency, dispatch.Plumbing, HazardWater},
		{"appliance leak is appliance work", "dishwasher leaking from underneath, turned it off", Urgent, dispatch.Appliance, HazardNone},
		{"appliance sparks are appliance work", "sparks coming out of the back of the oven", Emergency, dispatch.Appliance, HazardElectrical},
		{"appliance fire", "the tumble dryer is on fire", Emergency, dispatch.Appliance, HazardFire},
		{"AC in a heatwave", "AC stopped cooling and it's 98 out, we're fine", Urgent, dispatch.HVAC, HazardNone},
		{"breaker keeps tripping", "breaker keeps tripping, no burning smell", Urgent, dispatch.Electrical, HazardNone},
		{"cleaning after a leak", "the leak was fixed yesterday but the carpet got soaked, need it cleaned today", Urgent, dispatch.Cleaning, HazardNone},
		{"oven cleaning", "oven cleaning please, it's grim", Routine, dispatch.Cleaning, HazardNone},
		{"moving an appliance", "need the washing machine moved to the garage", Routine, dispatch.Appliance, HazardNone},
		{"fitting an appliance", "can you fit our new dishwasher?", Routine, dispatch.Appliance, HazardNone},
		{"roof is general", "roof leaking into the bedroom after the storm, buckets down", Urgent, dispatch.General, HazardNone},
		{"window is general", "window smashed, need it boarded up tonight", Urgent, dispatch.General, HazardNone},
		{"door is general", "need three internal doors hung", Routine, dispatch.General, HazardNone},
		{"lockout", "locked out, keys are inside, nobody in there", Urgent, dispatch.Locksmith, HazardNone},
		{"child locked in car", "my toddler is locked in the car and the keys are inside", Emergency, dispatch.Locksmith, HazardPerson},
		{"child locked in house", "locked myself out and my 1 year old is inside asleep", Emergency, dispatch.Locksmith, HazardPerson},
		{"dog in a hot car", "dog locked in the car, it's 30c and sunny", Emergency, dispatch.Locksmith, HazardPerson},
		{"keys cut", "spare keys cut please, no rush", Routine, dispatch.Locksmith, HazardNone},
		{"someone shocked", "my son got a shock off the light switch", Emergency, dispatch.Electrical, HazardPerson},
		{"CO alarm end of life", "CO alarm beeps once a minute, the screen says end of life", Routine, dispatch.HVAC, HazardNone},
		{"smoke alarm battery", "smoke alarm chirping, think it's the battery, no smoke", Routine, dispatch.Electrical, HazardNone},
		{"water heater is plumbing", "water heater leaking, put a tray under it", Urgent, dispatch.Plumbing, HazardNone},
		{"radiator is hvac", "one radiator stays cold at the top", Routine, dispatch.HVAC, HazardNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Grade(tt.text)
			if got.Urgency != tt.urgency || got.Trade != tt.trade || got.Hazard != tt.hazard {
				t.Errorf("Grade(%q) = %s/%s/%q %q, want %s/%s/%q", tt.text, got.Urgency, got.Trade, got.Hazard, got.Reasons, tt.urgency, tt.trade, tt.hazard)
			}
		})
	}
}

func TestGradeReasons(t *testing.T) {
	g := mustTriageGrader(t)
	tests := []struct {
		text string
		want string // one of the reasons
	}{
		{"I can smell gas in the hall", "gas smell"},
		{"no gas smell, pilot light is just out", "negated: no gas smell"},
		{"boiler's dead, it's freezing and I've got a 2 week old baby", "vulnerable: 2 week old"},
		{"burst pipe but we turned the water off at the stopcock", "contained: burst pipe"},
		{"the leak under the sink has stopped now", "over: leak"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := g.Grade(tt.text)
			if !slices.Contains(got.Reasons, tt.want) {
				t.Errorf("Grade(%q).Reasons = %q, want it to hold %q", tt.text, got.Reasons, tt.want)
			}
		})
	}
}

func TestGradeConfident(t *testing.T) {
	g := mustTriageGrader(t)
	tests := []struct {
		text    string
		urgency Urgency
		want    bool
	}{
		{"", Routine, false},
		{"hi", Routine, false},
		{"URGENT please call me back", Routine, false},
		{"water near the fuse box?", Emergency, false},
		{"co alarm", Emergency, false},
		{"I can smell gas in the kitchen", Emergency, true},
		{"how much for a boiler service", Routine, true},
		{"toilet blocked, it's our only one", Urgent, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := g.Grade(tt.text)
			if got.Urgency != tt.urgency || got.Confident != tt.want {
				t.Errorf("Grade(%q) = %s confident %v %q, want %s confident %v", tt.text, got.Urgency, got.Confident, got.Reasons, tt.urgency, tt.want)
			}
		})
	}
}

func TestGradeEmpty(t *testing.T) {
	g := mustTriageGrader(t)
	want := Grade{Urgency: Routine, Trade: dispatch.General, Reasons: []string{}}
	for _, text := range []string{"", "   ", "?!.", "🙂🙂", "12345"} {
		if diff := cmp.Diff(want, g.Grade(text)); diff != "" {
			t.Errorf("Grade(%q) mismatch (-want +got):\n%s", text, diff)
		}
	}
}

// TestGradeConcurrent runs graders in parallel so that the race detector
// checks the pooled scratch memory.
func TestGradeConcurrent(t *testing.T) {
	g := mustTriageGrader(t)
	data := mustReadTriage(t, filepath.Join("testdata", "triage-sample.jsonl"))
	want := make([]Grade, len(data))
	for i, l := range data {
		want[i] = g.Grade(l.Text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(data))
	for range 4 {
		wg.Go(func() {
			for i, l := range data {
				if diff := cmp.Diff(want[i], g.Grade(l.Text)); diff != "" {
					errs <- fmt.Sprintf("Grade(%q) differs when run concurrently (-want +got):\n%s", l.Text, diff)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestTriInflections(t *testing.T) {
	tests := []struct {
		word string
		want []string // must all be among the forms
	}{
		{"leak", []string{"leak", "leaks", "leaked", "leaking", "leakin"}},
		{"smoke", []string{"smoke", "smokes", "smoked", "smoking", "smokin"}},
		{"drip", []string{"drips", "dripping", "dripped"}},
		{"dry", []string{"dries", "dried"}},
	}
	for _, tt := range tests {
		got := triInflections(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("triInflections(%q) = %q, want it to hold %q", tt.word, got, w)
			}
		}
	}
}

func ExampleGrader_Grade() {
	g, err := NewGrader(DefaultTriageRules())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, text := range []string{
		"no gas smell, pilot light on the water heater is just out",
		"Furnace quit, it's -12 out and I have a 3 month old",
		"URGENT!! need a quote for a carpet clean next month",
	} {
		gr := g.Grade(text)
		fmt.Println(gr.Urgency, gr.Trade, gr.Hazard, strings.Join(gr.Reasons, "; "))
	}
	// Output:
	// urgent plumbing  no hot water; negated: no gas smell
	// emergency hvac person no heat with a vulnerable person in the cold; no heating: furnace quit; vulnerable: 3 month old; cold: -12; no heat with a vulnerable person
	// routine cleaning  request: quote; request: next month
}
