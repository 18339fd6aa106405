package conversation

import "time"

// FormatSlot writes a slot as customers and technicians read it, in loc:
// "Tue 24 Nov, 10am-12pm".
func FormatSlot(s Slot, loc *time.Location) string {
	return formatSlot(s, loc)
}
