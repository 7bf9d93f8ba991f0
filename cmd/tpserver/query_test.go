package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// queryCases are statements whose answer `tpserver query -o csv` prints
// as `psql --csv` prints PostgreSQL 15's.
var queryCases = []string{
	`select 7/2, 1 is null, '{"a":1}'::json->'a'`,
	`select -7/2 as q, -7 % 2 as r, 7::float8/2 as f`,
	`select x from (values (1), (null), (2)) t(x) order by x desc`,
	`select 'a_b' like 'a\_b' as escaped, 'abc' similar to 'a%' as similar`,
	`select count(*) / 7 as weeks from generate_series(1, 15)`,
	`select current_database(), true and null as unknown, 'x' || 1 + 2 as cat`,
}

// The query command answers as a client of the server does: translated,
// with PostgreSQL's text values and errors.
func TestQueryPrintsWhatPsqlPrints(t *testing.T) {
	e := newEnv(t)
	e.localPartitionConfig(t, t.TempDir())
	psqlBin := testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	pg := testsupport.RequirePostgres(t, "tester", "tpserver")
	for _, q := range queryCases {
		out, errOut, code := e.run(t, "query", "-o", "csv", q)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", q, code, errOut)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, psqlBin, "-X", "--csv", "-d", pg.DSN(), "-c", q)
		cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
		want, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("psql %s: %v\n%s", q, err, want)
		}
		if out != string(want) {
			t.Errorf("%s:\ntpserver query:\n%s\npsql:\n%s", q, out, want)
		}
	}
	_, errOut, code := e.run(t, "query", "select 1/0")
	if code != 2 || !strings.Contains(errOut, "division by zero") || !strings.Contains(errOut, "22012") {
		t.Errorf("select 1/0: exit %d, %s", code, errOut)
	}
}
