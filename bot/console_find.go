package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// findJob loads the job written id ("J-1042", "j1042" or "1042"). An
// unknown job is an ActionError naming the open jobs whose numbers are
// nearest.
func (c *Console) findJob(ctx context.Context, co *config.Company, id string) (StoredJob, error) {
	n, ok := dispatch.ParseJobID(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(id)), "J"))
	if !ok {
		n, ok = dispatch.ParseJobID(id)
	}
	if !ok {
		return StoredJob{}, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("%q is not a job number; write it like J-1042.", id)}
	}
	sj, err := c.o.Jobs.Job(ctx, co.ID, n)
	if errors.Is(err, ErrNoJob) {
		msg := "No job " + dispatch.JobID(n) + "."
		if near := c.nearJobs(ctx, co, n); len(near) > 0 {
			msg += " Did you mean " + joinOr(near) + "?"
		}
		return StoredJob{}, &ActionError{Kind: RefusedNotFound, Msg: msg}
	}
	if err != nil {
		return StoredJob{}, fmt.Errorf("console: job %s: %w", dispatch.JobID(n), err)
	}
	return sj, nil
}

// nearJobs lists up to three open jobs whose numbers are one typo from n.
func (c *Console) nearJobs(ctx context.Context, co *config.Company, n int64) []string {
	open, err := c.o.Jobs.OpenJobs(ctx, co.ID)
	if err != nil {
		return nil
	}
	want := strconv.FormatInt(n, 10)
	var out []string
	for _, sj := range open {
		if editDistance(want, strconv.FormatInt(sj.Job.Number, 10)) <= 1 || swapped(want, strconv.FormatInt(sj.Job.Number, 10)) {
			out = append(out, sj.Job.ID)
		}
	}
	return out[:min(len(out), 3)]
}

// findTech finds a technician by id, full name or first name, ignoring
// case. An unknown one is an ActionError naming the nearest.
func findTech(co *config.Company, who string) (config.Technician, error) {
	w := strings.ToLower(strings.TrimSpace(who))
	if w == "" {
		return config.Technician{}, &ActionError{Kind: RefusedBad, Msg: "Which technician? Give an id or a name, e.g. alice."}
	}
	var byFirst []config.Technician
	for _, t := range co.Technicians {
		switch {
		case strings.ToLower(t.ID) == w, strings.ToLower(t.Name) == w:
			return t, nil
		case strings.ToLower(firstName(t.Name)) == w:
			byFirst = append(byFirst, t)
		}
	}
	if len(byFirst) == 1 {
		return byFirst[0], nil
	}
	if len(byFirst) > 1 {
		ids := make([]string, len(byFirst))
		for i, t := range byFirst {
			ids[i] = t.ID
		}
		return config.Technician{}, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("%q could be %s: use the id.", who, joinOr(ids))}
	}
	type near struct {
		id string
		d  int
	}
	var cands []near
	for _, t := range co.Technicians {
		d := min(editDistance(w, strings.ToLower(t.ID)), editDistance(w, strings.ToLower(firstName(t.Name))))
		if d <= 2 || strings.HasPrefix(strings.ToLower(t.ID), w) {
			cands = append(cands, near{t.ID, d})
		}
	}
	slices.SortStableFunc(cands, func(a, b near) int { return a.d - b.d })
	msg := fmt.Sprintf("No technician %q.", who)
	if len(cands) > 0 {
		ids := make([]string, 0, 3)
		for _, c := range cands[:min(len(cands), 3)] {
			ids = append(ids, c.id)
		}
		msg += " Did you mean " + joinOr(ids) + "?"
	} else {
		ids := make([]string, len(co.Technicians))
		for i, t := range co.Technicians {
			ids[i] = t.ID
		}
		msg += " Technicians: " + strings.Join(ids, ", ") + "."
	}
	return config.Technician{}, &ActionError{Kind: RefusedNotFound, Msg: msg}
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// swapped reports whether b is a with two neighbouring characters swapped.
func swapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// joinOr joins words as "a, b or c".
func joinOr(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
