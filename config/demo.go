package config

import (
	"fmt"

	"dispatchbot/dispatch"
)

// Demo returns the built-in demo company, Brightwater Plumbing & Heating in
// Manchester, validated and normalised like a loaded file, with Demo set.
// Its phone numbers are in Ofcom's drama ranges, so they reach no one.
func Demo() *Config {
	cfg := &Config{Companies: []*Company{demoCompany()}}
	if ps := validate(cfg); len(ps) > 0 {
		// The demo is a literal in this file; its test keeps it valid.
		panic(fmt.Sprintf("config: built-in demo is invalid:\n%v", ps))
	}
	cfg.index()
	cfg.Demo = true
	return cfg
}

func demoCompany() *Company {
	return &Company{
		ID:           "demo",
		Name:         "Brightwater Plumbing & Heating",
		Contact:      "0161 496 0000",
		Timezone:     "Europe/London",
		Region:       "GB",
		ServiceAreas: []string{"M1", "M2", "M3", "M4", "M8", "M13", "M14", "M15", "M16", "M20", "M21"},
		SlotMinutes:  120,
		Simulator:    true,
		BusinessHours: map[string]string{
			"mon-fri": "08:00-18:00",
			"sat":     "09:00-13:00",
		},
		Fees:       Fees{Currency: "GBP", Standard: 80, AfterHours: 120, Emergency: 150},
		PriceNotes: "Labour £60/hour after the first hour. Parts at cost. Free quotes for boiler replacements.",
		// Approximate centres of the postcode districts served.
		AreaPoints: map[string]LatLon{
			"M1":  {Lat: 53.4780, Lon: -2.2350}, // Piccadilly, Northern Quarter
			"M2":  {Lat: 53.4805, Lon: -2.2440}, // Albert Square, King Street
			"M3":  {Lat: 53.4840, Lon: -2.2530}, // Deansgate, Salford Central
			"M4":  {Lat: 53.4850, Lon: -2.2270}, // Ancoats, New Islington
			"M8":  {Lat: 53.5040, Lon: -2.2380}, // Cheetham Hill
			"M13": {Lat: 53.4620, Lon: -2.2200}, // Ardwick, Chorlton-on-Medlock
			"M14": {Lat: 53.4470, Lon: -2.2250}, // Fallowfield, Rusholme, Moss Side
			"M15": {Lat: 53.4670, Lon: -2.2500}, // Hulme
			"M16": {Lat: 53.4550, Lon: -2.2680}, // Old Trafford, Whalley Range
			"M20": {Lat: 53.4230, Lon: -2.2310}, // Didsbury, Withington
			"M21": {Lat: 53.4400, Lon: -2.2770}, // Chorlton-cum-Hardy
		},
		Channels: Channels{
			Twilio: &Twilio{
				AccountSID: "AC00000000000000000000000000000000",
				AuthToken:  "demoauthtoken", // twilio-go wants alphanumeric credentials
				Numbers:    []string{"+441614960000"},
			},
			Telegram: &Telegram{
				BotToken:      "100000001:demo-token",
				WebhookSecret: "demo-secret",
			},
		},
		Dispatchers: []Dispatcher{
			{Name: "Dana Reed", Phone: "+447700900001", TelegramID: 100001},
		},
		Technicians: []Technician{
			{
				ID: "alice", Name: "Alice Smith", Phone: "07700 900101", TelegramID: 200001,
				Trades:      []dispatch.Trade{dispatch.Plumbing, dispatch.HVAC},
				Areas:       []string{"M1", "M2", "M3", "M4", "M8"},
				Home:        LatLon{Lat: 53.4839, Lon: -2.2446},
				WorkHours:   map[string]string{"mon-fri": "08:00-17:00"},
				OnCallHours: map[string]string{"sat-sun": "08:00-22:00"},
			},
			{
				ID: "bob", Name: "Bob Okafor", Phone: "07700 900102", TelegramID: 200002,
				Trades:    []dispatch.Trade{dispatch.Electrical},
				Areas:     []string{"M1", "M13", "M14", "M15", "M16"},
				Home:      LatLon{Lat: 53.4594, Lon: -2.2253},
				WorkHours: map[string]string{"mon-fri": "08:00-18:00"},
			},
			{
				ID: "carla", Name: "Carla Mendes", Phone: "07700 900103", TelegramID: 200003,
				Trades:    []dispatch.Trade{dispatch.HVAC, dispatch.Plumbing, dispatch.Appliance},
				Areas:     []string{"M14", "M15", "M16", "M20", "M21"},
				Home:      LatLon{Lat: 53.4412, Lon: -2.2771},
				WorkHours: map[string]string{"tue-fri": "08:00-17:00", "sat": "09:00-13:00"},
			},
			{
				ID: "dev", Name: "Dev Patel", Phone: "07700 900104", TelegramID: 200004,
				Trades:      []dispatch.Trade{dispatch.Plumbing, dispatch.General, dispatch.Locksmith},
				Areas:       []string{"M1", "M2", "M3", "M4", "M8", "M13"},
				Home:        LatLon{Lat: 53.4988, Lon: -2.2362},
				WorkHours:   map[string]string{"mon-fri": "07:30-12:30,13:30-17:30"},
				OnCallHours: map[string]string{"mon-fri": "00:00-07:30,17:30-24:00", "sat-sun": "00:00-24:00"},
			},
		},
	}
}
