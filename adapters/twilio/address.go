package twilio

import (
	"strings"

	"dispatchbot/bot"
)

// whatsappPrefix marks a WhatsApp address in Twilio's To and From fields.
const whatsappPrefix = "whatsapp:"

// parseAddress splits a Twilio address such as "whatsapp:+447700900123" into
// its channel and number.
func parseAddress(s string) (bot.Channel, string) {
	if n, ok := strings.CutPrefix(s, whatsappPrefix); ok {
		return bot.WhatsApp, n
	}
	return bot.SMS, s
}

// formatAddress is the inverse of parseAddress.
func formatAddress(ch bot.Channel, number string) string {
	if ch == bot.WhatsApp {
		return whatsappPrefix + number
	}
	return number
}

// isE164 reports whether s is '+' followed by 8 to 15 digits, the first not 0.
// Twilio always sends numbers in this form.
func isE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}
