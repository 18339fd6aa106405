package conversation

import "testing"

func TestFindPostcode(t *testing.T) {
	tests := []struct {
		text, region string
		want         string
		ok           bool
	}{
		{"sw1a1aa", "GB", "SW1A 1AA", true},
		{"SW1A 1AA", "GB", "SW1A 1AA", true},
		{"m14 5ab", "GB", "M14 5AB", true},
		{"M1 1AE", "GB", "M1 1AE", true},
		{"EC1A 1BB", "GB", "EC1A 1BB", true},
		{"W1A 0AX", "GB", "W1A 0AX", true},
		{"B33 8TH", "GB", "B33 8TH", true},
		{"CR2 6XH", "GB", "CR2 6XH", true},
		{"DN55 1PT", "GB", "DN55 1PT", true},
		{"dn551pt", "GB", "DN55 1PT", true},
		{"burst pipe at 12 Oak Rd SW1A 1AA, I'm Sam", "GB", "SW1A 1AA", true},
		{"flat 3, 22 high street, m14 5ab", "GB", "M14 5AB", true},
		{"postcode is Sw1a   1aA thanks", "GB", "SW1A 1AA", true},
		{"(M1 1AE)", "uk", "M1 1AE", true},
		{"M14", "GB", "M14", true},
		{" sw1a. ", "GB", "SW1A", true},
		{"I'm in M14", "GB", "", false},
		{"A1 9AB", "GB", "", false},           // no area A
		{"near the M25 4pm", "GB", "", false}, // no M in an inward code
		{"on the A1 at 9am", "GB", "", false},
		{"boiler showing F28", "GB", "", false},
		{"QQ1 1AA", "GB", "", false},
		{"12345", "GB", "", false},
		{"", "GB", "", false},
		{"10001", "US", "10001", true},
		{"10001-1234", "US", "10001", true},
		{"New York, NY 10118", "US", "10118", true},
		{"1600 Pennsylvania Ave NW, Washington DC 20500", "US", "20500", true},
		{"12345 Main St", "US", "", false},
		{"12345 Main St, Springfield IL 62701", "US", "62701", true},
		{"zip 62701 and my house is 12345 Elm Street", "US", "62701", true},
		{"NY 10118 or 10001", "US", "10118", true},
		{"it's 10001 or maybe 10002", "US", "10002", true},
		{"call 555-12345", "US", "", false},
		{"$12345 is too much", "US", "", false},
		{"123456", "US", "", false},
		{"12345.67", "US", "", false},
		{"01632 960001", "US", "", false},
		{"SW1A 1AA", "US", "", false},
		{"SW1A 1AA", "", "SW1A 1AA", true},
		{"10001", "", "10001", true},
		{"10001", "CA", "10001", true},
		{"Rose Cottage, ba1 1aa or 90210", "IE", "BA1 1AA", true},
	}
	for _, tt := range tests {
		got, ok := FindPostcode(tt.text, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FindPostcode(%q, %q) = %q, %v, want %q, %v", tt.text, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}

func TestInArea(t *testing.T) {
	uk := []string{"SW1", "M1", "W1", "EC"}
	tests := []struct {
		postcode string
		areas    []string
		want     bool
	}{
		{"SW1A 1AA", uk, true},
		{"SW1P 3BU", uk, true},
		{"SW1X 7LY", uk, true},
		{"SW1", uk, true},
		{"SW10 1AA", uk, false},
		{"SW11 2BB", uk, false},
		{"M1 1AE", uk, true},
		{"M14 5AB", uk, false},
		{"M1", uk, true},
		{"W1A 0AX", uk, true},
		{"W10 5AB", uk, false},
		{"EC1A 1BB", uk, true},
		{"E1 6AN", uk, false},
		{"sw1a1aa", uk, true},
		{"M14 5AB", []string{"m14"}, true},
		{"M14 5AB", []string{"M14 5"}, true},
		{"M14 5AB", []string{"M14 5AB"}, true},
		{"M14 5AB", []string{"m145ab"}, true},
		{"M14 5AB", []string{"M14 6"}, false},
		{"SW1A 1AA", []string{"S"}, false},
		{"S1 2AB", []string{"S"}, true},
		{"SW1A 1AA", []string{"SW"}, true},
		{"SW1A 1AA", []string{"SW1A"}, true},
		{"SW1A 1AA", nil, false},
		{"SW1A 1AA", []string{"", " "}, false},
		{"", uk, false},
		{"10001", []string{"100"}, true},
		{"10001", []string{"10001"}, true},
		{"10002", []string{"10001"}, false},
		{"10118", []string{"101", "200"}, true},
		{"20500", []string{"100", "101"}, false},
		{"10001-1234", []string{"10001"}, true},
	}
	for _, tt := range tests {
		if got := InArea(tt.postcode, tt.areas); got != tt.want {
			t.Errorf("InArea(%q, %q) = %v, want %v", tt.postcode, tt.areas, got, tt.want)
		}
	}
}
