package conversation

import (
	"regexp"
	"strings"
)

// Intent is a request that can interrupt the intake at any step.
type Intent int

// The intents DetectIntent recognises.
const (
	IntentNone       Intent = iota // an ordinary message
	IntentCancel                   // "cancel", "never mind", "no longer needed"
	IntentStartOver                // "start over", "restart", "reset"
	IntentHuman                    // "talk to a person", "agent", "call me"
	IntentPrice                    // "how much?", "what's the call out fee"
	IntentReschedule               // "reschedule", "change the time", "can you come another day"
)

// String names the intent for logs and test failures.
func (i Intent) String() string {
	switch i {
	case IntentCancel:
		return "cancel"
	case IntentStartOver:
		return "start over"
	case IntentHuman:
		return "human"
	case IntentPrice:
		return "price"
	case IntentReschedule:
		return "reschedule"
	default:
		return "none"
	}
}

// Words that may surround a request without changing it ("ok can you
// cancel it please"). The patterns below match whole messages or clauses of
// lower-case words without apostrophes, so "don't" is "dont".
const (
	intentLead  = `(?:(?:please|pls|plz|ok|okay|k|oh|hi|hey|hello|hiya|um+|erm+|er|hm+|so|just|actually|sorry|well|yes|yeah|yep|no|nah|ah|right|look|listen|and|but|now|then|kindly|lets|go ahead and|i|we|id|wed|ill|would|like|want|wanna|need|to|can|could|may|you|u|really|honestly|think|guess|quick question|out of interest|also) )*`
	intentTrail = `(?: (?:please|pls|plz|thanks|thank you|thankyou|thx|ty|ta|cheers|now|then|asap|lol|x+|mate|sorry|ok|okay|anyway|anyways|right now|straight away|immediately|for me|again|urgently|quickly))*`
	weekdayKeys = `monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun`
)

var (
	cancelCore = `(?:cancel+(?:led)?|cancle|cansel|canel|cancellation|a cancellation|call (?:it|this|that|the \w+) off|call off)` +
		`(?: (?:it|that|this|the|my|our|a|an|whole|thing|booking|appointment|appt|job|request|visit|order|callout|call|out|everything|all|of|service|engineer|plumber|electrician|technician|tech|please|pls))*` +
		`(?: (?:for|on|at) (?:today|tomorrow|tmrw|` + weekdayKeys + `|the \w+|\d+(?: ?(?:am|pm))?))?` +
		`|never ?mind|nvm|forget (?:it|about it|it all|the whole thing|everything)(?: all)?` +
		`|(?:its |it is )?no longer (?:needed|required|necessary)` +
		`|(?:i |we )?no longer need (?:it|you|this|that|anyone|anybody|someone|help|the \w+|a \w+|an \w+)` +
		`|(?:i |we )?(?:dont|do not) need (?:it|you|this|that|anyone|anybody|someone|help|anything|the \w+|a \w+|an \w+)(?: now)? any ?more` +
		`|(?:its |it is )?not needed(?: any ?more| now| after all)`
	startOverCore = `(?:start (?:over|again|afresh|fresh|all over(?: again)?|over again|from (?:the )?(?:beginning|start|scratch|top))` +
		`|start it (?:all )?(?:over|again)|restart|re start|begin again|reset|from the (?:top|beginning|start)` +
		`|start a new (?:chat|conversation|request)|new conversation)` +
		`(?: (?:it|this|please|the (?:conversation|chat|booking|form|whole thing)|everything|all))*`
	humanTarget = `(?:a |an |the |your |ur |one of your |some )?(?:(?:real|actual|live|proper|human) )?` +
		`(?:human(?: being)?|person|people|agent|operator|someone|somebody|anyone|anybody|manager|supervisor|boss|dispatcher` +
		`|staff(?: member)?|member of (?:staff|the team)|customer (?:service|services|support)|rep|representative|advisor|adviser` +
		`|engineer|plumber|electrician|technician|office|team)`
	humanCore = `(?:(?:talk|speak|chat|get through)(?: to| with)?|get(?: me)?|put me (?:through|thru) to|transfer me to|connect me (?:to|with)` +
		`|let me (?:talk|speak|chat)(?: to| with)?|give me|is there|have) ` + humanTarget +
		`(?: (?:please|instead|now|there|directly|asap|on the phone|in the office|who can help))*` +
		`|(?:a |an )?(?:(?:real|actual|live|proper) )?(?:human(?: being)?|agent|operator)` +
		`|(?:a |an )?(?:real|actual|live|proper) (?:person|someone)|live chat|customer (?:service|services|support)` +
		`|(?:(?:someone|somebody|anyone|anybody|a person|a human|the office|the manager|an engineer|the engineer|you|u)(?: please)? )?` +
		`(?:call|ring|phone) me(?: back| up)?(?: (?:on this number|on my (?:mobile|phone|number|cell)|when you can|when possible|instead|back))*(?: on(?: \d+)+)?` +
		`|(?:someone|somebody) to (?:call|ring|phone) me(?: back)?` +
		`|(?:give me|i want|i need|i would like|id like|request|get|have) (?:a |an )?(?:call|ring|callback|call back|phone call)(?: back)?` +
		`|callback|call back|a call back`
	priceCore = `how much(?: (?:is|will|would|does|do|for|to|you|u|it|its|are|r|roughly|approx|approximately|ya|money|cost|costs|charge|might|about|ish|we|i|d|ll)\b.*)?` +
		`|what (?:does|will|would|might|could|did) (?:it|this|that|the \w+(?: \w+)?|a \w+(?: \w+)?|an \w+(?: \w+)?|your \w+) cost\b.*` +
		`|what (?:do|would|will|d) (?:you|u|yall|you guys) charge\b.*` +
		`|(?:whats|what is|what are|what r|what would be|whatll be) (?:the|your|ur|yr|ya) (?:\w+ )?(?:costs?|prices?|pricing|rates?|fees?|charges?|quote|call ?out)\b.*` +
		`|do (?:you|u|yall|you guys) charge\b.*|(?:is|will) there (?:be )?(?:a |an |any )?(?:\w+ ){0,2}(?:charges?|fees?|costs?)\b.*` +
		`|(?:does|will|would) (?:it|this|that) cost\b.*|is it (?:free|expensive|costly)\b.*|how expensive\b.*|hows? (?:your |the )?pricing\b.*` +
		`|(?:the |your |ur )?(?:prices?|pricing|costs?|rates?|fees?|charges?|call ?out (?:fees?|charges?|costs?|rates?|prices?)|price list)(?: for .*)?` +
		`|(?:get|have|give me|send me|want|need) (?:a |an |some )?(?:price|idea of (?:the )?(?:cost|price)|price list)\b.*` +
		`|(?:any )?idea (?:of|on) (?:the )?(?:cost|price)\b.*|ballpark\b.*`
	moveObject = `(?:it|this|that|(?:the|my|our|this|that) (?:booking|appointment|appt|job|visit|callout|call out|time|date|day|slot|engineer|plumber|electrician|technician|tech))`
	moveOther  = `(?:another|a different|different|a later|an earlier|a new|new|a better|other|some other) (?:day|time|date|slot|week)`
	moveTo     = `(?: (?:to|for|on|till|until) (?:` + moveOther + `|another one|tomorrow|next week|later|the \w+|` + weekdayKeys + `))?`
	moveCore   = `(?:(?:is it|would it be|is that) possible to |(?:is there )?any chance (?:we|i|you|u) (?:can|could) )?` +
		`(?:(?:re ?schedule|re ?book|re ?arrange|postpone)(?: ` + moveObject + `)?` + moveTo +
		`|(?:change|move|shift|swap) ` + moveObject + moveTo +
		`|(?:push|bring|put) ` + moveObject + ` (?:back|forward|off)` + moveTo +
		`|(?:push|bring) (?:back|forward) ` + moveObject + moveTo +
		`|(?:(?:come|do it|make it|visit|come round|come over|do|have|book|try|go for|get) )?(?:on |at |for )?` + moveOther + `(?: instead)?` +
		`|(?:cant|cannot|can not|wont be able to|will not be able to|unable to) make (?:it|that|the (?:appointment|booking|visit|time|slot))` +
		`(?: (?:then|that day|on that day|at that time|tomorrow|today|on \w+))?` +
		`|(?:that|this|the) (?:time|day|date|slot) (?:doesnt|does not|wont|will not|no longer) (?:work|suit)(?: for)?(?: me| us)?(?: any ?more)?)`
	moveReasonCore = `\b(?:sorry|something (?:has )?(?:come|came) up|(?:cant|cannot|can not) make it|(?:wont|will not|not going to) be (?:in|home|there|around|available|able to make it)` +
		`|(?:im|i am|we are|were|ill be|i will be|well be|we will be|i have to be|i need to be) (?:at work|working|away|out|busy|on holiday|not in|not home|not around)` +
		`|on holiday|change of plans?|(?:my |our )?plans (?:have )?changed)\b`
	cancelReason = `\b(?:fixed|sorted|resolved|no longer need|dont need|not needed|found someone|got someone|changed my mind|change of plans?|too expensive|working (?:again|now)|works (?:again|now)|all good now|managed to fix|not necessary)\b`
)

var (
	intentCancelRe     = wholeIntentRe(cancelCore)
	intentStartOverRe  = wholeIntentRe(startOverCore)
	intentHumanRe      = wholeIntentRe(humanCore)
	intentPriceRe      = wholeIntentRe(priceCore)
	intentMoveRe       = wholeIntentRe(moveCore)
	intentMoveReasonRe = regexp.MustCompile(moveReasonCore)
	intentReasonRe     = regexp.MustCompile(cancelReason)
	intentGreetingRe   = regexp.MustCompile(`^` + intentLead + `(?:hi|hey|hello|hiya|good (?:morning|afternoon|evening)|morning|afternoon|evening|thanks|thank you|quick question)?` + intentTrail + `$`)
)

// maxIntentWords bounds a message that is still essentially a request; a
// longer one is telling a story.
const maxIntentWords = 30

func wholeIntentRe(core string) *regexp.Regexp {
	return regexp.MustCompile(`^` + intentLead + `(?:` + core + `)` + intentTrail + `$`)
}

// DetectIntent reports whether text is essentially a request to cancel, to
// start over, to talk to a person, to know the price or to move a booking.
// Precision comes first: the request must be the whole message apart from
// courtesy words, so "the tap won't stop, cancel that, it's the shower" is
// IntentNone. A cancel may be followed by its reason ("cancel please, we
// fixed it"); a price question may share the message only with greetings,
// and asking for a quote is a job, not a price question; a request to move
// may share it with greetings and reasons ("sorry, something came up").
func DetectIntent(text string) Intent {
	clauses := msgClauses(text)
	if len(clauses) == 0 {
		return IntentNone
	}
	var all []string
	for _, c := range clauses {
		all = append(all, c...)
	}
	if len(all) > maxIntentWords {
		return IntentNone
	}
	whole := strings.Join(all, " ")
	switch {
	case intentCancelRe.MatchString(whole):
		return IntentCancel
	case intentStartOverRe.MatchString(whole):
		return IntentStartOver
	case intentHumanRe.MatchString(whole):
		return IntentHuman
	case intentPriceRe.MatchString(whole):
		return IntentPrice
	case intentMoveRe.MatchString(whole):
		return IntentReschedule
	}
	if len(clauses) > 1 && intentCancelRe.MatchString(strings.Join(clauses[0], " ")) {
		var rest []string
		for _, c := range clauses[1:] {
			rest = append(rest, c...)
		}
		if intentReasonRe.MatchString(strings.Join(rest, " ")) {
			return IntentCancel
		}
	}
	price, move, reason := false, false, false
	for _, c := range clauses {
		joined := strings.Join(c, " ")
		switch {
		case intentPriceRe.MatchString(joined):
			price = true
		case intentMoveRe.MatchString(joined):
			move = true
		case intentGreetingRe.MatchString(joined):
		case intentMoveReasonRe.MatchString(joined):
			reason = true
		default:
			return IntentNone
		}
	}
	switch {
	case price && !move && !reason:
		return IntentPrice
	case move && !price:
		return IntentReschedule
	}
	return IntentNone
}
