package config

import (
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

func TestDemo_FreshEachCall(t *testing.T) {
	a, b := Demo(), Demo()
	a.Companies[0].Technicians[0].Name = "changed"
	if b.Companies[0].Technicians[0].Name == "changed" {
		t.Error("Demo() configs share state")
	}
}
