package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// simCity is the simulated company's city: twelve Manchester postcode
// districts and their approximate centres.
var simCity = []struct {
	area string
	at   dispatch.LatLon
}{
	{"M1", dispatch.LatLon{Lat: 53.4780, Lon: -2.2350}},  // Piccadilly
	{"M3", dispatch.LatLon{Lat: 53.4840, Lon: -2.2530}},  // Deansgate
	{"M4", dispatch.LatLon{Lat: 53.4850, Lon: -2.2270}},  // Ancoats
	{"M8", dispatch.LatLon{Lat: 53.5040, Lon: -2.2380}},  // Cheetham Hill
	{"M9", dispatch.LatLon{Lat: 53.5230, Lon: -2.2130}},  // Blackley
	{"M11", dispatch.LatLon{Lat: 53.4810, Lon: -2.1800}}, // Openshaw, Clayton
	{"M13", dispatch.LatLon{Lat: 53.4620, Lon: -2.2200}}, // Ardwick
	{"M14", dispatch.LatLon{Lat: 53.4470, Lon: -2.2250}}, // Fallowfield
	{"M16", dispatch.LatLon{Lat: 53.4550, Lon: -2.2680}}, // Old Trafford
	{"M19", dispatch.LatLon{Lat: 53.4430, Lon: -2.1930}}, // Levenshulme
	{"M20", dispatch.LatLon{Lat: 53.4230, Lon: -2.2310}}, // Didsbury
	{"M21", dispatch.LatLon{Lat: 53.4400, Lon: -2.2770}}, // Chorlton
}

// simWeighted is a choice with a weight.
type simWeighted[T any] struct {
	v T
	w float64
}

// The trade mixes: of the technicians' skills, of routine and urgent
// requests, and of emergencies.
var (
	simTechTrades = []simWeighted[dispatch.Trade]{{dispatch.Plumbing, 30}, {dispatch.Electrical, 22},
		{dispatch.HVAC, 18}, {dispatch.Appliance, 12}, {dispatch.Locksmith, 8}, {dispatch.General, 10}}
	simJobTrades = []simWeighted[dispatch.Trade]{{dispatch.Plumbing, 28}, {dispatch.Electrical, 20},
		{dispatch.HVAC, 18}, {dispatch.Appliance, 16}, {dispatch.Locksmith, 6}, {dispatch.General, 12}}
	simEmergencyTrades = []simWeighted[dispatch.Trade]{{dispatch.Plumbing, 40}, {dispatch.Electrical, 25},
		{dispatch.HVAC, 20}, {dispatch.Locksmith, 15}}
	// simHours weighs the hours 07:00 to 18:00 in which first messages
	// come in: busier in the morning.
	simHours = []simWeighted[int]{{7, 9}, {8, 12}, {9, 12}, {10, 11}, {11, 9}, {12, 8}, {13, 7},
		{14, 7}, {15, 6}, {16, 6}, {17, 7}, {18, 6}}
	simProblems = map[dispatch.Trade]string{
		dispatch.Plumbing: "leaking pipe under the sink", dispatch.Electrical: "sockets keep tripping",
		dispatch.HVAC: "boiler not heating", dispatch.Appliance: "washing machine won't drain",
		dispatch.Locksmith: "locked out", dispatch.General: "shelves and a door to fix",
	}
	simFirstNames = []string{"Amy", "Ben", "Cara", "Dan", "Ella", "Finn", "Gita", "Hugo", "Isla", "Jay",
		"Kate", "Liam", "Maya", "Nick", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Vik", "Will", "Zoe"}
	simSurnames = []string{"Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fox", "Green", "Hall", "Iqbal",
		"Jones", "Khan", "Lewis", "Moore", "Nowak", "Owen", "Patel", "Reid", "Shaw", "Taylor", "Walsh"}
)

// simDay is the simulated working day: a Tuesday in London winter time.
// Requests start coming in the day before.
var simDay = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// simParams are a run's settings, the command's flags.
type simParams struct {
	Seed  uint64
	Techs int
	Jobs  int
}

// simRequest is one customer's request as the simulation replays it.
type simRequest struct {
	urgency  conversation.Urgency
	trade    dispatch.Trade
	postcode string
	at       dispatch.LatLon // where the job really is; the bot knows only its district
	first    time.Time       // the customer's first message
	book     time.Time       // when intake has what it needs and books
	service  time.Duration   // time on site
	pick     float64         // which of the slots offered the customer takes, as a fraction
}

// simWorld is the synthetic company and its customers' requests.
type simWorld struct {
	p    simParams
	cfg  *config.Config
	co   *config.Company
	day  time.Time // local midnight starting the simulated day
	reqs []simRequest
	home []dispatch.LatLon // technicians' homes, by index in co.Technicians
}

// newSimWorld builds the world of p. The same p builds the same world.
func newSimWorld(p simParams) (*simWorld, error) {
	if p.Techs < 1 || p.Techs > 800 {
		return nil, fmt.Errorf("-techs %d: want 1 to 800", p.Techs)
	}
	if p.Jobs < 0 || p.Jobs > 5000 {
		return nil, fmt.Errorf("-jobs %d: want 0 to 5000", p.Jobs)
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x5eed))
	data, err := yaml.Marshal(simConfig(rng, p.Techs))
	if err != nil {
		return nil, fmt.Errorf("simulate: encode config: %w", err)
	}
	cfg, err := config.Parse(data, nil)
	if err != nil {
		return nil, fmt.Errorf("simulate: the synthetic company is invalid:\n%w", err)
	}
	co := cfg.Companies[0]
	w := &simWorld{p: p, cfg: cfg, co: co}
	d := simDay
	w.day = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, co.Location)
	for _, t := range co.Technicians {
		w.home = append(w.home, dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon})
	}
	for range p.Jobs {
		w.reqs = append(w.reqs, w.request(rng))
	}
	slices.SortStableFunc(w.reqs, func(a, b simRequest) int { return a.book.Compare(b.book) })
	return w, nil
}

// request draws one customer's request.
func (w *simWorld) request(rng *rand.Rand) simRequest {
	r := simRequest{urgency: conversation.Routine}
	switch u := rng.Float64(); {
	case u < 0.10:
		r.urgency = conversation.Emergency
	case u < 0.35:
		r.urgency = conversation.Urgent
	}
	if r.urgency == conversation.Emergency {
		r.trade = simPick(rng, simEmergencyTrades)
	} else {
		r.trade = simPick(rng, simJobTrades)
	}
	area := w.co.ServiceAreas[rng.IntN(len(w.co.ServiceAreas))]
	const letters = "ABDEFGHJLNPQRSTUWXYZ"
	r.postcode = fmt.Sprintf("%s %d%c%c", area, 1+rng.IntN(9), letters[rng.IntN(len(letters))], letters[rng.IntN(len(letters))])
	c := w.co.AreaPoints[area]
	r.at = simJitter(rng, dispatch.LatLon{Lat: c.Lat, Lon: c.Lon}, 1.2)

	// Routine requests come in the day before; urgent ones the evening
	// before or the morning of the day; emergencies during the day.
	day, hour := w.day, simPick(rng, simHours)
	switch r.urgency {
	case conversation.Routine:
		day = w.day.AddDate(0, 0, -1)
	case conversation.Urgent:
		if rng.Float64() < 0.4 {
			day, hour = w.day.AddDate(0, 0, -1), 16+rng.IntN(3)
		} else {
			hour = 7 + rng.IntN(5)
		}
	}
	r.first = day.Add(time.Duration(hour)*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
	intake := 3 + rng.IntN(10)
	if r.urgency == conversation.Emergency {
		intake = 2 + rng.IntN(4)
	}
	r.book = r.first.Add(time.Duration(intake) * time.Minute)
	r.service = time.Duration(45+rng.IntN(76)) * time.Minute
	r.pick = rng.Float64()
	return r
}

// answer returns how long the technician given request i's k-th offer
// takes to answer it, and whether they say no. The round-robin baseline
// draws the same.
func (w *simWorld) answer(i, k int) (time.Duration, bool) {
	rng := rand.New(rand.NewPCG(w.p.Seed, uint64(i)<<20|uint64(k)))
	return time.Duration(1+rng.IntN(8)) * time.Minute, rng.Float64() < 0.10
}

// simYAML is the part of the config file the synthetic company uses.
type simYAML struct {
	Companies []simCompanyYAML `yaml:"companies"`
}

type simCompanyYAML struct {
	ID            string                    `yaml:"id"`
	Name          string                    `yaml:"name"`
	Timezone      string                    `yaml:"timezone"`
	Region        string                    `yaml:"region"`
	ServiceAreas  []string                  `yaml:"service_areas"`
	SlotMinutes   int                       `yaml:"slot_minutes"`
	BusinessHours map[string]string         `yaml:"business_hours"`
	Fees          config.Fees               `yaml:"fees"`
	AreaPoints    map[string]config.LatLon  `yaml:"area_points"`
	Channels      map[string]map[string]any `yaml:"channels"`
	Dispatchers   []map[string]string       `yaml:"dispatchers"`
	Technicians   []simTechYAML             `yaml:"technicians"`
}

type simTechYAML struct {
	ID     string            `yaml:"id"`
	Name   string            `yaml:"name"`
	Phone  string            `yaml:"phone"`
	Trades []dispatch.Trade  `yaml:"trades"`
	Areas  []string          `yaml:"areas"`
	Home   config.LatLon     `yaml:"home"`
	Hours  map[string]string `yaml:"hours"`
	OnCall map[string]string `yaml:"on_call,omitempty"`
}

// simConfig draws the company: n technicians, each with one to three
// trades, two to four neighbouring districts (more where a trade would
// otherwise leave a district without anyone), a home near them and
// weekday hours 08:00-18:00; about one in five is on call in the evening.
func simConfig(rng *rand.Rand, n int) simYAML {
	co := simCompanyYAML{
		ID: "sim", Name: "Simulated Trades Ltd", Timezone: "Europe/London", Region: "GB",
		SlotMinutes:   120,
		BusinessHours: map[string]string{"mon-fri": "08:00-18:00"},
		Fees:          config.Fees{Currency: "GBP", Standard: 80, AfterHours: 120, Emergency: 150},
		AreaPoints:    map[string]config.LatLon{},
		Channels: map[string]map[string]any{"twilio": {
			"account_sid": "AC00000000000000000000000000000000", "auth_token": "simauthtoken",
			"numbers": []string{"+441614960000"}}},
		Dispatchers: []map[string]string{{"name": "Dana Reed", "phone": "+447700900001"}},
	}
	homes := rng.Perm(len(simCity))
	served := map[string]bool{}
	for i := range n {
		t := simTechYAML{
			Phone: fmt.Sprintf("+447700900%03d", 101+i),
			Hours: map[string]string{"mon-fri": "08:00-18:00"},
		}
		first, last := simFirstNames[rng.IntN(len(simFirstNames))], simSurnames[rng.IntN(len(simSurnames))]
		t.Name = first + " " + last
		t.ID = strings.ToLower(first) + fmt.Sprintf("-%02d", i+1)
		// The first six cover every trade; the rest draw by the mix.
		primary := simTechTrades[i%len(simTechTrades)].v
		if i >= len(simTechTrades) {
			primary = simPick(rng, simTechTrades)
		}
		t.Trades = []dispatch.Trade{primary}
		for range 2 {
			if tr := simPick(rng, simTechTrades); rng.Float64() < 0.4 && !slices.Contains(t.Trades, tr) {
				t.Trades = append(t.Trades, tr)
			}
		}
		home := homes[i%len(homes)]
		if i >= len(homes) {
			home = rng.IntN(len(simCity))
		}
		near := simNearest(home)
		for _, d := range near[:2+rng.IntN(3)] {
			t.Areas = append(t.Areas, simCity[d].area)
			served[simCity[d].area] = true
		}
		h := simJitter(rng, simCity[home].at, 1.5)
		t.Home = config.LatLon{Lat: simRound4(h.Lat), Lon: simRound4(h.Lon)}
		if i%5 == 2 || n < 3 && i == 0 {
			t.OnCall = map[string]string{"mon-fri": "18:00-22:00"}
		}
		co.Technicians = append(co.Technicians, t)
	}
	// With fewer than six technicians, some trades are left; give each to
	// someone.
	for k, tw := range simTechTrades {
		if !slices.ContainsFunc(co.Technicians, func(t simTechYAML) bool { return slices.Contains(t.Trades, tw.v) }) {
			t := &co.Technicians[k%n]
			t.Trades = append(t.Trades, tw.v)
		}
	}
	// A company covers its districts for every trade: where nobody of a
	// trade goes, the one of that trade living nearest takes the district on.
	for _, tw := range simTechTrades {
		for _, d := range simCity {
			if !served[d.area] {
				continue
			}
			best, bestKm := -1, 0.0
			for i, t := range co.Technicians {
				if !slices.Contains(t.Trades, tw.v) {
					continue
				}
				if slices.Contains(t.Areas, d.area) {
					best = -2
					break
				}
				km := dispatch.Distance(dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon}, d.at)
				if best == -1 || km < bestKm {
					best, bestKm = i, km
				}
			}
			if best >= 0 {
				co.Technicians[best].Areas = append(co.Technicians[best].Areas, d.area)
			}
		}
	}
	for _, d := range simCity {
		if served[d.area] {
			co.ServiceAreas = append(co.ServiceAreas, d.area)
			co.AreaPoints[d.area] = config.LatLon{Lat: d.at.Lat, Lon: d.at.Lon}
		}
	}
	return simYAML{Companies: []simCompanyYAML{co}}
}

// simNearest returns the indexes of simCity by distance from
// district i, i first.
func simNearest(i int) []int {
	out := make([]int, len(simCity))
	for k := range out {
		out[k] = k
	}
	slices.SortStableFunc(out, func(a, b int) int {
		da, db := dispatch.Distance(simCity[i].at, simCity[a].at), dispatch.Distance(simCity[i].at, simCity[b].at)
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return 0
	})
	return out
}

// simPick draws one of choices by weight.
func simPick[T any](rng *rand.Rand, choices []simWeighted[T]) T {
	total := 0.0
	for _, c := range choices {
		total += c.w
	}
	x := rng.Float64() * total
	for _, c := range choices {
		if x -= c.w; x < 0 {
			return c.v
		}
	}
	return choices[len(choices)-1].v
}

// simJitter returns a point up to km from p, uniformly over the disc.
func simJitter(rng *rand.Rand, p dispatch.LatLon, km float64) dispatch.LatLon {
	r, a := km*math.Sqrt(rng.Float64()), 2*math.Pi*rng.Float64()
	const kmPerDegree = 111.2
	return dispatch.LatLon{
		Lat: p.Lat + r*math.Sin(a)/kmPerDegree,
		Lon: p.Lon + r*math.Cos(a)/(kmPerDegree*math.Cos(p.Lat*math.Pi/180)),
	}
}

func simRound4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
