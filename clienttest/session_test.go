package clienttest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestSessionStateInSQL checks that what a session SETs is what SQL sees:
// current_setting(), pg_settings, current_schemas(), current_user and the
// role list follow the session, on tpserver exactly as on PostgreSQL 15.
func TestSessionStateInSQL(t *testing.T) {
	fx := setup(t)
	if fx.pgErr != nil {
		testsupport.Missing(t, "PostgreSQL 15 ("+fx.pgErr.Error()+")", "apt-get install postgresql-15")
	}
	steps := []string{
		"SELECT current_user, session_user, user, current_role",
		"SELECT current_setting('search_path'), current_schemas(false), current_schemas(true), current_schema()",
		"SET search_path TO public, pg_catalog",
		"SELECT current_setting('search_path'), current_schemas(false), current_schemas(true), current_schema()",
		"SELECT 'alltypes'::regclass::text, 'pg_class'::regclass::text, 'int4'::regtype::text, 'pg_catalog'::regnamespace::text, 'now'::regproc::text",
		"SELECT 'alltypes'::regclass, 'int4'::regtype, c.oid::regclass FROM pg_class c WHERE c.oid = 'alltypes'::regclass",
		"SET search_path TO pg_catalog",
		"SELECT current_schemas(false), current_schemas(true), current_schema()",
		"SELECT 'public.alltypes'::regclass",
		"SELECT 'public.alltypes'::regclass::text, CAST('pg_type'::regclass AS varchar)",
		"SET search_path TO no_such_schema, public",
		"SELECT current_schemas(false), current_schema()",
		"RESET search_path",
		"SELECT current_schemas(true)",
		"SET application_name = 'weekly report'",
		"SELECT current_setting('application_name'), (SELECT setting FROM pg_settings WHERE name = 'application_name')",
		"SET statement_timeout = '90s'",
		"SELECT current_setting('statement_timeout'), current_setting('STATEMENT_TIMEOUT')",
		"SET my.tenant = 'acme'",
		"SELECT current_setting('my.tenant'), current_setting('my.missing', true)",
		"BEGIN",
		"SET LOCAL application_name = 'inside'",
		"SELECT current_setting('application_name')",
		"ROLLBACK",
		"SELECT current_setting('application_name')",
		"SELECT set_config('application_name', 'via set_config', false)",
		"SELECT current_setting('application_name')",
		"SHOW application_name",
		"BEGIN",
		"SELECT set_config('search_path', 'pg_catalog', true), set_config('my.flag', 'on', true)",
		"SELECT current_schemas(false), current_setting('my.flag')",
		"COMMIT",
		"SELECT current_schemas(false), current_setting('my.flag', true)",
		"SELECT set_config('search_path', 'pg_catalog, public', false)",
		"SELECT current_schemas(false)",
		"SELECT set_config('search_path', 'public', true)",
		"SELECT current_schemas(false)",
		"RESET search_path",
		"SELECT rolname, rolsuper FROM pg_roles WHERE rolname = current_user",
		"SELECT pg_get_userbyid(10) = current_user",
		"SELECT has_schema_privilege(current_user, 'public', 'USAGE')",
	}
	run := func(tg target) []string {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, tg.dsn())
		if err != nil {
			t.Fatalf("%s: %v", tg.name, err)
		}
		defer conn.Close(ctx)
		var out []string
		for _, q := range steps {
			rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				t.Fatalf("%s: %s: %v", tg.name, q, err)
			}
			var lines []string
			for rows.Next() {
				var vals []string
				for _, v := range rows.RawValues() {
					vals = append(vals, textOf(v, v == nil))
				}
				lines = append(lines, strings.Join(vals, "|"))
			}
			if err := rows.Err(); err != nil {
				out = append(out, q+" -> ERROR "+sqlState(err))
				continue
			}
			out = append(out, q+" -> "+strings.Join(lines, "; "))
		}
		// An unknown parameter is an error, as in PostgreSQL.
		_, err = conn.Exec(ctx, "SELECT current_setting('no.such_parameter')", pgx.QueryExecModeSimpleProtocol)
		out = append(out, "unknown parameter -> "+map[bool]string{true: "error", false: "no error"}[err != nil])
		// set_config reports a reported parameter as SET does, through
		// the extended protocol too.
		if _, err := conn.Exec(ctx, "SELECT set_config('application_name', 'reported', false)", pgx.QueryExecModeDescribeExec); err != nil {
			t.Fatalf("%s: %v", tg.name, err)
		}
		out = append(out, "ParameterStatus application_name -> "+conn.PgConn().ParameterStatus("application_name"))
		return out
	}
	tp, pg := run(fx.tp), run(fx.pg)
	for i := range pg {
		if i >= len(tp) || tp[i] != pg[i] {
			got := "(missing)"
			if i < len(tp) {
				got = tp[i]
			}
			t.Errorf("tpserver: %s\npostgres: %s", got, pg[i])
		}
	}
	if !t.Failed() {
		t.Logf("%d session steps agree with PostgreSQL 15", len(pg))
	}
}
