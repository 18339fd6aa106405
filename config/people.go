package config

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"dispatchbot/dispatch"
)

var technicianIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// fictionalRanges are E.164 prefixes that regulators reserve for drama and
// testing, each followed by three more digits. libphonenumber calls them
// invalid, but examples and the demo use them because they reach no one.
var fictionalRanges = []string{
	"+447700900", // Ofcom: 07700 900000-900999, mobile
	"+441632960", // Ofcom: 01632 960000-960999, no area
}

// phone parses raw in the company's region and returns it in E.164, or raw
// unchanged after adding a problem when it is not a valid number.
func (v *companyCheck) phone(path, raw string) string {
	if !v.regionOK {
		return raw
	}
	n, err := phonenumbers.Parse(raw, v.co.Region)
	if err != nil {
		v.c.add(path, "%q is not a valid number for region %s", raw, v.co.Region)
		return raw
	}
	e164 := phonenumbers.Format(n, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(n) && !fictional(e164) {
		v.c.add(path, "%q is not a valid number for region %s", raw, v.co.Region)
		return raw
	}
	return e164
}

func fictional(e164 string) bool {
	for _, p := range fictionalRanges {
		if rest, ok := strings.CutPrefix(e164, p); ok && len(rest) == 3 {
			return true
		}
	}
	return false
}

// person checks what dispatchers and technicians share: a name, and a phone
// or Telegram id that no one else in the company uses. It returns the phone
// in E.164.
func (v *companyCheck) person(path, name, phone string, telegramID int64) string {
	if strings.TrimSpace(name) == "" {
		v.c.add(field(path, "name"), "is required")
	}
	if phone == "" && telegramID == 0 {
		v.c.add(path, "a phone or a telegram_id is required")
	}
	if phone != "" {
		p := field(path, "phone")
		phone = v.phone(p, phone)
		if first, ok := v.phones[phone]; ok {
			v.c.add(p, "%s is already used by %s", phone, first)
		} else {
			v.phones[phone] = path
		}
	}
	switch {
	case telegramID < 0:
		v.c.add(field(path, "telegram_id"), "%d must be a positive Telegram user id", telegramID)
	case telegramID > 0:
		if first, ok := v.telegrams[telegramID]; ok {
			v.c.add(field(path, "telegram_id"), "%d is already used by %s", telegramID, first)
		} else {
			v.telegrams[telegramID] = path
		}
	}
	return phone
}

func (v *companyCheck) dispatcher(d *Dispatcher, path string) {
	d.Phone = v.person(path, d.Name, d.Phone, d.TelegramID)
}

func (v *companyCheck) technician(t *Technician, path string) {
	switch {
	case t.ID == "":
		v.c.add(field(path, "id"), "is required")
	case !technicianIDPattern.MatchString(t.ID):
		v.c.add(field(path, "id"), "%q must be lower-case letters, digits or '-', starting with a letter or digit", t.ID)
	default:
		if first, ok := v.techIDs[t.ID]; ok {
			v.c.add(field(path, "id"), "%q is already used by %s", t.ID, first)
		} else {
			v.techIDs[t.ID] = path
		}
	}
	t.Phone = v.person(path, t.Name, t.Phone, t.TelegramID)

	if len(t.Trades) == 0 {
		v.c.add(field(path, "trades"), "at least one trade is required")
	}
	for i, tr := range t.Trades {
		if !tr.Valid() {
			v.c.add(elem(field(path, "trades"), i), "unknown trade %q; known trades are %s", tr, tradeList())
		}
	}

	t.Areas = v.areas(t.Areas, field(path, "areas"), "area")
	for i, a := range t.Areas {
		if areaPattern.MatchString(a) && !v.covers(a) {
			v.c.add(elem(field(path, "areas"), i), "%q is not inside any of the company's service_areas", a)
		}
	}

	onMap(v.c, field(path, "home"), t.Home)
	t.OnCall = parseWeek(t.OnCallHours, field(path, "on_call"), v.c)

	if len(t.WorkHours) == 0 {
		t.WorkHours = maps.Clone(v.co.BusinessHours)
		t.Hours = copyWeek(v.co.Hours)
		return
	}
	t.Hours = parseWeek(t.WorkHours, field(path, "hours"), v.c)
}

// covers reports whether area lies inside one of the company's service
// areas, that is, has one of them as a prefix.
func (v *companyCheck) covers(area string) bool {
	return slices.ContainsFunc(v.co.ServiceAreas, func(sa string) bool {
		return sa != "" && strings.HasPrefix(area, sa)
	})
}

func tradeList() string {
	names := make([]string, len(dispatch.Trades))
	for i, t := range dispatch.Trades {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func copyWeek(w dispatch.Week) dispatch.Week {
	var out dispatch.Week
	for d, spans := range w {
		out[d] = slices.Clone(spans)
	}
	return out
}
