package conversation

import (
	"path/filepath"
	"testing"
)

func BenchmarkGrade(b *testing.B) {
	g := mustTriageGrader(b)
	data := mustReadTriage(b, filepath.Join("testdata", "triage-sample.jsonl"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		g.Grade(data[i%len(data)].Text)
	}
}

func BenchmarkNewGrader(b *testing.B) {
	r := DefaultTriageRules()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewGrader(r); err != nil {
			b.Fatal(err)
		}
	}
}
