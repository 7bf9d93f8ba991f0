package pgtext

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Interval is an interval as PostgreSQL keeps it: months, days and
// microseconds, each with its own sign.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// String renders the interval as text DuckDB's INTERVAL input reads back
// to the same fields.
func (iv Interval) String() string {
	return fmt.Sprintf("%d months %d days %d microseconds", iv.Months, iv.Days, iv.Micros)
}

// intervalUnits are the units PostgreSQL's interval input knows, in
// microseconds, days or months.
var intervalUnits = map[string]struct {
	months, days float64
	micros       float64
}{
	"microsecond": {micros: 1}, "microseconds": {micros: 1}, "us": {micros: 1}, "usec": {micros: 1}, "usecs": {micros: 1},
	"millisecond": {micros: 1e3}, "milliseconds": {micros: 1e3}, "ms": {micros: 1e3}, "msec": {micros: 1e3}, "msecs": {micros: 1e3},
	"second": {micros: 1e6}, "seconds": {micros: 1e6}, "s": {micros: 1e6}, "sec": {micros: 1e6}, "secs": {micros: 1e6},
	"minute": {micros: 6e7}, "minutes": {micros: 6e7}, "m": {micros: 6e7}, "min": {micros: 6e7}, "mins": {micros: 6e7},
	"hour": {micros: 36e8}, "hours": {micros: 36e8}, "h": {micros: 36e8}, "hr": {micros: 36e8}, "hrs": {micros: 36e8},
	"day": {days: 1}, "days": {days: 1}, "d": {days: 1},
	"week": {days: 7}, "weeks": {days: 7}, "w": {days: 7},
	"month": {months: 1}, "months": {months: 1}, "mon": {months: 1}, "mons": {months: 1},
	"year": {months: 12}, "years": {months: 12}, "y": {months: 12}, "yr": {months: 12}, "yrs": {months: 12},
	"decade": {months: 120}, "decades": {months: 120}, "dec": {months: 120}, "decs": {months: 120},
	"century": {months: 1200}, "centuries": {months: 1200}, "cent": {months: 1200},
	"millennium": {months: 12000}, "millennia": {months: 12000}, "mil": {months: 12000}, "mils": {months: 12000},
}

// intervalAcc accumulates fields; fractions spill down as PostgreSQL's
// do (a month is 30 days, a day 24 hours).
type intervalAcc struct {
	months, days int64
	micros       float64
}

func (a *intervalAcc) add(v float64, months, days, micros float64) {
	whole := math.Trunc(v)
	switch {
	case months == 1:
		a.months += int64(whole)
		a.addDays((v - whole) * 30)
	case months != 0:
		// Years and longer: the fraction is rounded to whole months.
		a.months += int64(whole*months + math.RoundToEven((v-whole)*months))
	case days != 0:
		a.addDays(v * days)
	default:
		a.micros += v * micros
	}
}

func (a *intervalAcc) addDays(d float64) {
	whole := math.Trunc(d)
	a.days += int64(whole)
	a.micros += (d - whole) * 86400e6
}

// ParseInterval reads an interval as interval_in does with IntervalStyle
// postgres: "1 year 2 mons -3 days 04:05:06.5", "@ 1 day ago", "1.5 hours",
// SQL standard "1-2" and "3 04:05:06", a bare number of seconds, and ISO
// 8601 "P1Y2M3DT4H5M6S".
func ParseInterval(s string) (Interval, error) {
	t := strings.ToLower(trim(s))
	bad := fmt.Errorf("invalid input syntax for type interval: %q", s)
	if t == "" {
		return Interval{}, bad
	}
	var a intervalAcc
	if strings.HasPrefix(t, "p") {
		if err := a.iso(t[1:]); err != nil {
			return Interval{}, bad
		}
		return a.result()
	}
	t = strings.TrimPrefix(t, "@")
	toks := splitIntervalTokens(t)
	ago := false
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		switch {
		case tok == "ago":
			if i != len(toks)-1 {
				return Interval{}, bad
			}
			ago = true
		case strings.Contains(tok, ":"):
			us, err := parseClock(tok)
			if err != nil {
				return Interval{}, bad
			}
			a.micros += us
		case isYearMonth(tok):
			neg := strings.HasPrefix(tok, "-")
			y, m, _ := strings.Cut(strings.TrimLeft(tok, "+-"), "-")
			yi, err1 := strconv.ParseInt(y, 10, 32)
			mi, err2 := strconv.ParseInt(m, 10, 32)
			if err1 != nil || err2 != nil || mi > 11 {
				return Interval{}, bad
			}
			v := yi*12 + mi
			if neg {
				v = -v
			}
			a.months += v
		default:
			v, err := strconv.ParseFloat(tok, 64)
			if err != nil || strings.ContainsAny(tok, "xXpP_iInN") {
				return Interval{}, bad
			}
			if i+1 < len(toks) {
				if u, ok := intervalUnits[toks[i+1]]; ok {
					a.add(v, u.months, u.days, u.micros)
					i++
					continue
				}
				if strings.Contains(toks[i+1], ":") {
					a.addDays(v) // SQL standard "3 04:05:06": days, then the time
					continue
				}
			}
			a.micros += v * 1e6 // a bare number is seconds
		}
	}
	if ago {
		a.months, a.days, a.micros = -a.months, -a.days, -a.micros
	}
	return a.result()
}

func (a *intervalAcc) result() (Interval, error) {
	us := math.Round(a.micros)
	if a.months > math.MaxInt32 || a.months < math.MinInt32 || a.days > math.MaxInt32 || a.days < math.MinInt32 || math.Abs(us) > 9.2e18 {
		return Interval{}, fmt.Errorf("interval out of range")
	}
	return Interval{Months: int32(a.months), Days: int32(a.days), Micros: int64(us)}, nil
}

// splitIntervalTokens splits on white space and between a number and the
// unit written against it ("1day", "-2hours").
func splitIntervalTokens(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		i := 0
		for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.' || f[i] == '+' || f[i] == '-' || f[i] == ':') {
			i++
		}
		if i > 0 && i < len(f) && f[i] >= 'a' && f[i] <= 'z' && !strings.Contains(f[:i], ":") {
			out = append(out, f[:i], f[i:])
			continue
		}
		out = append(out, f)
	}
	return out
}

func isYearMonth(tok string) bool {
	body := strings.TrimLeft(tok, "+-")
	y, m, ok := strings.Cut(body, "-")
	return ok && y != "" && m != "" && strings.Trim(y, "0123456789") == "" && strings.Trim(m, "0123456789") == ""
}

// parseClock reads [+-]h:m[:s[.frac]] into microseconds.
func parseClock(tok string) (float64, error) {
	neg := strings.HasPrefix(tok, "-")
	parts := strings.Split(strings.TrimLeft(tok, "+-"), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("bad time")
	}
	h, err1 := strconv.ParseUint(parts[0], 10, 32)
	m, err2 := strconv.ParseUint(parts[1], 10, 8)
	if err1 != nil || err2 != nil || m > 59 {
		return 0, fmt.Errorf("bad time")
	}
	sec := 0.0
	if len(parts) == 3 {
		v, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || v < 0 || v >= 60 || strings.ContainsAny(parts[2], "eE+-") {
			return 0, fmt.Errorf("bad time")
		}
		sec = v
	}
	us := float64(h)*36e8 + float64(m)*6e7 + sec*1e6
	if neg {
		us = -us
	}
	return us, nil
}

// iso reads the part of an ISO 8601 duration after "P".
func (a *intervalAcc) iso(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	inTime := false
	for s != "" {
		if s[0] == 't' {
			if inTime {
				return fmt.Errorf("two T")
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-' || s[i] == '+') {
			i++
		}
		if i == 0 || i == len(s) {
			return fmt.Errorf("bad field")
		}
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return err
		}
		switch unit := s[i]; {
		case !inTime && unit == 'y':
			a.add(v, 12, 0, 0)
		case !inTime && unit == 'm':
			a.add(v, 1, 0, 0)
		case !inTime && unit == 'w':
			a.add(v, 0, 7, 0)
		case !inTime && unit == 'd':
			a.add(v, 0, 1, 0)
		case inTime && unit == 'h':
			a.add(v, 0, 0, 36e8)
		case inTime && unit == 'm':
			a.add(v, 0, 0, 6e7)
		case inTime && unit == 's':
			a.add(v, 0, 0, 1e6)
		default:
			return fmt.Errorf("bad unit")
		}
		s = s[i+1:]
	}
	return nil
}
