package conversation

import "testing"

func TestParseYesNo(t *testing.T) {
	tests := []struct {
		text    string
		yes, ok bool
	}{
		{"yes", true, true},
		{"Yes.", true, true},
		{"YES!!", true, true},
		{"yeah", true, true},
		{"yep", true, true},
		{"y", true, true},
		{"Y", true, true},
		{"ok", true, true},
		{"okay", true, true},
		{"k", true, true},
		{"sure", true, true},
		{"fine", true, true},
		{"agreed", true, true},
		{"go ahead", true, true},
		{"please do", true, true},
		{"👍", true, true},
		{"👍🏻", true, true},
		{"yes please", true, true},
		{"that's fine", true, true},
		{"that’s fine thanks", true, true},
		{"yes ok go ahead", true, true},
		{"oh yes please", true, true},
		{"no problem", true, true},
		{"yes, the earlier the better", true, true},
		{"yes i think so", true, true},
		{"yes 👍", true, true},
		{"no", false, true},
		{"No.", false, true},
		{"nope", false, true},
		{"n", false, true},
		{"nah", false, true},
		{"no thanks", false, true},
		{"no thank you", false, true},
		{"don't", false, true},
		{"dont", false, true},
		{"not now", false, true},
		{"no, it's 14 Oak Rd", false, true},
		{"no i'd rather not", false, true},
		{"👎", false, true},
		{"no heat, furnace is a Lennox", false, false},
		{"yes the earlier the better", false, false},
		{"nobody", false, true},
		{"i don't think so", false, true},
		{"maybe", false, false},
		{"not sure", false, false},
		{"idk", false, false},
		{"yes no", false, false},
		{"yes but not today", false, false},
		{"yes, but can it be later?", false, false},
		{"no, that's fine", false, false},
		{"no thats fine", false, false},
		{"ok 👎", false, false},
		{"👍👎", false, false},
		{"what?", false, false},
		{"how much is it", false, false},
		{"the boiler is leaking", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		yes, ok := ParseYesNo(tt.text)
		if yes != tt.yes || ok != tt.ok {
			t.Errorf("ParseYesNo(%q) = %v, %v, want %v, %v", tt.text, yes, ok, tt.yes, tt.ok)
		}
	}
}

func TestParseCorrection(t *testing.T) {
	tests := []struct {
		text string
		rest string
		ok   bool
	}{
		{"actually it's 14 Oak Rd", "14 Oak Rd", true},
		{"Actually, it’s 14 Oak Rd", "14 Oak Rd", true},
		{"sorry, I meant 14 Oak Rd", "14 Oak Rd", true},
		{"sorry i meant 14 oak rd", "14 oak rd", true},
		{"correction: name is Sam", "name is Sam", true},
		{"no wait, it's flat 3", "flat 3", true},
		{"i mean SW1A 2AA", "SW1A 2AA", true},
		{"oops 14 not 12", "14 not 12", true},
		{"oops sorry I meant 14", "14", true},
		{"my bad - it's M14 5AB", "M14 5AB", true},
		{"wait, the postcode is SW1A 2AA", "the postcode is SW1A 2AA", true},
		{"should be 14 Oak Rd", "14 Oak Rd", true},
		{"no it's 14 Oak Rd", "14 Oak Rd", true},
		{"sorry, it's Sam not Sammy", "Sam not Sammy", true},
		{"typo, 14 not 12", "14 not 12", true},
		{"actually", "", false},
		{"sorry", "", false},
		{"no", "", false},
		{"no thanks", "", false},
		{"sorry for the wait", "", false},
		{"14 Oak Rd", "", false},
		{"it's actually 14 Oak Rd", "", false},
		{"waiting for the plumber", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		rest, ok := ParseCorrection(tt.text)
		if rest != tt.rest || ok != tt.ok {
			t.Errorf("ParseCorrection(%q) = %q, %v, want %q, %v", tt.text, rest, ok, tt.rest, tt.ok)
		}
	}
}
