package collector

import (
	"math"
	"time"
)

// Event times are compared in Unix microseconds, the precision of the lake's
// TIMESTAMP columns, so a bound means the same in Go and in SQL.
const (
	unboundedFrom = math.MinInt64
	unboundedTo   = math.MaxInt64
)

// span is the half-open range of event times [from, to) in Unix
// microseconds; unboundedFrom and unboundedTo stand for no bound.
type span struct{ from, to int64 }

// allTime is the span without bounds.
var allTime = span{unboundedFrom, unboundedTo}

// spanOf converts a time window to a span; a zero bound is no bound.
func spanOf(from, to time.Time) span {
	s := allTime
	if !from.IsZero() {
		s.from = from.UnixMicro()
	}
	if !to.IsZero() {
		s.to = to.UnixMicro()
	}
	return s
}

func (s span) empty() bool { return s.from >= s.to }

func (s span) contains(t int64) bool { return t >= s.from && t < s.to }

func (s span) intersect(o span) span {
	return span{max(s.from, o.from), min(s.to, o.to)}
}

// bounds returns the span's bounds as times, zero when unbounded.
func (s span) bounds() (from, to time.Time) {
	if s.from != unboundedFrom {
		from = time.UnixMicro(s.from).UTC()
	}
	if s.to != unboundedTo {
		to = time.UnixMicro(s.to).UTC()
	}
	return from, to
}

// spans is a set of event times: sorted, disjoint, non-adjacent spans.
type spans []span

// add returns the union of the set and x; the receiver is not modified.
func (ss spans) add(x span) spans {
	if x.empty() {
		return ss
	}
	out := make(spans, 0, len(ss)+1)
	for _, s := range ss {
		switch {
		case s.to < x.from:
			out = append(out, s)
		case x.to < s.from:
			out = append(out, x)
			x = s
		default: // overlapping or adjacent
			x = span{min(s.from, x.from), max(s.to, x.to)}
		}
	}
	return append(out, x)
}

// remove returns the set without x; the receiver is not modified.
func (ss spans) remove(x span) spans {
	if x.empty() {
		return ss
	}
	out := make(spans, 0, len(ss)+1)
	for _, s := range ss {
		if left := (span{s.from, min(s.to, x.from)}); !left.empty() {
			out = append(out, left)
		}
		if right := (span{max(s.from, x.to), s.to}); !right.empty() {
			out = append(out, right)
		}
	}
	return out
}

// covers reports whether every time of x is in the set.
func (ss spans) covers(x span) bool {
	if x.empty() {
		return true
	}
	for _, s := range ss {
		if s.from <= x.from && x.to <= s.to {
			return true
		}
	}
	return false
}

// contains reports whether t is in the set.
func (ss spans) contains(t int64) bool {
	for _, s := range ss {
		if s.contains(t) {
			return true
		}
	}
	return false
}

// fileState is what the collection log says about one source file: which
// event times of it are in the lake (covered), out of the times its events
// have (events, allTime when unknown). A file is fully collected when covered
// holds every time of events.
type fileState struct {
	covered spans
	events  span
}

// full reports whether every event of the file is collected.
func (f fileState) full() bool { return f.covered.covers(f.events) }

// needs reports whether the file may hold events of the window w that are not
// collected yet.
func (f fileState) needs(w span) bool {
	return !f.covered.covers(w.intersect(f.events))
}

// fileRead selects the rows a run collects from one source file: those in
// the run's window whose time is not collected yet. It also notes the file's
// event times and whether some rows are left for another window.
type fileRead struct {
	win     span
	covered spans
	// min and max are the earliest and latest event times seen.
	min, max int64
	seen     bool
	// outside counts the rows neither in the window nor collected before.
	outside int64
}

// keep reports whether the row of an event at time t is collected now.
func (r *fileRead) keep(t time.Time) bool {
	us := t.UnixMicro()
	if !r.seen || us < r.min {
		r.min = us
	}
	if !r.seen || us > r.max {
		r.max = us
	}
	r.seen = true
	if r.covered.contains(us) {
		return false
	}
	if !r.win.contains(us) {
		r.outside++
		return false
	}
	return true
}

// entry is the collection log entry of the file once its rows are
// committed: a full entry when no row was left out, else a partial one. Both
// record the file's first and last event times, so a later --overwrite
// forgets and reads again only the files with events in its window.
func (r *fileRead) entry(a artifact, rows int64) logEntry {
	e := logEntry{Key: a.Location, Size: a.Size, Rows: rows}
	if r.seen {
		lo, hi := time.UnixMicro(r.min).UTC(), time.UnixMicro(r.max).UTC()
		e.Min, e.Max = &lo, &hi
	}
	if r.outside > 0 {
		setEntryWindow(&e, r.win)
	}
	return e
}

// collectedIn reports whether some events of the window w are collected.
func (f fileState) collectedIn(w span) bool {
	w = w.intersect(f.events)
	for _, s := range f.covered {
		if !s.intersect(w).empty() {
			return true
		}
	}
	return false
}
