package conversation

import "time"

// readSlotQuery collects the days, parts of the day and times an answer
// names. ok is false when it names two different days.
func readSlotQuery(toks []slotTok, n int) (slotQuery, bool) {
	q := slotQuery{relDay: -1}
	between := false
	word := func(i int) string {
		if i >= 0 && i < len(toks) && toks[i].kind == 'w' {
			return toks[i].s
		}
		return ""
	}
	setRel := func(d int) bool {
		if q.relDay >= 0 && q.relDay != d {
			return false
		}
		q.relDay = d
		return true
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == 'p' || t.kind == 'w' && choiceWords[t.s] {
			if (t.s == "#" || choiceWords[t.s]) && i+1 < len(toks) && toks[i+1].kind == 'n' && toks[i+1].n >= 1 && toks[i+1].n <= n {
				q.choice = toks[i+1].n
				return q, true
			}
			continue
		}
		if t.kind == 'n' {
			j, ok := readSlotNumber(&q, toks, i, between)
			if !ok {
				return q, false
			}
			i = j
			continue
		}
		wd, isDay := weekdayNames[t.s]
		m, isMonth := monthNames[t.s]
		switch {
		case t.s == "between":
			between = true
		case isDay:
			if q.hasWeekday && q.weekday != wd {
				return q, false
			}
			q.weekday, q.hasWeekday = wd, true
		case t.s == "today":
			if !setRel(0) {
				return q, false
			}
		case t.s == "tonight":
			if !setRel(0) {
				return q, false
			}
			q.part = partEvening
		case tomorrowWords[t.s]:
			if !setRel(1) {
				return q, false
			}
		case isMonth && t.s != "may" || t.s == "may" && (word(i-1) == "of" || i > 0 && toks[i-1].kind == 'n' || i+1 < len(toks) && toks[i+1].kind == 'n'):
			if q.month != 0 && q.month != m {
				return q, false
			}
			q.month = m
		case t.s == "morning" || t.s == "morn" || t.s == "mornin" || t.s == "am":
			q.part = partMorning
		case t.s == "first" && word(i+1) == "thing":
			q.part = partMorning
		case t.s == "afternoon" || t.s == "arvo" || t.s == "pm":
			q.part = partAfternoon
		case t.s == "evening" || t.s == "eve" || t.s == "night":
			q.part = partEvening
		case t.s == "lunchtime" || t.s == "lunch":
			q.part = partLunch
		case t.s == "noon" || t.s == "midday":
			q.times = append(q.times, slotTime{starts: []int{12 * 60}})
		case t.s == "last" || t.s == "latest" || t.s == "later" || t.s == "final":
			q.last = true
		}
	}
	return q, true
}

// readSlotNumber reads the number at toks[i] as a day of the month, a date,
// "2moro" or a time, records it in q and returns the index of its last token.
func readSlotNumber(q *slotQuery, toks []slotTok, i int, between bool) (int, bool) {
	t := toks[i]
	next := func(k int) slotTok {
		if i+k < len(toks) {
			return toks[i+k]
		}
		return slotTok{}
	}
	monthNear := func() bool {
		_, before := monthNames[wordBeforeTok(toks, i)]
		_, after := monthNames[next(1).s]
		_, afterOf := monthNames[next(2).s]
		return before || after || next(1).s == "of" && afterOf
	}
	switch {
	case next(1).kind == 'w' && ordinalSuffixes[next(1).s]:
		switch {
		case t.n < 1 || t.n > 31:
			return i + 1, true // not a day: ignore it
		case q.dom != 0 && q.dom != t.n:
			return i, false
		}
		q.dom = t.n
		return i + 1, true
	case t.n == 2 && next(1).kind == 'w' && tomorrowTails[next(1).s]:
		if q.relDay >= 0 && q.relDay != 1 {
			return i, false
		}
		q.relDay = 1
		return i + 1, true
	case next(1).s == "/" && next(2).kind == 'n':
		if q.dateA != 0 {
			return i, false
		}
		q.dateA, q.dateB = t.n, next(2).n
		return i + 2, true
	case monthNear() && t.n >= 1 && t.n <= 31:
		if q.dom != 0 && q.dom != t.n {
			return i, false
		}
		q.dom = t.n
		return i, true
	}
	st, j, ok := readSlotTime(toks, i, between)
	if ok {
		q.times = append(q.times, st)
		return j, true
	}
	return i, true
}

func wordBeforeTok(toks []slotTok, i int) string {
	if i > 0 && toks[i-1].kind == 'w' {
		return toks[i-1].s
	}
	return ""
}

// readSlotTime reads a time or a range at toks[i]: "10", "10:30", "2pm",
// "9-11", "8 to 10", "10am-12pm", "between 8 and 10".
func readSlotTime(toks []slotTok, i int, between bool) (slotTime, int, bool) {
	h1, m1, sfx1, j, ok := readClock(toks, i)
	if !ok {
		return slotTime{}, i, false
	}
	if j+1 < len(toks) {
		sep := toks[j+1].s
		isSep := sep == "-" || sep == "to" || sep == "till" || sep == "til" || sep == "until" || sep == "and" && between
		if isSep && j+2 < len(toks) && toks[j+2].kind == 'n' {
			if h2, m2, sfx2, k, ok2 := readClock(toks, j+2); ok2 {
				ends := clockCandidates(h2, m2, sfx2)
				var starts []int
				switch {
				case sfx1 == "" && sfx2 != "":
					starts = clockCandidates(h1, m1, sfx2)
					if len(starts) == 0 || len(ends) == 0 || starts[0] >= ends[0] {
						starts = clockCandidates(h1, m1, "am")
					}
				default:
					starts = clockCandidates(h1, m1, sfx1)
				}
				return slotTime{starts: starts, ends: ends}, k, true
			}
		}
	}
	return slotTime{starts: clockCandidates(h1, m1, sfx1)}, j, true
}

// readClock reads "10", "10:30", "9.30", "2pm" or "2 pm" at toks[i] and
// returns the index of its last token.
func readClock(toks []slotTok, i int) (h, m int, sfx string, last int, ok bool) {
	t := toks[i]
	if t.kind != 'n' || len(t.s) > 2 || t.n > 24 || t.n == 0 {
		return 0, 0, "", i, false
	}
	h, last = t.n, i
	if i+2 < len(toks) && (toks[i+1].s == ":" || toks[i+1].s == ".") && toks[i+2].kind == 'n' && len(toks[i+2].s) == 2 && toks[i+2].n < 60 {
		m, last = toks[i+2].n, i+2
	}
	if last+1 < len(toks) && (toks[last+1].s == "am" || toks[last+1].s == "pm") {
		sfx, last = toks[last+1].s, last+1
	}
	if last+1 < len(toks) && (toks[last+1].s == "oclock" || toks[last+1].s == "ish") {
		last++
	}
	return h, m, sfx, last, true
}

// clockCandidates are the minutes after midnight a clock time may mean:
// "2" is 02:00 or 14:00, "2pm" only 14:00.
func clockCandidates(h, m int, sfx string) []int {
	switch sfx {
	case "am":
		switch {
		case h == 12:
			return []int{m}
		case h < 12:
			return []int{h*60 + m}
		}
		return nil
	case "pm":
		if h < 12 {
			return []int{(h+12)*60 + m}
		}
		return []int{h*60 + m}
	}
	switch {
	case h < 12:
		return []int{h*60 + m, (h+12)*60 + m}
	case h == 24:
		return []int{m}
	}
	return []int{h*60 + m}
}

// matchSlotQuery picks the slot a query describes.
func matchSlotQuery(q slotQuery, slots []Slot, now time.Time, loc *time.Location) (int, bool) {
	var base []int
	for i, s := range slots {
		if slotDayOK(q, s.Start.In(loc), now, loc) && slotPartOK(q.part, s.Start.In(loc)) {
			base = append(base, i)
		}
	}
	switch {
	case len(q.times) > 1:
		return 0, false
	case len(q.times) == 1:
		return matchSlotTime(q.times[0], slots, base, loc)
	case len(base) == 0:
		return 0, false
	case !q.hasWeekday && q.relDay < 0 && q.dom == 0 && q.month == 0 && q.dateA == 0 && q.part == partNone && !q.last:
		return 0, false
	}
	return pickSlotByStart(slots, base, q.last), true
}

// matchSlotTime picks the one slot among base that starts at the time (and
// ends at the end of a range); failing that, the one slot the time falls in.
func matchSlotTime(st slotTime, slots []Slot, base []int, loc *time.Location) (int, bool) {
	minutes := func(t time.Time) int {
		t = t.In(loc)
		return t.Hour()*60 + t.Minute()
	}
	var exact []int
	for _, i := range base {
		if hasMinute(st.starts, minutes(slots[i].Start)) {
			exact = append(exact, i)
		}
	}
	if len(exact) > 1 && len(st.ends) > 0 {
		var both []int
		for _, i := range exact {
			if hasMinute(st.ends, minutes(slots[i].End)) {
				both = append(both, i)
			}
		}
		if len(both) > 0 {
			exact = both
		}
	}
	if len(exact) == 0 && len(st.ends) == 0 {
		for _, i := range base {
			s, e := minutes(slots[i].Start), minutes(slots[i].End)
			for _, c := range st.starts {
				if s <= c && (c < e || e <= s) {
					exact = append(exact, i)
					break
				}
			}
		}
	}
	if len(exact) != 1 {
		return 0, false
	}
	return exact[0], true
}

func hasMinute(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func slotDayOK(q slotQuery, st, now time.Time, loc *time.Location) bool {
	if q.hasWeekday && st.Weekday() != q.weekday {
		return false
	}
	if q.relDay >= 0 {
		d := time.Date(now.Year(), now.Month(), now.Day()+q.relDay, 12, 0, 0, 0, loc)
		if st.Year() != d.Year() || st.YearDay() != d.YearDay() {
			return false
		}
	}
	if q.dom != 0 && st.Day() != q.dom || q.month != 0 && st.Month() != q.month {
		return false
	}
	if q.dateA != 0 {
		d, m := st.Day(), int(st.Month())
		if !(d == q.dateA && m == q.dateB || d == q.dateB && m == q.dateA) {
			return false
		}
	}
	return true
}

func slotPartOK(part int, st time.Time) bool {
	h := st.Hour()
	switch part {
	case partMorning:
		return h < 12
	case partAfternoon:
		return h >= 12 && h < 17
	case partEvening:
		return h >= 17
	case partLunch:
		return h >= 11 && h < 14
	}
	return true
}
