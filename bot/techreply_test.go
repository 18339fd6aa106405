package bot_test

import (
	"strings"
	"testing"

	"dispatchbot/bot"
)

func TestParseTechReply(t *testing.T) {
	type c = bot.TechCommand
	tests := []struct {
		in   string
		want bot.TechCommand
	}{
		// Accept.
		{"yes", c{Kind: bot.TechAccept}},
		{"YES", c{Kind: bot.TechAccept}},
		{"Yes!!", c{Kind: bot.TechAccept}},
		{"y", c{Kind: bot.TechAccept}},
		{"yep", c{Kind: bot.TechAccept}},
		{"yesss", c{Kind: bot.TechAccept}},
		{"Yeah go on then", c{Kind: bot.TechAccept}},
		{"ok", c{Kind: bot.TechAccept}},
		{"OK thanks", c{Kind: bot.TechAccept}},
		{"accept", c{Kind: bot.TechAccept}},
		{"acept 1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"yes 1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"YES J-1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"yes j1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"yes #1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"yes job 1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"1042 yes", c{Kind: bot.TechAccept, Job: 1042}},
		{"  yes   1042 . ", c{Kind: bot.TechAccept, Job: 1042}},
		{"I'll take it", c{Kind: bot.TechAccept}},
		{"I’ll take it 1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"i will take that one", c{Kind: bot.TechAccept}},
		{"👍", c{Kind: bot.TechAccept}},
		{"👍🏼 1042", c{Kind: bot.TechAccept, Job: 1042}},
		{"ok 👍", c{Kind: bot.TechAccept}},
		{"no problem", c{Kind: bot.TechAccept}},
		{"no worries mate", c{Kind: bot.TechAccept}},
		{"sure thing", c{Kind: bot.TechAccept}},
		{"on it", c{Kind: bot.TechAccept}},
		{"hi, yes please", c{Kind: bot.TechAccept}},
		// Hedged or questioned accepts are Unknown.
		{"yes but I'm late", c{}},
		{"yes but only after 2", c{}},
		{"yes?", c{}},
		{"yes 1042?", c{Job: 1042}},
		{"yes 104", c{}},
		{"ok what time", c{}},
		{"yes no", c{}},
		// Decline.
		{"no", c{Kind: bot.TechDecline}},
		{"No.", c{Kind: bot.TechDecline}},
		{"n", c{Kind: bot.TechDecline}},
		{"nope", c{Kind: bot.TechDecline}},
		{"nooo", c{Kind: bot.TechDecline}},
		{"no 1042", c{Kind: bot.TechDecline, Job: 1042}},
		{"NO J-1042", c{Kind: bot.TechDecline, Job: 1042}},
		{"decline", c{Kind: bot.TechDecline}},
		{"pass", c{Kind: bot.TechDecline}},
		{"can't", c{Kind: bot.TechDecline}},
		{"can’t sorry", c{Kind: bot.TechDecline}},
		{"cant do it", c{Kind: bot.TechDecline}},
		{"no thanks", c{Kind: bot.TechDecline}},
		{"no, too far", c{Kind: bot.TechDecline, Note: "too far"}},
		{"sorry no 1042 - booked all afternoon", c{Kind: bot.TechDecline, Job: 1042, Note: "booked all afternoon"}},
		{"👎", c{Kind: bot.TechDecline}},
		{"no can do", c{Kind: bot.TechDecline}},
		{"no?", c{}},
		{"no idea", c{}},
		{"not sure", c{}},
		{"no, yes", c{}},
		{"can't find the house", c{}},
		// On my way.
		{"on my way", c{Kind: bot.TechOnMyWay}},
		{"On my way!", c{Kind: bot.TechOnMyWay}},
		{"omw", c{Kind: bot.TechOnMyWay}},
		{"OMW 1042", c{Kind: bot.TechOnMyWay, Job: 1042}},
		{"otw", c{Kind: bot.TechOnMyWay}},
		{"en route", c{Kind: bot.TechOnMyWay}},
		{"leaving now", c{Kind: bot.TechOnMyWay}},
		{"heading over", c{Kind: bot.TechOnMyWay}},
		{"be there in 10", c{Kind: bot.TechOnMyWay, Minutes: 10}},
		{"omw be there in 15 mins", c{Kind: bot.TechOnMyWay, Minutes: 15}},
		{"omw 20", c{Kind: bot.TechOnMyWay, Minutes: 20}},
		{"10 mins away", c{Kind: bot.TechOnMyWay, Minutes: 10}},
		{"eta 25", c{Kind: bot.TechOnMyWay, Minutes: 25}},
		{"ok omw", c{Kind: bot.TechOnMyWay}},
		{"omw, traffic is bad", c{Kind: bot.TechOnMyWay, Note: "traffic is bad"}},
		{"omw be there at 2:30", c{Kind: bot.TechOnMyWay, Note: "be there at 2:30"}},
		{"on my way?", c{}},
		// Arrived.
		{"arrived", c{Kind: bot.TechArrived}},
		{"arived", c{Kind: bot.TechArrived}},
		{"here", c{Kind: bot.TechArrived}},
		{"I'm here", c{Kind: bot.TechArrived}},
		{"on site", c{Kind: bot.TechArrived}},
		{"on-site J-1042", c{Kind: bot.TechArrived, Job: 1042}},
		{"at the property", c{Kind: bot.TechArrived}},
		{"just arrived at the property", c{Kind: bot.TechArrived}},
		{"arrived, nobody answering", c{Kind: bot.TechArrived, Note: "nobody answering"}},
		{"here is the photo", c{}},
		// Done.
		{"done", c{Kind: bot.TechDone}},
		{"Done.", c{Kind: bot.TechDone}},
		{"finished", c{Kind: bot.TechDone}},
		{"complete", c{Kind: bot.TechDone}},
		{"compelted", c{Kind: bot.TechDone}},
		{"job done", c{Kind: bot.TechDone}},
		{"all fixed", c{Kind: bot.TechDone}},
		{"done - replaced the valve", c{Kind: bot.TechDone, Note: "replaced the valve"}},
		{"Done 1042 — replaced the valve, tested ok.", c{Kind: bot.TechDone, Job: 1042, Note: "replaced the valve, tested ok"}},
		{"job 1042 done", c{Kind: bot.TechDone, Job: 1042}},
		{"ok done", c{Kind: bot.TechDone}},
		{"done?", c{}},
		// Running late.
		{"running late", c{Kind: bot.TechRunningLate}},
		{"running late 20", c{Kind: bot.TechRunningLate, Minutes: 20}},
		{"Running late, 20 mins", c{Kind: bot.TechRunningLate, Minutes: 20}},
		{"late 20", c{Kind: bot.TechRunningLate, Minutes: 20}},
		{"late 15m", c{Kind: bot.TechRunningLate, Minutes: 15}},
		{"20 mins late", c{Kind: bot.TechRunningLate, Minutes: 20}},
		{"running 15 minutes behind", c{Kind: bot.TechRunningLate, Minutes: 15}},
		{"gonna be 10 min late", c{Kind: bot.TechRunningLate, Minutes: 10}},
		{"late by half an hour", c{Kind: bot.TechRunningLate, Minutes: 30}},
		{"running 1 hr late", c{Kind: bot.TechRunningLate, Minutes: 60}},
		{"running late 20 - stuck on the M6", c{Kind: bot.TechRunningLate, Minutes: 20, Note: "stuck on the M6"}},
		{"stuck in traffic, about 15 mins", c{Kind: bot.TechRunningLate, Minutes: 15, Note: "about 15 mins"}},
		{"running late 999", c{Kind: bot.TechRunningLate}},
		{"late J-1042 20", c{Kind: bot.TechRunningLate, Job: 1042, Minutes: 20}},
		{"won't make it on time", c{Kind: bot.TechRunningLate}},
		{"late start tomorrow", c{}},
		{"running late?", c{}},
		// Can't make it.
		{"can't make it", c{Kind: bot.TechCantMake}},
		{"cannot make it", c{Kind: bot.TechCantMake}},
		{"cant make it today", c{Kind: bot.TechCantMake}},
		{"won't make it", c{Kind: bot.TechCantMake}},
		{"have to cancel", c{Kind: bot.TechCantMake}},
		{"can't make it, van broke down", c{Kind: bot.TechCantMake, Note: "van broke down"}},
		{"sorry can’t make it J-1042 van broke down", c{Kind: bot.TechCantMake, Job: 1042, Note: "van broke down"}},
		{"cancel 1042", c{Kind: bot.TechCantMake, Job: 1042}},
		{"cancel", c{}},
		{"can't make it?", c{}},
		// Today.
		{"today", c{Kind: bot.TechToday}},
		{"today?", c{Kind: bot.TechToday}},
		{"my jobs", c{Kind: bot.TechToday}},
		{"Jobs", c{Kind: bot.TechToday}},
		{"my day", c{Kind: bot.TechToday}},
		{"schedule", c{Kind: bot.TechToday}},
		{"what's on today?", c{Kind: bot.TechToday}},
		{"route", c{Kind: bot.TechToday}},
		{"today i cant make it", c{}},
		// Duty.
		{"off", c{Kind: bot.TechOffDuty}},
		{"OFF DUTY", c{Kind: bot.TechOffDuty}},
		{"clocking off", c{Kind: bot.TechOffDuty}},
		{"signing off", c{Kind: bot.TechOffDuty}},
		{"end of shift", c{Kind: bot.TechOffDuty}},
		{"finished for the day", c{Kind: bot.TechOffDuty}},
		{"done for today", c{Kind: bot.TechOffDuty}},
		{"off to the next job", c{}},
		{"on", c{Kind: bot.TechOnDuty}},
		{"On duty", c{Kind: bot.TechOnDuty}},
		{"clocking on", c{Kind: bot.TechOnDuty}},
		{"back on", c{Kind: bot.TechOnDuty}},
		{"available", c{Kind: bot.TechOnDuty}},
		{"start of shift", c{Kind: bot.TechOnDuty}},
		// Help.
		{"help", c{Kind: bot.TechHelp}},
		{"?", c{Kind: bot.TechHelp}},
		{"help?", c{Kind: bot.TechHelp}},
		{"commands", c{Kind: bot.TechHelp}},
		// Unknown.
		{"", c{}},
		{"   ", c{}},
		{"hello", c{}},
		{"thanks", c{}},
		{"1042", c{Job: 1042}},
		{"what time is the next one", c{}},
		{"call me", c{}},
		{"the customer wants a quote", c{}},
		{"🙂", c{}},
	}
	if len(tests) < 80 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		if got := bot.ParseTechReply(tt.in); got != tt.want {
			t.Errorf("ParseTechReply(%q) = %+v (%v), want %+v (%v)", tt.in, got, got.Kind, tt.want, tt.want.Kind)
		}
	}
}

func TestTechKindString(t *testing.T) {
	tests := []struct {
		k    bot.TechKind
		want string
	}{
		{bot.TechUnknown, "unknown"},
		{bot.TechAccept, "accept"},
		{bot.TechRunningLate, "running_late"},
		{bot.TechHelp, "help"},
		{bot.TechKind(99), "TechKind(99)"},
		{bot.TechKind(-1), "TechKind(-1)"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("TechKind(%d).String() = %q, want %q", int(tt.k), got, tt.want)
		}
	}
}

// FuzzParseTechReply checks that any text parses without panic into a
// command within bounds whose note is cut from the text.
func FuzzParseTechReply(f *testing.F) {
	for _, s := range []string{"yes 1042", "no J-1042", "done - replaced the valve", "running late 20",
		"can’t make it, van broke down", "omw be there in 10", "👍🏻", "?", "late 1.5 hours", "#99999999999999999999",
		"j-", "job no 12", "at 10:30", "yesss but", "\xff\xfe", "half an hour late", "done 1042 x", "cʼ", "ʼʼ yes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := bot.ParseTechReply(text)
		if got.Job < 0 {
			t.Errorf("Job = %d, want ≥ 0", got.Job)
		}
		if got.Minutes < 0 || got.Minutes > 600 {
			t.Errorf("Minutes = %d, want 0..600", got.Minutes)
		}
		if norm := strings.Join(strings.Fields(text), " "); !strings.Contains(norm, got.Note) {
			t.Errorf("Note %q is not in %q", got.Note, norm)
		}
		if got.Kind == bot.TechUnknown && (got.Minutes != 0 || got.Note != "") {
			t.Errorf("Unknown with Minutes %d, Note %q", got.Minutes, got.Note)
		}
	})
}
