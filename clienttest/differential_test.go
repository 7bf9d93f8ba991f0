package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestDifferential runs every statement of testdata/differential on tpserver
// and on PostgreSQL 15 and compares the answers: column names and types,
// every value in text format (in order when the statement has an ORDER BY),
// or the SQLSTATE. Statements with parameters run through pgx with text and
// with binary parameters (declared types), through pgx's own encoding of
// typed Go values, and through psycopg2 (client-side interpolation). A
// difference fails the test unless a -- differs directive lists it with its
// kind; a listed difference that is gone fails too.
//
// TPSERVER_UPDATE_DIFFS=1 rewrites the directives to the differences found
// (keeping the reasons of those still of the same kind, "TODO" for new
// ones); TPSERVER_DIFF_REPORT=<path> writes every difference in full.
func TestDifferential(t *testing.T) {
	files, err := loadDiffFiles()
	if err != nil {
		t.Fatal(err)
	}
	fx := setup(t)
	if fx.pgErr != nil {
		testsupport.Missing(t, "PostgreSQL 15 ("+fx.pgErr.Error()+")", "apt-get install -y postgresql")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	tp, err := openDiffSession(ctx, fx.tp)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.close()
	pg, err := openDiffSession(ctx, fx.pg)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.close()
	if err := copyCloudTrail(ctx, t, tp, pg); err != nil {
		t.Fatal(err)
	}
	// Later tests find PostgreSQL's aws_cloudtrail_log empty, as the
	// catalog tests create it.
	defer func() { pg.raw.Exec(context.Background(), "TRUNCATE aws_cloudtrail_log").ReadAll() }()
	t.Logf("aws_cloudtrail_log copied to PostgreSQL in %v", time.Since(start).Round(time.Millisecond))

	var stmts []*diffStmt
	for _, f := range files {
		stmts = append(stmts, f.stmts...)
	}
	py := psycopgAvailable()
	if !py {
		testsupport.LeftOut(t, "psycopg2 for "+debianPython, "apt-get install -y python3-psycopg2", "the psycopg2 runs")
	}
	// psycopg2 runs in its own processes while pgx runs here.
	type pyResult struct {
		answers map[int]diffAnswer
		err     error
	}
	pyTPc, pyPGc := make(chan pyResult, 1), make(chan pyResult, 1)
	if py {
		for _, x := range []struct {
			tg target
			c  chan pyResult
		}{{fx.tp, pyTPc}, {fx.pg, pyPGc}} {
			go func() {
				a, err := runPsycopg(t, x.tg, stmts)
				x.c <- pyResult{a, err}
			}()
		}
	}
	var pyTP, pyPG map[int]diffAnswer
	waitPy := func() {
		if !py || pyTP != nil {
			return
		}
		r1, r2 := <-pyTPc, <-pyPGc
		if r1.err != nil || r2.err != nil {
			t.Fatal(errors.Join(r1.err, r2.err))
		}
		pyTP, pyPG = r1.answers, r2.answers
	}

	var found []foundDiff
	ran, compared := 0, 0
	var tpTime, pgTime time.Duration
	var pgRejects []string // statements outside errors.sql that PostgreSQL rejects
	var slowest, slowestPG struct {
		d time.Duration
		s *diffStmt
	}
	for i, s := range stmts {
		if s.tpOnly {
			a := tp.run(ctx, s, modeSimple)
			ran++
			if a.sqlstate != "" {
				t.Errorf("%s: DuckDB syntax fails on tpserver: %s %s\n%s", s.where(), a.sqlstate, a.errMsg, s.sql)
			}
			continue
		}
		modes := []string{modeSimple}
		if len(s.params) > 0 {
			modes = []string{modeText, modeBinary, modePgx}
			if py {
				modes = append(modes, modePsycopg)
			}
		}
		for _, mode := range modes {
			var ta, pa diffAnswer
			if mode == modePsycopg {
				waitPy()
				ta, pa = pyTP[i], pyPG[i]
			} else {
				// Both servers at once: one statement's wall time is the
				// slower server's.
				done := make(chan time.Duration, 1)
				go func() {
					t0 := time.Now()
					pa = pg.run(ctx, s, mode)
					done <- time.Since(t0)
				}()
				t0 := time.Now()
				ta = tp.run(ctx, s, mode)
				dtp := time.Since(t0)
				dpg := <-done
				tpTime, pgTime = tpTime+dtp, pgTime+dpg
				if dtp > slowest.d {
					slowest.d, slowest.s = dtp, s
				}
				if dpg > slowestPG.d {
					slowestPG.d, slowestPG.s = dpg, s
				}
			}
			ran += 2
			compared++
			if pa.sqlstate == "client" {
				// PostgreSQL is the reference: a client failure against it
				// is a bug of this test.
				t.Errorf("%s [%s]: the client fails against PostgreSQL: %s\n%s", s.where(), mode, pa.errMsg, s.sql)
				continue
			}
			if pa.sqlstate != "" && s.file != "errors.sql" {
				pgRejects = append(pgRejects, fmt.Sprintf("%s [%s] %s: %s", s.where(), mode, pa.sqlstate, oneLine(pa.errMsg, 80)))
			}
			kind, details := compareDiff(ta, pa, s.ordered)
			if kind != "" {
				found = append(found, foundDiff{stmt: s, mode: mode, kind: kind, details: details, tp: ta, pg: pa})
			}
			k, listed := s.knownFor(mode)
			switch {
			case kind == "" && listed:
				t.Errorf("%s [%s]: listed as differing (%s: %s, line %d) but now matches PostgreSQL: remove the directive\n%s",
					s.where(), mode, k.kind, k.reason, k.line, s.sql)
			case kind != "" && !listed:
				t.Errorf("%s [%s]: differs from PostgreSQL (%s), not listed:\n%s\n%s\nadd: %s",
					s.where(), mode, kind, indent(s.sql), strings.Join(details, "\n"), knownDiff{kind: kind, reason: "<reason>"}.directive())
			case kind != "" && k.kind != kind:
				t.Errorf("%s [%s]: listed as %s (line %d) but the difference is now %s:\n%s\n%s",
					s.where(), mode, k.kind, k.line, kind, indent(s.sql), strings.Join(details, "\n"))
			case kind != "" && strings.HasPrefix(k.reason, "TODO"):
				t.Errorf("%s [%s]: difference %s has no reason yet (line %d)", s.where(), mode, kind, k.line)
			}
		}
	}
	elapsed := time.Since(start)
	perKind := map[string]int{}
	for _, d := range found {
		perKind[d.kind]++
	}
	t.Logf("%d statements in %d files, %d comparisons, %d statement runs in %v; %d differences %v",
		len(stmts), len(files), compared, ran, elapsed.Round(time.Millisecond), len(found), perKind)
	t.Logf("pgx time: tpserver %v, postgres %v; slowest on tpserver %v: %s; on postgres %v: %s", tpTime.Round(time.Millisecond),
		pgTime.Round(time.Millisecond), slowest.d.Round(time.Millisecond), oneLine(slowest.s.sql, 80),
		slowestPG.d.Round(time.Millisecond), oneLine(slowestPG.s.sql, 80))
	silent := 0
	for _, d := range found {
		if silentKind(d.kind) {
			silent++
		}
	}
	t.Logf("%d of the differences are silently different answers (kinds no-error and number)", silent)
	t.Logf("PostgreSQL rejects %d statements outside errors.sql:\n%s", len(pgRejects), strings.Join(pgRejects, "\n"))
	if p := os.Getenv("TPSERVER_DIFF_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(diffReport(found)), 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("differences written to %s", p)
	}
	if os.Getenv("TPSERVER_UPDATE_DIFFS") == "1" {
		if err := updateDiffFiles(files, found); err != nil {
			t.Error(err)
		}
		t.Log("-- differs directives rewritten; fill in the TODO reasons and run TPSERVER_UPDATE_README=1 go test ./clienttest -run DifferentialREADME")
	}
}

// The modes a statement runs in.
const (
	modeSimple  = "simple"   // simple query protocol, no parameters
	modeText    = "text"     // extended protocol, text parameters of the declared types
	modeBinary  = "binary"   // extended protocol, binary parameters of the declared types
	modePgx     = "pgx"      // pgx encodes typed Go values for the types the server describes
	modePsycopg = "psycopg2" // psycopg2 interpolates the values client-side
)

var allModes = []string{modeSimple, modeText, modeBinary, modePgx, modePsycopg}

func validMode(m string) bool {
	for _, x := range allModes {
		if x == m {
			return true
		}
	}
	return false
}

// diffAnswer is one server's answer to one statement.
type diffAnswer struct {
	cols     []string
	oids     []uint32
	rows     [][]*string
	sqlstate string // "" when it answered
	errMsg   string
}

// foundDiff is a difference found in this run.
type foundDiff struct {
	stmt    *diffStmt
	mode    string
	kind    string
	details []string
	tp, pg  diffAnswer
}

// diffSession is one server's connections: pgconn for the protocol modes
// and pgx for its typed values.
type diffSession struct {
	name string
	raw  *pgconn.PgConn
	conn *pgx.Conn
	m    *pgtype.Map
}

// diffSetup makes both servers' sessions alike.
var diffSetup = []string{"SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, MDY'", "SET IntervalStyle = 'postgres'"}

func openDiffSession(ctx context.Context, tg target) (*diffSession, error) {
	s := &diffSession{name: tg.name, m: pgtype.NewMap()}
	var err error
	if s.raw, err = pgconn.Connect(ctx, tg.dsn()); err != nil {
		return nil, err
	}
	if s.conn, err = pgx.Connect(ctx, tg.dsn()); err != nil {
		s.raw.Close(ctx)
		return nil, err
	}
	setup := diffSetup
	if tg.name == "postgres" {
		// JIT compiling the CloudTrail aggregates costs PostgreSQL more
		// than running them.
		setup = append(setup[:len(setup):len(setup)], "SET jit = off")
	}
	for _, q := range setup {
		if _, err := s.raw.Exec(ctx, q).ReadAll(); err != nil {
			s.close()
			return nil, fmt.Errorf("%s: %s: %w", tg.name, q, err)
		}
		if _, err := s.conn.Exec(ctx, q); err != nil {
			s.close()
			return nil, fmt.Errorf("%s: %s: %w", tg.name, q, err)
		}
	}
	return s, nil
}

func (s *diffSession) close() {
	s.raw.Close(context.Background())
	s.conn.Close(context.Background())
}

// copyCloudTrail gives PostgreSQL tpserver's aws_cloudtrail_log rows: the
// table as the catalog test creates it, filled by COPY.
func copyCloudTrail(ctx context.Context, t *testing.T, tp, pg *diffSession) error {
	var buf bytes.Buffer
	if _, err := tp.raw.CopyTo(ctx, &buf, "COPY (SELECT * FROM aws_cloudtrail_log) TO STDOUT"); err != nil {
		return fmt.Errorf("copy aws_cloudtrail_log out of tpserver: %w", err)
	}
	for _, q := range cloudTrailPGDDL(t) {
		if _, err := pg.raw.Exec(ctx, q).ReadAll(); err != nil {
			return fmt.Errorf("postgres: %s: %w", q, err)
		}
	}
	if _, err := pg.raw.CopyFrom(ctx, &buf, "COPY aws_cloudtrail_log FROM STDIN"); err != nil {
		return fmt.Errorf("copy aws_cloudtrail_log into postgres: %w", err)
	}
	_, err := pg.raw.Exec(ctx, "ANALYZE aws_cloudtrail_log").ReadAll()
	return err
}

// paramOID returns the oid of a parameter type name (int4, text[], unknown).
func (s *diffSession) paramOID(name string) (uint32, error) {
	if name == "unknown" {
		return 0, nil
	}
	n := name
	if strings.HasSuffix(n, "[]") {
		n = "_" + strings.TrimSuffix(n, "[]")
	}
	typ, ok := s.m.TypeForName(n)
	if !ok {
		return 0, fmt.Errorf("unknown parameter type %q", name)
	}
	return typ.OID, nil
}

// goValue decodes a parameter's text into the Go value pgx decodes that
// type to (int32, pgtype.Numeric, time.Time, []any, map[string]any, ...).
func (s *diffSession) goValue(p diffParam) (any, uint32, error) {
	oid, err := s.paramOID(p.typ)
	if err != nil || p.null {
		return nil, oid, err
	}
	if oid == 0 {
		return p.val, 0, nil
	}
	typ, _ := s.m.TypeForOID(oid)
	v, err := typ.Codec.DecodeValue(s.m, oid, pgtype.TextFormatCode, []byte(p.val))
	if err != nil {
		return nil, oid, fmt.Errorf("parameter %s %q: %w", p.typ, p.val, err)
	}
	return v, oid, nil
}

// run executes s in mode and returns the answer.
func (ds *diffSession) run(ctx context.Context, s *diffStmt, mode string) diffAnswer {
	var a diffAnswer
	fail := func(err error) diffAnswer {
		a = diffAnswer{sqlstate: "client", errMsg: err.Error()}
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			a.sqlstate, a.errMsg = pe.Code, pe.Message
		}
		return a
	}
	read := func(rr *pgconn.ResultReader) error {
		a.cols, a.oids = nil, nil
		for _, f := range rr.FieldDescriptions() {
			a.cols = append(a.cols, f.Name)
			a.oids = append(a.oids, f.DataTypeOID)
		}
		for rr.NextRow() {
			row := make([]*string, len(rr.Values()))
			for i, v := range rr.Values() {
				if v != nil {
					str := string(v)
					row[i] = &str
				}
			}
			a.rows = append(a.rows, row)
		}
		_, err := rr.Close()
		return err
	}
	switch mode {
	case modeSimple:
		mrr := ds.raw.Exec(ctx, s.sql)
		var err error
		for mrr.NextResult() {
			if e := read(mrr.ResultReader()); e != nil && err == nil {
				err = e
			}
		}
		if e := mrr.Close(); e != nil && err == nil {
			err = e
		}
		if err != nil {
			return fail(err)
		}
	case modeText, modeBinary:
		params := make([][]byte, len(s.params))
		oids := make([]uint32, len(s.params))
		formats := make([]int16, len(s.params))
		for i, p := range s.params {
			v, oid, err := ds.goValue(p)
			if err != nil {
				return fail(err)
			}
			oids[i] = oid
			switch {
			case p.null:
			case mode == modeText || oid == 0:
				params[i] = []byte(p.val)
			default:
				formats[i] = pgtype.BinaryFormatCode
				if params[i], err = ds.m.Encode(oid, pgtype.BinaryFormatCode, v, nil); err != nil {
					return fail(fmt.Errorf("encode %s %q in binary: %w", p.typ, p.val, err))
				}
			}
		}
		if err := read(ds.raw.ExecParams(ctx, s.sql, params, oids, formats, nil)); err != nil {
			return fail(err)
		}
	case modePgx:
		args := make([]any, len(s.params))
		for i, p := range s.params {
			v, _, err := ds.goValue(p)
			if err != nil {
				return fail(err)
			}
			args[i] = v
		}
		rows, err := ds.conn.Query(ctx, s.sql, args...)
		if err != nil {
			return fail(err)
		}
		for _, f := range rows.FieldDescriptions() {
			a.cols = append(a.cols, f.Name)
			a.oids = append(a.oids, f.DataTypeOID)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				return fail(err)
			}
			row := make([]*string, len(vals))
			for i, v := range vals {
				if v != nil {
					str := render(v)
					row[i] = &str
				}
			}
			a.rows = append(a.rows, row)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fail(err)
		}
	}
	return a
}

func psycopgAvailable() bool {
	if _, err := os.Stat(debianPython); err != nil {
		return false
	}
	return exec.Command(debianPython, "-c", "import psycopg2").Run() == nil
}

var dollarParam = regexp.MustCompile(`\$(\d+)`)

// psycopgSQL writes $n placeholders as psycopg2's %s (a % doubled).
func psycopgSQL(s *diffStmt) (string, []diffParam) {
	var params []diffParam
	q := strings.ReplaceAll(s.sql, "%", "%%")
	q = dollarParam.ReplaceAllStringFunc(q, func(m string) string {
		n, _ := strconv.Atoi(m[1:])
		if n >= 1 && n <= len(s.params) {
			params = append(params, s.params[n-1])
		}
		return "%s"
	})
	return q, params
}

// runPsycopg runs the statements with parameters through psycopg2 in one
// Python process and returns its answers by statement index.
func runPsycopg(t *testing.T, tg target, stmts []*diffStmt) (map[int]diffAnswer, error) {
	type pyParam struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	type pyStmt struct {
		ID     int        `json:"id"`
		SQL    string     `json:"sql"`
		Params []*pyParam `json:"params"`
	}
	var in []pyStmt
	for i, s := range stmts {
		if len(s.params) == 0 || s.tpOnly {
			continue
		}
		q, params := psycopgSQL(s)
		ps := pyStmt{ID: i, SQL: q, Params: []*pyParam{}}
		for _, p := range params {
			if p.null {
				ps.Params = append(ps.Params, nil)
			} else {
				ps.Params = append(ps.Params, &pyParam{p.typ, p.val})
			}
		}
		in = append(in, ps)
	}
	data, err := json.Marshal(map[string]any{"setup": diffSetup, "stmts": in})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(t.TempDir(), tg.name+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, err
	}
	out, stderr, err := runProgram(t, tg, 2*time.Minute, debianPython, filepath.Join("python", "differential.py"), path)
	if err != nil {
		return nil, fmt.Errorf("psycopg2 against %s: %v: %s", tg.name, err, stderr)
	}
	answers := map[int]diffAnswer{}
	for _, line := range bufferedLines(out) {
		var r struct {
			ID       int         `json:"id"`
			Cols     []string    `json:"cols"`
			OIDs     []uint32    `json:"oids"`
			Rows     [][]*string `json:"rows"`
			SQLState string      `json:"sqlstate"`
			Error    string      `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("psycopg2 against %s printed %q: %w", tg.name, line, err)
		}
		answers[r.ID] = diffAnswer{cols: r.Cols, oids: r.OIDs, rows: r.Rows, sqlstate: r.SQLState, errMsg: r.Error}
	}
	if len(answers) != len(in) {
		return nil, fmt.Errorf("psycopg2 against %s answered %d of %d statements: %s", tg.name, len(answers), len(in), stderr)
	}
	return answers, nil
}

// compareDiff returns the kind of difference between tpserver's answer and
// PostgreSQL's ("" when they agree) and what differs.
func compareDiff(tp, pg diffAnswer, ordered bool) (string, []string) {
	both := func(what string) []string {
		return []string{what, "  postgres: " + pg.summary(), "  tpserver: " + tp.summary()}
	}
	switch {
	case tp.sqlstate != "" && pg.sqlstate != "":
		if tp.sqlstate == pg.sqlstate {
			return "", nil
		}
		return "sqlstate", both("SQLSTATE differs")
	case pg.sqlstate != "":
		return "no-error", both("PostgreSQL raises an error, tpserver answers")
	case tp.sqlstate != "":
		return "error", both("tpserver raises an error, PostgreSQL answers")
	}
	var kinds []string
	var details []string
	if len(tp.rows) != len(pg.rows) || len(tp.cols) != len(pg.cols) {
		return "value", both(fmt.Sprintf("%d rows of %d columns from PostgreSQL, %d rows of %d columns from tpserver",
			len(pg.rows), len(pg.cols), len(tp.rows), len(tp.cols)))
	}
	tr, pr := tp.rows, pg.rows
	if !ordered || sameRows(sortedRows(tr), sortedRows(pr)) {
		if ordered && !sameRows(tr, pr) {
			kinds = append(kinds, "order")
			details = append(details, "the same rows in a different order")
		}
		tr, pr = sortedRows(tr), sortedRows(pr)
	}
	for i := range pr {
		for j := range pr[i] {
			k := cellKind(tr[i][j], pr[i][j])
			if k != "" {
				kinds = append(kinds, k)
				if len(details) < 6 {
					details = append(details, fmt.Sprintf("row %d column %s: postgres %s, tpserver %s (%s)",
						i+1, pg.cols[j], cellText(pr[i][j]), cellText(tr[i][j]), k))
				}
			}
		}
	}
	for j := range pg.oids {
		if tp.oids[j] != pg.oids[j] {
			kinds = append(kinds, "type")
			details = append(details, fmt.Sprintf("column %s: postgres type %s, tpserver %s", pg.cols[j], typeName(pg.oids[j]), typeName(tp.oids[j])))
		}
		if tp.cols[j] != pg.cols[j] {
			kinds = append(kinds, "name")
			details = append(details, fmt.Sprintf("column %d: postgres name %q, tpserver %q", j+1, pg.cols[j], tp.cols[j]))
		}
	}
	for _, k := range diffKinds {
		for _, x := range kinds {
			if x == k.name {
				if len(pr) <= 3 {
					details = append(details, "  postgres: "+pg.summary(), "  tpserver: "+tp.summary())
				}
				return k.name, details
			}
		}
	}
	return "", nil
}

// cellKind classifies one value difference: "" (same), number, format or
// value.
func cellKind(tp, pg *string) string {
	switch {
	case tp == nil && pg == nil:
		return ""
	case tp == nil || pg == nil:
		return "value"
	case *tp == *pg:
		return ""
	}
	a, b := *tp, *pg
	if x, ok := parseNumber(a); ok {
		if y, ok := parseNumber(b); ok {
			if x.Cmp(y) == 0 {
				return "format"
			}
			if withinDoublePrecision(x, y) {
				return "precision"
			}
			return "number"
		}
	}
	if sameJSON(a, b) || sameBool(a, b) || strings.EqualFold(a, b) {
		return "format"
	}
	return "value"
}

// doublePrecision is the relative difference below which two numbers agree
// to the 15 significant digits a float8 carries: what DuckDB's double
// arithmetic gives where PostgreSQL computes in numeric (avg, numeric
// division, sqrt).
const doublePrecision = 1e-15

// withinDoublePrecision reports whether x and y differ by at most
// doublePrecision of the larger magnitude.
func withinDoublePrecision(x, y *big.Float) bool {
	diff := new(big.Float).Sub(x, y)
	diff.Abs(diff)
	scale := new(big.Float).Abs(x)
	if ay := new(big.Float).Abs(y); ay.Cmp(scale) > 0 {
		scale = ay
	}
	return diff.Cmp(new(big.Float).Mul(scale, big.NewFloat(doublePrecision))) <= 0
}

// goTypePrefix is how render names the Go type of a number pgx decoded.
var goTypePrefix = regexp.MustCompile(`^(numeric|string|u?int(8|16|32|64)?|float(32|64)):`)

// parseNumber reads a decimal or float text (Infinity and NaN are not numbers
// here: they compare as text).
func parseNumber(s string) (*big.Float, bool) {
	s = goTypePrefix.ReplaceAllString(s, "")
	if s == "" || strings.ContainsAny(s, "IiNn") {
		return nil, false
	}
	f, _, err := big.ParseFloat(s, 10, 200, big.ToNearestEven)
	return f, err == nil
}

func sameJSON(a, b string) bool {
	if (a == "" || (a[0] != '{' && a[0] != '[')) || (b == "" || (b[0] != '{' && b[0] != '[')) {
		return false
	}
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

func sameBool(a, b string) bool {
	norm := map[string]string{"t": "t", "true": "t", "f": "f", "false": "f"}
	x, ok1 := norm[strings.ToLower(a)]
	y, ok2 := norm[strings.ToLower(b)]
	return ok1 && ok2 && x == y
}

// sameRows reports whether two results hold the same values in the same
// order.
func sameRows(a, b [][]*string) bool {
	for i := range a {
		for j := range a[i] {
			if cellKind(a[i][j], b[i][j]) != "" {
				return false
			}
		}
	}
	return true
}

func sortedRows(rows [][]*string) [][]*string {
	out := append([][]*string(nil), rows...)
	key := func(r []*string) string {
		var b strings.Builder
		for _, v := range r {
			b.WriteString(cellText(v) + "\x00")
		}
		return b.String()
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func cellText(v *string) string {
	if v == nil {
		return "NULL"
	}
	return strconv.Quote(*v)
}

// summary renders an answer on one line: the error, or the columns and up
// to three rows.
func (a diffAnswer) summary() string {
	if a.sqlstate != "" {
		return "ERROR " + a.sqlstate + ": " + oneLine(a.errMsg, 160)
	}
	var cols []string
	for i, c := range a.cols {
		cols = append(cols, c+" "+typeName(a.oids[i]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "(%s) %d rows", strings.Join(cols, ", "), len(a.rows))
	for i, r := range a.rows {
		if i == 3 {
			b.WriteString(" ...")
			break
		}
		var cells []string
		for _, v := range r {
			cells = append(cells, cellText(v))
		}
		b.WriteString(" [" + strings.Join(cells, ", ") + "]")
	}
	return b.String()
}

var typeNames = pgtype.NewMap()

func typeName(oid uint32) string {
	if t, ok := typeNames.TypeForOID(oid); ok {
		return t.Name
	}
	return strconv.FormatUint(uint64(oid), 10)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n-3] + "..."
	}
	return s
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// diffReport renders the differences found in full.
func diffReport(found []foundDiff) string {
	var b strings.Builder
	for _, d := range found {
		fmt.Fprintf(&b, "%s [%s] %s\n%s\n%s\n\n", d.stmt.where(), d.mode, d.kind, indent(d.stmt.sql), strings.Join(d.details, "\n"))
	}
	return b.String()
}

// updateDiffFiles rewrites the -- differs directives of every data file to
// the differences found: one directive per kind, with the modes it applies
// to unless it applies to all the statement ran in; a directive of the same
// kind keeps its reason.
func updateDiffFiles(files []*diffFile, found []foundDiff) error {
	byStmt := map[*diffStmt][]foundDiff{}
	for _, d := range found {
		byStmt[d.stmt] = append(byStmt[d.stmt], d)
	}
	for _, f := range files {
		want := map[*diffStmt][]knownDiff{}
		for _, s := range f.stmts {
			ds := byStmt[s]
			if len(ds) == 0 {
				continue
			}
			nModes := 1
			if len(s.params) > 0 {
				nModes = 3
				if psycopgAvailable() {
					nModes = 4
				}
			}
			var kinds []string
			modes := map[string][]string{}
			for _, d := range ds {
				if _, ok := modes[d.kind]; !ok {
					kinds = append(kinds, d.kind)
				}
				modes[d.kind] = append(modes[d.kind], d.mode)
			}
			for _, kind := range kinds {
				k := knownDiff{kind: kind, reason: "TODO"}
				if len(modes[kind]) < nModes {
					k.modes = modes[kind]
				}
				for _, old := range s.known {
					if old.kind == kind {
						k.reason = old.reason
					}
				}
				want[s] = append(want[s], k)
			}
		}
		if err := os.WriteFile(filepath.Join(diffDir, f.name), []byte(f.rewrite(want)), 0o644); err != nil {
			return err
		}
	}
	return nil
}
