// Package twiliotest fakes Twilio for tests: Sign makes real webhook
// signatures and API is an httptest server that the real twilio-go client
// can send messages to.
package twiliotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
)

// Sign returns the X-Twilio-Signature Twilio would send for a POST of form to
// fullURL (scheme, host, path and query string exactly as called):
// base64(HMAC-SHA1(authToken, fullURL + key1 + value1 + key2 + value2 …))
// with the form keys sorted. Like twilio-go's validator, it signs only the
// first value of a repeated key.
func Sign(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(fullURL))
	for _, k := range keys {
		m.Write([]byte(k + form.Get(k)))
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
