package bot

import (
	"context"
	"testing"
	"time"
)

// TestSlots checks the bound on entries a company's workers hold: take
// never hands out more than are free, waits only when asked, and stops
// waiting when its context ends.
func TestSlots(t *testing.T) {
	s := newSlots(3)
	ctx := context.Background()
	if n := s.take(ctx, 2, false); n != 2 {
		t.Fatalf("take(2) of 3 free = %d, want 2", n)
	}
	if n := s.take(ctx, 5, true); n != 1 {
		t.Fatalf("take(5) with 1 free = %d, want 1", n)
	}
	if n := s.take(ctx, 5, false); n != 0 {
		t.Fatalf("take without waiting, none free = %d, want 0", n)
	}
	got := make(chan int)
	go func() { got <- s.take(ctx, 5, true) }()
	s.release(2)
	n := <-got
	if n < 1 || n > 2 {
		t.Fatalf("a waiting take after 2 released = %d, want 1 or 2", n)
	}
	s.release(n)
	if n := s.take(ctx, 5, false); n != 2 {
		t.Fatalf("take with 2 free = %d, want 2", n)
	}
	empty, stop := context.WithTimeout(ctx, 10*time.Millisecond)
	defer stop()
	if n := s.take(empty, 1, true); n != 0 {
		t.Fatalf("take that waits until its context ends = %d, want 0", n)
	}
}
