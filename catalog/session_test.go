package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A client session's connection divides integers and orders NULLs as
// PostgreSQL does; the engine's other connections keep DuckDB's defaults.
func TestSessionSettingsArePostgres(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got string
	const q = `SELECT concat_ws(' ', 7/2, -7/2, 7/-2, -7/-2, 15::BIGINT/7, 7.0::DOUBLE/2,
		(SELECT string_agg(coalesce(x::VARCHAR, 'null'), ',' ORDER BY x DESC) FROM (VALUES (1), (NULL), (2)) t(x)),
		(SELECT string_agg(coalesce(x::VARCHAR, 'null'), ',' ORDER BY x) FROM (VALUES (1), (NULL), (2)) t(x)))`
	if err := conn.QueryRowContext(ctx, q).Scan(&got); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL: 3 -3 -3 3 2 3.5 null,2,1 1,2,null
	if want := "3 -3 -3 3 2 3.5 null,2,1 1,2,null"; got != want {
		t.Errorf("session: got %q, want %q", got, want)
	}
	// The engine-wide defaults are untouched: another connection divides
	// as DuckDB does.
	if err := c.DB().QueryRowContext(ctx, "SELECT (7/2)::VARCHAR").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "3.5" {
		t.Errorf("engine default changed: 7/2 = %s", got)
	}
	// The emulated catalog still answers on a session connection.
	if err := conn.QueryRowContext(ctx, "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM "+PGCatalogSchema+".pg_namespace").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "pg_catalog") {
		t.Errorf("pg_namespace on a session: %q", got)
	}
}

// mod() and div() divide as PostgreSQL's do, by zero included.
func TestDivModArePostgres(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	ctx := context.Background()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got string
	q := c.TranslateSQL(`SELECT concat_ws(' ', mod(-7, 2), mod(7, -2), mod(7.5, 2), div(7, 2), div(-7, 2), div(7.5, 2))`)
	if err := conn.QueryRowContext(ctx, q).Scan(&got); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	// PostgreSQL: -1 1 1.5 3 -3 3
	if want := "-1 1 1.5 3 -3 3"; got != want {
		t.Errorf("%s: got %q, want %q", q, got, want)
	}
	for _, q := range []string{`SELECT mod(7, 0)`, `SELECT div(7, 0)`, `SELECT mod(x, y) FROM (VALUES (1, 0)) t(x, y)`} {
		tq := c.TranslateSQL(q)
		err := conn.QueryRowContext(ctx, tq).Scan(&got)
		if err == nil || !strings.Contains(err.Error(), "division by zero") {
			t.Errorf("%s (%s): got %v, want division by zero", q, tq, err)
		}
	}
}

// Each statement of a multi-statement Query sees what the statements
// before it changed: the session's parameters (SET, set_config), views
// replaced, and the emulated catalog. pgwire runs such a statement on the
// prepared statement that describing it made, which DuckDB binds when it
// prepares (session variables and views included), so the session's
// state must be brought up to date before that.
func TestQueryStatementsSeeWhatRanBefore(t *testing.T) {
	c := startTPServer(t)
	ctx := context.Background()
	const script = `SET application_name = 'dash'; SELECT current_setting('application_name');
SELECT set_config('application_name', 'board', false); SELECT current_setting('application_name');
CREATE VIEW smallq_v AS SELECT 1 AS a; SELECT a FROM smallq_v;
CREATE OR REPLACE VIEW smallq_v AS SELECT 2 AS a; SELECT a FROM smallq_v;
SELECT count(*) FROM pg_class WHERE relname = 'smallq_v'`
	results, err := c.Exec(ctx, script).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: "dash", 3: "board", 5: "1", 7: "2", 8: "1"}
	if len(results) != 9 {
		t.Fatalf("%d results, want 9", len(results))
	}
	for i, w := range want {
		r := results[i]
		if r.Err != nil || len(r.Rows) != 1 || string(r.Rows[0][0]) != w {
			t.Errorf("result %d: rows %q, err %v; want %q", i, r.Rows, r.Err, w)
		}
	}
}

// A statement the client parsed and then runs sees what ran in between:
// a SET of its own session, and a view another session created (reported
// to the emulated catalog).
func TestParsedStatementSeesWhatRanInBetween(t *testing.T) {
	c := startTPServer(t)
	ctx := context.Background()
	other, err := pgconn.Connect(ctx, "postgres://tester@"+c.Conn().RemoteAddr().String()+"/tpserver?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	run := func(conn *pgconn.PgConn, q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q).ReadAll(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	prepared := func(name string) string {
		t.Helper()
		r := c.ExecPrepared(ctx, name, nil, nil, nil).Read()
		if r.Err != nil || len(r.Rows) != 1 {
			t.Fatalf("%s: rows %q, %v", name, r.Rows, r.Err)
		}
		return string(r.Rows[0][0])
	}
	run(c, "SET application_name = 'before'")
	if _, err := c.Prepare(ctx, "setting", "SELECT current_setting('application_name')", nil); err != nil {
		t.Fatal(err)
	}
	run(c, "SET application_name = 'after'")
	if got := prepared("setting"); got != "after" {
		t.Errorf("current_setting = %q, want the value SET after the statement was parsed", got)
	}
	if _, err := c.Prepare(ctx, "relations", "SELECT count(*) FROM pg_class WHERE relname = 'smallq_w'", nil); err != nil {
		t.Fatal(err)
	}
	run(other, "CREATE VIEW smallq_w AS SELECT 1 AS a")
	if got := prepared("relations"); got != "1" {
		t.Errorf("pg_class rows for a view another session created after the statement was parsed: %s, want 1", got)
	}
}
