package pgsql

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestColumnNamesMatchPostgres compares PostgresColumnNames with the
// RowDescription of a real PostgreSQL for every corpus statement it names.
// It runs against a throwaway PostgreSQL 15 cluster, or the scratch database
// TPSERVER_TEST_POSTGRES names (e.g. "host=/tmp port=5432 user=postgres
// dbname=cloudtrail"); the test creates the corpus's table and view there
// when missing.
func TestColumnNamesMatchPostgres(t *testing.T) {
	dsn := os.Getenv("TPSERVER_TEST_POSTGRES")
	if dsn == "" {
		dsn = testsupport.RequirePostgres(t, "tester", "cloudtrail").DSN()
	}
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	setup := `CREATE TABLE IF NOT EXISTS aws_cloudtrail_log(event_id text PRIMARY KEY, event_time timestamptz NOT NULL,
		event_name text, event_source text, aws_region text, source_ip_address text, user_agent text, user_identity jsonb,
		error_code text, read_only boolean, request_parameters jsonb, recipient_account_id text);
		CREATE OR REPLACE VIEW failed_events AS SELECT * FROM aws_cloudtrail_log WHERE error_code IS NOT NULL`
	if _, err := c.Exec(ctx, setup).ReadAll(); err != nil {
		t.Fatal(err)
	}
	stmts := loadCorpus(t)
	for _, c := range ruleCases {
		stmts = append(stmts, corpusStatement{file: "rule " + c.rule, sql: c.in})
	}
	compared := 0
	for _, s := range stmts {
		names, ok := PostgresColumnNames(s.sql)
		if !ok {
			continue
		}
		sd, err := c.Prepare(ctx, "", s.sql, nil)
		if err != nil {
			continue // e.g. a rule case naming a table that does not exist
		}
		compared++
		var pg []string
		for _, f := range sd.Fields {
			pg = append(pg, f.Name)
		}
		if strings.Join(pg, ",") != strings.Join(names, ",") {
			t.Errorf("%s: PostgreSQL names %q, PostgresColumnNames %q:\n%s", s.file, pg, names, s.sql)
		}
	}
	t.Logf("%d statements compared", compared)
}
