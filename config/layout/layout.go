// Package layout compiles Tailpipe `file_layout` grok patterns and matches
// them against object keys and relative file paths.
//
// A layout is a grok expression: `%{PATTERN}`, `%{PATTERN:name}` or
// `%{PATTERN:name:type}` references to go-grok's default pattern set
// (github.com/elastic/go-grok/patterns.Default) or to extra patterns given to
// Compile, mixed with literal text and regular-expression syntax such as
// optional groups `( ... )?` and alternations `(a|b)`.
//
// Semantics chosen here (and how they relate to Tailpipe):
//
//   - Anchoring: a layout must match the whole path (it is compiled as
//     `^(?:layout)$`). Tailpipe calls an unanchored MatchString, but it only
//     descends into directories that match the layout truncated to their
//     depth, so for typical layouts (which start with a literal such as
//     `AWSLogs/` or a capture of the first segment) the start is effectively
//     anchored there too. Anchoring the end means a layout ending in
//     `.json.gz` does not pick `x.json.gz.tmp`, which Tailpipe would.
//   - Path segments: wildcards that come from grok patterns or from regular
//     expression classes (`.`, `\S`, `[^x]`, ...) never match `/`, so
//     `%{DATA}` matches (part of) exactly one path segment and a `/` is only
//     matched by a `/` written literally in the layout or in a pattern
//     definition (UNIXPATH, URIPATH, ...). The one exception is GREEDYDATA,
//     which keeps its `.*` meaning and may span several segments, so
//     `logs/%{GREEDYDATA}.json.gz` finds files at any depth under logs/.
//     Tailpipe matches layouts segment by segment while walking, so a
//     segment-local `%{DATA}` is what its pruning effectively does.
//   - Optional groups are ordinary regular-expression optional groups;
//     MatchDir accounts for them exactly (it simulates the automaton on the
//     directory prefix), so it never prunes a directory that could hold a
//     match.
//   - Captures named year, month, day, hour, minute and second give the
//     artifact time (UTC). They must be contiguous from year (year, or
//     year+month, or year+month+day, ...). A path whose time captures do not
//     form a valid date (e.g. month 13) does not match.
package layout

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-grok/patterns"
)

// DefaultCloudTrailLayout is the default file_layout of aws_cloudtrail_log
// S3 sources, the same as Tailpipe's AWS plugin.
const DefaultCloudTrailLayout = `AWSLogs/(%{DATA:org_id}/)?%{NUMBER:account_id}/CloudTrail/%{DATA:region}/%{YEAR:year}/%{MONTHNUM:month}/%{MONTHDAY:day}/%{DATA}.json.gz`

// Time capture names, from the coarsest to the finest unit.
var timeUnits = [...]string{"year", "month", "day", "hour", "minute", "second"}

// granularities parallels timeUnits.
var granularities = [...]time.Duration{8760 * time.Hour, 720 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}

// typeHints are the `%{PATTERN:name:type}` types go-grok understands.
var typeHints = map[string]bool{"int": true, "long": true, "float": true, "double": true, "bool": true, "boolean": true, "string": true}

var (
	grokRef     = regexp.MustCompile(`%\{([^{}]*)\}`)
	grokRefBody = regexp.MustCompile(`^(\w+)(?::([\w.\-]+))?(?::(\w+))?$`)
	patternName = regexp.MustCompile(`^\w+$`)
)

// capturePrefix names the internal capture group of each grok reference.
const capturePrefix = "tpgrok"

// maxExpansionDepth bounds nested pattern references (and catches cycles).
const maxExpansionDepth = 64

// Layout is a compiled file_layout. It is safe for concurrent use.
type Layout struct {
	source  string
	re      *regexp.Regexp // anchored ^(?:...)$
	prog    *syntax.Prog   // same expression, for MatchDir
	prefix  string         // literal prefix of every match
	fields  []string       // per subexpression index: field name or ""
	units   int            // number of time units captured (0 = none)
	hasTime bool
}

// Match is the result of matching a path against a layout.
type Match struct {
	// Fields are the named captures that took part in the match (including
	// the time captures), e.g. account_id, region, year.
	Fields map[string]string
	// Time is the artifact time from the time captures (UTC); lower units
	// that are not captured are the start of the period.
	Time time.Time
	// HasTime is false when the layout has no time captures (or the year
	// capture did not take part in the match).
	HasTime bool
}

// ref describes one expanded grok reference.
type ref struct {
	pattern string
	field   string
}

// Compile compiles layout with go-grok's default patterns plus
// extraPatterns (which override defaults of the same name). Every extra
// pattern is checked, even when the layout does not use it.
func Compile(layout string, extraPatterns map[string]string) (*Layout, error) {
	if layout == "" {
		return nil, fmt.Errorf("empty file_layout")
	}
	x := expander{extra: extraPatterns}
	names := make([]string, 0, len(extraPatterns))
	for name := range extraPatterns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !patternName.MatchString(name) {
			return nil, fmt.Errorf("pattern name %q: only letters, digits and _ are allowed", name)
		}
		check := expander{extra: extraPatterns}
		expanded, err := check.expand(extraPatterns[name], []string{name})
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", name, err)
		}
		if _, err := syntax.Parse(expanded, syntax.Perl); err != nil {
			return nil, fmt.Errorf("pattern %s: invalid regular expression: %w", name, err)
		}
	}

	expanded, err := x.expand(layout, nil)
	if err != nil {
		return nil, err
	}
	tree, err := syntax.Parse(expanded, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression after expanding grok patterns: %w", err)
	}
	segmentLocal(tree, x.refs)

	body := tree.String()
	anchored := `^(?:` + body + `)$`
	re, err := regexp.Compile(anchored)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression after expanding grok patterns: %w", err)
	}
	unanchored, err := regexp.Compile(body)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression after expanding grok patterns: %w", err)
	}
	progTree, err := syntax.Parse(anchored, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression after expanding grok patterns: %w", err)
	}
	prog, err := syntax.Compile(progTree.Simplify())
	if err != nil {
		return nil, fmt.Errorf("compiling layout: %w", err)
	}

	l := &Layout{source: layout, re: re, prog: prog}
	l.prefix, _ = unanchored.LiteralPrefix()
	present := map[string]bool{}
	l.fields = make([]string, len(re.SubexpNames()))
	for i, name := range re.SubexpNames() {
		field := name
		if n, ok := strings.CutPrefix(name, capturePrefix); ok {
			idx, err := strconv.Atoi(n)
			if err == nil && idx < len(x.refs) {
				field = x.refs[idx].field
			}
		}
		l.fields[i] = field
		if field != "" {
			present[field] = true
		}
	}
	for i, unit := range timeUnits {
		if !present[unit] {
			continue
		}
		if i > 0 && !present[timeUnits[i-1]] {
			return nil, fmt.Errorf("file_layout captures %q but not %q: time captures must be contiguous from year (year, month, day, hour, minute, second)", unit, timeUnits[i-1])
		}
		l.units = i + 1
	}
	l.hasTime = l.units > 0
	return l, nil
}

// expander expands grok references into a regular expression, recording
// each reference as an internal named capture group.
type expander struct {
	extra map[string]string
	refs  []ref
}

// expand replaces every %{...} reference in s. stack holds the names of the
// patterns being expanded, to detect cycles.
func (x *expander) expand(s string, stack []string) (string, error) {
	if len(stack) > maxExpansionDepth {
		return "", fmt.Errorf("pattern references nested too deeply: %s", strings.Join(stack, " -> "))
	}
	var b strings.Builder
	last := 0
	for _, loc := range grokRef.FindAllStringSubmatchIndex(s, -1) {
		if err := checkLiteral(s[last:loc[0]]); err != nil {
			return "", err
		}
		b.WriteString(s[last:loc[0]])
		last = loc[1]
		whole, inner := s[loc[0]:loc[1]], s[loc[2]:loc[3]]
		parts := grokRefBody.FindStringSubmatch(inner)
		if parts == nil {
			return "", fmt.Errorf("malformed grok reference %s: expected %%{PATTERN}, %%{PATTERN:name} or %%{PATTERN:name:type}", whole)
		}
		name, field, typ := parts[1], parts[2], parts[3]
		if typ != "" && !typeHints[typ] {
			return "", fmt.Errorf("grok reference %s: unknown type %q (expected int, long, float, double, bool, boolean or string)", whole, typ)
		}
		def, ok := x.extra[name]
		if !ok {
			def, ok = patterns.Default[name]
		}
		if !ok {
			return "", fmt.Errorf("grok reference %s: unknown pattern %q (not a go-grok default pattern nor defined in patterns)", whole, name)
		}
		for _, s := range stack {
			if s == name {
				return "", fmt.Errorf("grok reference %s: pattern %s refers to itself (%s -> %s)", whole, name, strings.Join(stack, " -> "), name)
			}
		}
		idx := len(x.refs)
		x.refs = append(x.refs, ref{pattern: name, field: field})
		inner, err := x.expand(def, append(stack[:len(stack):len(stack)], name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "(?P<%s%d>%s)", capturePrefix, idx, inner)
	}
	if err := checkLiteral(s[last:]); err != nil {
		return "", err
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// checkLiteral rejects a "%{" left over between grok references.
func checkLiteral(s string) error {
	if i := strings.Index(s, "%{"); i >= 0 {
		return fmt.Errorf("malformed grok reference at %q: missing closing }", s[i:])
	}
	return nil
}

// segmentLocal removes '/' from every wildcard and character class of re,
// except inside GREEDYDATA references, so patterns stay within one path
// segment.
func segmentLocal(re *syntax.Regexp, refs []ref) {
	switch re.Op {
	case syntax.OpCapture:
		if n, ok := strings.CutPrefix(re.Name, capturePrefix); ok {
			if idx, err := strconv.Atoi(n); err == nil && idx < len(refs) && refs[idx].pattern == "GREEDYDATA" {
				return
			}
		}
	case syntax.OpAnyChar:
		re.Op = syntax.OpCharClass
		re.Rune = []rune{0, '/' - 1, '/' + 1, 0x10FFFF}
	case syntax.OpAnyCharNotNL:
		re.Op = syntax.OpCharClass
		re.Rune = []rune{0, '\n' - 1, '\n' + 1, '/' - 1, '/' + 1, 0x10FFFF}
	case syntax.OpCharClass:
		re.Rune = withoutSlash(re.Rune)
		if len(re.Rune) == 0 {
			re.Op = syntax.OpNoMatch
		}
	}
	for _, sub := range re.Sub {
		segmentLocal(sub, refs)
	}
}

// withoutSlash removes '/' from a list of rune ranges.
func withoutSlash(ranges []rune) []rune {
	out := make([]rune, 0, len(ranges)+2)
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo > '/' || hi < '/' {
			out = append(out, lo, hi)
			continue
		}
		if lo < '/' {
			out = append(out, lo, '/'-1)
		}
		if hi > '/' {
			out = append(out, '/'+1, hi)
		}
	}
	return out
}

// String returns the layout as written.
func (l *Layout) String() string { return l.source }

// Granularity is the time resolution of the layout's time captures:
// year 8760h, month 720h, day 24h, hour 1h, minute 1m, second 1s; 0 when
// the layout has no time captures.
func (l *Layout) Granularity() time.Duration {
	if l.units == 0 {
		return 0
	}
	return granularities[l.units-1]
}

// HasTime reports whether the layout captures at least a year.
func (l *Layout) HasTime() bool { return l.hasTime }

// LiteralPrefix is the literal text every matching path starts with (e.g.
// "AWSLogs/" for the default CloudTrail layout); useful as an S3 listing
// prefix.
func (l *Layout) LiteralPrefix() string { return l.prefix }

// Match matches a slash-separated path relative to the source root (an S3
// key or a relative file path) against the whole layout.
func (l *Layout) Match(path string) (Match, bool) {
	loc := l.re.FindStringSubmatchIndex(path)
	if loc == nil {
		return Match{}, false
	}
	m := Match{Fields: map[string]string{}}
	for i, field := range l.fields {
		if field == "" || loc[2*i] < 0 {
			continue
		}
		if _, dup := m.Fields[field]; dup {
			continue // first participating capture of a name wins
		}
		m.Fields[field] = path[loc[2*i]:loc[2*i+1]]
	}
	if l.hasTime {
		t, ok, err := timeOf(m.Fields, l.units)
		if err != nil {
			return Match{}, false
		}
		m.Time, m.HasTime = t, ok
	}
	return m, true
}

// timeOf builds the time from the captured units; ok is false when the year
// did not take part in the match.
func timeOf(fields map[string]string, units int) (time.Time, bool, error) {
	v := [6]int{0, 1, 1, 0, 0, 0}
	for i := 0; i < units; i++ {
		s, ok := fields[timeUnits[i]]
		if !ok {
			if i == 0 {
				return time.Time{}, false, nil
			}
			break
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("%s %q is not a number", timeUnits[i], s)
		}
		if i == 0 && len(s) <= 2 {
			n += 2000
		}
		v[i] = n
	}
	if v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 || v[4] > 59 || v[5] > 60 || v[3] < 0 || v[4] < 0 || v[5] < 0 {
		return time.Time{}, false, fmt.Errorf("invalid date/time %v", v)
	}
	if v[5] == 60 {
		v[5] = 59 // leap second
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, time.UTC)
	if t.Day() != v[2] {
		return time.Time{}, false, fmt.Errorf("invalid day %d of month %d", v[2], v[1])
	}
	return t, true, nil
}

// MatchDir reports whether the directory dir (slash-separated, relative to
// the source root, no trailing slash; "" is the root) could contain a path
// matching the layout, i.e. whether dir+"/" is a prefix of some match. It
// is exact up to empty-width assertions at the end of dir+"/", which are
// assumed satisfiable, so it never prunes a directory that could contain a
// match.
func (l *Layout) MatchDir(dir string) bool {
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		return true
	}
	return l.canExtend(dir + "/")
}

// canExtend simulates the layout's automaton on s and reports whether some
// thread is still able to consume more input afterwards.
func (l *Layout) canExtend(s string) bool {
	p := l.prog
	cur, next := newPCSet(len(p.Inst)), newPCSet(len(p.Inst))
	runes := []rune(s)
	at := func(i int) (rune, bool) { // rune at i; false = unknown (past the end of s)
		if i < len(runes) {
			return runes[i], true
		}
		return 0, false
	}
	first, _ := at(0)
	l.addThread(cur, uint32(p.Start), -1, first, len(runes) > 0)
	for i, r := range runes {
		next.clear()
		after, known := at(i + 1)
		for _, pc := range cur.dense {
			inst := &p.Inst[pc]
			if consumes(inst, r) {
				l.addThread(next, inst.Out, r, after, known)
			}
		}
		cur, next = next, cur
		if len(cur.dense) == 0 {
			return false
		}
	}
	for _, pc := range cur.dense {
		switch p.Inst[pc].Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			return true
		}
	}
	return false
}

// addThread adds pc and everything reachable from it without consuming
// input. before/after are the runes around the position; when afterKnown
// is false empty-width assertions are assumed to hold.
func (l *Layout) addThread(set *pcSet, pc uint32, before, after rune, afterKnown bool) {
	if set.has(pc) {
		return
	}
	set.add(pc)
	inst := &l.prog.Inst[pc]
	switch inst.Op {
	case syntax.InstAlt, syntax.InstAltMatch:
		l.addThread(set, inst.Out, before, after, afterKnown)
		l.addThread(set, inst.Arg, before, after, afterKnown)
	case syntax.InstNop, syntax.InstCapture:
		l.addThread(set, inst.Out, before, after, afterKnown)
	case syntax.InstEmptyWidth:
		if !afterKnown || syntax.EmptyOp(inst.Arg)&^syntax.EmptyOpContext(before, after) == 0 {
			l.addThread(set, inst.Out, before, after, afterKnown)
		}
	}
}

// consumes reports whether a rune-consuming instruction accepts r.
func consumes(inst *syntax.Inst, r rune) bool {
	switch inst.Op {
	case syntax.InstRune, syntax.InstRune1:
		return inst.MatchRune(r)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

// pcSet is a sparse set of instruction indexes.
type pcSet struct {
	dense  []uint32
	member []bool
}

func newPCSet(n int) *pcSet { return &pcSet{member: make([]bool, n)} }

func (s *pcSet) has(pc uint32) bool { return s.member[pc] }

func (s *pcSet) add(pc uint32) {
	s.member[pc] = true
	s.dense = append(s.dense, pc)
}

func (s *pcSet) clear() {
	for _, pc := range s.dense {
		s.member[pc] = false
	}
	s.dense = s.dense[:0]
}
