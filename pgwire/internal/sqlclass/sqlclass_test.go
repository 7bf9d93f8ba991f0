package sqlclass

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/tpserver/tpserver/internal/testsupport"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"", nil},
		{" ; -- c\n ;", nil},
		{"select 1", []string{"select 1"}},
		{"select 1;select 2;", []string{"select 1", "select 2"}},
		{"select ';' ; select 'a''b;'", []string{"select ';' ", " select 'a''b;'"}},
		{`select E'\';' ; select 2`, []string{`select E'\';' `, " select 2"}},
		{`select "a;""b" ; x`, []string{`select "a;""b" `, " x"}},
		{"select $$;$$; select $a$ $$; $a$", []string{"select $$;$$", " select $a$ $$; $a$"}},
		{"select $1; select 2", []string{"select $1", " select 2"}},
		{"select 1 /* ; /* ; */ ; */; select 2 -- ;\n", []string{"select 1 /* ; /* ; */ ; */", " select 2 -- ;\n"}},
		{"/* only */ ; select 1", []string{" select 1"}},
	} {
		for _, split := range []func(string) []Span{Split, classifiedSpans} {
			var got []string
			for _, sp := range split(tc.q) {
				got = append(got, sp.Text)
				if tc.q[sp.Offset:sp.Offset+len(sp.Text)] != sp.Text {
					t.Errorf("%q: bad offset %d", tc.q, sp.Offset)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("split(%q) = %q, want %q", tc.q, got, tc.want)
			}
		}
	}
}

// classifiedSpans splits with Classify (PostgreSQL's parser first).
func classifiedSpans(q string) []Span {
	var out []Span
	for _, st := range Classify(q) {
		out = append(out, Span{Text: st.Text, Offset: st.Offset})
	}
	return out
}

func TestLeadingWords(t *testing.T) {
	if kw := LeadingWords("/* c */ -- x\n (select 1)", 2); !reflect.DeepEqual(kw, []string{"SELECT"}) {
		t.Errorf("keywords %q", kw)
	}
	if kw := LeadingWords("create or replace view v as select 1", 4); !reflect.DeepEqual(kw, []string{"CREATE", "OR", "REPLACE", "VIEW"}) {
		t.Errorf("keywords %q", kw)
	}
	if !HasWord("insert into t values (1) returning a", "RETURNING") || HasWord("insert into t values ('returning')", "RETURNING") {
		t.Error("HasWord")
	}
}

// one classifies a query string that must hold exactly one statement.
func one(t *testing.T, q string) Statement {
	t.Helper()
	stmts := Classify(q)
	if len(stmts) != 1 {
		t.Fatalf("%q: %d statements", q, len(stmts))
	}
	return stmts[0]
}

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		q      string
		kind   Kind
		syntax Syntax
		writes bool
		files  bool
	}{
		{"select 1", Select, Postgres, false, false},
		{"values (1)", Select, Postgres, false, false},
		{"with x as (delete from t returning *) select * from x", Select, Postgres, true, false},
		{"select * into t2 from t", Select, Postgres, true, false},
		{"insert into t values (1)", Insert, Postgres, true, false},
		{"update t set a = 1", Update, Postgres, true, false},
		{"delete from t", Delete, Postgres, true, false},
		{"create table t (a int)", DDL, Postgres, true, false},
		{"drop view v", DDL, Postgres, true, false},
		{"alter table t add column b int", DDL, Postgres, true, false},
		{"truncate t", DDL, Postgres, true, false},
		{"comment on table t is 'x'", DDL, Postgres, true, false},
		{"explain select 1", Explain, Postgres, false, false},
		{"prepare p as select 1", Prepare, Postgres, false, false},
		{"execute p", Execute, Postgres, false, false},
		{"deallocate all", Deallocate, Postgres, false, false},
		{"call f()", Call, Postgres, false, false},
		{"vacuum", Utility, Postgres, false, false},
		{"listen x", Utility, Postgres, false, false},
		{"load 'x.so'", Load, Postgres, false, true},
		{"select * from read_parquet('x.parquet')", Select, Postgres, false, true},
		{"select * from main.read_csv('x.csv')", Select, Postgres, false, true},
		{"select pg_read_file('/etc/passwd')", Select, Postgres, false, true},
		{"copy t to '/tmp/x.csv'", Copy, Postgres, true, true},
		{"copy t from '/tmp/x.csv'", Copy, Postgres, true, true},
		{"copy t to stdout", Copy, Postgres, false, false},
		{"copy t from stdin", Copy, Postgres, true, false},
		// DuckDB's own dialect, recognised by leading words.
		{"from t select x", Select, DuckDB, false, false},
		{"select 1 as x from 'f.parquet'", Select, DuckDB, false, true}, // a replacement scan reads the file,
		{"SET VARIABLE x = 1", SetVariable, DuckDB, false, false},
		{"RESET VARIABLE x", ResetVariable, DuckDB, false, false},
		{"PRAGMA table_info('t')", Pragma, DuckDB, false, false},
		{"ATTACH 'x.db' AS x", Attach, DuckDB, true, true},
		{"DETACH x", Detach, DuckDB, false, false},
		{"INSTALL httpfs", Install, DuckDB, true, true},
		{"FORCE INSTALL httpfs", Install, DuckDB, true, true},
		{"LOAD httpfs", Load, DuckDB, false, true},
		{"EXPORT DATABASE 'dir'", ExportDatabase, DuckDB, true, true},
		{"IMPORT DATABASE 'dir'", ImportDatabase, DuckDB, true, true},
		{"DESCRIBE t", Describe, DuckDB, false, false},
		{"SHOW TABLES", Describe, Postgres, false, false},
		{"SHOW ALL TABLES", Describe, DuckDB, false, false},
		{"SUMMARIZE t", Summarize, DuckDB, false, false},
		{"CREATE MACRO m(a) AS a + 1", DDL, DuckDB, true, false},
		{"USE memory", Use, DuckDB, false, false},
		{"select {'a': 1}.a", Select, DuckDB, false, false},
		{"select list_transform([1, 2], x -> x + 1)", Select, DuckDB, false, false},
		{"copy (select 1) to 'x.parquet' (format parquet)", Copy, Postgres, true, true},
		{"copy from database a to b", Copy, DuckDB, true, true},
		{"bogus statement", Unknown, DuckDB, false, false},
	} {
		st := one(t, tc.q)
		if st.Kind != tc.kind || st.Syntax != tc.syntax || st.Writes != tc.writes || st.Files != tc.files {
			t.Errorf("%q: kind %v syntax %v writes %v files %v, want %v %v %v %v",
				tc.q, st.Kind, st.Syntax, st.Writes, st.Files, tc.kind, tc.syntax, tc.writes, tc.files)
		}
		if (st.Syntax == DuckDB) != (st.ParseError != nil) {
			t.Errorf("%q: syntax %v with parse error %v", tc.q, st.Syntax, st.ParseError)
		}
	}
}

func TestNames(t *testing.T) {
	st := one(t, `with c as (select 1) select lower(x), pg_catalog.upper(y) from c, public."T" join u on true`)
	want := []Name{{Schema: "public", Name: "T"}, {Name: "u"}}
	if !reflect.DeepEqual(st.Relations, want) {
		t.Errorf("relations %+v, want %+v", st.Relations, want)
	}
	if !reflect.DeepEqual(st.Functions, []string{"lower", "pg_catalog.upper"}) {
		t.Errorf("functions %q", st.Functions)
	}
	st = one(t, "select set_config('search_path', 'x', true), set_config(name, 'y', false)")
	if !reflect.DeepEqual(st.SetConfigs, []SetConfigCall{{Name: "search_path", Value: "x", Local: true}}) {
		t.Errorf("set_config %+v", st.SetConfigs)
	}
}

func TestSettings(t *testing.T) {
	for _, tc := range []struct {
		q    string
		kind Kind
		want Setting
	}{
		{"SET x TO 1", Set, Setting{Name: "x", Values: []Value{{NumberValue, "1", "1"}}}},
		{"set application_name = 'psql'", Set, Setting{Name: "application_name", Values: []Value{{StringValue, "psql", "'psql'"}}}},
		{"SET LOCAL statement_timeout = -5", Set, Setting{Name: "statement_timeout", Local: true, Values: []Value{{NumberValue, "-5", "-5"}}}},
		{"SET SESSION datestyle = ISO, MDY", Set, Setting{Name: "datestyle", Values: []Value{{WordValue, "iso", "ISO"}, {WordValue, "mdy", "MDY"}}}},
		{`SET search_path = "My", public`, Set, Setting{Name: "search_path", Values: []Value{{QuotedValue, "My", `"My"`}, {WordValue, "public", "public"}}}},
		{"SET my.var = E'a\\nb'", Set, Setting{Name: "my.var", Values: []Value{{StringValue, "a\nb", `E'a\nb'`}}}},
		{"SET x TO DEFAULT", Set, Setting{Name: "x", Default: true}},
		{"SET x FROM CURRENT", Set, Setting{Name: "x", FromCurrent: true}},
		{"SET TIME ZONE 'Europe/Paris'", Set, Setting{Name: "timezone", Form: "TIME ZONE", Values: []Value{{StringValue, "Europe/Paris", "'Europe/Paris'"}}}},
		{"SET TIME ZONE -5", Set, Setting{Name: "timezone", Form: "TIME ZONE", Values: []Value{{NumberValue, "-5", "-5"}}}},
		{"SET TIME ZONE LOCAL", Set, Setting{Name: "timezone", Form: "TIME ZONE", Default: true}},
		{"SET LOCAL TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE", Set, Setting{Name: "timezone", Form: "TIME ZONE", Local: true, Interval: true}},
		{"SET NAMES 'UTF8'", Set, Setting{Name: "client_encoding", Form: "NAMES", Values: []Value{{StringValue, "UTF8", "'UTF8'"}}}},
		{"SET SCHEMA 'public'", Set, Setting{Name: "search_path", Form: "SCHEMA", Values: []Value{{StringValue, "public", "'public'"}}}},
		{"SET ROLE admin", Set, Setting{Name: "role", Form: "ROLE", Values: []Value{{WordValue, "admin", "admin"}}}},
		{"SET SESSION AUTHORIZATION bob", Set, Setting{Name: "session_authorization", Form: "SESSION AUTHORIZATION", Values: []Value{{WordValue, "bob", "bob"}}}},
		{"SET SESSION AUTHORIZATION DEFAULT", Set, Setting{Name: "session_authorization", Form: "SESSION AUTHORIZATION", Default: true}},
		{"SET TRANSACTION SNAPSHOT '0001'", SetTransaction, Setting{Name: "transaction_snapshot", Snapshot: true}},
		{"RESET x", Reset, Setting{Name: "x"}},
		{"RESET ALL", Reset, Setting{Name: "all"}},
		{"RESET TIME ZONE", Reset, Setting{Name: "timezone"}},
		{"RESET SESSION AUTHORIZATION", Reset, Setting{Name: "session_authorization"}},
		{"RESET TRANSACTION ISOLATION LEVEL", Reset, Setting{Name: "transaction_isolation"}},
		{"SET GLOBAL threads = 1", Set, Setting{Name: "threads", Global: true}},
		{"RESET GLOBAL threads", Reset, Setting{Name: "threads", Global: true}},
		{"SHOW ALL", Show, Setting{Name: "all"}},
		{"SHOW TIME ZONE", Show, Setting{Name: "timezone"}},
		{"SHOW TRANSACTION ISOLATION LEVEL", Show, Setting{Name: "transaction_isolation"}},
		{"SHOW SESSION AUTHORIZATION", Show, Setting{Name: "session_authorization"}},
		{`SHOW "TimeZone"`, Show, Setting{Name: "TimeZone"}},
		{"SHOW my.var", Show, Setting{Name: "my.var"}},
	} {
		st := one(t, tc.q)
		if st.Kind != tc.kind || st.Setting == nil || !reflect.DeepEqual(*st.Setting, tc.want) {
			t.Errorf("%q: %v %+v, want %v %+v", tc.q, st.Kind, st.Setting, tc.kind, tc.want)
		}
	}
}

func TestTransactions(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		q    string
		kind Kind
		tag  string
		tx   TxOptions
	}{
		{"BEGIN", Begin, "BEGIN", TxOptions{}},
		{"begin work", Begin, "BEGIN", TxOptions{}},
		{"START TRANSACTION READ ONLY", Begin, "START TRANSACTION", TxOptions{ReadOnly: &yes}},
		{"BEGIN ISOLATION LEVEL REPEATABLE READ, READ WRITE, NOT DEFERRABLE", Begin, "BEGIN",
			TxOptions{Isolation: "repeatable read", ReadOnly: &no, Deferrable: &no}},
		{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", SetTransaction, "", TxOptions{Isolation: "serializable"}},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", SessionCharacteristics, "", TxOptions{ReadOnly: &yes}},
		{"COMMIT", Commit, "", TxOptions{}},
		{"END", Commit, "", TxOptions{}},
		{"COMMIT AND CHAIN", Commit, "", TxOptions{Chain: true}},
		{"ROLLBACK", Rollback, "", TxOptions{}},
		{"ABORT", Rollback, "", TxOptions{}},
	} {
		st := one(t, tc.q)
		if st.Kind != tc.kind || st.TxTag != tc.tag || st.Tx == nil || !reflect.DeepEqual(*st.Tx, tc.tx) {
			t.Errorf("%q: %v %q %+v, want %v %q %+v", tc.q, st.Kind, st.TxTag, st.Tx, tc.kind, tc.tag, tc.tx)
		}
	}
	for q, kind := range map[string]Kind{
		"SAVEPOINT s": Savepoint, "RELEASE SAVEPOINT s": Release, "ROLLBACK TO SAVEPOINT s": RollbackTo,
		"ROLLBACK TO s": RollbackTo, "PREPARE TRANSACTION 'x'": PrepareTransaction,
		"COMMIT PREPARED 'x'": CommitPrepared, "ROLLBACK PREPARED 'x'": RollbackPrepared,
	} {
		if st := one(t, q); st.Kind != kind {
			t.Errorf("%q: %v, want %v", q, st.Kind, kind)
		}
	}
}

func TestCursors(t *testing.T) {
	const all = 1<<63 - 1
	for _, tc := range []struct {
		q    string
		kind Kind
		want Cursor
	}{
		{"DECLARE c CURSOR FOR SELECT 1", Declare, Cursor{Name: "c", Query: "SELECT 1"}},
		{`DECLARE "Big Cur" BINARY NO SCROLL CURSOR WITH HOLD FOR select * from t`, Declare,
			Cursor{Name: "Big Cur", Binary: true, Hold: true, Query: "select * from t"}},
		{"DECLARE c SCROLL CURSOR WITHOUT HOLD FOR /* q */ values (1)", Declare, Cursor{Name: "c", Scroll: true, Query: "values (1)"}},
		{"DECLARE c CURSOR FOR FROM t SELECT x", Declare, Cursor{Name: "c", Query: "FROM t SELECT x", QueryDuckDB: true}},
		{"FETCH c", Fetch, Cursor{Name: "c", Direction: Forward, Count: 1}},
		{"FETCH NEXT FROM c", Fetch, Cursor{Name: "c", Direction: Forward, Count: 1}},
		{"FETCH 5 IN c", Fetch, Cursor{Name: "c", Direction: Forward, Count: 5}},
		{"FETCH -2 c", Fetch, Cursor{Name: "c", Direction: Forward, Count: -2}},
		{"FETCH ALL c", Fetch, Cursor{Name: "c", Direction: Forward, Count: all, All: true}},
		{"FETCH FORWARD 1000 FROM \"big cur\"", Fetch, Cursor{Name: "big cur", Direction: Forward, Count: 1000}},
		{"FETCH FORWARD ALL FROM c", Fetch, Cursor{Name: "c", Direction: Forward, Count: all, All: true}},
		{"FETCH PRIOR c", Fetch, Cursor{Name: "c", Direction: Backward, Count: 1}},
		{"FETCH BACKWARD 3 c", Fetch, Cursor{Name: "c", Direction: Backward, Count: 3}},
		{"FETCH FIRST c", Fetch, Cursor{Name: "c", Direction: Absolute, Count: 1}},
		{"FETCH LAST c", Fetch, Cursor{Name: "c", Direction: Absolute, Count: -1}},
		{"FETCH ABSOLUTE 4 c", Fetch, Cursor{Name: "c", Direction: Absolute, Count: 4}},
		{"FETCH RELATIVE 2 c", Fetch, Cursor{Name: "c", Direction: Relative, Count: 2}},
		{"MOVE FORWARD 3 IN h", Move, Cursor{Name: "h", Direction: Forward, Count: 3}},
		{"CLOSE c", Close, Cursor{Name: "c"}},
		{"CLOSE ALL", Close, Cursor{}},
	} {
		st := one(t, tc.q)
		if st.Kind != tc.kind || st.Cursor == nil || !reflect.DeepEqual(*st.Cursor, tc.want) {
			t.Errorf("%q: %v %+v, want %v %+v", tc.q, st.Kind, st.Cursor, tc.kind, tc.want)
		}
	}
}

func TestDiscard(t *testing.T) {
	for q, want := range map[string]string{"DISCARD ALL": "ALL", "discard plans": "PLANS", "DISCARD SEQUENCES": "SEQUENCES",
		"DISCARD TEMP": "TEMP", "DISCARD TEMPORARY": "TEMP"} {
		if st := one(t, q); st.Kind != Discard || st.Discard != want {
			t.Errorf("%q: %v %q", q, st.Kind, st.Discard)
		}
	}
}

func TestCopy(t *testing.T) {
	opt := func(name, value string) CopyOption { return CopyOption{Name: name, Value: value, HasValue: true} }
	for _, tc := range []struct {
		q    string
		want CopyStmt
	}{
		{"COPY (SELECT 1) TO STDOUT", CopyStmt{Query: "SELECT 1", Stdio: true}},
		{"copy ( select ';' ) to stdout with (format csv, header, delimiter ';', force_quote *)", CopyStmt{
			Query: "select ';'", Stdio: true, Options: []CopyOption{opt("format", "csv"), {Name: "header"},
				opt("delimiter", ";"), {Name: "force_quote", HasValue: true, Star: true}}}},
		{"COPY (FROM t SELECT x) TO STDOUT (FORMAT binary)", CopyStmt{Query: "FROM t SELECT x", QueryDuckDB: true,
			Stdio: true, Options: []CopyOption{opt("format", "binary")}}},
		{`COPY s."T" (b, "A") TO STDOUT CSV HEADER DELIMITER AS '|' NULL AS 'n' QUOTE '"' ESCAPE '\' FORCE QUOTE b, "A"`, CopyStmt{
			Relation: &Name{Schema: "s", Name: "T"}, Columns: []string{"b", "A"}, Stdio: true, Options: []CopyOption{
				opt("format", "csv"), opt("header", "true"), opt("delimiter", "|"), opt("null", "n"), opt("quote", `"`),
				opt("escape", `\`), {Name: "force_quote", HasValue: true, IsList: true, List: []string{"b", "A"}}}}},
		{"COPY t TO STDOUT BINARY", CopyStmt{Relation: &Name{Name: "t"}, Stdio: true, Options: []CopyOption{opt("format", "binary")}}},
		{"COPY t TO STDOUT (HEADER false, FORMAT 'CSV', ENCODING 'utf8')", CopyStmt{Relation: &Name{Name: "t"}, Stdio: true,
			Options: []CopyOption{opt("header", "false"), opt("format", "CSV"), opt("encoding", "utf8")}}},
		{"COPY t FROM STDIN", CopyStmt{Relation: &Name{Name: "t"}, From: true, Stdio: true}},
		{"COPY t TO PROGRAM 'cat'", CopyStmt{Relation: &Name{Name: "t"}, Program: true, File: "cat"}},
		{"COPY t TO 'out.csv'", CopyStmt{Relation: &Name{Name: "t"}, File: "out.csv"}},
	} {
		st := one(t, tc.q)
		if st.Kind != Copy || st.Copy == nil || !reflect.DeepEqual(*st.Copy, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.q, st.Copy, tc.want)
		}
	}
}

// TestMixedDialects checks that one DuckDB statement leaves the others of a
// query string classified, with offsets into the whole string.
func TestMixedDialects(t *testing.T) {
	q := "BEGIN; FROM t SELECT x; SET search_path = public"
	stmts := Classify(q)
	if len(stmts) != 3 || stmts[0].Kind != Begin || stmts[1].Syntax != DuckDB || stmts[2].Kind != Set {
		t.Fatalf("%+v", stmts)
	}
	if stmts[2].Offset != 23 || stmts[2].Setting.Values[0].Raw != "public" {
		t.Errorf("%+v", stmts[2])
	}
}

// TestCorpus classifies every statement real clients sent
// (../shared/reference/client-queries/corpus.jsonl); skipped without it.
func TestCorpus(t *testing.T) {
	f, err := os.Open(testsupport.SharedFile(t, "reference", "client-queries", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		var e struct {
			SQL string `json:"sql"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		for _, st := range Classify(e.SQL) {
			n++
			if st.Syntax != Postgres || st.Kind == Unknown {
				t.Errorf("%q: kind %v syntax %v: %v", st.Text, st.Kind, st.Syntax, st.ParseError)
			}
			if e.SQL[st.Offset:st.Offset+len(st.Text)] != st.Text {
				t.Errorf("%q: bad span", st.Text)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d statements", n)
}

func TestCache(t *testing.T) {
	c := NewCache(2)
	a := c.Classify("select 1")
	if b := c.Classify("select 1"); &a[0] != &b[0] {
		t.Error("second classification not cached")
	}
	c.Classify("select 2")
	c.Classify("select 3")
	if len(c.items) != 2 || c.bytes != 16 {
		t.Errorf("%d entries, %d bytes", len(c.items), c.bytes)
	}
	var none *Cache
	if st := none.Classify("begin"); len(st) != 1 || st[0].Kind != Begin {
		t.Errorf("nil cache: %+v", st)
	}
}

// typicalStatements are what clients send most: queries, driver settings,
// transaction control, cursors and COPY.
var typicalStatements = []string{
	"SELECT event_name, count(*) FROM aws_cloudtrail_log WHERE event_time > now() - interval '1 day' GROUP BY 1",
	"SET application_name = 'psql'",
	"SET extra_float_digits = 3",
	"BEGIN",
	"COMMIT",
	"SHOW transaction_isolation",
	"DECLARE c CURSOR WITH HOLD FOR SELECT * FROM aws_cloudtrail_log",
	"FETCH FORWARD 1000 FROM c",
	"COPY (SELECT 1 AS a) TO STDOUT (FORMAT csv, HEADER)",
	"FROM aws_cloudtrail_log SELECT user_identity.arn LIMIT 10",
}

func BenchmarkClassify(b *testing.B) {
	b.Run("parse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Classify(typicalStatements[i%len(typicalStatements)])
		}
	})
	b.Run("cached", func(b *testing.B) {
		c := NewCache(64)
		for i := 0; i < b.N; i++ {
			c.Classify(typicalStatements[i%len(typicalStatements)])
		}
	})
	b.Run("split", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Split(typicalStatements[i%len(typicalStatements)])
		}
	})
}
