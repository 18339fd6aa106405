package main

import (
	"crypto/rand"
	"encoding/hex"

	"dispatchbot/adapters/web"
	"dispatchbot/bot"
)

// webConsole serves bot.Console to the web adapter.
type webConsole struct {
	*bot.Console
}

// Companies lists the companies for the API.
func (c webConsole) Companies() []web.CompanyRef {
	cos := c.Console.Companies()
	out := make([]web.CompanyRef, len(cos))
	for i, co := range cos {
		out[i] = web.CompanyRef{ID: co.ID, Name: co.Name}
	}
	return out
}

var _ web.Console = webConsole{}

// randomToken makes an admin token for a server started without one.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b)
}
