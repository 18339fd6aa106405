package conversation

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dispatchbot/dispatch"
)

// manageHint closes a booking confirmation: how to change the booking.
const manageHint = "Reply C to cancel, R to reschedule."

// vague reports whether a message says nothing about a problem yet
// ("hi", "hello?", "are you open").
func vague(text string) bool {
	words := strings.Fields(strings.ToLower(strings.Trim(text, " .!?")))
	if len(words) == 0 {
		return true
	}
	if len(words) > 3 {
		return false
	}
	for _, w := range words {
		switch strings.Trim(w, ".,!?") {
		case "hi", "hello", "hey", "hiya", "yo", "morning", "afternoon", "evening", "good", "there",
			"anyone", "are", "you", "open", "help", "please", "pls", "?", "ok", "test", "thanks", "thank":
		default:
			return false
		}
	}
	return true
}

// safetyAdvice is the first thing an emergency hears: what to do right now.
func safetyAdvice(h Hazard, c *Company) string {
	emergency := c.EmergencyNumbers["emergency"]
	if emergency == "" {
		emergency = "the emergency services"
	}
	gas := c.EmergencyNumbers["gas"]
	if gas == "" {
		gas = emergency
	}
	us := c.Region == "US" || c.Region == "CA"
	valve, mains := "the stopcock", "the fuse box"
	if us {
		valve, mains = "the main shutoff valve", "the breaker panel"
	}
	switch h {
	case HazardGas:
		return "Safety first: leave the building now. Don't use light switches, flames or phones inside. Call the gas emergency line on " + gas + " from outside."
	case HazardCO:
		return "Safety first: get everyone out into fresh air now and call " + emergency + ". Don't go back in until it's safe."
	case HazardElectrical:
		return "Safety first: don't touch it. Switch off the power at " + mains + " only if it's safe to reach. If there's fire or smoke, get out and call " + emergency + "."
	case HazardWater:
		return "Safety first: turn off the water at " + valve + " and keep away from electrics near the water."
	case HazardFire:
		return "Safety first: if there's fire or smoke, get everyone out and call " + emergency + " now."
	case HazardPerson:
		return "Safety first: if anyone is hurt or in danger, call " + emergency + " now."
	}
	return "Safety first: if anyone is in danger, call " + emergency + " now."
}

// detailsQuestion is the one extra question a trade needs so the technician
// brings the right parts, or "" when it needs none.
func detailsQuestion(t dispatch.Trade, region string) string {
	switch t {
	case dispatch.Appliance:
		return "What make and model is it, and is an error code showing? A photo of the label or display helps too."
	case dispatch.HVAC:
		unit := "boiler or unit"
		if region == "US" || region == "CA" {
			unit = "furnace or unit"
		}
		return "What make and model is the " + unit + ", and is an error code showing? A photo helps too."
	}
	return ""
}

func postcodeWord(region string) string {
	if region == "US" {
		return "ZIP code"
	}
	return "postcode"
}

func exampleAddress(region string) string {
	if region == "US" {
		return "12 Oak St, 10001"
	}
	return "12 Oak Rd, SW1A 1AA"
}

// money formats an amount with its currency's sign: £80, $95.50, €120.
func money(currency string, amount float64) string {
	n := strconv.FormatFloat(amount, 'f', 2, 64)
	n = strings.TrimSuffix(n, ".00")
	switch strings.ToUpper(currency) {
	case "GBP":
		return "£" + n
	case "USD", "CAD", "AUD":
		return "$" + n
	case "EUR":
		return "€" + n
	case "":
		return n
	}
	return n + " " + strings.ToUpper(currency)
}

// priceText answers "how much" from the company's fees and notes.
func (st *stepper) priceText() string {
	f := st.c.Fees
	var parts []string
	if f.Standard > 0 {
		parts = append(parts, money(f.Currency, f.Standard)+" in normal hours")
	}
	if f.AfterHours > 0 {
		parts = append(parts, money(f.Currency, f.AfterHours)+" after hours")
	}
	if f.Emergency > 0 {
		parts = append(parts, money(f.Currency, f.Emergency)+" for emergencies")
	}
	s := ""
	if len(parts) > 0 {
		s = "Our call-out fee is " + strings.Join(parts, ", ") + "."
	}
	if st.c.PriceNotes != "" {
		s = join(s, st.c.PriceNotes)
	}
	if s == "" {
		s = "The technician will quote before starting any work."
	}
	return s
}

// formatSlot shows a slot in the company's zone: "Tue 24 Nov, 8-10am".
func formatSlot(s Slot, loc *time.Location) string {
	a, b := s.Start.In(loc), s.End.In(loc)
	day := a.Format("Mon 2 Jan")
	if (a.Hour() < 12) == (b.Hour() < 12) {
		return day + ", " + clock(a, false) + "-" + clock(b, true)
	}
	return day + ", " + clock(a, true) + "-" + clock(b, true)
}

// clock formats 08:00 as "8" (or "8am" with the suffix), 13:30 as "1:30pm".
func clock(t time.Time, suffix bool) string {
	h := t.Hour() % 12
	if h == 0 {
		h = 12
	}
	s := strconv.Itoa(h)
	if t.Minute() != 0 {
		s += ":" + t.Format("04")
	}
	if suffix {
		if t.Hour() < 12 {
			s += "am"
		} else {
			s += "pm"
		}
	}
	return s
}

// choices lists the numbers a customer may reply with: "1, 2 or 3".
func choices(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1"
	}
	var b strings.Builder
	for i := 1; i < n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String() + " or " + strconv.Itoa(n)
}

// quote shortens a customer's words for a dispatcher alert.
func quote(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return `"` + s + `"`
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// isNone reports whether an answer means "nothing to add".
func isNone(text string) bool {
	switch strings.ToLower(strings.Trim(text, " .!")) {
	case "none", "nothing", "no", "nope", "n/a", "na", "nil", "-", "no thanks", "all good", "nothing really":
		return true
	}
	return false
}
