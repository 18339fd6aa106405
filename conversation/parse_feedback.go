package conversation

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFeedbackComment caps the comment kept with a score, in characters.
const maxFeedbackComment = 500

const (
	// fbIntro is what may stand before a score: "I'd give it a", "rating:".
	fbIntro = `(?:(?:(?:i|i['’]?d|i would|we|we['’]?d|we would|would)\s+)?(?:give|rate|say)(?:\s+(?:it|you|u|you guys|them|him|her|this|that|the\s+\w+))?(?:\s+an?)?\s+` +
		`|(?:my\s+)?(?:score|rating)(?:\s+is)?\s*[:=]?\s*|(?:a\s+)?solid\s+|an?\s+)`
	fbNumber = `(\d{1,2}(?:[.,]\d)?|one|two|three|four|five|ten)`
	fbScale  = `(?:\s*(?:/|out\s+of|outta|of)\s*(5|10|five|ten)\b)?`
	fbStars  = `(\s*(?:stars?|\*+|[⭐★🌟]\x{FE0F}?))?`
)

var (
	// fbLeadRe matches a score at the start, then what follows it.
	fbLeadRe = regexp.MustCompile(`(?i)^(` + fbIntro + `)?` + fbNumber + fbScale + fbStars + `(\s+|[^\p{L}\p{N}/:*.,]|[.,]\D|[.,]$|$)`)
	// fbTailRe matches a score at the end and what stands before it.
	fbTailRe = regexp.MustCompile(`(?i)(?:^|([\s,;:!.()\-–—]+))(` + fbIntro + `)?` + fbNumber + fbScale + fbStars + `[\s!.)]*$`)

	fbWordScores = map[string]float64{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
	// fbTimeWords after a number make it a time or an amount, not a score.
	fbTimeWords = setOfWords("am pm a.m p.m oclock o'clock o’clock tomorrow today tonight morning afternoon evening",
		"min mins minute minutes hr hrs hour hours day days week weeks month months year years",
		"times men people guys visits calls quid pounds dollars")
	// fbNotBefore before a final number make it part of the sentence ("at 5").
	fbNotBefore = setOfWords("at by until till til before after around about from to on past in for of than under over",
		"no number nr flat unit apt apartment house call ring phone text me is are was were")
)

// ParseFeedback reads a score from 1 to 5 and an optional comment from a
// reply to "how did we do?": "5", "4/5", "4 out of 5", "five", "5 stars",
// "⭐⭐⭐⭐", "10/10" (read as 5), "3 - ok but late", "great job, 5". It
// rejects 0 and anything above the scale, times ("2pm tomorrow?"), phone
// numbers and text without a score. The comment is trimmed and at most
// maxFeedbackComment characters.
func ParseFeedback(text string) (score int, comment string, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" || looksLikePhone(text) {
		return 0, "", false
	}
	for _, read := range []func(string) (int, string, bool){leadScore, leadStars, tailScore, tailStars} {
		if score, comment, ok := read(text); ok {
			return score, feedbackComment(comment), true
		}
	}
	return 0, "", false
}

// leadScore reads a score at the start: "4/5 great", "5 great job".
func leadScore(text string) (int, string, bool) {
	m := fbLeadRe.FindStringSubmatchIndex(text)
	if m == nil {
		return 0, "", false
	}
	num, scale, stars := sub(text, m, 2), sub(text, m, 3), sub(text, m, 4)
	score, ok := feedbackScore(num, scale)
	if !ok {
		return 0, "", false
	}
	rest := text[m[10]:] // from the character after the score
	if strings.TrimSpace(sub(text, m, 5)) == "" && scale == "" && stars == "" && rest != "" {
		// Only a space follows: the next word must not make the number a
		// time or an amount, and a spelled number must stand alone.
		if _, word := fbWordScores[strings.ToLower(num)]; word {
			return 0, "", false
		}
		if first := strings.ToLower(firstWord(rest)); fbTimeWords[strings.TrimRight(first, ".,!?")] {
			return 0, "", false
		}
	}
	return score, rest, true
}

// tailScore reads a score at the end: "great job, 5", "great job 4/5".
func tailScore(text string) (int, string, bool) {
	m := fbTailRe.FindStringSubmatchIndex(text)
	if m == nil {
		return 0, "", false
	}
	sep, intro := sub(text, m, 1), sub(text, m, 2)
	num, scale, stars := sub(text, m, 3), sub(text, m, 4), sub(text, m, 5)
	score, ok := feedbackScore(num, scale)
	if !ok {
		return 0, "", false
	}
	before := text[:m[0]]
	if strings.TrimSpace(sep) == "" && intro == "" && scale == "" && stars == "" && before != "" {
		if _, word := fbWordScores[strings.ToLower(num)]; word {
			return 0, "", false
		}
		words := strings.Fields(strings.ToLower(before))
		if len(words) > 0 && fbNotBefore[strings.Trim(words[len(words)-1], ".,!?'\"")] {
			return 0, "", false
		}
	}
	return score, before, true
}

// sub is submatch i of m in text, or "".
func sub(text string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return text[m[2*i]:m[2*i+1]]
}

// feedbackScore turns a number and its scale (5 or 10, "" for 5) into 1..5.
func feedbackScore(num, scale string) (int, bool) {
	v, ok := fbWordScores[strings.ToLower(num)]
	if !ok {
		f, err := strconv.ParseFloat(strings.Replace(num, ",", ".", 1), 64)
		if err != nil {
			return 0, false
		}
		v = f
	}
	outOf := 5.0
	if scale != "" {
		outOf = fbWordScores[strings.ToLower(scale)]
		if outOf == 0 {
			outOf, _ = strconv.ParseFloat(scale, 64)
		}
	}
	if v <= 0 || v > outOf {
		return 0, false
	}
	score := int(math.Round(v * 5 / outOf))
	if score < 1 || score > 5 {
		return 0, false
	}
	return score, true
}

// isStarPart reports whether r may be part of a run of stars: a star,
// a hollow star, an emoji variation selector or a space.
func isStarPart(r rune) bool {
	switch r {
	case '⭐', '★', '🌟', '*', '☆', '\uFE0F':
		return true
	}
	return unicode.IsSpace(r)
}

// leadStars reads a run of stars at the start: "⭐⭐⭐⭐ quick and tidy".
func leadStars(text string) (int, string, bool) {
	end := strings.IndexFunc(text, func(r rune) bool { return !isStarPart(r) })
	if end < 0 {
		end = len(text)
	}
	run, rest := text[:end], text[end:]
	next, _ := utf8.DecodeRuneInString(rest)
	last, _ := utf8.DecodeLastRuneInString(run)
	if last == '*' && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
		return 0, "", false // "**bold**" is markup
	}
	return starScore(run, rest, rest == "")
}

// tailStars reads a run of stars at the end: "quick and tidy ⭐⭐⭐⭐⭐".
func tailStars(text string) (int, string, bool) {
	start := 0
	if i := strings.LastIndexFunc(text, func(r rune) bool { return !isStarPart(r) }); i >= 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		start = i + size
	}
	before, run := text[:start], text[start:]
	prev, _ := utf8.DecodeLastRuneInString(before)
	first, _ := utf8.DecodeRuneInString(run)
	if first == '*' && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
		return 0, "", false
	}
	return starScore(run, before, before == "")
}

// starScore counts the filled stars of a run: hollow ones do not count, and
// fewer than three asterisks count only when they are the whole message,
// as one or two could be a bullet or an emphasis.
func starScore(run, comment string, alone bool) (int, string, bool) {
	stars, asterisks := 0, 0
	for _, r := range run {
		switch r {
		case '⭐', '★', '🌟':
			stars++
		case '*':
			asterisks++
		}
	}
	n := stars + asterisks
	if n == 0 || asterisks > 0 && asterisks < 3 && !alone {
		return 0, "", false
	}
	return min(n, 5), comment, true
}

// looksLikePhone reports whether text holds seven or more digits in a row,
// ignoring the spaces and signs phone numbers are written with.
func looksLikePhone(text string) bool {
	run := 0
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			run++
			if run >= 7 {
				return true
			}
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '+':
		default:
			run = 0
		}
	}
	return false
}

// feedbackComment trims the separators and spaces around a comment and
// caps its length.
func feedbackComment(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("-–—:;,.!)", r) })
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("-–—:;,(", r) })
	if utf8.RuneCountInString(s) > maxFeedbackComment {
		s = strings.TrimSpace(string([]rune(s)[:maxFeedbackComment]))
	}
	return s
}
