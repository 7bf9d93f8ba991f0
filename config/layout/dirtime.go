package layout

import (
	"regexp/syntax"
	"strings"
	"time"
)

// DirTime returns the time period that every match under the directory dir
// (slash-separated, relative to the source root, trailing slash optional)
// must fall in, as far as the time captures completed within dir tell: for
// the default CloudTrail layout, "AWSLogs/1/CloudTrail/r/2024/03" gives
// [2024-03-01, 2024-04-01). Periods follow the calendar (a month period ends
// on the first of the next month).
//
// ok is false when dir tells nothing certain about the time: the layout has
// no time captures, dir has not reached a complete year capture, dir cannot
// hold a match, or different ways of matching dir disagree on the captured
// time. A caller may then not prune dir by time.
func (l *Layout) DirTime(dir string) (start, end time.Time, ok bool) {
	if !l.hasTime {
		return time.Time{}, time.Time{}, false
	}
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		return time.Time{}, time.Time{}, false
	}
	s := dir + "/"
	caps, ok := l.prefixCaptures(s)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	fields := map[string]string{}
	units := 0
	for i := 0; i < l.units; i++ {
		v, found := l.closedCapture(s, caps, timeUnits[i])
		if !found {
			break
		}
		fields[timeUnits[i]] = v
		units = i + 1
	}
	if units == 0 {
		return time.Time{}, time.Time{}, false
	}
	t, has, err := timeOf(fields, units)
	if err != nil || !has {
		return time.Time{}, time.Time{}, false
	}
	return t, periodEnd(t, units), true
}

// PeriodEnd returns the exclusive end of the period of granularity g (as
// returned by Granularity) starting at t, following the calendar for years
// and months.
func PeriodEnd(t time.Time, g time.Duration) time.Time {
	for i, gr := range granularities {
		if gr == g {
			return periodEnd(t, i+1)
		}
	}
	return t.Add(g)
}

// periodEnd is the exclusive end of the period starting at t when units
// time units (1 = year ... 6 = second) are known.
func periodEnd(t time.Time, units int) time.Time {
	switch units {
	case 1:
		return t.AddDate(1, 0, 0)
	case 2:
		return t.AddDate(0, 1, 0)
	case 3:
		return t.AddDate(0, 0, 1)
	}
	return t.Add(granularities[units-1])
}

// closedCapture returns the text of the first capture group named field
// that both started and ended within s.
func (l *Layout) closedCapture(s string, caps []int, field string) (string, bool) {
	for i, f := range l.fields {
		if f != field || 2*i+1 >= len(caps) {
			continue
		}
		lo, hi := caps[2*i], caps[2*i+1]
		if lo >= 0 && hi >= lo {
			return s[lo:hi], true
		}
	}
	return "", false
}

// capThread is one automaton thread with its capture positions (byte
// offsets, -1 = unset).
type capThread struct {
	pc   uint32
	caps []int
}

// prefixCaptures simulates the layout's automaton over s, tracking capture
// positions, and returns the captures shared by every thread that is still
// able to consume more input at the end of s. ok is false when no thread
// survives or when surviving threads disagree on the captures of time
// fields (threads merge on the same instruction, so a disagreement there
// also counts).
func (l *Layout) prefixCaptures(s string) (caps []int, ok bool) {
	p := l.prog
	ncap := 2 * len(l.fields)
	timeSlots := l.timeSlots()
	conflict := false
	var cur, next []capThread
	seen := make([]int, len(p.Inst)) // index+1 into the current list, 0 = absent
	var add func(list *[]capThread, pc uint32, caps []int, pos int, before, after rune, afterKnown bool)
	add = func(list *[]capThread, pc uint32, caps []int, pos int, before, after rune, afterKnown bool) {
		if j := seen[pc]; j != 0 {
			other := (*list)[j-1].caps
			for _, k := range timeSlots {
				if other[k] != caps[k] {
					conflict = true
				}
			}
			return
		}
		*list = append(*list, capThread{pc: pc, caps: caps})
		seen[pc] = len(*list)
		inst := &p.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			add(list, inst.Out, caps, pos, before, after, afterKnown)
			add(list, inst.Arg, caps, pos, before, after, afterKnown)
		case syntax.InstNop:
			add(list, inst.Out, caps, pos, before, after, afterKnown)
		case syntax.InstCapture:
			c := caps
			if int(inst.Arg) < ncap {
				c = append([]int(nil), caps...)
				c[inst.Arg] = pos
			}
			add(list, inst.Out, c, pos, before, after, afterKnown)
		case syntax.InstEmptyWidth:
			if !afterKnown || syntax.EmptyOp(inst.Arg)&^syntax.EmptyOpContext(before, after) == 0 {
				add(list, inst.Out, caps, pos, before, after, afterKnown)
			}
		}
	}
	reset := func(list []capThread) {
		for _, t := range list {
			seen[t.pc] = 0
		}
	}
	initial := make([]int, ncap)
	for i := range initial {
		initial[i] = -1
	}
	type posRune struct {
		pos int
		r   rune
	}
	var runes []posRune
	for i, r := range s {
		runes = append(runes, posRune{i, r})
	}
	at := func(i int) (rune, bool) {
		if i < len(runes) {
			return runes[i].r, true
		}
		return 0, false
	}
	first, _ := at(0)
	add(&cur, uint32(p.Start), initial, 0, -1, first, len(runes) > 0)
	reset(cur)
	for i, pr := range runes {
		next = next[:0]
		after, known := at(i + 1)
		end := len(s)
		if i+1 < len(runes) {
			end = runes[i+1].pos
		}
		for _, t := range cur {
			inst := &p.Inst[t.pc]
			if consumes(inst, pr.r) {
				add(&next, inst.Out, t.caps, end, pr.r, after, known)
			}
		}
		reset(next)
		cur, next = next, cur
		if len(cur) == 0 {
			return nil, false
		}
	}
	if conflict {
		return nil, false
	}
	for _, t := range cur {
		switch p.Inst[t.pc].Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		default:
			continue
		}
		if caps == nil {
			caps = t.caps
			continue
		}
		for _, k := range timeSlots {
			if caps[k] != t.caps[k] {
				return nil, false
			}
		}
	}
	return caps, caps != nil
}

// timeSlots lists the capture slots (start and end) of time fields.
func (l *Layout) timeSlots() []int {
	var slots []int
	for i, f := range l.fields {
		for _, u := range timeUnits {
			if f == u {
				slots = append(slots, 2*i, 2*i+1)
			}
		}
	}
	return slots
}
