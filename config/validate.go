package config

import (
	"dispatchbot/conversation"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	// Time zones load the same in a scratch container as on a laptop.
	_ "time/tzdata"
)

var (
	companyIDPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	regionPattern        = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyPattern      = regexp.MustCompile(`^[A-Z]{3}$`)
	areaPattern          = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)
	accountSIDPattern    = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	botTokenPattern      = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	webhookSecretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Defaults applied by validation.
const (
	defaultSlotMinutes       = 120
	defaultSegmentsPerSecond = 1
)

// defaultBusinessHours is what a company without business_hours gets.
func defaultBusinessHours() map[string]string {
	return map[string]string{"mon-fri": "08:00-18:00"}
}

// emergencyKeys are the keys allowed in emergency_numbers.
var emergencyKeys = []string{"emergency", "gas", "electricity", "water"}

// defaultEmergencyNumbers returns the emergency and gas numbers of a region,
// used for the keys a company leaves out.
func defaultEmergencyNumbers(region string) map[string]string {
	switch region {
	case "GB":
		return map[string]string{"emergency": "999", "gas": "0800 111 999"}
	case "US", "CA":
		return map[string]string{"emergency": "911", "gas": "911"}
	case "IE":
		return map[string]string{"emergency": "112", "gas": "1800 20 50 50"}
	case "AU":
		return map[string]string{"emergency": "000", "gas": "000"}
	default:
		return map[string]string{"emergency": "112", "gas": "112"}
	}
}

// validate checks cfg, collecting every problem, and normalises it in place:
// defaults filled, phone numbers in E.164, hours parsed, time zones loaded.
func validate(cfg *Config) Problems {
	var c collector
	if len(cfg.Companies) == 0 {
		c.add("companies", "at least one company is required")
	}
	ids := make(map[string]string)     // company id → path of its first use
	numbers := make(map[string]string) // Twilio number → path of its first use
	for i, co := range cfg.Companies {
		path := elem("companies", i)
		if co == nil {
			c.add(path, "company is empty")
			continue
		}
		if first, ok := ids[co.ID]; ok && co.ID != "" {
			c.add(field(path, "id"), "%q is already used by %s", co.ID, first)
		} else {
			ids[co.ID] = path
		}
		v := companyCheck{co: co, path: path, c: &c}
		v.check()
		if tw := co.Channels.Twilio; tw != nil {
			for j, n := range tw.Numbers {
				p := elem(field(path, "channels.twilio.numbers"), j)
				if first, ok := numbers[n]; ok && n != "" {
					c.add(p, "%s is already used at %s", n, first)
				} else {
					numbers[n] = p
				}
			}
		}
	}
	return c.ps
}

// companyCheck validates and normalises one company.
type companyCheck struct {
	co   *Company
	path string
	c    *collector
	// regionOK is false when the region is missing or unknown; phone numbers
	// are then left unchecked, since the region decides how they read.
	regionOK bool
	// people maps each phone number and Telegram id of the company's
	// dispatchers and technicians to the path where it was first given.
	phones    map[string]string
	telegrams map[int64]string
	// techIDs maps each technician id to the path where it was first given.
	techIDs map[string]string
}

func (v *companyCheck) field(name string) string { return field(v.path, name) }

func (v *companyCheck) check() {
	co := v.co
	switch {
	case co.ID == "":
		v.c.add(v.field("id"), "is required")
	case !companyIDPattern.MatchString(co.ID):
		v.c.add(v.field("id"), "%q must be 1 to 40 lower-case letters, digits or '-', starting with a letter or digit", co.ID)
	}
	if strings.TrimSpace(co.Name) == "" {
		v.c.add(v.field("name"), "is required")
	}
	v.timezone()
	v.region()
	v.emergencyNumbers()
	co.ServiceAreas = v.areas(co.ServiceAreas, v.field("service_areas"), "service area")
	switch {
	case co.SlotMinutes == 0:
		co.SlotMinutes = defaultSlotMinutes
	case co.SlotMinutes < 15 || co.SlotMinutes > 480 || co.SlotMinutes%15 != 0:
		v.c.add(v.field("slot_minutes"), "%d must be a multiple of 15 from 15 to 480", co.SlotMinutes)
	}
	if co.TravelBufferMinutes < 0 || co.TravelBufferMinutes > 240 || co.TravelBufferMinutes%5 != 0 {
		v.c.add(v.field("travel_buffer_minutes"), "%d must be a multiple of 5 from 0 to 240", co.TravelBufferMinutes)
	}
	if len(co.BusinessHours) == 0 {
		co.BusinessHours = defaultBusinessHours()
	}
	co.Hours = parseWeek(co.BusinessHours, v.field("business_hours"), v.c)
	v.fees()
	v.dispatchSettings()
	v.areaPoints()
	v.triage()
	v.twilio()
	v.telegram()
	v.phones = make(map[string]string)
	v.telegrams = make(map[int64]string)
	for i := range co.Dispatchers {
		v.dispatcher(&co.Dispatchers[i], elem(v.field("dispatchers"), i))
	}
	v.techIDs = make(map[string]string)
	for i := range co.Technicians {
		v.technician(&co.Technicians[i], elem(v.field("technicians"), i))
	}
	if co.Contact == "" {
		co.Contact = co.SMSNumber()
	}
}

func (v *companyCheck) timezone() {
	co := v.co
	p := v.field("timezone")
	switch {
	case co.Timezone == "":
		v.c.add(p, "is required")
		return
	case co.Timezone == "Local":
		v.c.add(p, `"Local" depends on the server; use a zone name like Europe/London`)
		return
	}
	loc, err := time.LoadLocation(co.Timezone)
	if err != nil {
		v.c.add(p, "%q is not a known time zone; use a zone name like Europe/London", co.Timezone)
		return
	}
	co.Location = loc
}

func (v *companyCheck) region() {
	r := v.co.Region
	p := v.field("region")
	switch {
	case r == "":
		v.c.add(p, "is required")
	case !regionPattern.MatchString(r) || !phonenumbers.GetSupportedRegions()[r]:
		v.c.add(p, "%q is not a supported region; use an upper-case ISO 3166 code like GB or US", r)
	default:
		v.regionOK = true
	}
}

func (v *companyCheck) emergencyNumbers() {
	co := v.co
	keys := make([]string, 0, len(co.EmergencyNumbers))
	for k := range co.EmergencyNumbers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := field(v.field("emergency_numbers"), k)
		switch {
		case !slices.Contains(emergencyKeys, k):
			v.c.add(p, "unknown key; allowed keys are %s", strings.Join(emergencyKeys, ", "))
		case strings.TrimSpace(co.EmergencyNumbers[k]) == "":
			v.c.add(p, "must not be empty")
		}
	}
	if co.EmergencyNumbers == nil {
		co.EmergencyNumbers = make(map[string]string)
	}
	for k, n := range defaultEmergencyNumbers(co.Region) {
		if _, ok := co.EmergencyNumbers[k]; !ok {
			co.EmergencyNumbers[k] = n
		}
	}
}

// areas normalises postcode or ZIP prefixes to upper case without spaces
// and checks that there is at least one and each is 1 to 8 letters or digits.
func (v *companyCheck) areas(in []string, path, what string) []string {
	if len(in) == 0 {
		v.c.add(path, "at least one %s is required", what)
		return in
	}
	out := make([]string, len(in))
	for i, a := range in {
		out[i] = strings.ToUpper(strings.Join(strings.Fields(a), ""))
		if !areaPattern.MatchString(out[i]) {
			v.c.add(elem(path, i), "%q must be 1 to 8 letters or digits", a)
		}
	}
	return out
}

func (v *companyCheck) fees() {
	f := v.co.Fees
	p := v.field("fees")
	if f.Currency != "" && !currencyPattern.MatchString(f.Currency) {
		v.c.add(field(p, "currency"), "%q must be three upper-case letters, like GBP or USD", f.Currency)
	}
	nonNegative(v.c, field(p, "standard"), f.Standard)
	nonNegative(v.c, field(p, "after_hours"), f.AfterHours)
	nonNegative(v.c, field(p, "emergency"), f.Emergency)
}

// triage checks that the company's rule override compiles on top of the
// built-in rules.
func (v *companyCheck) triage() {
	if v.co.Triage == nil {
		return
	}
	if _, err := conversation.NewGrader(conversation.DefaultTriageRules().Merge(*v.co.Triage)); err != nil {
		v.c.add(v.field("triage"), "%v", err)
	}
}

func nonNegative(c *collector, path string, x float64) {
	if !(x >= 0) || math.IsInf(x, 0) {
		c.add(path, "%v must be a number of 0 or more", x)
	}
}

func (v *companyCheck) twilio() {
	tw := v.co.Channels.Twilio
	if tw == nil {
		return
	}
	p := v.field("channels.twilio")
	switch {
	case tw.AccountSID == "":
		v.c.add(field(p, "account_sid"), "is required")
	case !accountSIDPattern.MatchString(tw.AccountSID):
		v.c.add(field(p, "account_sid"), `must be "AC" followed by 32 hexadecimal digits`)
	}
	if tw.AuthToken == "" {
		v.c.add(field(p, "auth_token"), "is required")
	}
	if len(tw.Numbers) == 0 {
		v.c.add(field(p, "numbers"), "at least one number is required")
	}
	for i, n := range tw.Numbers {
		tw.Numbers[i] = v.phone(elem(field(p, "numbers"), i), n)
	}
	switch {
	case tw.SegmentsPerSecond == 0:
		tw.SegmentsPerSecond = defaultSegmentsPerSecond
	case !(tw.SegmentsPerSecond > 0) || math.IsInf(tw.SegmentsPerSecond, 0):
		v.c.add(field(p, "segments_per_second"), "%v must be a number of 0 or more", tw.SegmentsPerSecond)
	}
}

func (v *companyCheck) telegram() {
	tg := v.co.Channels.Telegram
	if tg == nil {
		return
	}
	p := v.field("channels.telegram")
	switch {
	case tg.BotToken == "":
		v.c.add(field(p, "bot_token"), "is required")
	case !botTokenPattern.MatchString(tg.BotToken):
		v.c.add(field(p, "bot_token"), "must look like 123456789:AAE-token, as @BotFather gives it")
	}
	switch {
	case tg.WebhookSecret == "":
		v.c.add(field(p, "webhook_secret"), "is required")
	case !webhookSecretPattern.MatchString(tg.WebhookSecret):
		v.c.add(field(p, "webhook_secret"), "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
}
