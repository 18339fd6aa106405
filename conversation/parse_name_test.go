package conversation

import "testing"

func TestFindName(t *testing.T) {
	tests := []struct {
		text string
		want string
		ok   bool
	}{
		{"I'm Sam", "Sam", true},
		{"im sam jones", "Sam Jones", true},
		{"I’m Sam", "Sam", true},
		{"i am sam", "Sam", true},
		{"my name is Priya Patel", "Priya Patel", true},
		{"My name's priya", "Priya", true},
		{"name's Bob", "Bob", true},
		{"names bob smith", "Bob Smith", true},
		{"Name: Bob", "Bob", true},
		{"this is Tom", "Tom", true},
		{"Hi, this is Tom from number 4", "Tom", true},
		{"Sam here", "Sam", true},
		{"sam here, boiler's dead", "Sam", true},
		{"hi Sam Jones here", "Sam Jones", true},
		{"it's Jo from flat 2", "Jo", true},
		{"its jo", "Jo", true},
		{"burst pipe at 12 Oak Rd SW1A 1AA, I'm Sam", "Sam", true},
		{"I'm Sam and my boiler is broken", "Sam", true},
		{"I'm Sam boiler is broken", "Sam", true},
		{"im sam need a plumber", "Sam", true},
		{"I'm Mary-Jane O'NEIL", "Mary-Jane O'Neil", true},
		{"I'm Mrs Patel", "Mrs Patel", true},
		{"I am Ahmed", "Ahmed", true},
		{"im ed", "Ed", true},
		{"my name is Will", "Will", true},
		{"I'm Anna Maria Souza Lopez", "Anna Maria Souza", true}, // at most three words
		{"I'm Anna Maria de Souza", "Anna Maria", true},
		{"I'm worried, my name is Sam", "Sam", true},
		{"I'm worried", "", false},
		{"I'm at work", "", false},
		{"I'm not home", "", false},
		{"I'm locked out", "", false},
		{"this is urgent", "", false},
		{"this is the third time", "", false},
		{"I'm so cold", "", false},
		{"im freezing", "", false},
		{"I'm 8 months pregnant", "", false},
		{"I'm elderly and disabled", "", false},
		{"im renting", "", false},
		{"I'm Sam's mum", "", false},
		{"I'm the tenant", "", false},
		{"i'm really worried about the boiler", "", false},
		{"I'm panicking", "", false},
		{"im away til friday", "", false},
		{"its leaking", "", false},
		{"its broken again", "", false},
		{"its mould on the wall, I think its getting worse", "", false},
		{"the boiler, its a Baxi", "", false},
		{"its Baxi", "", false},
		{"water everywhere here", "", false},
		{"nobody here", "", false},
		{"call me back", "", false},
		{"I'm Will", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := FindName(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FindName(%q) = %q, %v, want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseNameAnswer(t *testing.T) {
	tests := []struct {
		text string
		want string
		ok   bool
	}{
		{"Sam", "Sam", true},
		{"sam jones", "Sam Jones", true},
		{"SAM JONES", "Sam Jones", true},
		{"It's Sam", "Sam", true},
		{"its sam", "Sam", true},
		{"Sam Jones thanks", "Sam Jones", true},
		{"sam jones, thanks!", "Sam Jones", true},
		{"Mrs Patel", "Mrs Patel", true},
		{"Dr. O'Neil", "Dr. O'Neil", true},
		{"dr o'neil", "Dr O'Neil", true},
		{"my name is Priya", "Priya", true},
		{"hi, I'm Priya", "Priya", true},
		{"J Smith", "J Smith", true},
		{"Will", "Will", true},
		{"McDonald", "McDonald", true},
		{"José Álvarez", "José Álvarez", true},
		{"Sam.", "Sam", true},
		{"why", "", false},
		{"no", "", false},
		{"idk", "", false},
		{"?", "", false},
		{"who's asking?", "", false},
		{"12", "", false},
		{"sam 2", "", false},
		{"my name is sam and I live at the end of the road", "", false},
		{"why do you need it", "", false},
		{"none of your business", "", false},
		{"its leaking", "", false},
		{"boiler", "", false},
		{"ok", "", false},
		{"x", "", false},
		{"sam@example.com", "", false},
		{"", "", false},
		{"   ", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseNameAnswer(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseNameAnswer(%q) = %q, %v, want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}
