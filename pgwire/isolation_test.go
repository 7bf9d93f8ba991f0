package pgwire

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// TestSessionEndLeavesNothing ends sessions abruptly with state left on
// their DuckDB connection and checks that the next session starts clean.
// Before sessions discarded their connections, a session that ended inside
// a transaction block handed it to the next one ("cannot start a
// transaction within a transaction"), and after a failed one no session
// could be opened at all.
func TestSessionEndLeavesNothing(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	check := startPgx(t, ts)
	defaultOrder := queryText(t, check, "SELECT current_setting('default_order')")

	cases := []struct {
		name  string
		leave func(rc *rawClient)
	}{
		{"open transaction", func(rc *rawClient) {
			rc.send(&pgproto3.Query{String: "BEGIN; SELECT 1"})
			rc.until("ReadyForQuery")
		}},
		{"failed transaction", func(rc *rawClient) {
			rc.send(&pgproto3.Query{String: "BEGIN"})
			rc.until("ReadyForQuery")
			rc.send(&pgproto3.Query{String: "SELECT error('boom')"})
			rc.until("ReadyForQuery")
		}},
		{"uncommitted table", func(rc *rawClient) {
			rc.succeeds("BEGIN; CREATE TABLE leftover_uncommitted(a INTEGER)")
		}},
		{"temporary objects", func(rc *rawClient) {
			rc.succeeds("CREATE TEMP TABLE leftover_t AS SELECT 1 AS a; CREATE TEMP VIEW leftover_v AS SELECT 1; CREATE TEMP MACRO leftover_m() AS 1")
		}},
		{"settings and variables", func(rc *rawClient) {
			rc.succeeds("SET default_order = 'desc'; SET VARIABLE leftover = 1; SET search_path = 'pg_catalog'")
		}},
		{"prepared statements", func(rc *rawClient) {
			rc.succeeds("PREPARE leftover_p AS SELECT 1")
			rc.send(&pgproto3.Parse{Name: "leftover_s", Query: "SELECT 2"}, &pgproto3.Sync{})
			rc.until("ReadyForQuery")
		}},
		{"open cursor", func(rc *rawClient) {
			rc.send(&pgproto3.Query{String: "BEGIN; DECLARE c CURSOR FOR SELECT * FROM range(100000); FETCH 1 FROM c"})
			rc.until("ReadyForQuery")
		}},
		{"suspended portal without sync", func(rc *rawClient) {
			rc.send(&pgproto3.Parse{Query: "SELECT * FROM range(100000)"}, &pgproto3.Bind{}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Flush{})
			rc.until("PortalSuspended")
		}},
		{"running query", func(rc *rawClient) {
			rc.send(&pgproto3.Query{String: slowQuery})
			time.Sleep(100 * time.Millisecond)
		}},
		{"middle of COPY OUT", func(rc *rawClient) {
			rc.send(&pgproto3.Query{String: "COPY (SELECT * FROM range(5000000)) TO STDOUT"})
			rc.until("CopyData")
		}},
	}
	for _, tc := range cases {
		for _, end := range []string{"killed connection", "Terminate"} {
			t.Run(tc.name+"/"+end, func(t *testing.T) {
				rc := dialRaw(t, ts)
				tc.leave(rc)
				if end == "Terminate" {
					rc.send(&pgproto3.Terminate{})
				}
				rc.nc.Close()
				waitIdle(t, ts)

				conn := startPgx(t, ts)
				if conn.PgConn().TxStatus() != 'I' {
					t.Fatalf("new session starts in transaction status %c", conn.PgConn().TxStatus())
				}
				for _, q := range []string{"BEGIN", "SELECT 1", "COMMIT", "PREPARE leftover_p AS SELECT 3", "DEALLOCATE leftover_p"} {
					if _, err := conn.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol); err != nil {
						t.Fatalf("%s in a new session: %v", q, err)
					}
				}
				for q, want := range map[string]string{
					"SELECT count(*) FROM duckdb_tables() WHERE temporary OR table_name LIKE 'leftover%'": "0",
					"SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal":                "0",
					"SELECT count(*) FROM duckdb_functions() WHERE function_name = 'leftover_m'":          "0",
					"SELECT count(*) FROM duckdb_variables()":                                             "0",
					"SELECT current_setting('default_order')":                                             defaultOrder,
					"SHOW search_path": `"$user", public`,
					"SELECT count(*) FROM (SELECT * FROM range(1000)) WHERE range % 2 = 0 AND range IS NOT NULL": "500",
				} {
					if got := queryText(t, conn, q); got != want {
						t.Errorf("%s = %q in a new session, want %q", q, got, want)
					}
				}
				// The long-lived session saw none of it either.
				if got := queryText(t, check, "SELECT count(*) FROM duckdb_tables() WHERE temporary"); got != "0" {
					t.Errorf("another session sees %s temporary tables", got)
				}
			})
		}
	}
}

// succeeds runs a simple query that must not fail.
func (rc *rawClient) succeeds(q string) {
	rc.t.Helper()
	rc.send(&pgproto3.Query{String: q})
	for _, m := range rc.until("ReadyForQuery") {
		if strings.HasPrefix(m, "ErrorResponse") {
			rc.t.Fatalf("%s: %s", q, m)
		}
	}
}

// startPgx connects with pgx's default (cached statement) mode.
func startPgx(t *testing.T, ts *testServer) *pgx.Conn {
	t.Helper()
	return connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
}

// waitIdle waits until no backend connection is in use but the ones of
// sessions that are still open.
func waitIdle(t *testing.T, ts *testServer) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for ts.db.Stats().InUse > 1 { // the test's long-lived session
		if time.Now().After(deadline) {
			t.Fatalf("%d backend connections still in use 5 s after the client went away", ts.db.Stats().InUse)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestStatementTimerCancelsOnlyItsStatement: the statement_timeout timer of
// a statement that has ended, firing late (its callback already waiting),
// must not cancel the statement that runs next.
func TestStatementTimerCancelsOnlyItsStatement(t *testing.T) {
	s := &session{cancel: cancelState{timeoutMillis: "3600000"}}
	ctx1, cancel1 := context.WithCancelCause(context.Background())
	stop1 := s.track(cancel1)
	first := s.cancel.running
	stop1()
	ctx2, cancel2 := context.WithCancelCause(context.Background())
	stop2 := s.track(cancel2)
	defer stop2()
	// The first statement's timer fires now.
	s.cancelStatement(first, errStatementTimeout)
	if err := context.Cause(ctx2); err != nil {
		t.Fatalf("the next statement was cancelled by the previous one's timer: %v", err)
	}
	if ctx1.Err() != nil {
		t.Fatalf("a statement that ended was cancelled")
	}
	// Its own timer, and a CancelRequest, still cancel it.
	s.cancelStatement(s.cancel.running, errStatementTimeout)
	if !errors.Is(context.Cause(ctx2), errStatementTimeout) {
		t.Fatalf("own timer: cause %v", context.Cause(ctx2))
	}
}

// TestStatementTimeoutAtTheEdge runs statements that end around their
// timeout, each followed by one without a timeout that must never be
// cancelled by the timer of the one before.
func TestStatementTimeoutAtTheEdge(t *testing.T) {
	ts := startServer(t)
	conn := startPgx(t, ts)
	ctx := testCtx(t)
	var cancelled int
	for i := range 200 {
		if _, err := conn.Exec(ctx, "SET statement_timeout = '2ms'"); err != nil {
			t.Fatal(err)
		}
		_, err := conn.Exec(ctx, "SELECT count(*) FROM range(200000 + $1::BIGINT)", i*1000)
		if err != nil {
			if !strings.Contains(err.Error(), "statement timeout") {
				t.Fatalf("query: %v", err)
			}
			cancelled++
		}
		if _, err := conn.Exec(ctx, "SET statement_timeout = 0"); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM range(100000)").Scan(&n); err != nil || n != 100000 {
			t.Fatalf("statement after a timed statement (round %d): %d, %v", i, n, err)
		}
	}
	t.Logf("%d of 200 statements hit their 2 ms timeout", cancelled)
}

// flakyBackend fails every other session it is asked to open.
type flakyBackend struct {
	testBackend
	opened atomic.Int64
}

func (b *flakyBackend) OpenSession(ctx context.Context) (*sql.Conn, error) {
	if b.opened.Add(1)%2 == 0 {
		return nil, errors.New("the lake is being repaired")
	}
	return b.testBackend.OpenSession(ctx)
}

// TestSessionThatCannotOpenSaysWhy: a client whose session cannot be opened
// gets a FATAL error with the reason; the others are served meanwhile.
func TestSessionThatCannotOpenSaysWhy(t *testing.T) {
	ts := serveBackend(t, func(db *sql.DB) Backend { return &flakyBackend{testBackend: testBackend{db: db}} }, nil)
	ctx := testCtx(t)
	first := startPgx(t, ts) // opened: 1
	_, err := pgx.Connect(ctx, ts.dsn())
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Severity != "FATAL" || pe.Code != "08006" || !strings.Contains(pe.Message, "the lake is being repaired") {
		t.Fatalf("second session: %v, want FATAL 08006 saying why", err)
	}
	third := startPgx(t, ts) // opened: 3
	for _, c := range []*pgx.Conn{first, third} {
		if got := queryText(t, c, "SELECT 40 + 2"); got != "42" {
			t.Errorf("a healthy session answered %q", got)
		}
	}
}

// TestCancelDuringFetchIsAnError: a cancel that interrupts DuckDB while it
// computes the next rows of a streaming result ends the statement with
// 57014, never with CommandComplete as if the rows sent were all there are.
func TestCancelDuringFetchIsAnError(t *testing.T) {
	ts := startServer(t)
	conn := connectCancelable(t, ts)
	for _, q := range []string{
		// Streams row 0 at once, then scans for a long time inside a fetch.
		"SELECT range FROM range(20000000000) WHERE range % 19999999999 = 0",
		"SELECT count(*) FROM range(20000000000)",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		var got []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		err = rows.Err()
		cancel()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "57014" {
			t.Errorf("%s cancelled mid-fetch: rows %v, err %v; want 57014", q, got, err)
		}
	}
}

// interruptedRows behaves as duckdb-go's streaming rows do when DuckDB is
// interrupted after the query ran but before its rows were fetched: the
// result simply ends, without an error. onNext stands for the cancel that
// arrives at that moment.
type interruptedRows struct{ onNext func() }

func (r *interruptedRows) Next() bool             { r.onNext(); return false }
func (r *interruptedRows) Scan(dest ...any) error { return nil }
func (r *interruptedRows) Err() error             { return nil }
func (r *interruptedRows) Close() error           { return nil }

// TestCancelBeforeFetchIsAnError: a result cut short by a cancel must not
// complete as if it were empty (the chaos test saw count(*) answer no row).
func TestCancelBeforeFetchIsAnError(t *testing.T) {
	for _, cause := range []error{errUserCancel, errStatementTimeout} {
		s := &session{}
		p := &portal{stmt: &statement{sql: "SELECT count(*) FROM t"}}
		p.rows = &interruptedRows{onNext: func() { s.cancelRunning(cause) }}
		p.ctx, p.cancel = context.WithCancelCause(context.Background())
		n, err := s.pump(p, -1, true, nil)
		var pe *pgError
		if !errors.As(err, &pe) || pe.Code != codeQueryCanceled || pe.Message != cause.Error() {
			t.Errorf("%v: %d rows, err %v; want 57014 %q", cause, n, err, cause)
		}
	}
}
