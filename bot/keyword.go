package bot

import (
	"strings"

	"dispatchbot/config"
)

// keyword is a carrier-standard SMS keyword.
type keyword int

const (
	kwStop keyword = iota + 1
	kwStart
	kwHelp
)

// keywords are the carrier-standard words, matched when a text is one word.
var keywords = map[string]keyword{
	"STOP": kwStop, "STOPALL": kwStop, "UNSUBSCRIBE": kwStop, "CANCEL": kwStop, "END": kwStop, "QUIT": kwStop,
	"START": kwStart, "UNSTOP": kwStart,
	"HELP": kwHelp, "INFO": kwHelp,
}

// keywordOf reports the keyword an SMS or WhatsApp text consists of, if any.
func keywordOf(in Inbound) (keyword, bool) {
	if in.From.Channel != SMS && in.From.Channel != WhatsApp {
		return 0, false
	}
	w := strings.ToUpper(strings.Trim(in.Text, " \t\r\n.!?\"'"))
	kw, ok := keywords[w]
	return kw, ok
}

// applyKeyword fills c for a keyword. STOP gets no reply from us: the
// provider sends the carrier's confirmation and nothing may follow it.
func applyKeyword(c *Change, kw keyword, co *config.Company, in Inbound, snap Snapshot) {
	switch kw {
	case kwStop:
		out := true
		c.OptOut = &out
	case kwStart:
		out := false
		c.OptOut = &out
		c.Outbox = []Outbound{Reply(in, "You're resubscribed to messages from "+co.Name+". Reply STOP to stop, HELP for help.")}
	case kwHelp:
		if !snap.OptedOut {
			c.Outbox = []Outbound{Reply(in, helpText(co))}
		}
	}
}

func helpText(co *config.Company) string {
	s := co.Name + ": text us what's wrong and where, and we'll book a technician."
	if co.Contact != "" {
		s += " Contact: " + co.Contact + "."
	}
	return s + " Reply STOP to stop messages."
}
