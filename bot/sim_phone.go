package bot

import (
	"strconv"
	"strings"

	"dispatchbot/config"
)

// Simulator phone ids: a technician's is SimTechPrefix and their id, a
// dispatcher's SimDispatcherPrefix and their place in the config from 1;
// any other id is a customer.
const (
	SimTechPrefix       = "tech:"
	SimDispatcherPrefix = "dispatcher:"
)

// SimDispatcherID returns the simulator phone id of the company's i-th
// dispatcher (from 0).
func SimDispatcherID(i int) string {
	return SimDispatcherPrefix + strconv.Itoa(i+1)
}

// simDispatcher returns which of co's dispatchers a simulator phone id is.
func simDispatcher(co *config.Company, id string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, SimDispatcherPrefix))
	if !strings.HasPrefix(id, SimDispatcherPrefix) || err != nil || n < 1 || n > len(co.Dispatchers) {
		return 0, false
	}
	return n - 1, true
}

// SimPhones lists co's simulator phones: one customer, then each
// technician and dispatcher.
func SimPhones(co *config.Company) []SimPhone {
	out := []SimPhone{{ID: "customer-1", Role: Customer.String(), Name: "Customer"}}
	for _, t := range co.Technicians {
		out = append(out, SimPhone{ID: SimTechPrefix + t.ID, Role: Technician.String(), Name: t.Name})
	}
	for i, d := range co.Dispatchers {
		out = append(out, SimPhone{ID: SimDispatcherID(i), Role: Dispatcher.String(), Name: d.Name})
	}
	return out
}
