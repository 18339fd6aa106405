package config

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

func TestDemo(t *testing.T) {
	cfg := Demo()
	if !cfg.Demo {
		t.Error("Demo().Demo = false, want true")
	}
	co, ok := cfg.Company("demo")
	if !ok {
		t.Fatal(`Demo().Company("demo") not found`)
	}
	if byNumber, ok := cfg.CompanyByNumber("+441614960000"); !ok || byNumber != co {
		t.Errorf("Demo().CompanyByNumber(+441614960000) = %v, %v; want the demo company", byNumber, ok)
	}

	type summary struct {
		Name, Timezone, Region, Contact string
		ServiceAreas                    []string
		SlotMinutes                     int
		Fees                            Fees
		Emergency                       map[string]string
		Twilio                          Twilio
		Telegram                        Telegram
		Dispatchers                     []Dispatcher
		Technicians                     map[string][]dispatch.Trade
		Phones                          []string
		TelegramIDs                     []int64
	}
	got := summary{
		Name: co.Name, Timezone: co.Location.String(), Region: co.Region, Contact: co.Contact,
		ServiceAreas: co.ServiceAreas, SlotMinutes: co.SlotMinutes, Fees: co.Fees, Emergency: co.EmergencyNumbers,
		Twilio: *co.Channels.Twilio, Telegram: *co.Channels.Telegram, Dispatchers: co.Dispatchers,
		Technicians: make(map[string][]dispatch.Trade),
	}
	for _, tech := range co.Technicians {
		got.Technicians[tech.ID] = tech.Trades
		got.Phones = append(got.Phones, tech.Phone)
		got.TelegramIDs = append(got.TelegramIDs, tech.TelegramID)
	}
	want := summary{
		Name: "Brightwater Plumbing & Heating", Timezone: "Europe/London", Region: "GB", Contact: "0161 496 0000",
		ServiceAreas: []string{"M1", "M2", "M3", "M4", "M8", "M13", "M14", "M15", "M16", "M20", "M21"},
		SlotMinutes:  120,
		Fees:         Fees{Currency: "GBP", Standard: 80, AfterHours: 120, Emergency: 150},
		Emergency:    map[string]string{"emergency": "999", "gas": "0800 111 999"},
		Twilio: Twilio{
			AccountSID: "AC00000000000000000000000000000000", AuthToken: "demoauthtoken",
			Numbers: []string{"+441614960000"}, SegmentsPerSecond: 1,
		},
		Telegram:    Telegram{BotToken: "100000001:demo-token", WebhookSecret: "demo-secret"},
		Dispatchers: []Dispatcher{{Name: "Dana Reed", Phone: "+447700900001", TelegramID: 100001}},
		Technicians: map[string][]dispatch.Trade{
			"alice": {dispatch.Plumbing, dispatch.HVAC},
			"bob":   {dispatch.Electrical},
			"carla": {dispatch.HVAC, dispatch.Plumbing, dispatch.Appliance},
			"dev":   {dispatch.Plumbing, dispatch.General, dispatch.Locksmith},
		},
		Phones:      []string{"+447700900101", "+447700900102", "+447700900103", "+447700900104"},
		TelegramIDs: []int64{200001, 200002, 200003, 200004},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Demo() (-want +got):\n%s", diff)
	}

	hours := weekdays([]dispatch.Span{sp(8, 0, 18, 0)}, monFri...)
	hours[time.Saturday] = []dispatch.Span{sp(9, 0, 13, 0)}
	if diff := cmp.Diff(hours, co.Hours); diff != "" {
		t.Errorf("Demo() business hours (-want +got):\n%s", diff)
	}
	saturday := false
	for _, tech := range co.Technicians {
		if tech.Hours.Empty() {
			t.Errorf("Demo() technician %s has no hours", tech.ID)
		}
		saturday = saturday || len(tech.Hours[time.Saturday]) > 0
		if tech.Home.Lat < 53.4 || tech.Home.Lat > 53.5 || tech.Home.Lon < -2.3 || tech.Home.Lon > -2.2 {
			t.Errorf("Demo() technician %s lives at %v, outside Manchester", tech.ID, tech.Home)
		}
	}
	if !saturday {
		t.Error("Demo() has no technician working on Saturday")
	}
}

func TestDemo_DispatchAndAreaPoints(t *testing.T) {
	co := Demo().Companies[0]
	if diff := cmp.Diff(defaultDispatch(), co.Dispatch); diff != "" {
		t.Errorf("Demo() dispatch settings are not the defaults (-want +got):\n%s", diff)
	}

	if len(co.AreaPoints) != len(co.ServiceAreas) {
		t.Errorf("Demo() has %d area points for %d service areas", len(co.AreaPoints), len(co.ServiceAreas))
	}
	for _, area := range co.ServiceAreas {
		pt, ok := co.AreaPoints[area]
		switch {
		case !ok:
			t.Errorf("Demo() service area %s has no area point", area)
		case pt.Lat < 53.40 || pt.Lat > 53.52 || pt.Lon < -2.30 || pt.Lon > -2.20:
			t.Errorf("Demo() area point of %s is %v, outside central Manchester", area, pt)
		}
		// The inward code starts with 9 because dispatch.InArea reads an area
		// longer than the outward code as a sector: "M21" holds "M2 1AA".
		pc := area + " 9ZZ"
		if got, ok := co.PointOf(pc); !ok || got != pt {
			t.Errorf("Demo() PointOf(%q) = %v, %v; want %v", pc, got, ok, pt)
		}
	}
	// M1 is the city centre, around Piccadilly Gardens.
	if m1 := co.AreaPoints["M1"]; math.Abs(m1.Lat-53.478) > 0.01 || math.Abs(m1.Lon+2.235) > 0.015 {
		t.Errorf("Demo() M1 is at %v, not the city centre", m1)
	}
	// M20 (Didsbury) is south of M14 (Fallowfield), which is south of M1.
	if !(co.AreaPoints["M20"].Lat < co.AreaPoints["M14"].Lat && co.AreaPoints["M14"].Lat < co.AreaPoints["M1"].Lat) {
		t.Errorf("Demo() M20, M14, M1 are not in order north: %v, %v, %v", co.AreaPoints["M20"], co.AreaPoints["M14"], co.AreaPoints["M1"])
	}
}

func TestDemo_OnCall(t *testing.T) {
	co := Demo().Companies[0]
	london := co.Location
	// 2026-03-02 is a Monday.
	mon := func(day, h, m int) time.Time { return time.Date(2026, 3, 2+day, h, m, 0, 0, london) }
	tests := []struct {
		name string
		at   time.Time
		want []string // technicians on call
	}{
		{"Monday midday", mon(0, 12, 0), nil},
		{"Monday as dev's day ends", mon(0, 17, 30), []string{"dev"}},
		{"Monday night", mon(0, 23, 59), []string{"dev"}},
		{"Tuesday small hours", mon(1, 3, 0), []string{"dev"}}, // the demo can be played at any hour
		{"Friday evening", mon(4, 20, 0), []string{"dev"}},
		{"Saturday small hours", mon(5, 3, 0), []string{"dev"}},
		{"Saturday evening", mon(5, 21, 0), []string{"alice", "dev"}},
		{"Sunday late", mon(6, 22, 30), []string{"dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tech := range co.Technicians {
				if tech.OnCall.Open(tt.at) {
					got = append(got, tech.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("on call at %s (-want +got):\n%s", tt.at.Format("Mon 15:04"), diff)
			}
		})
	}
}

func TestDemo_FreshEachCall(t *testing.T) {
	a, b := Demo(), Demo()
	a.Companies[0].Technicians[0].Name = "changed"
	if b.Companies[0].Technicians[0].Name == "changed" {
		t.Error("Demo() configs share state")
	}
}
