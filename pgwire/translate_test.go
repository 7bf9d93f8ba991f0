package pgwire

import (
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// translatingBackend is a testBackend whose fake SQL translator replaces
// whole statement texts from a table and records what it was asked.
type translatingBackend struct {
	testBackend
	repl map[string]string
	mu   sync.Mutex
	seen []string
}

func (b *translatingBackend) TranslateSQL(q string) string {
	b.mu.Lock()
	b.seen = append(b.seen, q)
	b.mu.Unlock()
	if r, ok := b.repl[strings.TrimSpace(q)]; ok {
		return r
	}
	return q
}

func (b *translatingBackend) asked(q string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.seen {
		if s == q {
			return true
		}
	}
	return false
}

// startTranslatingServer runs a server whose backend translates SQL with
// repl.
func startTranslatingServer(t *testing.T, repl map[string]string) (*testServer, *translatingBackend) {
	t.Helper()
	var b *translatingBackend
	ts := serveBackend(t, func(db *sql.DB) Backend {
		b = &translatingBackend{testBackend: testBackend{db: db}, repl: repl}
		return b
	}, nil)
	return ts, b
}

// TestSQLTranslatorRunsTranslation checks that DuckDB runs the translated
// text, in the simple and the extended protocol, inside DECLARE and COPY,
// and that statements pgwire handles itself are not translated.
func TestSQLTranslatorRunsTranslation(t *testing.T) {
	ts, b := startTranslatingServer(t, map[string]string{
		"SELECT pg_magic()":             "SELECT 42 AS pg_magic",
		"SELECT pg_magic($1::int)":      "SELECT $1::INTEGER + 1 AS pg_magic",
		"SELECT oops FROM pg_nothing":   "SELECT no_such_column FROM (SELECT 1 AS x) s",
		"SELECT 1 AS fallback":          "SELECT this is not sql",
		"SELECT 'inner' AS pg_magic_in": "SELECT 'translated inner' AS pg_magic_in",
	})
	ctx := testCtx(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec, pgx.QueryExecModeCacheStatement} {
		conn := connectPgx(t, ts, mode)
		var n int
		if err := conn.QueryRow(ctx, "SELECT pg_magic()").Scan(&n); err != nil || n != 42 {
			t.Errorf("mode %v: SELECT pg_magic() = %d, %v; want 42", mode, n, err)
		}
		if mode == pgx.QueryExecModeSimpleProtocol {
			// pgx interpolates the parameter: another text
		} else if err := conn.QueryRow(ctx, "SELECT pg_magic($1::int)", 6).Scan(&n); err != nil || n != 7 {
			t.Errorf("mode %v: SELECT pg_magic($1) = %d, %v; want 7", mode, n, err)
		}
		// DuckDB rejects the translation and the original: the error is the
		// translation's, without a position into text the client never sent.
		_, err := conn.Exec(ctx, "SELECT oops FROM pg_nothing")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, "no_such_column") || pe.Position != 0 {
			t.Errorf("mode %v: error = %#v; want the translation's error without position", mode, err)
		}
		// A translation DuckDB rejects falls back to the client's text.
		if err := conn.QueryRow(ctx, "SELECT 1 AS fallback").Scan(&n); err != nil || n != 1 {
			t.Errorf("mode %v: fallback = %d, %v; want 1", mode, n, err)
		}
	}
	conn := connectPgx(t, ts, pgx.QueryExecModeSimpleProtocol)
	for _, q := range []string{"SET application_name = 'x'", "SHOW application_name", "BEGIN", "COMMIT"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if b.asked(q) {
			t.Errorf("%q was passed to the translator", q)
		}
	}

	// The query of a COPY is translated.
	var buf strings.Builder
	if _, err := conn.PgConn().CopyTo(ctx, &buf, "COPY (SELECT 'inner' AS pg_magic_in) TO STDOUT"); err != nil || buf.String() != "translated inner\n" {
		t.Errorf("COPY: %q, %v", buf.String(), err)
	}

	// Simple-query messages with several statements translate each one.
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "SELECT pg_magic(); SELECT 'inner' AS pg_magic_in"})
	got := strings.Join(rc.until("ReadyForQuery"), " | ")
	if !strings.Contains(got, "DataRow 42") || !strings.Contains(got, "DataRow translated inner") {
		t.Errorf("multi-statement query: %s", got)
	}

	// The query of a DECLARE is translated; DECLARE itself is not.
	rc.send(&pgproto3.Query{String: "BEGIN; DECLARE c CURSOR FOR SELECT 'inner' AS pg_magic_in; FETCH 1 FROM c; COMMIT"})
	got = strings.Join(rc.until("ReadyForQuery"), " | ")
	if !strings.Contains(got, "DataRow translated inner") {
		t.Errorf("DECLARE: %s", got)
	}
}
