package pgtext

import (
	"fmt"
	"strconv"
	"strings"
)

// DateTimeKind is the type a date/time text is read as.
type DateTimeKind int

// The date/time types.
const (
	Date DateTimeKind = iota
	Timestamp
	TimestampTZ
	Time
)

// Special is one of PostgreSQL's special date/time inputs whose value
// depends on when it is read ("now", "today", ...); "" for none.
type Special string

// The special inputs that depend on the clock.
const (
	Now       Special = "now"
	Today     Special = "today"
	Tomorrow  Special = "tomorrow"
	Yesterday Special = "yesterday"
)

var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
	"jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var weekdays = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
	"wed": true, "wednesday": true, "thu": true, "thur": true, "thurs": true, "thursday": true,
	"fri": true, "friday": true, "sat": true, "saturday": true,
}

// NormalizeDateTime reads a date, time or timestamp in the forms
// PostgreSQL's input functions take (with DateStyle ISO, MDY) and returns
// it as ISO text DuckDB reads as the same value: "January 8, 1999",
// "1/8/1999", "19990108", "1999-01-08 04:05:06 -8:00", "04:05 PM",
// "0044-03-15 BC", "epoch", "allballs". The clock-dependent words come back
// as a Special. Text it does not recognize comes back unchanged, for
// DuckDB's input to read or reject.
func NormalizeDateTime(s string, kind DateTimeKind) (string, Special) {
	t := strings.ToLower(trim(s))
	switch t {
	case "now", "today", "tomorrow", "yesterday":
		return "", Special(t)
	case "infinity", "+infinity", "-infinity":
		return strings.TrimPrefix(t, "+"), ""
	case "epoch":
		switch kind {
		case Date:
			return "1970-01-01", ""
		case Time:
			return s, ""
		case TimestampTZ:
			return "1970-01-01 00:00:00+00", ""
		}
		return "1970-01-01 00:00:00", ""
	case "allballs":
		if kind == Time {
			return "00:00:00", ""
		}
	}
	dt, ok := parseDateTime(t, kind)
	if !ok {
		return s, ""
	}
	return dt, ""
}

// parseDateTime splits t into its date, time, zone and era fields.
func parseDateTime(t string, kind DateTimeKind) (string, bool) {
	fields := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	var dateToks []string
	var clock, zone string
	bc, pm, am := false, false, false
	for i, f := range fields {
		switch {
		case f == "bc":
			bc = true
		case f == "ad":
		case f == "am" || f == "a.m.":
			am = true
		case f == "pm" || f == "p.m.":
			pm = true
		case weekdays[f]:
		case strings.Contains(f, ":") && clock == "":
			// A time, maybe with its zone written against it.
			if d, rest, ok := strings.Cut(f, "t"); ok && strings.Contains(d, "-") && !strings.Contains(d, ":") {
				dateToks = append(dateToks, d)
				f = rest
			}
			clock = f
			if j := strings.IndexAny(f, "+-z"); j > 0 {
				clock, zone = f[:j], f[j:]
			}
		case (f[0] == '+' || f[0] == '-') && clock != "" && i > 0:
			zone = f
		case f == "z" || f == "utc" || f == "gmt":
			zone = f
		case f[0] >= 'a' && f[0] <= 'z' && months[f] == 0 && clock != "":
			zone = f // a zone name, for DuckDB to read
		default:
			dateToks = append(dateToks, f)
		}
	}
	var out strings.Builder
	if kind != Time {
		y, m, d, ok := parseDate(dateToks)
		if !ok {
			return "", false
		}
		if bc {
			y = 1 - y
		}
		if y <= 0 {
			fmt.Fprintf(&out, "-%04d-%02d-%02d", -y, m, d)
		} else {
			fmt.Fprintf(&out, "%04d-%02d-%02d", y, m, d)
		}
		if kind == Date {
			return out.String(), true
		}
	} else if len(dateToks) > 0 || clock == "" {
		return "", false
	}
	if clock != "" {
		c, ok := parseClockText(clock, am, pm)
		if !ok {
			return "", false
		}
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(c)
	} else if am || pm {
		return "", false
	}
	if zone != "" {
		if kind == Timestamp || kind == Time {
			return out.String(), true // PostgreSQL ignores a zone here
		}
		z, ok := normalizeZone(zone)
		if !ok {
			return "", false
		}
		out.WriteString(z)
	}
	return out.String(), true
}

// parseDate reads the date fields: ISO y-m-d, m/d/y, d.m.y is not
// PostgreSQL's default, month names anywhere, yyyymmdd.
func parseDate(toks []string) (y, m, d int, ok bool) {
	var parts []string
	for _, tk := range toks {
		parts = append(parts, strings.FieldsFunc(tk, func(r rune) bool { return r == '-' || r == '/' || r == '.' })...)
	}
	if len(parts) == 1 && len(parts[0]) == 8 && isDigits(parts[0]) {
		p := parts[0]
		parts = []string{p[:4], p[4:6], p[6:]}
	}
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var nums []string
	for _, p := range parts {
		if mo, isMonth := months[p]; isMonth {
			if m != 0 {
				return 0, 0, 0, false
			}
			m = mo
			continue
		}
		if !isDigits(p) {
			return 0, 0, 0, false
		}
		nums = append(nums, p)
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	var ys string
	switch {
	case m != 0 && len(nums) == 2:
		if len(nums[0]) >= 3 {
			ys, d = nums[0], atoi(nums[1])
		} else {
			d, ys = atoi(nums[0]), nums[1]
		}
	case m == 0 && len(nums) == 3 && len(nums[0]) >= 3:
		ys, m, d = nums[0], atoi(nums[1]), atoi(nums[2])
	case m == 0 && len(nums) == 3:
		m, d, ys = atoi(nums[0]), atoi(nums[1]), nums[2] // DateStyle MDY
	default:
		return 0, 0, 0, false
	}
	y = atoi(ys)
	if len(ys) <= 2 {
		// Two-digit years: 70-99 are 19xx, 00-69 20xx.
		if y < 70 {
			y += 2000
		} else {
			y += 1900
		}
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || len(ys) > 7 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// parseClockText reads h:m[:s[.frac]] with am/pm.
func parseClockText(c string, am, pm bool) (string, bool) {
	parts := strings.Split(c, ":")
	if len(parts) < 2 || len(parts) > 3 || !isDigits(parts[0]) || !isDigits(parts[1]) {
		return "", false
	}
	h, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	sec := "00"
	if len(parts) == 3 {
		whole, frac, _ := strings.Cut(parts[2], ".")
		if !isDigits(whole) || frac != "" && !isDigits(frac) || len(whole) > 2 {
			return "", false
		}
		sec = fmt.Sprintf("%02s", whole)
		if frac != "" {
			sec += "." + frac
		}
	}
	switch {
	case (am || pm) && (h < 1 || h > 12):
		return "", false
	case am && h == 12:
		h = 0
	case pm && h != 12:
		h += 12
	}
	if h > 24 || m > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d:%s", h, m, sec), true
}

// normalizeZone writes a numeric offset as +HH[:MM[:SS]] (PostgreSQL
// takes -8, -8:00, +0530); ok is false for a zone name.
func normalizeZone(z string) (string, bool) {
	switch z {
	case "z", "utc", "gmt":
		return "+00", true
	}
	if z[0] != '+' && z[0] != '-' {
		return "", false // a zone name: DuckDB reads the text as it is
	}
	sign, body := z[:1], z[1:]
	var h, m, s string
	switch {
	case strings.Contains(body, ":"):
		p := strings.Split(body, ":")
		if len(p) > 3 {
			return "", false
		}
		h = p[0]
		if len(p) > 1 {
			m = p[1]
		}
		if len(p) > 2 {
			s = p[2]
		}
	case len(body) == 4:
		h, m = body[:2], body[2:]
	case len(body) == 6:
		h, m, s = body[:2], body[2:4], body[4:]
	case len(body) <= 2:
		h = body
	default:
		return "", false
	}
	for _, p := range []string{h, m, s} {
		if p != "" && (!isDigits(p) || len(p) > 2) {
			return "", false
		}
	}
	out := sign + fmt.Sprintf("%02s", h)
	if m != "" {
		out += ":" + fmt.Sprintf("%02s", m)
	}
	if s != "" {
		out += ":" + fmt.Sprintf("%02s", s)
	}
	return out, true
}
