package config

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expander replaces ${NAME} references in the scalar values of a YAML tree
// with values from getenv, so secrets can stay in the environment.
type expander struct {
	getenv func(string) string
	c      *collector
	// fromEnv holds the scalars whose value came, at least in part, from the
	// environment; their values are never echoed in problem messages.
	fromEnv map[*yaml.Node]bool
}

// walk expands every scalar value below n. Aliases are skipped: they share
// their anchor's node, which is expanded where it is defined.
func (e *expander) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, ch := range n.Content {
			e.walk(ch, path)
		}
	case yaml.SequenceNode:
		for i, ch := range n.Content {
			e.walk(ch, elem(path, i))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			e.walk(n.Content[i+1], field(path, n.Content[i].Value))
		}
	case yaml.ScalarNode:
		e.scalar(n, path)
	}
}

func (e *expander) scalar(n *yaml.Node, path string) {
	if !strings.Contains(n.Value, "${") {
		return
	}
	var b strings.Builder
	rest := n.Value
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		end := strings.IndexByte(rest[i:], '}')
		if end < 0 {
			e.c.add(path, "unterminated environment reference %q", rest[i:])
			return
		}
		name := rest[i+2 : i+end]
		rest = rest[i+end+1:]
		if !envNamePattern.MatchString(name) {
			e.c.add(path, "invalid environment reference %q", "${"+name+"}")
			continue
		}
		v := e.getenv(name)
		if v == "" {
			e.c.add(path, "environment variable %s is not set", name)
			continue
		}
		b.WriteString(v)
	}
	n.Value = b.String()
	e.fromEnv[n] = true
	// An untagged plain scalar is resolved again from its new value, so
	// `segments_per_second: ${RATE}` becomes a number.
	if n.Style&yaml.TaggedStyle == 0 && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		n.Tag = ""
	}
}
