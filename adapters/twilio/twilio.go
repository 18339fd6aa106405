// Package twilio connects the bot to Twilio Messaging: Webhook verifies and
// parses inbound SMS/WhatsApp messages and delivery status callbacks, and
// Sender delivers outgoing messages through the Twilio REST API, split into
// parts of at most ten segments and paced per sending number.
package twilio

import "dispatchbot/config"

// Companies finds the companies this adapter serves; *config.Config satisfies it.
type Companies interface {
	// CompanyByNumber returns the company that owns the E.164 Twilio number.
	CompanyByNumber(number string) (*config.Company, bool)
	// Company returns the company with the given id.
	Company(id string) (*config.Company, bool)
}

var _ Companies = (*config.Config)(nil)

// twilioAccount returns the company's Twilio account, or nil when the company
// has none or it lacks credentials.
func twilioAccount(co *config.Company) *config.Twilio {
	if co == nil || co.Channels.Twilio == nil {
		return nil
	}
	if tw := co.Channels.Twilio; tw.AccountSID != "" && tw.AuthToken != "" {
		return tw
	}
	return nil
}
