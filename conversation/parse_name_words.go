package conversation

// nameStop are words that follow "I'm", "it's" or "this is" without being a
// name, or that end a name ("I'm Sam and ..."): function words, states,
// feelings, places, roles, times and the things people call about.
var nameStop = setOfWords(
	// function words
	`a an the and or but so not no nt nope yes yeah yep ok okay sure just also still only even
	very really quite pretty too so soo sooo rather fairly extremely super totally completely
	absolutely literally actually basically probably definitely currently already always never
	ever again almost nearly about around like kind sort kinda sorta all both each every any
	some many much more most less least few other another same such this that these those
	it its it's itself i im ive id ill me my mine myself we us our ours you your yours he him his
	she her hers they them their there here where when what who whom whose which why how
	if unless because cos coz as than then though although while whilst until till since
	at in on off out up down over under into onto upon from to for of by with without within
	near next behind opposite between inside outside upstairs downstairs indoors outdoors
	is am are was were be been being do does did doing done have has had having can could will
	would shall should may might must gonna gotta wanna gona meant supposed told let lets
	please pls plz thanks thank thx ty ta cheers hi hello hey hiya sorry well oh um erm hmm ah
	lol x xx xxx one two three four five asap now soon need needs want wants got get gets help
	call ring text send come came fix fixed book check see say said think know live lives rent
	own owns use used`,
	// how people are
	`home away abroad back late early free busy available unavailable working off fine good
	great ok alright well better worse unwell ill sick poorly pregnant disabled elderly old
	young vulnerable deaf blind diabetic alone single married retired unemployed new local
	worried concerned scared afraid frightened terrified panicking anxious nervous stressed
	desperate frustrated annoyed angry upset fed tired exhausted cold freezing hot boiling
	wet soaked soaking flooded locked stuck trapped shut stranded lost confused sure certain
	positive glad happy sad grateful ready finished unable able interested after calling
	texting messaging writing contacting wondering hoping guessing thinking assuming asking
	waiting looking trying getting having going coming leaving moving staying living renting
	visiting panicked gutted livid fuming sat sitting standing stood struggling suffering
	dying desperate shocked surprised pleased delighted based located situated registered
	insured covered booked expected sorted done ill due`,
	// who people are
	`tenant tenants landlord landlady owner owners homeowner renter resident residents neighbour
	neighbor neighbours neighbors manager agent caretaker concierge mum mom mother dad father
	parent parents wife husband partner son daughter kid kids child children baby grandma
	grandad nan grandmother grandfather carer nurse doctor student pensioner widow widower
	customer client plumber electrician engineer technician builder contractor owner
	occupier friend family brother sister boyfriend girlfriend`,
	// what is wrong, and where
	`urgent emergency serious bad broken leaking leak leaks dripping flooding blocked burst
	dead gone stopped tripped working sparking smoking burning smells smelly noisy loud
	broke damaged cracked stuck faulty dodgy weird strange odd ridiculous annoying awful
	terrible worse urgent important happening again everywhere water gas power heating boiler
	tap taps pipe pipes toilet loo sink shower bath radiator radiators fuse fridge freezer
	oven cooker hob washer washing dishwasher dryer lights light socket sockets electric
	electrics electricity damp mould mold roof door window lock keys key ceiling floor wall
	kitchen bathroom basement loft garage garden house flat apartment building property
	problem issue trouble job quote appointment booking time day week month year today
	tonight tomorrow morning afternoon evening night weekend monday tuesday wednesday thursday
	friday saturday sunday first second third last fourth fifth`,
	// makes people mention
	`worcester bosch vaillant baxi ideal viessmann glowworm glow-worm potterton vokera navien
	rinnai carrier trane lennox goodman rheem daikin mitsubishi fujitsu samsung lg whirlpool
	beko hotpoint indesit miele aeg zanussi neff siemens hoover candy ge frigidaire maytag
	kitchenaid electrolux kenmore smeg haier hisense dyson`,
	// answers that are not names
	`idk dunno unknown anonymous nobody someone somebody anyone anybody everyone none nothing
	na n/a skip pass later private why what huh cancel stop help human agent person`,
)

// nameStopButName are stop words that are also names; a clear lead-in
// ("my name is Will") or a name answer accepts them.
var nameStopButName = setOfWords("will may rose grace hope joy dawn faith sunny rich pat bill mark")

// nameTitles may come before a name ("Mrs Patel", "Dr. O'Neil").
var nameTitles = setOfWords("mr mrs ms miss mx dr prof sir dame lady lord rev")

// nameEnd are the words a customer signs off with after giving their name.
var nameEnd = setOfWords("thanks thank you thx ty ta cheers please pls here x xx xxx mate")
