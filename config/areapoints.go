package config

import (
	"sort"
	"strings"

	"dispatchbot/dispatch"
)

// PointOf returns the centre of the most specific area in AreaPoints that
// postcode lies in, as dispatch.InArea decides, and false when it lies in
// none. "M14 5AB" with points for M1 and M14 gives M14's point.
func (co *Company) PointOf(postcode string) (LatLon, bool) {
	best, found := "", false
	for area := range co.AreaPoints {
		if len(area) > len(best) && dispatch.InArea(postcode, area) {
			best, found = area, true
		}
	}
	if !found {
		return LatLon{}, false
	}
	return co.AreaPoints[best], true
}

// areaPoints normalises the keys of area_points to upper case without
// spaces and checks each key is an area written like a service area, no two
// keys name the same area, and each point is on the map.
func (v *companyCheck) areaPoints() {
	in := v.co.AreaPoints
	if len(in) == 0 {
		return
	}
	p := v.field("area_points")
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]LatLon, len(in))
	writtenAs := make(map[string]string, len(in))
	for _, k := range keys {
		kp := field(p, k)
		area := strings.ToUpper(strings.Join(strings.Fields(k), ""))
		switch first, dup := writtenAs[area]; {
		case !areaPattern.MatchString(area):
			v.c.add(kp, "%q must be 1 to 8 letters or digits", k)
		case dup:
			v.c.add(kp, "%q is the same area as %q", k, first)
		default:
			writtenAs[area] = k
			out[area] = in[k]
		}
		onMap(v.c, kp, in[k])
	}
	v.co.AreaPoints = out
}

// onMap adds a problem at path.lat or path.lon when pt is off the map.
func onMap(c *collector, path string, pt LatLon) {
	if !(pt.Lat >= -90 && pt.Lat <= 90) {
		c.add(field(path, "lat"), "%v must be from -90 to 90", pt.Lat)
	}
	if !(pt.Lon >= -180 && pt.Lon <= 180) {
		c.add(field(path, "lon"), "%v must be from -180 to 180", pt.Lon)
	}
}
