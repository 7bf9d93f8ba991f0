package pgwire_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// serveCatalog runs a server over a real Catalog (in a temporary data
// directory) until the test ends.
func serveCatalog(t *testing.T) (*pgwire.TestServer, *catalog.Catalog) {
	t.Helper()
	cat, err := catalog.Open(context.Background(), catalog.Options{DataDir: t.TempDir(), Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := pgwire.NewServer(cat, pgwire.Options{Logger: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		cat.Close()
	})
	return pgwire.NewTestServer(ln.Addr().(*net.TCPAddr), cat.DB(), srv), cat
}

// rowsOf runs q and returns its rows in text, columns joined by "|" and
// rows by ";".
func rowsOf(t *testing.T, conn *pgx.Conn, q string) string {
	t.Helper()
	rows, err := conn.Query(pgwire.TestCtx(t), q, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cols []string
		for _, v := range rows.RawValues() {
			cols = append(cols, string(v))
		}
		out = append(out, strings.Join(cols, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(out, ";")
}

func mustExec(t *testing.T, conn *pgx.Conn, q string) {
	t.Helper()
	if _, err := conn.Exec(pgwire.TestCtx(t), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Catalog queries as clients send them: pg_class with pg_namespace,
// information_schema.columns, psql's \d attribute query (through
// ::regclass, format_type and pg_attrdef) and the table's keys.
const (
	txRelations = `select c.relname, c.relkind from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relname like 'txt%' order by 1`
	txColumns = `select column_name, data_type, is_nullable from information_schema.columns
where table_schema = 'public' and table_name = 'txt' order by ordinal_position`
	txDescribe = `select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  (select pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) from pg_catalog.pg_attrdef d
   where d.adrelid = a.attrelid and d.adnum = a.attnum and a.atthasdef), a.attnotnull
from pg_catalog.pg_attribute a where a.attrelid = 'txt'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`
	txKeys = `select conname, contype from pg_catalog.pg_constraint where conrelid in
  (select oid from pg_catalog.pg_class where relname = 'txt') order by 1`
)

// TestOwnUncommittedDDLInCatalog checks that a session's catalog queries
// show the schema changes of its own open transaction block, as
// PostgreSQL's do, while another session's show only committed ones; that
// ROLLBACK leaves no trace and COMMIT shows the changes to everyone.
func TestOwnUncommittedDDLInCatalog(t *testing.T) {
	ts, cat := serveCatalog(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		t.Run(mode.String(), func(t *testing.T) {
			a, b := pgwire.ConnectPgx(t, ts, mode), pgwire.ConnectPgx(t, ts, mode)
			expect := func(who string, conn *pgx.Conn, q, want string) {
				t.Helper()
				if got := rowsOf(t, conn, q); got != want {
					t.Errorf("%s: %s\n got %q\nwant %q", who, q, got, want)
				}
			}
			// Both sessions browse first, so that prepared descriptions
			// are cached and the shared snapshot is current.
			expect("A before", a, txRelations, "")
			expect("B before", b, txRelations, "")

			mustExec(t, a, "begin")
			mustExec(t, a, "create table txt (id integer primary key, name text not null default 'x')")
			expect("A in block", a, txRelations, "txt|r;txt_pkey|i")
			expect("A in block", a, txColumns, "id|integer|NO;name|text|NO")
			expect("A in block", a, txDescribe, "id|integer||t;name|text|'x'::text|t")
			expect("A in block", a, txKeys, "txt_pkey|p")
			expect("B while A's block is open", b, txRelations, "")
			expect("B while A's block is open", b, txColumns, "")
			expect("B while A's block is open", b, txKeys, "")

			mustExec(t, a, "alter table txt add column seen date")
			expect("A after ALTER", a, txColumns, "id|integer|NO;name|text|NO;seen|date|YES")
			expect("B after A's ALTER", b, txColumns, "")
			mustExec(t, a, "create view txt_v as select id from txt")
			expect("A after CREATE VIEW", a, txRelations, "txt|r;txt_pkey|i;txt_v|v")

			mustExec(t, a, "rollback")
			expect("A after ROLLBACK", a, txRelations, "")
			expect("A after ROLLBACK", a, txColumns, "")
			expect("B after A's ROLLBACK", b, txRelations, "")

			mustExec(t, a, "begin")
			mustExec(t, a, "create table txt (id integer primary key, name text not null default 'x')")
			expect("A in block", a, txColumns, "id|integer|NO;name|text|NO")
			mustExec(t, a, "commit")
			expect("A after COMMIT", a, txColumns, "id|integer|NO;name|text|NO")
			expect("B after A's COMMIT", b, txColumns, "id|integer|NO;name|text|NO")
			expect("B after A's COMMIT", b, txDescribe, "id|integer||t;name|text|'x'::text|t")
			// No private row was committed.
			var n int
			if err := cat.DB().QueryRow("SELECT (SELECT count(*) FROM tp_pg_catalog.pg_class_rows WHERE tp_owner <> 0) + (SELECT count(*) FROM tp_pg_catalog.tp_columns_rows WHERE tp_owner <> 0)").Scan(&n); err != nil || n != 0 {
				t.Errorf("private rows after COMMIT: %d, %v", n, err)
			}

			// DROP in a block hides the table from A only, until COMMIT.
			mustExec(t, a, "begin")
			mustExec(t, a, "drop table txt")
			expect("A after DROP", a, txRelations, "")
			expect("A after DROP", a, txColumns, "")
			expect("B after A's DROP", b, txRelations, "txt|r;txt_pkey|i")
			expect("B after A's DROP", b, txColumns, "id|integer|NO;name|text|NO")
			mustExec(t, a, "rollback")
			expect("A after ROLLBACK of DROP", a, txRelations, "txt|r;txt_pkey|i")
			mustExec(t, a, "begin")
			mustExec(t, a, "drop table txt")
			expect("A after DROP", a, txRelations, "")
			mustExec(t, a, "commit")
			expect("A after DROP committed", a, txRelations, "")
			expect("B after A's DROP committed", b, txRelations, "")

			// A failed statement ends the private view with the block.
			mustExec(t, a, "begin")
			mustExec(t, a, "create table txt (id integer)")
			expect("A in block", a, txRelations, "txt|r")
			if _, err := a.Exec(pgwire.TestCtx(t), "select * from no_such_table"); err == nil {
				t.Fatal("select from a missing table succeeded")
			}
			mustExec(t, a, "rollback")
			expect("A after a failed block", a, txRelations, "")
		})
	}
}

// TestOwnDDLNeverConflicts runs two sessions' blocks with schema changes
// and catalog queries against each other and against rebuilds of the
// shared snapshot (another session's committed DDL): each session sees its
// own tables only, and both commit.
func TestOwnDDLNeverConflicts(t *testing.T) {
	ts, _ := serveCatalog(t)
	a, b, c := pgwire.ConnectPgx(t, ts, pgx.QueryExecModeCacheStatement), pgwire.ConnectPgx(t, ts, pgx.QueryExecModeSimpleProtocol), pgwire.ConnectPgx(t, ts, pgx.QueryExecModeSimpleProtocol)
	mustExec(t, a, "begin")
	mustExec(t, b, "begin")
	mustExec(t, a, "create table txt_a (x int)")
	mustExec(t, b, "create table txt_b (x int)")
	if got := rowsOf(t, a, txRelations); got != "txt_a|r" {
		t.Errorf("A sees %q", got)
	}
	if got := rowsOf(t, b, txRelations); got != "txt_b|r" {
		t.Errorf("B sees %q", got)
	}
	// Committed DDL elsewhere: the shared snapshot is rebuilt (its rows
	// deleted and copied again) while A and B hold private copies.
	mustExec(t, c, "create table txt_c (x int)")
	if got := rowsOf(t, c, txRelations); got != "txt_c|r" {
		t.Errorf("C sees %q", got)
	}
	var wg sync.WaitGroup
	for i, conn := range []*pgx.Conn{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 3 {
				if _, err := conn.Exec(context.Background(), "alter table txt_"+"ab"[i:i+1]+" add column y"+string(rune('0'+j))+" int"); err != nil {
					t.Errorf("session %d: %v", i, err)
					return
				}
				if _, err := conn.Exec(context.Background(), txColumns); err != nil {
					t.Errorf("session %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// A's private copy predates C's table; PostgreSQL's READ COMMITTED
	// would show txt_c, DuckDB's snapshot isolation does not.
	if got := rowsOf(t, a, txRelations); got != "txt_a|r" {
		t.Errorf("A sees %q", got)
	}
	mustExec(t, a, "commit")
	mustExec(t, b, "commit")
	for _, conn := range []*pgx.Conn{a, b, c} {
		if got := rowsOf(t, conn, txRelations); got != "txt_a|r;txt_b|r;txt_c|r" {
			t.Errorf("after both COMMITs: %q", got)
		}
	}
}

// TestColumnOriginsFromCatalog serves a real Catalog: a lake table's
// columns carry its pg_class oid and their pg_attribute attnums.
func TestColumnOriginsFromCatalog(t *testing.T) {
	ts, _ := serveCatalog(t)
	rel := catalog.RelationOID("main", "aws_cloudtrail_log")
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		conn := pgwire.ConnectPgx(t, ts, mode)
		rows, err := conn.Query(pgwire.TestCtx(t), "select event_name, count(*) from aws_cloudtrail_log group by 1")
		if err != nil {
			t.Fatal(err)
		}
		fds := rows.FieldDescriptions()
		rows.Close()
		if len(fds) != 2 || fds[0].TableOID != rel || fds[0].TableAttributeNumber != 9 || fds[1].TableOID != 0 || fds[1].TableAttributeNumber != 0 {
			t.Errorf("mode %v: fields %+v; want event_name (%d, 9) and count (0, 0)", mode, fds, rel)
		}
		var oid uint32
		var attnum int16
		if err := conn.QueryRow(pgwire.TestCtx(t), "select attrelid::int8, attnum from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = 'aws_cloudtrail_log' and a.attname = 'event_name'").Scan(&oid, &attnum); err != nil {
			t.Fatal(err)
		} else if oid != rel || attnum != 9 {
			t.Errorf("pg_attribute says (%d, %d), want (%d, 9)", oid, attnum, rel)
		}
		rows, err = conn.Query(pgwire.TestCtx(t), "select l.* from aws_cloudtrail_log l")
		if err != nil {
			t.Fatal(err)
		}
		fds = rows.FieldDescriptions()
		rows.Close()
		if len(fds) != 46 {
			t.Fatalf("mode %v: select *: %d fields", mode, len(fds))
		}
		for i, fd := range fds {
			if fd.TableOID != rel || fd.TableAttributeNumber != uint16(i+1) {
				t.Errorf("mode %v: select * field %d %s: (%d, %d)", mode, i+1, fd.Name, fd.TableOID, fd.TableAttributeNumber)
			}
		}
	}
}
