package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	notYAML := filepath.Join(dir, "not.yaml")
	if err := os.WriteFile(notYAML, []byte("companies: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var broken []string
	for _, p := range wantBroken {
		broken = append(broken, p.String())
	}

	tests := []struct {
		name     string
		path     string
		env      map[string]string
		wantCode int
		// wantOut is the whole output, or its prefix when prefix is set.
		wantOut string
		prefix  bool
	}{
		{
			name:     "valid",
			path:     "testdata/valid.yaml",
			env:      validEnv,
			wantCode: 0,
			wantOut: "acme (Acme Plumbing & Heating): 3 technicians, 1 dispatcher, channels: twilio +441234567890, telegram\n" +
				"rapid-rooter (Rapid Rooter): 1 technician, 0 dispatchers, channels: twilio +12125550100 +12125550101\n",
		},
		{
			name:     "valid but a secret missing",
			path:     "testdata/valid.yaml",
			env:      map[string]string{"ACME_TWILIO_SID": "AC00000000000000000000000000000000", "ACME_TWILIO_TOKEN": "x", "ACME_TELEGRAM_TOKEN": "1:x", "ACME_TELEGRAM_SECRET": "x"},
			wantCode: 1,
			wantOut:  "companies[1].channels.twilio.auth_token: environment variable RAPID_TWILIO_TOKEN is not set\n",
		},
		{
			name:     "broken",
			path:     "testdata/broken.yaml",
			wantCode: 1,
			wantOut:  strings.Join(broken, "\n") + "\n",
		},
		{
			name:     "missing file",
			path:     filepath.Join(dir, "missing.yaml"),
			wantCode: 1,
			wantOut:  "load config: open " + filepath.Join(dir, "missing.yaml") + ": ",
			prefix:   true,
		},
		{
			name:     "not YAML",
			path:     notYAML,
			wantCode: 1,
			wantOut:  "not valid YAML: line 1: did not find expected node content\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			code := Check(tt.path, envOf(tt.env), &out)
			if code != tt.wantCode {
				t.Errorf("Check(%q) = %d, want %d; output:\n%s", tt.path, code, tt.wantCode, out.String())
			}
			got := out.String()
			if tt.prefix {
				if !strings.HasPrefix(got, tt.wantOut) || strings.Count(got, "\n") != 1 {
					t.Errorf("Check(%q) output = %q, want one line starting %q", tt.path, got, tt.wantOut)
				}
				return
			}
			if got != tt.wantOut {
				t.Errorf("Check(%q) output:\n%s\nwant:\n%s", tt.path, got, tt.wantOut)
			}
		})
	}
}
