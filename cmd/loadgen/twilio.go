package main

import (
	"net/url"
	"strconv"
)

// twilioAccount is what loadgen must know of the company's Twilio account
// to pose as Twilio: where to post, what URL the server checks signatures
// against, the auth token and the company's number.
type twilioAccount struct {
	PostURL    string // where requests go: the target's /webhooks/twilio
	SignedURL  string // what the server verifies: PUBLIC_URL + /webhooks/twilio
	AuthToken  string
	AccountSID string
	Number     string // the company's number, the To of every inbound
}

// smsForm is the form Twilio posts for one inbound SMS, with the fields a
// real request carries (all of them signed).
func (a twilioAccount) smsForm(sid, from, body string) url.Values {
	return url.Values{
		"AccountSid":    {a.AccountSID},
		"ApiVersion":    {"2010-04-01"},
		"Body":          {body},
		"From":          {from},
		"MessageSid":    {sid},
		"NumMedia":      {"0"},
		"NumSegments":   {"1"},
		"SmsMessageSid": {sid},
		"SmsSid":        {sid},
		"SmsStatus":     {"received"},
		"To":            {a.Number},
	}
}

// messageSID makes a Twilio-shaped message id ("SM" and 32 hex digits)
// unique to this run and sequence number.
func messageSID(run uint32, seq uint64) string {
	return "SM" + hex8(run) + hex8(uint32(seq>>32)) + hex8(uint32(seq)) + "00000000"
}

// hex8 formats v as 8 lowercase hex digits.
func hex8(v uint32) string {
	s := strconv.FormatUint(uint64(v), 16)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}
