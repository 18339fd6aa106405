package conversation

import (
	"regexp"
	"strings"
)

const (
	yesPhrase = `yes|yeah|yea|yeh|yah|ya|yep|yup|yess+|yas|y|ok|okay|k|kk|okey|okie|okey dokey|sure|fine|agreed|agree|i agree|we agree` +
		`|go ahead|go for it|go on|please do|do it|book it|thats fine|that is fine|thats ok|thats okay|its fine|its ok|thats good|thats great` +
		`|that works|works for me|fine by me|sounds good|sounds great|perfect|great|good|correct|thats correct|thats right|right` +
		`|confirm|confirmed|i confirm|absolutely|definitely|certainly|indeed|affirmative|of course|ofc|alright|all right|aye|sure thing` +
		`|why not|lovely|cool|no problem|no probs|no prob|no worries|np|please|it is|i do|we do|they are|there is|sure is|happy with that|ok then` +
		`|i think so|i guess so|i suppose so|think so|i believe so|it does|that would be great|thatd be great|go ahead please`
	noPhrase = `no|nope|n|nah|naw|na|no thanks|no thank you|nah thanks|dont|do not|please dont|no dont|dont do it|not now|not yet|not today` +
		`|not at the moment|no way|negative|never|not really|i dont agree|i disagree|not interested|wrong|incorrect|thats wrong` +
		`|thats not right|not right|thats incorrect|no its not|no it isnt|it isnt|its not|no i dont|i dont|i dont want to|i dont want it` +
		`|rather not|id rather not|no need|not necessary|i dont think so|dont think so|no one|nobody|no it is not|it is not|we dont|no we dont` +
		`|they arent|there isnt|it doesnt|no it doesnt|not at all|not anymore|no longer`
	yesNoLead  = `(?:(?:oh|um+|erm+|er|hm+|well|ah|haha|lol|hi|hey|so) )*`
	yesNoTrail = `(?: (?:please|thanks|thank you|thx|ty|ta|cheers|mate|x+|lol|then|sir|love|for now))*`
)

var (
	yesAnswerRe = regexp.MustCompile(`^` + yesNoLead + `(?:` + yesPhrase + `)(?: (?:` + yesPhrase + `))*` + yesNoTrail + `$`)
	noAnswerRe  = regexp.MustCompile(`^` + yesNoLead + `(?:` + noPhrase + `)(?: (?:` + noPhrase + `))*` + yesNoTrail + `$`)

	yesFirstWords   = setOfWords("yes yeah yep yup yea ya ok okay sure absolutely definitely")
	noFirstWords    = setOfWords("no nope nah")
	hedgeFirstWords = setOfWords("but wait actually hang hold maybe unless although though")
)

// ParseYesNo reads a yes or no answer: "yes", "yeah", "y", "ok", "sure",
// "go ahead", "please do", "that's fine", 👍; "no", "nope", "n", "nah", "no
// thanks", "don't", "not now". A first clause that is a clear answer decides
// ("yes, the earlier the better", "no, it's 14 Oak Rd") unless a later one
// hedges ("yes, but…", "no, that's fine"); anything else, including "no
// heat" or "yes the earlier the better", is ambiguous and gives ok false.
func ParseYesNo(text string) (yes bool, ok bool) {
	emoji := yesNoEmoji(text)
	clauses := msgClauses(text)
	if len(clauses) == 0 {
		return emoji > 0, emoji != 0
	}
	var all []string
	for _, c := range clauses {
		all = append(all, c...)
	}
	ans := 0
	switch whole := strings.Join(all, " "); {
	case yesAnswerRe.MatchString(whole):
		ans = 1
	case noAnswerRe.MatchString(whole):
		ans = -1
	default:
		ans = clauseAnswer(clauses[0])
		for _, c := range clauses[1:] {
			if ans == 0 || clauseAnswer(c) == -ans || hedgeFirstWords[c[0]] || ans > 0 && noFirstWords[c[0]] || ans < 0 && yesFirstWords[c[0]] {
				return false, false
			}
		}
	}
	if ans == 0 || emoji != 0 && emoji != ans {
		return false, false
	}
	return ans > 0, true
}

// clauseAnswer is 1 for a yes clause, -1 for a no clause and 0 otherwise.
func clauseAnswer(c []string) int {
	j := strings.Join(c, " ")
	switch {
	case yesAnswerRe.MatchString(j):
		return 1
	case noAnswerRe.MatchString(j):
		return -1
	}
	return 0
}

// yesNoEmoji is 1 if text holds only approving emoji, -1 if only
// disapproving ones and 0 if neither or both.
func yesNoEmoji(text string) int {
	yes, no := false, false
	for _, r := range text {
		switch r {
		case '👍', '👌', '✅', '✔', '☑', '🙏':
			yes = true
		case '👎', '❌', '❎', '🚫', '✖':
			no = true
		}
	}
	switch {
	case yes && !no:
		return 1
	case no && !yes:
		return -1
	}
	return 0
}

var (
	correctionStrongRe = regexp.MustCompile(`^(?i:sorry,? i meant|sorry,? wrong|actually|correction|i meant|i mean|meant|no wait|wait|hang on|hold on` +
		`|oops|whoops|oopsie|my bad|my mistake|scratch that|typo|it should be|that should be|should be|i should have said` +
		`|make that|change (?:that|it) to|let me correct (?:that|myself)|wrong)\b`)
	correctionWeakRe    = regexp.MustCompile(`^(?i:sorry|no|oh|ah|um+|erm+|er|hm+|ok|okay|so)\b`)
	correctionConnectRe = regexp.MustCompile(`^(?i:it['’]?s|it is|that['’]?s|that is|should be)\b`)
)

const correctionTrim = " \t\r\n,.:;!-–—\"'"

// ParseCorrection reports whether text corrects something said before
// ("actually it's 14 Oak Rd", "sorry, I meant 14 Oak Rd", "correction: name
// is Sam", "no wait, it's flat 3", "i mean SW1A 2AA", "oops 14 not 12") and
// returns what follows the lead-in, as typed, for the caller to read again
// as an address or a name. "no, it's …" and "sorry, it's …" count too.
func ParseCorrection(text string) (rest string, ok bool) {
	rest = text
	strong, connects := false, false
	for {
		rest = strings.TrimLeft(rest, correctionTrim)
		if m := correctionStrongRe.FindStringIndex(rest); m != nil {
			strong, rest = true, rest[m[1]:]
			continue
		}
		if m := correctionWeakRe.FindStringIndex(rest); m != nil {
			w := strings.ToLower(rest[:m[1]])
			connects = connects || w == "no" || w == "sorry"
			rest = rest[m[1]:]
			continue
		}
		break
	}
	if m := correctionConnectRe.FindStringIndex(rest); m != nil && (strong || connects) {
		strong, rest = true, rest[m[1]:]
	}
	rest = strings.Trim(rest, correctionTrim)
	if !strong || rest == "" {
		return "", false
	}
	return rest, true
}
