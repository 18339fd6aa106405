package conversation

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/London without a system zone database
)

// mustLondon returns the Europe/London zone.
func mustLondon(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// mustSlot builds a slot from local "2006-01-02 15:04" start and end clock
// times in loc, stored in UTC as the dispatcher stores them.
func mustSlot(tb testing.TB, loc *time.Location, start, end string) Slot {
	tb.Helper()
	s, err := time.ParseInLocation("2006-01-02 15:04", start, loc)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := time.ParseInLocation("2006-01-02 15:04", start[:11]+end, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return Slot{Start: s.UTC(), End: e.UTC()}
}

func TestParseSlotChoice(t *testing.T) {
	loc := mustLondon(t)
	now := time.Date(2025, 3, 24, 9, 0, 0, 0, loc) // a Monday
	week := []Slot{
		mustSlot(t, loc, "2025-03-25 08:00", "10:00"), // Tue
		mustSlot(t, loc, "2025-03-25 13:00", "15:00"), // Tue
		mustSlot(t, loc, "2025-03-27 10:00", "12:00"), // Thu
	}
	sameTime := []Slot{
		mustSlot(t, loc, "2025-03-25 10:00", "12:00"),
		mustSlot(t, loc, "2025-03-26 10:00", "12:00"),
		mustSlot(t, loc, "2025-03-26 14:00", "16:00"),
	}
	april := []Slot{
		mustSlot(t, loc, "2025-04-02 09:00", "11:00"),
		mustSlot(t, loc, "2025-04-03 09:00", "11:00"),
		mustSlot(t, loc, "2025-04-04 09:00", "11:00"),
	}
	agree := []Slot{
		mustSlot(t, loc, "2025-04-01 09:00", "11:00"),
		mustSlot(t, loc, "2025-04-02 09:00", "11:00"),
		mustSlot(t, loc, "2025-04-03 09:00", "11:00"),
	}
	afterDST := []Slot{
		mustSlot(t, loc, "2025-03-31 10:00", "12:00"),
		mustSlot(t, loc, "2025-03-31 14:00", "16:00"),
	}
	tests := []struct {
		name  string
		text  string
		slots []Slot
		want  int
		ok    bool
	}{
		{"number", "1", week, 0, true},
		{"number", "2", week, 1, true},
		{"number", "3", week, 2, true},
		{"number with dot", "2.", week, 1, true},
		{"option", "option 2", week, 1, true},
		{"option capital", "Option 3 please", week, 2, true},
		{"hash", "#2", week, 1, true},
		{"number abbreviation", "no. 3", week, 2, true},
		{"number abbreviation", "no 3", week, 2, true},
		{"ordinal word", "the second one", week, 1, true},
		{"ordinal word", "second", week, 1, true},
		{"ordinal digits", "2nd", week, 1, true},
		{"ordinal digits", "1st one pls", week, 0, true},
		{"ordinal first", "first please", week, 0, true},
		{"last", "the last one", week, 2, true},
		{"number word", "two", week, 1, true},
		{"middle", "the middle one", week, 1, true},
		{"polite", "I'll take the third one thanks", week, 2, true},
		{"time am", "the 10am one", week, 2, true},
		{"bare hour above count", "10", week, 2, true},
		{"time", "10am", week, 2, true},
		{"time with space", "10 am", week, 2, true},
		{"time dotted", "10 a.m.", week, 2, true},
		{"time pm", "1pm", week, 1, true},
		{"time 24h", "13:00", week, 1, true},
		{"o'clock", "the 1 o'clock", week, 1, true},
		{"time inside slot", "9am", week, 0, true},
		{"time inside slot", "11", week, 2, true},
		{"tomorrow morning", "tomorrow morning", week, 0, true},
		{"tomorrow afternoon", "tomorrow afternoon", week, 1, true},
		{"tomorrow typo", "tmrw afternoon pls", week, 1, true},
		{"2moro", "2moro arvo", week, 1, true},
		{"tomorrow earliest", "tomorrow", week, 0, true},
		{"tomorrow latest", "the later one tomorrow", week, 1, true},
		{"day and range", "Tue 8-10", week, 0, true},
		{"day and range pm", "tues 1-3pm", week, 1, true},
		{"weekday earliest", "tuesday", week, 0, true},
		{"weekday", "thursday", week, 2, true},
		{"weekday short", "thu", week, 2, true},
		{"weekday and hour", "thursday at 10", week, 2, true},
		{"weekday and hour pm", "tuesday at 1", week, 1, true},
		{"weekday and time", "tuesday 1pm", week, 1, true},
		{"day of month", "27th", week, 2, true},
		{"day of month", "the 25th please", week, 0, true},
		{"date with month", "25 march", week, 0, true},
		{"date with slash", "27/3", week, 2, true},
		{"range", "the 8-10", week, 0, true},
		{"range words", "8 to 10", week, 0, true},
		{"range between", "between 1 and 3", week, 1, true},
		{"range am pm", "10am-12pm", week, 2, true},
		{"morning only", "morning", week, 0, true},
		{"afternoon only", "afternoon please", week, 1, true},
		{"any", "any", week, 0, true},
		{"whenever", "whenever suits", week, 0, true},
		{"don't mind", "I don't mind", week, 0, true},
		{"earliest", "earliest", week, 0, true},
		{"latest", "latest", week, 2, true},
		{"hour matches no slot", "4", week, 0, false},
		{"hour at slot end", "12", week, 0, false},
		{"no slot that day", "friday", week, 0, false},
		{"no slot that day", "wednesday", week, 0, false},
		{"no slot today", "today", week, 0, false},
		{"no evening slot", "tomorrow evening", week, 0, false},
		{"two days", "tuesday or thursday", week, 0, false},
		{"refusal", "none of them", week, 0, false},
		{"refusal", "neither", week, 0, false},
		{"refusal", "no", week, 0, false},
		{"refusal with day", "can't do tuesday", week, 0, false},
		{"refusal", "none of these work, what about thursday", week, 0, false},
		{"other times", "any other times?", week, 0, false},
		{"not a choice", "yes", week, 0, false},
		{"question", "what times?", week, 0, false},
		{"ordinal beyond list", "fifth", week, 0, false},
		{"empty", "", week, 0, false},
		{"no slots", "1", nil, 0, false},
		{"same time two days", "10am", sameTime, 0, false},
		{"same time narrowed by day", "wed 10am", sameTime, 1, true},
		{"ordinal or date", "2nd", april, 0, false},
		{"ordinal or date", "3rd", april, 0, false},
		{"ordinal and date agree", "2nd", agree, 1, true},
		{"ordinal word beats date", "second", april, 1, true},
		{"date beyond list", "4th", april, 2, true},
		{"after clocks change", "10am", afterDST, 0, true},
		{"after clocks change", "2pm", afterDST, 1, true},
	}
	for _, tt := range tests {
		got, ok := ParseSlotChoice(tt.text, tt.slots, now, loc)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: ParseSlotChoice(%q) = %d, %v, want %d, %v", tt.name, tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseSlotChoiceNilLocation(t *testing.T) {
	now := time.Date(2025, 3, 24, 9, 0, 0, 0, time.UTC)
	slots := []Slot{
		{Start: time.Date(2025, 3, 25, 8, 0, 0, 0, time.UTC), End: time.Date(2025, 3, 25, 10, 0, 0, 0, time.UTC)},
		{Start: time.Date(2025, 3, 25, 13, 0, 0, 0, time.UTC), End: time.Date(2025, 3, 25, 15, 0, 0, 0, time.UTC)},
	}
	if got, ok := ParseSlotChoice("1pm", slots, now, nil); !ok || got != 1 {
		t.Errorf("ParseSlotChoice(%q, nil location) = %d, %v, want 1, true", "1pm", got, ok)
	}
}
