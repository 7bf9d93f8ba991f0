package pgwire_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// The database a client names at startup is the session's database: any
// name is accepted (as Tailpipe users type dbname=tailpipe) and
// current_database(), current_catalog, pg_database, pg_stat_activity and
// information_schema show it; a client naming none gets its user name.
func TestDatabaseNameIsTheClients(t *testing.T) {
	ts, _ := serveCatalog(t)
	ctx := context.Background()
	for _, tc := range []struct{ dsn, want string }{
		{fmt.Sprintf("postgres://tester@%s/tailpipe?sslmode=disable", ts.Addr()), "tailpipe"},
		{fmt.Sprintf("postgres://tester@%s/tpserver?sslmode=disable", ts.Addr()), "tpserver"},
		{fmt.Sprintf("host=127.0.0.1 port=%s user=analyst sslmode=disable", ts.Addr()[strings.LastIndexByte(ts.Addr(), ':')+1:]), "analyst"},
	} {
		conn, err := pgx.Connect(ctx, tc.dsn)
		if err != nil {
			t.Fatal(err)
		}
		var cur, cat, datnames, activity, schemaCat string
		q := `SELECT current_database(), current_catalog,
			(SELECT string_agg(datname, ',') FROM pg_database),
			(SELECT string_agg(DISTINCT datname, ',') FROM pg_stat_activity),
			(SELECT string_agg(DISTINCT catalog_name, ',') FROM information_schema.schemata)`
		if err := conn.QueryRow(ctx, q).Scan(&cur, &cat, &datnames, &activity, &schemaCat); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		got := strings.Join([]string{cur, cat, datnames, activity, schemaCat}, " ")
		if want := strings.Repeat(tc.want+" ", 5); got+" " != want {
			t.Errorf("%s: got %q, want %q", tc.dsn, got, want)
		}
	}
}

// psql's \l lists the database psql connected to.
func TestDatabaseNamePsqlList(t *testing.T) {
	psql := testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	ts, _ := serveCatalog(t)
	port := ts.Addr()[strings.LastIndexByte(ts.Addr(), ':')+1:]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-h", "127.0.0.1", "-p", port, "-U", "tester", "-d", "tailpipe", "-X", "-A", "-t", "-c", `\l`)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql \\l: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "tailpipe|tester|UTF8|") {
		t.Errorf("psql \\l lists %q, want the one database tailpipe owned by tester", out)
	}
}
