package conversation

import "testing"

func TestFindAddress(t *testing.T) {
	tests := []struct {
		text, region string
		want         Address
		ok           bool
	}{
		{"burst pipe at 12 Oak Rd SW1A 1AA, I'm Sam", "GB", Address{"12 Oak Rd", "SW1A 1AA"}, true},
		{"flat 3, 22 high street, m14 5ab", "GB", Address{"Flat 3, 22 High Street", "M14 5AB"}, true},
		{"1600 Pennsylvania Ave NW, Washington DC 20500", "US", Address{"1600 Pennsylvania Ave NW, Washington DC", "20500"}, true},
		{"Apt 4B, 350 5th Avenue, New York, NY 10118", "US", Address{"Apt 4B, 350 5th Avenue, New York, NY", "10118"}, true},
		{"apt #4b 350 5th ave new york ny 10118", "US", Address{"Apt #4B 350 5th Ave New York NY", "10118"}, true},
		{"12 Oak Rd, London SW1A 1AA", "GB", Address{"12 Oak Rd, London", "SW1A 1AA"}, true},
		{"12 OAK ROAD M14 5AB", "GB", Address{"12 Oak Road", "M14 5AB"}, true},
		{"the boiler at 14 St. Johns Road is leaking", "GB", Address{"14 St Johns Road", ""}, true},
		{"14 st johns rd", "GB", Address{"14 St Johns Rd", ""}, true},
		{"12 Oak Rd and my postcode is SW1A 1AA", "GB", Address{"12 Oak Rd", "SW1A 1AA"}, true},
		{"I'm at 12 Oak Rd. Postcode SW1A 1AA", "GB", Address{"12 Oak Rd", "SW1A 1AA"}, true},
		{"unit 5 22b mill lane", "GB", Address{"Unit 5 22B Mill Lane", ""}, true},
		{"it's 3 The Avenue m14 5ab", "GB", Address{"3 The Avenue", "M14 5AB"}, true},
		{"12345 Main St, Springfield IL 62701", "US", Address{"12345 Main St, Springfield IL", "62701"}, true},
		{"350 Broadway 10013", "US", Address{"350 Broadway", "10013"}, true},
		{"123 Main Street Apt 5, Boston MA 02118", "US", Address{"123 Main Street Apt 5, Boston MA", "02118"}, true},
		{"apt 12, 45 w 34th st ny ny 10001", "US", Address{"Apt 12, 45 W 34th St NY NY", "10001"}, true},
		{"45 Church Lane, Didsbury M20 6RT. I'm Jane", "GB", Address{"45 Church Lane, Didsbury", "M20 6RT"}, true},
		{"12 Oak Ct, Springfield IL 62701", "US", Address{"12 Oak Ct, Springfield IL", "62701"}, true},
		{"postcode m14 5ab", "GB", Address{"", "M14 5AB"}, true},
		{"leaking for 3 days on the drive", "GB", Address{}, false},
		{"the 3 way valve is stuck", "GB", Address{}, false},
		{"10 min walk from the station", "GB", Address{}, false},
		{"my 2 year old boiler", "GB", Address{}, false},
		{"burst pipe help", "GB", Address{}, false},
		{"", "GB", Address{}, false},
	}
	for _, tt := range tests {
		got, ok := FindAddress(tt.text, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FindAddress(%q, %q) = %+v, %v, want %+v, %v", tt.text, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseAddressAnswer(t *testing.T) {
	tests := []struct {
		text, region string
		want         Address
		ok           bool
	}{
		{"12 Oak Rd SW1A 1AA", "GB", Address{"12 Oak Rd", "SW1A 1AA"}, true},
		{"its 22 high street m14 5ab thanks", "GB", Address{"22 High Street", "M14 5AB"}, true},
		{"Rose Cottage, Mill Lane, Bath BA1 1AA", "GB", Address{"Rose Cottage, Mill Lane, Bath", "BA1 1AA"}, true},
		{"rose cottage, ba1 1aa", "GB", Address{"Rose Cottage", "BA1 1AA"}, true},
		{"BA1 1AA, Rose Cottage", "GB", Address{"Rose Cottage", "BA1 1AA"}, true},
		{"my address is the old mill, m14 5ab", "GB", Address{"The Old Mill", "M14 5AB"}, true},
		{"sw1a1aa", "GB", Address{"", "SW1A 1AA"}, true},
		{"SW1A", "GB", Address{"", "SW1A"}, true},
		{"postcode is SW1A 1AA", "GB", Address{"", "SW1A 1AA"}, true},
		{"I'm in M14 5AB", "GB", Address{"", "M14 5AB"}, true},
		{"my boiler is broken and I live at SW1A 1AA", "GB", Address{"", "SW1A 1AA"}, true},
		{"I live at Rose Cottage, BA1 1AA", "GB", Address{"Rose Cottage", "BA1 1AA"}, true},
		{"Rose Cottage is my address BA1 1AA", "GB", Address{"Rose Cottage", "BA1 1AA"}, true},
		{"BA1 1AA, rose cottage, I'm Sam", "GB", Address{"Rose Cottage", "BA1 1AA"}, true},
		{"ok. The Old Mill, Mill Lane BA1 1AA", "GB", Address{"The Old Mill, Mill Lane", "BA1 1AA"}, true},
		{"why do you need it? SW1A 1AA", "GB", Address{"", "SW1A 1AA"}, true},
		{"350 5th Ave, New York NY 10118", "US", Address{"350 5th Ave, New York NY", "10118"}, true},
		{"10118", "US", Address{"", "10118"}, true},
		{"idk", "GB", Address{}, false},
		{"why do you need that", "GB", Address{}, false},
		{"12 Oak Road", "GB", Address{}, false},
		{"12345 Main St", "US", Address{}, false},
		{"", "GB", Address{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseAddressAnswer(tt.text, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseAddressAnswer(%q, %q) = %+v, %v, want %+v, %v", tt.text, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}
