package bot

// techPattern is one way of saying a command. Noted patterns keep the text
// after them as the note; the others allow only politeness after them.
type techPattern struct {
	kind  TechKind
	noted bool
	elems []techElem
}

// techElem is one position of a pattern: one of words, or an amount of time.
type techElem struct {
	words    []string
	minutes  bool
	optional bool
}

// techRule is a pattern in source form: space-separated elements, each a
// word, "a/b" for either, "N" for an amount of time, "?" after for optional.
type techRule struct {
	kind  TechKind
	noted bool
	src   string
}

const (
	techSubj  = "im/i/ive/ill/we/were/iam/am/will/have/just/also?"
	techToBe  = "gonna/going/might/may/could/will/to/be/a/bit/little/abit/bout/about/running/run?"
	techMakeX = "make/get/attend/come"
)

var techRules = []techRule{
	// Accept: strict, a hedge or any other words make it Unknown.
	{TechAccept, false, "yes/y/yep/yup/yeah/yea/ya/yah/yess/yas/yeh/ye/aye/ok/okay/k/kk/okey/okie/oki/okk/sure/accept/accepted/accepting/confirm/confirmed/affirmative/absolutely/definitely/deal/roger/+1"},
	{TechAccept, false, techSubj + " will/can? take/taking the? it/that/this/job/one one?"},
	{TechAccept, false, "i? can do it/that/this/one?"},
	{TechAccept, false, "on it"},
	{TechAccept, false, "sounds good/great/fine"},
	{TechAccept, false, "go for/ahead it?"},
	{TechAccept, false, "im/count me? in"},
	{TechAccept, false, "will do"},
	{TechAccept, false, "no problem/probs/prob/problemo/worries/worry/bother/biggie"},
	{TechAccept, false, "all good"},
	{TechAccept, false, "for/of sure/course"},
	{TechAccept, false, "got/copy it/that"},
	{TechAccept, false, "sure thing"},
	{TechAccept, false, "yes please/sir"},
	// Unknown: looks like a command word but is not one.
	{TechUnknown, false, "no idea/clue/signal/reception/service/answer/access/one/body/response/reply"},
	{TechUnknown, false, "not sure/yet"},
	{TechUnknown, false, "dunno/idk/maybe/perhaps/possibly/probably"},
	// Decline: a reason may follow.
	{TechDecline, true, "no/n/nope/nah/naw/nay/-1/decline/declined/declining/reject/rejected/pass/passing/skip/busy/unavailable"},
	{TechDecline, false, techSubj + " cant/cannot/wont/couldnt"},
	{TechDecline, true, techSubj + " cant/cannot/wont/couldnt do/take it/that/this/one/job"},
	{TechDecline, true, "i? can not"},
	{TechDecline, true, "no can do"},
	{TechDecline, true, "no way"},
	{TechDecline, true, "no thanks/thank/thx/ty/sorry"},
	{TechDecline, true, "not available/me/today/this/now"},
	{TechDecline, true, "im/too busy/far"},
	{TechDecline, true, "ill/i/will pass"},
	// On my way: an ETA may follow.
	{TechOnMyWay, true, techSubj + " am? on my/the way now? N?"},
	{TechOnMyWay, true, techSubj + " am? on route/way now? N?"},
	{TechOnMyWay, true, "omw/otw/enroute/onway N?"},
	{TechOnMyWay, true, "en route N?"},
	{TechOnMyWay, true, techSubj + " leaving/heading/headed/driving/coming/setting now? N?"},
	{TechOnMyWay, true, techSubj + " leaving/heading/headed/driving/coming over/there/out/round/across/off now? N?"},
	{TechOnMyWay, true, techSubj + " set off now? N?"},
	{TechOnMyWay, false, techSubj + " left now?"},
	{TechOnMyWay, true, techSubj + " be? there/with you/there? in N"},
	{TechOnMyWay, true, "eta is/of/about? N"},
	{TechOnMyWay, true, "N eta/away/out"},
	{TechOnMyWay, true, "arriving/arrive/arrival in N"},
	{TechOnMyWay, true, "arriving"},
	{TechOnMyWay, true, "nearly/almost/close there/here"},
	// Arrived: bare "here" and "outside" are strict.
	{TechArrived, true, techSubj + " have? arrived"},
	{TechArrived, false, techSubj + " am? here/outside now?"},
	{TechArrived, true, techSubj + " am? on site/location"},
	{TechArrived, true, techSubj + " am? onsite"},
	{TechArrived, true, techSubj + " am? at the/your? property/house/address/site/door/premises/location/job/customers/flat/home"},
	{TechArrived, true, "arriving now"},
	{TechArrived, true, "got there/here"},
	{TechArrived, true, techSubj + " pulling/pulled/parked/parking up/in/outside"},
	{TechArrived, true, "knocking"},
	// Done: a note may follow.
	{TechDone, true, techSubj + " all/job/jobs/work/task/repair/its/thats? all? done/finished/complete/completed/fixed/sorted/repaired/resolved"},
	{TechDone, true, "done/finished/completed/complete with? the? job/work/repair/install"},
	{TechDone, true, "done and dusted"},
	// Running late: minutes may come before or after.
	{TechRunningLate, false, "late"},
	{TechRunningLate, true, "late by N"},
	{TechRunningLate, true, techSubj + " " + techToBe + " " + techToBe + " " + techToBe + " late/behind N?"},
	{TechRunningLate, true, techSubj + " " + techToBe + " " + techToBe + " N late/behind"},
	{TechRunningLate, true, "running N? late/behind N?"},
	{TechRunningLate, true, "N late/behind"},
	{TechRunningLate, true, "delayed by? N?"},
	{TechRunningLate, true, "behind schedule N?"},
	{TechRunningLate, true, techSubj + " stuck in traffic"},
	{TechRunningLate, true, techSubj + " cant/cannot/wont/not " + techMakeX + " it? on/in time"},
	{TechRunningLate, true, techSubj + " not going/gonna to? make it on/in time"},
	// Can't make it: a reason may follow.
	{TechCantMake, true, techSubj + " cant/cannot/wont/couldnt/unable " + techMakeX + " it/there? today/now/anymore?"},
	{TechCantMake, true, techSubj + " can not " + techMakeX + " it/there? today/now/anymore?"},
	{TechCantMake, true, techSubj + " not going/gonna to? make it today/now/anymore?"},
	{TechCantMake, true, techSubj + " wont be able to " + techMakeX + " it/there? today/now/anymore?"},
	{TechCantMake, true, techSubj + " unable to " + techMakeX + " it/there? today/now/anymore?"},
	{TechCantMake, true, techSubj + " have/need/got/gotta/hafta/must to? cancel"},
	{TechCantMake, false, "cancel"},
	// Today's jobs: strict, a question is fine.
	{TechToday, false, "today/todays"},
	{TechToday, false, "show/list/todays/the? my? jobs/job/day/schedule/route/list/agenda/rota/runsheet/itinerary for? today?"},
	{TechToday, false, "whats/what is? on today?"},
	{TechToday, false, "whats/what is? my/todays? today/schedule/route/day/jobs"},
	{TechToday, false, "what do/have i have/got today/on?"},
	{TechToday, false, "whats/where/what next"},
	{TechToday, false, "next job/stop"},
	{TechToday, false, "where am i going today?"},
	// Duty.
	{TechOffDuty, false, techSubj + " off duty/shift/work? now?"},
	{TechOffDuty, false, techSubj + " going/knocking/clocking/clocked/clock/signing/signed/logging/logged/log off/out"},
	{TechOffDuty, true, techSubj + " done/finished/off for the? day/today/tonight"},
	{TechOffDuty, true, "end of shift/day"},
	{TechOffDuty, true, techSubj + " heading/going home"},
	{TechOffDuty, true, "calling it a day"},
	{TechOffDuty, true, "thats me done/finished"},
	{TechOnDuty, false, techSubj + " back? on duty/shift/call now?"},
	{TechOnDuty, false, techSubj + " back/available/free now?"},
	{TechOnDuty, false, techSubj + " back? on now?"},
	{TechOnDuty, false, techSubj + " clocking/clocked/clock/signing/signed/logging/logged/log on/in"},
	{TechOnDuty, false, "start/starting of? shift/work"},
	// Help.
	{TechHelp, false, "help/commands/command/menu/options/info/instructions"},
	{TechHelp, false, "what can i say/text/send/do"},
	{TechHelp, false, "how does this work"},
}
