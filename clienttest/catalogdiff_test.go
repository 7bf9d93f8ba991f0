package clienttest

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

// Differential catalog test: PostgreSQL 15 gets a table with the same name,
// columns, types and comments as tpserver's aws_cloudtrail_log; the catalog
// statements real clients sent (the captured corpus) run on both servers and
// their answers about aws_cloudtrail_log must agree.

// capturedTableOID is the oid aws_cloudtrail_log had on the PostgreSQL the
// corpus was captured from (it appears in psql's \d queries, SQLAlchemy's
// reflection and pgjdbc's ResultSetMetaData queries).
const capturedTableOID = 16385

// capturedDatabase is the database the corpus was captured in.
const capturedDatabase = "cloudtrail"

// knownCatalogDiffs lists corpus statements (by line index in corpus.jsonl)
// whose answers about aws_cloudtrail_log still differ from PostgreSQL's. A
// listed statement that differs is skipped with "KNOWN: reason" and the exact
// differences; delete the entry when the catalog is fixed.
var knownCatalogDiffs = map[int]string{}

// catalogSQL selects the statements that read the catalog.
var catalogSQL = regexp.MustCompile(`(?i)pg_catalog|information_schema|pg_class|pg_attribute|pg_type|pg_namespace|pg_description|format_type`)

// pgTypeForDuck maps a lake column's DuckDB type to the PostgreSQL type
// tpserver reports for it (pgwire/types.go).
func pgTypeForDuck(t *testing.T, duck string) string {
	t.Helper()
	switch {
	case duck == "VARCHAR":
		return "text"
	case duck == "BOOLEAN":
		return "boolean"
	case duck == "TIMESTAMP":
		return "timestamp without time zone"
	case duck == "JSON", strings.HasPrefix(duck, "STRUCT("):
		return "json"
	case duck == "VARCHAR[]":
		return "text[]"
	case duck == "DATE":
		return "date"
	case duck == "BIGINT":
		return "bigint"
	}
	t.Fatalf("no PostgreSQL type for DuckDB type %q", duck)
	return ""
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// cloudTrailPGDDL creates aws_cloudtrail_log in PostgreSQL as tpserver
// describes it: same columns in order, mapped types, no constraints or
// defaults, the same comments.
func cloudTrailPGDDL(t *testing.T) []string {
	tbl := lake.CloudTrailLog()
	var cols []string
	for _, c := range tbl.Columns {
		cols = append(cols, fmt.Sprintf("%q %s", c.Name, pgTypeForDuck(t, c.Type)))
	}
	stmts := []string{
		"DROP TABLE IF EXISTS public." + tbl.Name,
		"CREATE TABLE public." + tbl.Name + " (\n\t" + strings.Join(cols, ",\n\t") + "\n)",
		"COMMENT ON TABLE public." + tbl.Name + " IS " + quoteLiteral(tbl.Description),
	}
	for _, c := range tbl.Columns {
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN public.%s.%q IS %s", tbl.Name, c.Name, quoteLiteral(c.Description)))
	}
	return stmts
}

// loadOrigins reads each corpus entry's origin (driver, app or
// probe-workload), in corpus order.
func loadOrigins(t *testing.T, n int) []string {
	data, err := os.ReadFile(testsupport.SharedFile(t, "reference", "client-queries", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct {
			Origin string `json:"origin"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Origin)
	}
	if len(out) != n {
		t.Fatalf("corpus has %d origins for %d entries", len(out), n)
	}
	return out
}

// diffSide is one server's connection and the oid of its aws_cloudtrail_log.
type diffSide struct {
	name     string
	conn     *pgconn.PgConn
	tableOID string
	lastOIDs map[string][]uint32
}

// stmtAnswer is one statement's answer in text format.
type stmtAnswer struct {
	cols []string
	rows [][]*string
	err  error
}

// catalogDiff is one difference between the servers' answers.
type catalogDiff struct {
	key, column, tp, pg string
}

func (d catalogDiff) String() string {
	k := d.key
	if k != "" {
		k = "[" + k + "] "
	}
	return fmt.Sprintf("%s%s: tpserver=%s postgres=%s", k, d.column, d.tp, d.pg)
}

// errUnmappable marks a statement whose parameters hold an oid of the
// capture server that has no counterpart here.
type errUnmappable struct{ param string }

func (e errUnmappable) Error() string { return "unmappable parameter " + e.param }

// mapParams substitutes the captured table oid and database name in the
// parameters for side s.
func (s *diffSide) mapParams(e corpusEntry) ([][]byte, []int16, error) {
	params := make([][]byte, len(e.Params))
	formats := make([]int16, len(e.Params))
	oid, _ := strconv.ParseUint(s.tableOID, 10, 32)
	for j, p := range e.Params {
		if j < len(e.ParamFormats) {
			formats[j] = e.ParamFormats[j]
		}
		b := paramBytes(p, formats[j])
		if p == nil {
			params[j] = nil
			continue
		}
		if formats[j] == 1 && (len(b) == 4 || len(b) == 8) {
			var v uint64
			if len(b) == 4 {
				v = uint64(binary.BigEndian.Uint32(b))
			} else {
				v = binary.BigEndian.Uint64(b)
			}
			switch {
			case v == capturedTableOID:
				nb := make([]byte, len(b))
				if len(b) == 4 {
					binary.BigEndian.PutUint32(nb, uint32(oid))
				} else {
					binary.BigEndian.PutUint64(nb, oid)
				}
				b = nb
			case v >= 10000:
				// An oid assigned by the capture server (initdb's
				// information_schema objects, or user objects).
				return nil, nil, errUnmappable{fmt.Sprintf("$%d=%d", j+1, v)}
			}
		} else if formats[j] == 0 {
			switch string(b) {
			case strconv.Itoa(capturedTableOID):
				b = []byte(s.tableOID)
			case capturedDatabase:
				b = []byte(dbName)
			}
		}
		params[j] = b
	}
	return params, formats, nil
}

var capturedOIDWord = regexp.MustCompile(`\b` + strconv.Itoa(capturedTableOID) + `\b`)

// run sends e through the protocol shape the client used.
func (s *diffSide) run(ctx context.Context, e corpusEntry) stmtAnswer {
	sql := capturedOIDWord.ReplaceAllString(e.SQL, s.tableOID)
	var a stmtAnswer
	defer func() {
		if s.conn.TxStatus() != 'I' {
			s.conn.Exec(ctx, "ROLLBACK").ReadAll()
		}
	}()
	// pgconn's Read and ReadAll drop the field descriptions of an empty
	// result, so the rows are read here.
	read := func(rr *pgconn.ResultReader) error {
		for _, f := range rr.FieldDescriptions() {
			a.cols = append(a.cols, f.Name)
		}
		for rr.NextRow() {
			vals := make([]*string, len(rr.Values()))
			for i, v := range rr.Values() {
				if v != nil {
					str := string(v)
					vals[i] = &str
				}
			}
			a.rows = append(a.rows, vals)
		}
		_, err := rr.Close()
		return err
	}
	if e.Protocol == "simple" {
		mrr := s.conn.Exec(ctx, sql)
		for mrr.NextResult() {
			rr := mrr.ResultReader()
			if len(rr.FieldDescriptions()) == 0 {
				_, _ = rr.Close()
				continue
			}
			// The last result with columns is the answer.
			a.cols, a.rows = nil, nil
			_ = read(rr)
		}
		a.err = mrr.Close()
		return a
	}
	oids := e.ParamOIDs
	if oids == nil {
		if prev, ok := s.lastOIDs[e.SQL]; ok {
			oids = prev
		} else {
			oids = e.ServerOIDs
		}
	} else {
		s.lastOIDs[e.SQL] = oids
	}
	params, formats, err := s.mapParams(e)
	if err != nil {
		a.err = err
		return a
	}
	sd, err := s.conn.Prepare(ctx, "", sql, oids)
	if err != nil {
		a.err = err
		return a
	}
	if !executes(e.Messages) {
		for _, f := range sd.Fields {
			a.cols = append(a.cols, f.Name)
		}
		return a
	}
	a.err = read(s.conn.ExecPrepared(ctx, "", params, formats, nil))
	return a
}

// volatileColumns hold values that legitimately differ between two servers
// (storage, statistics, transaction ids).
var volatileColumns = map[string]bool{
	"relfilenode": true, "relpages": true, "reltuples": true, "relallvisible": true, "relfrozenxid": true,
	"relminmxid": true, "reltoastrelid": true, "xmin": true, "n_live_tup": true, "estimated_row_count": true,
	"size": true, "reltablespace": false,
}

// normalise maps a value that legitimately differs between the servers to a
// placeholder.
func normalise(side *diffSide, col string, v *string) string {
	lc := strings.ToLower(col)
	if volatileColumns[lc] {
		// Statistics may be NULL on one side (Metabase's
		// NULLIF(n_live_tup, 0) over PostgreSQL's empty table).
		return "<volatile>"
	}
	if v == nil {
		return "<NULL>"
	}
	switch {
	case *v == side.tableOID:
		return "<table-oid>"
	case *v == "postgres" || *v == "tpserver" || *v == dbUser:
		return "<role-or-db>"
	}
	if n, err := strconv.ParseUint(*v, 10, 32); err == nil && n >= 16384 &&
		(strings.Contains(lc, "oid") || lc == "reltype" || lc == "typrelid" || lc == "objid" || lc == "typarray") {
		return "<oid>"
	}
	return *v
}

// aboutTable keeps the rows about aws_cloudtrail_log, keyed by the column
// they name ("" for table-level rows), with normalised values by column name.
func aboutTable(side *diffSide, a stmtAnswer, mentions bool, colNames map[string]bool) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	names := uniqueNames(a.cols)
	for _, r := range a.rows {
		table, key := false, ""
		for _, v := range r {
			if v == nil {
				continue
			}
			if *v == side.tableOID || *v == lake.CloudTrailTableName || *v == "public."+lake.CloudTrailTableName {
				table = true
			}
			if key == "" && colNames[*v] {
				key = *v
			}
		}
		if !table && !(mentions && key != "") {
			continue
		}
		if !table && key == "" {
			continue
		}
		m := map[string]string{}
		for i, v := range r {
			m[names[i]] = normalise(side, a.cols[i], v)
		}
		out[key] = append(out[key], m)
	}
	return out
}

// uniqueNames numbers repeated column names (?column? twice, c.oid and c.*).
func uniqueNames(cols []string) []string {
	seen := map[string]int{}
	out := make([]string, len(cols))
	for i, c := range cols {
		seen[c]++
		if seen[c] > 1 {
			c = fmt.Sprintf("%s#%d", c, seen[c])
		}
		out[i] = c
	}
	return out
}

func rowString(names []string, m map[string]string) string {
	var b strings.Builder
	for _, n := range names {
		if v, ok := m[n]; ok {
			b.WriteString(n + "=" + v + "\x00")
		}
	}
	return b.String()
}

// compareAnswers returns the differences between the servers' answers about
// aws_cloudtrail_log and whether any row was about it.
func compareAnswers(tp, pg *diffSide, ta, pa stmtAnswer, mentions bool, colNames map[string]bool) ([]catalogDiff, int) {
	var diffs []catalogDiff
	if (ta.err == nil) != (pa.err == nil) {
		return []catalogDiff{{column: "<error>", tp: fmt.Sprint(ta.err), pg: fmt.Sprint(pa.err)}}, 0
	}
	if ta.err != nil {
		return nil, 0
	}
	if strings.Join(ta.cols, ",") != strings.Join(pa.cols, ",") {
		diffs = append(diffs, catalogDiff{column: "<result columns>", tp: strings.Join(ta.cols, ","), pg: strings.Join(pa.cols, ",")})
	}
	tpNames, pgNames := uniqueNames(ta.cols), uniqueNames(pa.cols)
	inPG := map[string]bool{}
	for _, n := range pgNames {
		inPG[n] = true
	}
	var common []string
	for _, n := range tpNames {
		if inPG[n] {
			common = append(common, n)
		}
	}
	tr := aboutTable(tp, ta, mentions, colNames)
	pr := aboutTable(pg, pa, mentions, colNames)
	keys := map[string]bool{}
	rows := 0
	for k, v := range tr {
		keys[k] = true
		rows += len(v)
	}
	for k, v := range pr {
		keys[k] = true
		if len(v) > rows {
			rows = len(v)
		}
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		trs, prs := tr[k], pr[k]
		byString := func(rs []map[string]string) {
			sort.Slice(rs, func(i, j int) bool { return rowString(common, rs[i]) < rowString(common, rs[j]) })
		}
		byString(trs)
		byString(prs)
		if len(trs) != len(prs) {
			show := func(rs []map[string]string) string {
				var parts []string
				for i, r := range rs {
					if i == 3 {
						parts = append(parts, "...")
						break
					}
					parts = append(parts, "{"+strings.ReplaceAll(strings.TrimSuffix(rowString(common, r), "\x00"), "\x00", ", ")+"}")
				}
				return strings.Join(parts, " ")
			}
			diffs = append(diffs, catalogDiff{key: k, column: "<rows>",
				tp: strconv.Itoa(len(trs)) + " " + show(trs), pg: strconv.Itoa(len(prs)) + " " + show(prs)})
			continue
		}
		for i := range trs {
			for _, n := range common {
				if trs[i][n] != prs[i][n] {
					diffs = append(diffs, catalogDiff{key: k, column: n, tp: strconv.Quote(trs[i][n]), pg: strconv.Quote(prs[i][n])})
				}
			}
		}
	}
	return diffs, rows
}

func TestCatalogMatchesPostgres(t *testing.T) {
	corpus := loadCorpus(t)
	origins := loadOrigins(t, len(corpus))
	fx := setup(t)
	if fx.pgErr != nil {
		testsupport.Missing(t, "PostgreSQL 15 ("+fx.pgErr.Error()+")", "apt-get install -y postgresql")
	}
	if err := load(fx.pg, cloudTrailPGDDL(t)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	colNames := map[string]bool{}
	for _, c := range lake.CloudTrailLog().Columns {
		colNames[c.Name] = true
	}
	sides := make([]*diffSide, 2)
	for i, tg := range []target{fx.tp, fx.pg} {
		conn, err := pgconn.Connect(ctx, tg.dsn())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		q := "select 'aws_cloudtrail_log'::regclass::oid"
		if tg.name == "tpserver" {
			q = "select oid from pg_catalog.pg_class where relname = 'aws_cloudtrail_log'"
		}
		res, err := conn.Exec(ctx, q).ReadAll()
		if err != nil || len(res) != 1 || len(res[0].Rows) != 1 {
			t.Fatalf("%s: oid of aws_cloudtrail_log: %v %v", tg.name, err, res)
		}
		sides[i] = &diffSide{name: tg.name, conn: conn, tableOID: string(res[0].Rows[0][0]), lastOIDs: map[string][]uint32{}}
	}
	tp, pg := sides[0], sides[1]
	t.Logf("aws_cloudtrail_log oid: tpserver %s, postgres %s", tp.tableOID, pg.tableOID)

	var compared, matched, withRows, unmappable, bothFailed, selected int
	for i, e := range corpus {
		if (origins[i] != "driver" && origins[i] != "app") || !catalogSQL.MatchString(e.SQL) {
			continue
		}
		selected++
		name := fmt.Sprintf("%03d_%s", i, strings.TrimSuffix(e.File, ".sql"))
		ta, pa := tp.run(ctx, e), pg.run(ctx, e)
		if _, ok := ta.err.(errUnmappable); ok {
			unmappable++
			t.Logf("%s (%s): not compared: %v", name, e.Annotation, ta.err)
			continue
		}
		if ta.err != nil && pa.err != nil {
			// The statement names objects of the capture server (the view
			// failed_events, the index aws_cloudtrail_log_pkey, ...).
			bothFailed++
			t.Logf("%s (%s): fails on both servers: tpserver: %v; postgres: %v", name, e.Annotation, ta.err, pa.err)
			continue
		}
		compared++
		mentions := strings.Contains(e.SQL, lake.CloudTrailTableName) || capturedOIDWord.MatchString(e.SQL)
		for _, p := range e.Params {
			if p != nil && *p == lake.CloudTrailTableName {
				mentions = true
			}
		}
		diffs, rows := compareAnswers(tp, pg, ta, pa, mentions, colNames)
		if rows > 0 {
			withRows++
		}
		if len(diffs) == 0 {
			matched++
		}
		i, e := i, e
		t.Run(name, func(t *testing.T) {
			if len(diffs) == 0 {
				if reason, ok := knownCatalogDiffs[i]; ok {
					t.Logf("listed as known (%s) but now matches PostgreSQL: remove it from knownCatalogDiffs", reason)
				}
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s (%s, %s, %d rows about aws_cloudtrail_log): %d differences from PostgreSQL:",
				name, e.Annotation, e.Protocol, rows, len(diffs))
			for _, d := range diffs {
				b.WriteString("\n  " + d.String())
			}
			b.WriteString("\n" + firstLines(e.SQL, 4))
			if reason, ok := knownCatalogDiffs[i]; ok {
				t.Skip("KNOWN: " + reason + "\n" + b.String())
			}
			t.Error(b.String())
		})
	}
	t.Logf("%d catalog statements selected: %d compared (%d with rows about aws_cloudtrail_log), %d match PostgreSQL, "+
		"%d differ; %d not compared (parameters hold capture-server oids), %d fail on both servers",
		selected, compared, withRows, matched, compared-matched, unmappable, bothFailed)

	t.Run("psql_d_plus", func(t *testing.T) { psqlDescribeDiff(t, fx) })
}

// psqlDescribeDiff compares psql's \d+ aws_cloudtrail_log on both servers:
// the title, header and column lines exactly; footer lines are reported.
func psqlDescribeDiff(t *testing.T, fx *fixture) {
	if _, err := exec.LookPath("psql"); err != nil {
		testsupport.Missing(t, "psql", "apt-get install -y postgresql-client")
	}
	out := map[string][]string{}
	for _, tg := range []target{fx.tp, fx.pg} {
		stdout, stderr, err := runProgram(t, tg, time.Minute, "psql", "-X", "-c", `\d+ aws_cloudtrail_log`)
		if err != nil || stderr != "" {
			t.Fatalf("%s: psql \\d+ aws_cloudtrail_log: %v: %s", tg.name, err, stderr)
		}
		out[tg.name] = strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	}
	split := func(lines []string) (title string, table, footer []string) {
		if len(lines) > 0 {
			title = strings.TrimSpace(lines[0])
		}
		for i, l := range lines[1:] {
			if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "-") {
				return title, lines[1 : 1+i], lines[1+i:]
			}
		}
		return title, lines[1:], nil
	}
	tt, tTable, tFoot := split(out["tpserver"])
	pt, pTable, pFoot := split(out["postgres"])
	if want := `Table "public.aws_cloudtrail_log"`; pt != want {
		t.Fatalf("postgres title %q, want %q", pt, want)
	}
	if tt != pt {
		t.Errorf("title: tpserver %q, postgres %q", tt, pt)
	}
	if len(tTable) != len(pTable) {
		t.Errorf("tpserver prints %d header/column lines, postgres %d:\ntpserver:\n%s\npostgres:\n%s",
			len(tTable), len(pTable), strings.Join(tTable, "\n"), strings.Join(pTable, "\n"))
	}
	for i := 0; i < len(tTable) && i < len(pTable); i++ {
		if tTable[i] == pTable[i] {
			continue
		}
		// Name the differing cells; column widths follow the widest cell.
		tc, pc := strings.Split(tTable[i], "|"), strings.Split(pTable[i], "|")
		var cells []string
		for j := 0; j < len(tc) || j < len(pc); j++ {
			var a, b string
			if j < len(tc) {
				a = strings.TrimSpace(tc[j])
			}
			if j < len(pc) {
				b = strings.TrimSpace(pc[j])
			}
			if a != b {
				cells = append(cells, fmt.Sprintf("cell %d: tpserver %q, postgres %q", j+1, a, b))
			}
		}
		if len(cells) == 0 {
			cells = append(cells, "same cells, different padding")
		}
		t.Errorf("line %d differs (%s):\ntpserver: %s\npostgres: %s", i+2, strings.Join(cells, "; "), tTable[i], pTable[i])
	}
	if strings.Join(tFoot, "\n") != strings.Join(pFoot, "\n") {
		t.Logf("footer differs (not asserted):\ntpserver:\n%s\npostgres:\n%s", strings.Join(tFoot, "\n"), strings.Join(pFoot, "\n"))
	}
}
