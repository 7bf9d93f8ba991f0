package clienttest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// The differential test's statements are data: testdata/differential/*.sql,
// one file per area. A statement ends at a line ending in ';'. Comment lines
// (--) right before it may hold directives:
//
//	-- param: <type> <value>       one per parameter, in order ($1, $2, ...);
//	                               value NULL is a null, type unknown sends oid 0
//	-- differs: <kind>: <reason>   a known difference (every mode that differs)
//	-- differs <mode,...>: <kind>: <reason>   for those modes only
//	-- unordered / -- ordered      override the order detection
//
// Statements in tpserver_only.sql (DuckDB syntax) run on tpserver only and
// must succeed.

// diffDir holds the data files.
var diffDir = filepath.Join("testdata", "differential")

// tpOnlyFile holds the DuckDB-only statements.
const tpOnlyFile = "tpserver_only.sql"

// diffKinds are the kinds of difference, most severe first. A statement's
// kind is the first that applies.
var diffKinds = []struct{ name, meaning string }{
	{"no-error", "tpserver answers where PostgreSQL raises an error (silently different)"},
	{"number", "a number differs (silently different)"},
	{"precision", "numbers that agree to 15 significant digits (float8 where PostgreSQL computes in numeric)"},
	{"value", "a non-numeric value or the row count differs"},
	{"order", "the same rows in a different order"},
	{"error", "tpserver raises an error where PostgreSQL answers"},
	{"sqlstate", "both raise an error, with different SQLSTATEs"},
	{"format", "the same value, written differently"},
	{"type", "a result column's type differs"},
	{"name", "a result column's name differs"},
}

// silentKind reports whether a difference of this kind is a silently
// different answer.
func silentKind(kind string) bool { return kind == "no-error" || kind == "number" }

func validKind(kind string) bool {
	for _, k := range diffKinds {
		if k.name == kind {
			return true
		}
	}
	return false
}

// diffParam is one typed parameter value.
type diffParam struct {
	typ  string
	val  string
	null bool
}

// knownDiff is a -- differs directive.
type knownDiff struct {
	modes  []string // empty: every mode
	kind   string
	reason string
	line   int
}

func (k knownDiff) covers(mode string) bool {
	if len(k.modes) == 0 {
		return true
	}
	for _, m := range k.modes {
		if m == mode {
			return true
		}
	}
	return false
}

// diffStmt is one statement of a data file.
type diffStmt struct {
	file    string
	line    int // first SQL line
	sql     string
	params  []diffParam
	known   []knownDiff
	ordered bool
	tpOnly  bool
	// directive lines (0-based) of the -- differs directives, and the
	// 0-based index of the first SQL line, for rewriting the file.
	differsLines []int
	firstLine    int
}

func (s *diffStmt) where() string {
	return fmt.Sprintf("%s:%d", filepath.Join(diffDir, s.file), s.line)
}

// knownFor returns the directive covering mode.
func (s *diffStmt) knownFor(mode string) (knownDiff, bool) {
	for _, k := range s.known {
		if k.covers(mode) {
			return k, true
		}
	}
	return knownDiff{}, false
}

// diffFile is one data file and its lines.
type diffFile struct {
	name  string
	lines []string
	stmts []*diffStmt
}

// area is the file's name without .sql.
func (f *diffFile) area() string { return strings.TrimSuffix(f.name, ".sql") }

func loadDiffFiles() ([]*diffFile, error) {
	names, err := filepath.Glob(filepath.Join(diffDir, "*.sql"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*diffFile
	for _, n := range names {
		f, err := parseDiffFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no data files in %s", diffDir)
	}
	return out, nil
}

func parseDiffFile(path string) (*diffFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &diffFile{name: filepath.Base(path), lines: strings.Split(strings.TrimRight(string(data), "\n"), "\n")}
	var cur *diffStmt
	var sqlLines []string
	var order string
	reset := func() {
		cur = &diffStmt{file: f.name, tpOnly: f.name == tpOnlyFile, firstLine: -1}
		sqlLines, order = nil, ""
	}
	reset()
	for i, raw := range f.lines {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		errorf := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, i+1, fmt.Sprintf(format, args...))
		}
		if len(sqlLines) == 0 {
			if trimmed == "" {
				continue
			}
			if strings.HasPrefix(trimmed, "--") {
				d := strings.TrimSpace(strings.TrimPrefix(trimmed, "--"))
				switch {
				case strings.HasPrefix(d, "param:"):
					p := strings.TrimSpace(strings.TrimPrefix(d, "param:"))
					typ, val, _ := strings.Cut(p, " ")
					if typ == "" {
						return nil, errorf("param without a type")
					}
					cur.params = append(cur.params, diffParam{typ: typ, val: val, null: val == "NULL"})
				case strings.HasPrefix(d, "differs"):
					k, err := parseDiffers(d)
					if err != nil {
						return nil, errorf("%v", err)
					}
					k.line = i + 1
					cur.known = append(cur.known, k)
					cur.differsLines = append(cur.differsLines, i)
				case d == "unordered" || d == "ordered":
					order = d
				}
				continue
			}
			cur.line, cur.firstLine = i+1, i
		}
		sqlLines = append(sqlLines, raw)
		if strings.HasSuffix(line, ";") {
			cur.sql = strings.TrimSuffix(strings.TrimRight(strings.Join(sqlLines, "\n"), " \t\r"), ";")
			switch order {
			case "ordered":
				cur.ordered = true
			case "unordered":
				cur.ordered = false
			default:
				cur.ordered = hasTopLevelOrderBy(cur.sql)
			}
			f.stmts = append(f.stmts, cur)
			reset()
		}
	}
	if len(sqlLines) > 0 {
		return nil, fmt.Errorf("%s:%d: statement does not end with ';'", path, cur.line)
	}
	if len(cur.params) > 0 || len(cur.known) > 0 {
		return nil, fmt.Errorf("%s: directives after the last statement", path)
	}
	return f, nil
}

// parseDiffers reads "differs[ modes]: kind: reason".
func parseDiffers(d string) (knownDiff, error) {
	head, rest, ok := strings.Cut(d, ":")
	if !ok {
		return knownDiff{}, fmt.Errorf("want -- differs[ modes]: <kind>: <reason>")
	}
	var k knownDiff
	if m := strings.TrimSpace(strings.TrimPrefix(head, "differs")); m != "" {
		k.modes = strings.Split(m, ",")
		for _, mode := range k.modes {
			if !validMode(mode) {
				return k, fmt.Errorf("unknown mode %q (want %s)", mode, strings.Join(allModes, ", "))
			}
		}
	}
	kind, reason, ok := strings.Cut(strings.TrimSpace(rest), ":")
	k.kind, k.reason = strings.TrimSpace(kind), strings.TrimSpace(reason)
	if !ok || !validKind(k.kind) || k.reason == "" {
		return k, fmt.Errorf("want -- differs[ modes]: <kind>: <reason> with a kind of %s", kindNames())
	}
	return k, nil
}

func kindNames() string {
	var n []string
	for _, k := range diffKinds {
		n = append(n, k.name)
	}
	return strings.Join(n, ", ")
}

// hasTopLevelOrderBy reports whether the statement's result has a defined
// order: PostgreSQL's parser finds an ORDER BY on the outermost SELECT.
func hasTopLevelOrderBy(sql string) bool {
	tree, err := pg_query.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	sel := tree.Stmts[0].GetStmt().GetSelectStmt()
	return sel != nil && len(sel.GetSortClause()) > 0
}

// rewrite returns the file with its -- differs directives replaced by
// those in want (by statement).
func (f *diffFile) rewrite(want map[*diffStmt][]knownDiff) string {
	drop := map[int]bool{}
	insert := map[int][]string{}
	for _, s := range f.stmts {
		for _, l := range s.differsLines {
			drop[l] = true
		}
		for _, k := range want[s] {
			insert[s.firstLine] = append(insert[s.firstLine], k.directive())
		}
	}
	var b strings.Builder
	for i, l := range f.lines {
		for _, d := range insert[i] {
			b.WriteString(d + "\n")
		}
		if !drop[i] {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func (k knownDiff) directive() string {
	m := ""
	if len(k.modes) > 0 {
		m = " " + strings.Join(k.modes, ",")
	}
	return fmt.Sprintf("-- differs%s: %s: %s", m, k.kind, k.reason)
}

// bufferedLines is a helper for reading a child's output line by line.
func bufferedLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}
