package web

import (
	"strconv"
	"strings"
)

// FormatPriority writes RFC 9218 §4's Priority field value: "u=N" with ", i"
// when the response is incremental; the defaults (u=3, not incremental) are
// omitted as §4.1-4.2 allow.
func FormatPriority(urgency int, incremental bool) string {
	if urgency >= 0 && urgency < len(priorityValues) {
		// Every request carries one: hand out a constant.
		if incremental {
			return priorityValues[urgency][1]
		}
		return priorityValues[urgency][0]
	}
	return formatPriority(urgency, incremental)
}

// priorityValues are the values of the eight urgencies (RFC 9218 §4.1),
// without and with the incremental flag.
var priorityValues = func() (v [8][2]string) {
	for u := range v {
		v[u] = [2]string{formatPriority(u, false), formatPriority(u, true)}
	}
	return v
}()

func formatPriority(urgency int, incremental bool) string {
	var parts []string
	if urgency != 3 {
		parts = append(parts, "u="+strconv.Itoa(urgency))
	}
	if incremental {
		parts = append(parts, "i")
	}
	return strings.Join(parts, ", ")
}

// ParsePriority reads a Priority field value (RFC 9218 §4, a Structured
// Fields dictionary): u is an integer 0–7, i a boolean. Unknown members and
// out-of-range values are ignored, leaving the defaults u=3, i=false.
func ParsePriority(v string) (urgency int, incremental bool) {
	urgency = 3
	for more := true; more; {
		var member string
		member, v, more = strings.Cut(v, ",")
		key, val, hasVal := strings.Cut(strings.TrimSpace(member), "=")
		switch key {
		case "u":
			if n, err := strconv.Atoi(val); err == nil && n >= 0 && n <= 7 {
				urgency = n
			}
		case "i":
			incremental = !hasVal || val == "?1"
		}
	}
	return urgency, incremental
}
