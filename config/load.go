package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads the YAML config file at path and returns it parsed and
// validated, as Parse does. An unreadable file is a wrapped os error; a file
// with mistakes is Problems.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	return Parse(data, getenv)
}

// Parse decodes a YAML config strictly (an unknown field is a problem),
// expands ${NAME} references in its values through getenv, validates and
// normalises it, and indexes it for Company and CompanyByNumber. On failure
// the error is Problems, listing everything found wrong. A nil getenv is an
// empty environment.
func Parse(data []byte, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, Problems{{Msg: err.Error()}}
	}

	var shape collector
	cfg := &Config{}
	if root != nil {
		e := expander{getenv: getenv, c: &shape, fromEnv: make(map[*yaml.Node]bool)}
		e.walk(root, "")
		s := shaper{c: &shape, fromEnv: e.fromEnv}
		s.walk(root.Content[0], reflect.TypeFor[Config](), "", 0)
		if err := root.Decode(cfg); err != nil && len(shape.ps) == 0 {
			// The shape check should have caught whatever yaml objects to;
			// report yaml's own words rather than nothing.
			var te *yaml.TypeError
			if errors.As(err, &te) {
				for _, msg := range te.Errors {
					shape.add("", "%s", msg)
				}
			} else {
				shape.add("", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
			}
		}
	}

	ps := shape.ps
	// A field that could not be read (mistyped, unset variable) would also
	// fail validation as empty, and so might what holds it ("a phone or a
	// telegram_id is required"); report it once.
	for _, p := range validate(cfg) {
		if !coveredBy(p, shape.ps) {
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	cfg.index()
	return cfg, nil
}

// parseYAML returns the single document in data, or nil for an empty file.
func parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fmt.Errorf("not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	default:
		return nil, fmt.Errorf("line %d: only one YAML document is allowed", next.Line)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil
	}
	return &root, nil
}

// coveredBy reports whether p is at, below or above the path of one of ps.
func coveredBy(p Problem, ps Problems) bool {
	for _, q := range ps {
		if within(p.Path, q.Path) || within(q.Path, p.Path) {
			return true
		}
	}
	return false
}
