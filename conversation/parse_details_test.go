package conversation

import "testing"

func TestParseDetails(t *testing.T) {
	tests := []struct {
		text            string
		makeModel, code string
	}{
		{"it's a Worcester Bosch Greenstar 30i showing EA", "Worcester Bosch Greenstar 30i", "EA"},
		{"worcester bosch greenstar 30i, showing ea", "Worcester Bosch greenstar 30i", "EA"},
		{"Samsung washer error 4C", "Samsung", "4C"},
		{"code F28 on the Baxi", "Baxi", "F28"},
		{"LG french door", "LG", ""},
		{"lg fridge making a noise", "LG", ""},
		{"Vaillant ecoTEC plus 831, F.75 on the screen", "Vaillant ecoTEC plus 831", ""},
		{"vaillant ecotec pro 28 with F75", "Vaillant ecotec pro 28", "F75"},
		{"Baxi 600 combi, fault code E119", "Baxi 600", "E119"},
		{"glow worm boiler flashing F1", "Glow-worm", "F1"},
		{"Glow-worm Ultracom 2", "Glow-worm Ultracom 2", ""},
		{"ideal logic combi says L2", "Ideal logic", "L2"},
		{"my Ideal boiler is losing pressure", "Ideal", ""},
		{"it would be ideal if you came today", "", ""},
		{"samsung washer shows dE", "Samsung", "dE"},
		{"Bosch dishwasher E-22", "Bosch", "E-22"},
		{"bosch dishwasher error e-22", "Bosch", "E-22"},
		{"whirlpool dryer error 5", "Whirlpool", "5"},
		{"GE fridge code 202", "GE", "202"},
		{"ge fridge", "", ""},
		{"Carrier furnace blinking code 33", "Carrier", "33"},
		{"Mitsubishi Electric heat pump", "Mitsubishi", ""},
		{"kitchen aid mixer", "KitchenAid", ""},
		{"the Hotpoint is 10 years old", "Hotpoint", ""},
		{"Miele W1 washing machine", "Miele W1", ""},
		{"OE error on my lg washer", "LG", "OE"},
		{"the washer says OE", "", "OE"},
		{"boiler showing no error but no heat", "", ""},
		{"it shows an error", "", ""},
		{"the display says it is fine", "", ""},
		{"boiler at 12 Oak Rd E1 6AN is dead", "", ""},
		{"Potterton boiler F1 again", "Potterton", "F1"},
		{"Samsung fridge freezer RS68 not cooling", "Samsung RS68", ""},
		{"my Worcester is showing EA 229", "Worcester Bosch", "EA 229"},
		{"The boiler says F.28", "", "F.28"},
		{"code 202", "", "202"},
		{"12 Oak Rd, SW1A 1AA. Gate code 1234", "", ""},
		{"the timer says 12", "", ""},
		{"Vaillant boiler fault code F.22", "Vaillant", "F.22"},
		{"my LG washer WM3400CW shows OE", "LG WM3400CW", "OE"},
		{"burst pipe", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		mm, code := ParseDetails(tt.text)
		if mm != tt.makeModel || code != tt.code {
			t.Errorf("ParseDetails(%q) = %q, %q, want %q, %q", tt.text, mm, code, tt.makeModel, tt.code)
		}
	}
}
