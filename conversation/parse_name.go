package conversation

import (
	"strings"
	"unicode/utf8"
)

// How sure a lead-in is that a name follows it.
const (
	leadWeak   = iota + 1 // "it's", "this is": often followed by anything
	leadMedium            // "I'm": often followed by a state ("I'm worried")
	leadStrong            // "my name is": a name follows
)

const maxNameWords = 3

var nameGreetings = setOfWords("hi hello hey hiya morning afternoon evening yes yeah yep ok okay sure oh")

// FindName finds a name the customer gives in free text: "I'm Sam", "im sam
// jones", "my name is Priya Patel", "this is Tom", "Sam here", "name's Bob",
// "it's Jo from flat 2". The name is title-cased, at most three words, and
// ends at punctuation or a word that is not a name ("and", "from", "my").
// States and things are not names: "I'm worried", "I'm at work", "this is
// urgent" give ok false.
func FindName(text string) (string, bool) {
	ws := splitMsgWords(text)
	for i := range ws {
		n, strength := nameLeadAt(text, ws, i)
		if n == 0 {
			continue
		}
		if strength == leadWeak && !atClauseStart(text, ws, i) {
			continue
		}
		if name, ok := takeName(text, ws, i+n, strength); ok {
			return name, true
		}
	}
	for i, w := range ws {
		if w.key == "here" {
			if name, ok := nameBeforeHere(text, ws, i); ok {
				return name, true
			}
		}
	}
	return "", false
}

// nameLeadAt reports how many words at i introduce a name, and how surely.
func nameLeadAt(text string, ws []msgWord, i int) (int, int) {
	key := func(k int) string {
		if i+k < len(ws) {
			return ws[i+k].key
		}
		return ""
	}
	colonAfter := func(k int) bool {
		return i+k+1 < len(ws) && strings.ContainsAny(wordGap(text, ws, i+k+1), ":-")
	}
	switch {
	case key(0) == "my" && key(1) == "name" && key(2) == "is",
		key(0) == "the" && key(1) == "name" && key(2) == "is",
		key(0) == "i" && key(1) == "am" && key(2) == "called":
		return 3, leadStrong
	case key(0) == "my" && key(1) == "names",
		key(0) == "name" && key(1) == "is",
		key(0) == "im" && key(1) == "called",
		key(0) == "my" && key(1) == "name" && colonAfter(1):
		return 2, leadStrong
	case key(0) == "names", key(0) == "name" && colonAfter(0):
		return 1, leadStrong
	case key(0) == "call" && key(1) == "me", key(0) == "i" && key(1) == "am":
		return 2, leadMedium
	case key(0) == "im":
		return 1, leadMedium
	case key(0) == "it" && key(1) == "is", key(0) == "this" && key(1) == "is":
		return 2, leadWeak
	case key(0) == "its":
		return 1, leadWeak
	}
	return 0, 0
}

// atClauseStart reports whether word i starts the message or a clause, or
// follows only a greeting ("hi its Jo").
func atClauseStart(text string, ws []msgWord, i int) bool {
	return i == 0 || endsClause(wordGap(text, ws, i)) || nameGreetings[ws[i-1].key] && atClauseStart(text, ws, i-1)
}

// takeName reads up to three name words from word j on.
func takeName(text string, ws []msgWord, j, strength int) (string, bool) {
	if j >= len(ws) || strings.Trim(wordGap(text, ws, j), " \t:-") != "" {
		return "", false
	}
	var parts []string
	if nameTitles[ws[j].key] && j+1 < len(ws) && strings.Trim(wordGap(text, ws, j+1), " .") == "" {
		parts = append(parts, formatTitle(text, ws, j))
		j++
	}
	first := ws[j]
	if !nameWordOK(first, strength, true) {
		return "", false
	}
	if strength == leadWeak && !startsCapital(first.text) && !nameEndsAfter(text, ws, j) {
		return "", false
	}
	parts = append(parts, titleCaseWord(first.text))
	for k := j + 1; k < len(ws) && len(parts) < maxNameWords; k++ {
		w := ws[k]
		if strings.TrimSpace(wordGap(text, ws, k)) != "" || !nameWordOK(w, leadMedium, false) ||
			startsCapital(first.text) && !startsCapital(w.text) {
			break
		}
		parts = append(parts, titleCaseWord(w.text))
	}
	return strings.Join(parts, " "), true
}

// nameWordOK reports whether w can be part of a name after a lead-in of the
// given strength.
func nameWordOK(w msgWord, strength int, first bool) bool {
	if !lettersOnly(w.text) || utf8.RuneCountInString(w.key) < 2 || isPossessive(w.text) {
		return false
	}
	if nameStop[w.key] && !(first && strength == leadStrong && nameStopButName[w.key]) {
		return false
	}
	if strength < leadStrong && strings.HasSuffix(w.key, "ing") && len(w.key) > 4 {
		return false
	}
	return !nameTitles[w.key]
}

// isPossessive reports whether w ends in 's, as "Sam's" in "I'm Sam's mum".
func isPossessive(w string) bool {
	l := strings.ToLower(w)
	return strings.HasSuffix(l, "'s") || strings.HasSuffix(l, "’s")
}

// nameEndsAfter reports whether the name at word j is the end of what the
// customer says about themself: the end of the text or clause, or a sign-off
// or "from"/"here" ("its jo from flat 2").
func nameEndsAfter(text string, ws []msgWord, j int) bool {
	if j+1 >= len(ws) || endsClause(wordGap(text, ws, j+1)) {
		return true
	}
	k := ws[j+1].key
	return k == "from" || k == "here" || k == "at" || k == "in" || nameEnd[k]
}

// nameBeforeHere reads "Sam here" / "hi, Sam Jones here" with "here" at h.
func nameBeforeHere(text string, ws []msgWord, h int) (string, bool) {
	for s := max(0, h-maxNameWords); s < h; s++ {
		if !(s == 0 || endsClause(wordGap(text, ws, s)) || nameGreetings[ws[s-1].key] && atClauseStart(text, ws, s-1)) {
			continue
		}
		parts := make([]string, 0, h-s)
		for k := s; k < h; k++ {
			if k > s && strings.TrimSpace(wordGap(text, ws, k)) != "" || !nameWordOK(ws[k], leadMedium, k == s) {
				parts = nil
				break
			}
			parts = append(parts, titleCaseWord(ws[k].text))
		}
		if len(parts) > 0 && strings.TrimSpace(wordGap(text, ws, h)) == "" {
			return strings.Join(parts, " "), true
		}
	}
	return "", false
}

func formatTitle(text string, ws []msgWord, j int) string {
	t := titleCaseWord(ws[j].text)
	if j+1 < len(ws) && strings.Contains(wordGap(text, ws, j+1), ".") {
		t += "."
	}
	return t
}

// ParseNameAnswer reads the reply to "What's your name?": "Sam", "sam
// jones", "It's Sam", "Sam Jones thanks", "Mrs Patel", "Dr. O'Neil". It
// rejects questions, refusals ("why", "no", "idk"), digits, words that are
// not names and replies of more than five words.
func ParseNameAnswer(text string) (string, bool) {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsAny(t, "?@") || containsDigit(t) {
		return "", false
	}
	ws := splitMsgWords(t)
	if len(ws) == 0 || len(ws) > 5 {
		return "", false
	}
	for len(ws) > 1 && nameGreetings[ws[0].key] {
		ws = ws[1:]
	}
	if n, _ := nameLeadAt(t, ws, 0); n > 0 && n < len(ws) {
		ws = ws[n:]
	}
	for len(ws) > 1 && nameEnd[ws[len(ws)-1].key] {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 || len(ws) > maxNameWords+1 {
		return "", false
	}
	parts := make([]string, 0, len(ws))
	for i, w := range ws {
		if i > 0 && strings.Trim(wordGap(t, ws, i), " .,") != "" {
			return "", false
		}
		switch {
		case nameTitles[w.key] && i == 0 && len(ws) > 1:
			parts = append(parts, formatTitle(t, ws, i))
			continue
		case !lettersOnly(w.text),
			nameStop[w.key] && !nameStopButName[w.key],
			utf8.RuneCountInString(w.key) < 2 && i == len(ws)-1:
			return "", false
		}
		parts = append(parts, titleCaseWord(w.text))
	}
	return strings.Join(parts, " "), true
}
