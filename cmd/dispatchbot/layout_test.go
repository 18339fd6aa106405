package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestImportsPointInward holds the layout's import rules: domain packages
// import no adapter or provider SDK, and no adapter imports another.
func TestImportsPointInward(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "dispatchbot/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "dispatchbot/"
	allowed := map[string]func(imp string) bool{
		"conversation": func(imp string) bool { return std(imp) || imp == mod+"dispatch" },
		"dispatch":     std,
		"config": func(imp string) bool {
			return std(imp) || imp == mod+"dispatch" || imp == mod+"conversation" ||
				imp == "go.yaml.in/yaml/v3" || imp == "github.com/nyaruka/phonenumbers"
		},
		"bot": func(imp string) bool {
			return std(imp) || imp == mod+"config" || imp == mod+"conversation" || imp == mod+"dispatch"
		},
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(p.ImportPath, mod)
		for _, imp := range p.Imports {
			if ok := allowed[rel]; ok != nil && !ok(imp) {
				t.Errorf("%s imports %s, which the layout forbids", p.ImportPath, imp)
			}
			if adapter := adapterOf(rel); adapter != "" {
				if other := adapterOf(strings.TrimPrefix(imp, mod)); strings.HasPrefix(imp, mod) && other != "" && other != adapter {
					t.Errorf("adapter %s imports adapter %s", p.ImportPath, imp)
				}
			}
		}
	}
}

// std reports whether an import path is in the standard library.
func std(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".") && first != "dispatchbot"
}

// adapterOf names the adapter a package belongs to ("twilio" for
// adapters/twilio/twiliotest), or "" for a package outside adapters.
func adapterOf(rel string) string {
	rest, ok := strings.CutPrefix(rel, "adapters/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}
