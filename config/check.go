package config

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Check loads the config file at path and reports on it to w, for
// `dispatchbot check-config FILE`. A valid file gets one summary line per
// company and exit code 0; otherwise each problem is printed on its own line
// as "path: msg" and the exit code is 1.
func Check(path string, getenv func(string) string, w io.Writer) int {
	cfg, err := Load(path, getenv)
	if err != nil {
		var ps Problems
		if !errors.As(err, &ps) {
			ps = Problems{{Msg: err.Error()}}
		}
		for _, p := range ps {
			fmt.Fprintln(w, p)
		}
		return 1
	}
	for _, co := range cfg.Companies {
		fmt.Fprintf(w, "%s (%s): %s, %s, channels: %s\n",
			co.ID, co.Name,
			plural(len(co.Technicians), "technician"),
			plural(len(co.Dispatchers), "dispatcher"),
			channelList(co))
	}
	return 0
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func channelList(co *Company) string {
	var chs []string
	if tw := co.Channels.Twilio; tw != nil {
		chs = append(chs, fmt.Sprintf("twilio %s", strings.Join(tw.Numbers, " ")))
	}
	if co.Channels.Telegram != nil {
		chs = append(chs, "telegram")
	}
	if len(chs) == 0 {
		return "none (web simulator only)"
	}
	return strings.Join(chs, ", ")
}
