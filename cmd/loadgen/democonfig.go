package main

import (
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"dispatchbot/config"
)

// demoConfig returns the built-in demo company as a config file, with its
// Twilio number paced at smsRate segments per second instead of 1. One long
// code really is held to about 1 segment/s by carriers, so a server that
// answers thousands of texts a second sends through many numbers or a
// short code; the fake provider has no carrier behind it.
func demoConfig(smsRate float64) ([]byte, error) {
	cfg := config.Demo()
	cfg.Companies[0].Channels.Twilio.SegmentsPerSecond = smsRate
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("demo config: %w", err)
	}
	if _, err := config.Parse(b, nil); err != nil {
		return nil, fmt.Errorf("demo config does not load back: %w", err)
	}
	return append([]byte("# The demo company, with its Twilio number paced at a load test's rate (written by loadgen -write-config).\n"), b...), nil
}

// writeDemoConfig writes demoConfig(smsRate) to path.
func writeDemoConfig(path string, smsRate float64) error {
	b, err := demoConfig(smsRate)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}
