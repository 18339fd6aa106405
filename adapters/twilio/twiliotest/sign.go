// Package twiliotest fakes Twilio for tests: Sign makes real webhook
// signatures and API is an httptest server that the real twilio-go client
// can send messages to.
package twiliotest

import (
	"net/url"

	"dispatchbot/adapters/twilio"
)

// Sign returns the X-Twilio-Signature Twilio would send for a POST of form to
// fullURL (scheme, host, path and query string exactly as called):
// base64(HMAC-SHA1(authToken, fullURL + key1 + value1 + key2 + value2 …))
// with the form keys sorted. Like twilio-go's validator, it signs only the
// first value of a repeated key.
func Sign(authToken, fullURL string, form url.Values) string {
	return twilio.Signature(authToken, fullURL, form)
}
