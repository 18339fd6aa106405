package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/config"
)

// TestDemoConfig checks that the written file loads as the demo company
// with only the number's pacing changed.
func TestDemoConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.yaml")
	if err := writeDemoConfig(path, 5000); err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(path, nil)
	if err != nil {
		t.Fatalf("config.Load(%s) = %v", path, err)
	}
	want := config.Demo()
	want.Companies[0].Channels.Twilio.SegmentsPerSecond = 5000
	opts := cmp.Options{
		cmpopts.IgnoreUnexported(config.Config{}),
		cmpopts.IgnoreFields(config.Config{}, "Demo"),
		cmpopts.EquateEmpty(),
		cmp.Comparer(func(a, b interface{ String() string }) bool { return a.String() == b.String() }),
	}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("loaded config (-demo +loaded):\n%s", diff)
	}
}
