package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits that keep a hostile file (alias bombs, deep nesting) from making
// the shape check run away; a real config is far below both.
const (
	maxDepth = 64
	maxNodes = 200000
)

// shaper checks a YAML tree against the Go type it will be decoded into,
// like yaml's Decoder.KnownFields(true) but reporting every unknown field,
// repeated key and mistyped value with its field path and line.
type shaper struct {
	c       *collector
	fromEnv map[*yaml.Node]bool
	nodes   int
	tooBig  bool
}

func (s *shaper) walk(n *yaml.Node, t reflect.Type, path string, depth int) {
	if n == nil || s.tooBig {
		return
	}
	s.nodes++
	if depth > maxDepth || s.nodes > maxNodes {
		s.tooBig = true
		s.c.add(path, "line %d: document is nested too deeply or too large", n.Line)
		return
	}
	if n.Kind == yaml.AliasNode {
		s.walk(n.Alias, t, path, depth+1)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // null leaves the zero value, whatever the type
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			s.mistyped(n, path, "a mapping")
			return
		}
		fields := yamlFields(t)
		s.pairs(n, path, depth, func(k, v *yaml.Node) {
			p := field(path, k.Value)
			ft, ok := fields[k.Value]
			if !ok {
				s.c.add(p, "line %d: unknown field %q%s", k.Line, k.Value, suggest(k.Value, fields))
				return
			}
			s.walk(v, ft, p, depth+1)
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			s.mistyped(n, path, "a mapping")
			return
		}
		s.pairs(n, path, depth, func(k, v *yaml.Node) {
			p := field(path, k.Value)
			if k.Kind != yaml.ScalarNode {
				s.c.add(path, "line %d: keys must be plain values", k.Line)
				return
			}
			s.walk(v, t.Elem(), p, depth+1)
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			s.mistyped(n, path, "a list")
			return
		}
		for i, ch := range n.Content {
			s.walk(ch, t.Elem(), elem(path, i), depth+1)
		}
	default:
		want := kindName(t)
		if n.Kind != yaml.ScalarNode {
			s.mistyped(n, path, want)
			return
		}
		// yaml decodes 1.5 into an int as 1; a whole number must be written as one.
		if err := n.Decode(reflect.New(t).Interface()); err != nil || (isInteger(t) && n.ShortTag() != "!!int") {
			s.mistyped(n, path, want)
		}
	}
}

// pairs calls f for each key and value of mapping n, following merge keys
// (<<: *anchor) and reporting a key given twice.
func (s *shaper) pairs(n *yaml.Node, path string, depth int, f func(k, v *yaml.Node)) {
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			s.merge(v, path, depth, f)
			continue
		}
		if line, ok := seen[k.Value]; ok {
			s.c.add(path, "line %d: key %q is already given at line %d", k.Line, k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		f(k, v)
	}
}

func (s *shaper) merge(v *yaml.Node, path string, depth int, f func(k, v *yaml.Node)) {
	if depth > maxDepth {
		return
	}
	switch v.Kind {
	case yaml.AliasNode:
		s.merge(v.Alias, path, depth+1, f)
	case yaml.MappingNode:
		s.pairs(v, path, depth+1, f)
	case yaml.SequenceNode:
		for _, ch := range v.Content {
			s.merge(ch, path, depth+1, f)
		}
	default:
		s.c.add(path, "line %d: a merge key (<<) needs a mapping", v.Line)
	}
}

func (s *shaper) mistyped(n *yaml.Node, path, want string) {
	var got string
	switch {
	case n.Kind == yaml.MappingNode:
		got = "a mapping"
	case n.Kind == yaml.SequenceNode:
		got = "a list"
	case s.fromEnv[n]:
		got = "a value from the environment"
	default:
		got = fmt.Sprintf("%q", n.Value)
	}
	s.c.add(path, "line %d: want %s, got %s", n.Line, want, got)
}

// isInteger reports whether t is a signed or unsigned integer type.
func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func kindName(t reflect.Type) string {
	if isInteger(t) {
		return "a whole number"
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	default:
		return "a " + t.Kind().String()
	}
}

// yamlFields maps the YAML names of t's fields to their types, the way
// go.yaml.in/yaml/v3 names them.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, flags, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(flags, "inline") && f.Type.Kind() == reflect.Struct {
			for k, v := range yamlFields(f.Type) {
				fields[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}

// suggest returns ` (did you mean "x"?)` for the known field closest to an
// unknown one, or "" when none is close.
func suggest(name string, fields map[string]reflect.Type) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestDist := "", 3
	for _, k := range names {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
