package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a config file, at a field path such as
// companies[0].technicians[2].phone. Path is empty for a problem with the
// file as a whole (unreadable, not YAML).
type Problem struct {
	Path string
	Msg  string
}

// String formats the problem as "path: msg", or just msg when there is no path.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Problems is every problem found in a config file, in the order found. It
// is the error Parse and Load return when a file is not valid.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// collector gathers problems as validation walks the config.
type collector struct {
	ps Problems
}

func (c *collector) add(path, format string, args ...any) {
	c.ps = append(c.ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// field extends a path with a mapping key: field("companies[0]", "id").
func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// elem extends a path with a list index: elem("companies", 0).
func elem(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// within reports whether path is at or below the path under.
func within(path, under string) bool {
	if under == "" || path == under {
		return true
	}
	return strings.HasPrefix(path, under+".") || strings.HasPrefix(path, under+"[")
}
