package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate_AreaPoints(t *testing.T) {
	const p = "companies[0].area_points"
	tests := []struct {
		name   string
		points string
		want   map[string]LatLon
		probs  Problems
	}{
		{"none", "", nil, nil},
		{"keys normalised", `{m1: {lat: 53.478, lon: -2.235}, "sw1 a": {lat: 51.503, lon: -0.134}, 10001: {lat: 40.75, lon: -74}}`,
			map[string]LatLon{"M1": {53.478, -2.235}, "SW1A": {51.503, -0.134}, "10001": {40.75, -74}}, nil},
		{"edges of the map", `{N: {lat: 90, lon: 180}, S: {lat: -90, lon: -180}, Z: {}}`,
			map[string]LatLon{"N": {90, 180}, "S": {-90, -180}, "Z": {0, 0}}, nil},
		{"lat out of range", `{M1: {lat: 90.5, lon: -2.2}}`, nil,
			Problems{{p + ".M1.lat", "90.5 must be from -90 to 90"}}},
		{"lon out of range", `{M1: {lat: 53.4, lon: -180.1}}`, nil,
			Problems{{p + ".M1.lon", "-180.1 must be from -180 to 180"}}},
		{"not a number", `{M1: {lat: .nan, lon: .inf}}`, nil,
			Problems{{p + ".M1.lat", "NaN must be from -90 to 90"}, {p + ".M1.lon", "+Inf must be from -180 to 180"}}},
		{"empty key", `{"": {lat: 53.4, lon: -2.2}}`, nil,
			Problems{{p + ".", `"" must be 1 to 8 letters or digits`}}},
		{"blank key", `{" ": {lat: 53.4, lon: -2.2}}`, nil,
			Problems{{p + ". ", `" " must be 1 to 8 letters or digits`}}},
		{"bad key", `{"M-1": {lat: 53.4, lon: -2.2}, M123456789: {lat: 53.4, lon: -2.2}}`, nil,
			Problems{
				{p + ".M-1", `"M-1" must be 1 to 8 letters or digits`},
				{p + ".M123456789", `"M123456789" must be 1 to 8 letters or digits`},
			}},
		{"same area twice", `{M1: {lat: 53.4, lon: -2.2}, "m 1": {lat: 53.5, lon: -2.3}}`, nil,
			Problems{{p + ".m 1", `"m 1" is the same area as "M1"`}}},
		{"unknown field", `{M1: {lat: 53.4, long: -2.2}}`, nil,
			Problems{{p + ".M1.long", `line 7: unknown field "long" (did you mean "lon"?)`}}},
		{"list, not a mapping", `[M1]`, nil,
			Problems{{p, "line 7: want a mapping, got a list"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml := minimal
			if tt.points != "" {
				yaml += "    area_points: " + tt.points + "\n"
			}
			got := parseProblems(t, yaml, nil)
			if diff := cmp.Diff(tt.probs, got); diff != "" {
				t.Errorf("area_points %s problems (-want +got):\n%s", tt.points, diff)
			}
			if got != nil {
				return
			}
			cfg := MustParse(t, yaml, nil)
			if diff := cmp.Diff(tt.want, cfg.Companies[0].AreaPoints); diff != "" {
				t.Errorf("area_points %s (-want +got):\n%s", tt.points, diff)
			}
		})
	}
}

func TestCompany_PointOf(t *testing.T) {
	m1, m14 := LatLon{53.478, -2.235}, LatLon{53.447, -2.225}
	sw1, sw1a := LatLon{51.495, -0.140}, LatLon{51.503, -0.134}
	zip := LatLon{40.75, -74.0}
	co := &Company{AreaPoints: map[string]LatLon{"M1": m1, "M14": m14, "SW1": sw1, "SW1A": sw1a, "100": zip}}
	tests := []struct {
		postcode string
		want     LatLon
		ok       bool
	}{
		{"M14 5AB", m14, true},
		{"m145ab", m14, true},
		{"M14", m14, true},
		{"M1 2AB", m1, true},
		{"M12AB", m1, true},
		{"M1", m1, true},
		{"M2 1AA", LatLon{}, false},
		{"M15 4AA", LatLon{}, false},
		{"SW1A 1AA", sw1a, true},
		{"SW1P 3BU", sw1, true},
		{"SW1 1AA", sw1, true},
		{"SW10 9AA", LatLon{}, false},
		{"10001", zip, true},
		{"10001-1234", zip, true},
		{"20001", LatLon{}, false},
		{"", LatLon{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.postcode, func(t *testing.T) {
			got, ok := co.PointOf(tt.postcode)
			if got != tt.want || ok != tt.ok {
				t.Errorf("PointOf(%q) = %v, %v; want %v, %v", tt.postcode, got, ok, tt.want, tt.ok)
			}
		})
	}

	if _, ok := (&Company{}).PointOf("M1 1AA"); ok {
		t.Error("PointOf on a company without area_points found a point")
	}
}
