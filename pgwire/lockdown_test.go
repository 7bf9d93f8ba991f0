package pgwire_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// lockdownEnv is a catalog with one collected row, served to a reader and
// an analyst (users who log in with a password), and a directory outside
// the data dir that attacks read and write.
type lockdownEnv struct {
	dataDir, outside, lakeFile string
	addr                       string
}

// lockdownPassword is every test user's password.
const lockdownPassword = "lockdown-test"

func newLockdownEnv(t *testing.T) *lockdownEnv {
	t.Helper()
	env := &lockdownEnv{dataDir: t.TempDir(), outside: t.TempDir()}
	if err := os.WriteFile(filepath.Join(env.outside, "secret.csv"), []byte("secret\nhunter2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Open(context.Background(), catalog.Options{DataDir: env.dataDir, Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	env.lakeFile = publishLakeRow(t, cat, env.dataDir)
	env.addr = serveUsers(t, cat)
	return env
}

// publishLakeRow writes one CloudTrail row as a lake file with its
// manifest, as the collector would, and returns the file's path.
func publishLakeRow(t *testing.T, cat *catalog.Catalog, dir string) string {
	t.Helper()
	key := lake.PartitionKey{Table: lake.CloudTrailTableName, Partition: "p", Index: "default", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := os.MkdirAll(key.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{"event_id": "'e1'", "event_time": "TIMESTAMP '2024-01-02 03:04:05'", "tp_id": "'id1'"}
	file := filepath.Join(key.Dir(dir), "data_x_0"+lake.DataFileExt)
	// The data dir is the one place the locked engine may write.
	if _, err := cat.DB().Exec(fmt.Sprintf("COPY (SELECT %s) TO '%s' (FORMAT parquet)", duckdbtest.CloudTrailRow(vals), file)); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, file)
	m := lake.Manifest{Version: 1, Batch: 1, Files: []lake.DataFile{{Path: filepath.ToSlash(rel), Rows: 1, Size: 9000}}}
	b, _ := json.Marshal(m)
	if err := os.WriteFile(lake.ManifestPath(dir, key.Table, key.Partition), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// serveUsers serves cat to the users "reader" and "analyst", of those
// roles, and returns the server's address.
func serveUsers(t *testing.T, cat *catalog.Catalog) string {
	t.Helper()
	v, err := config.NewSCRAMVerifier(lockdownPassword)
	if err != nil {
		t.Fatal(err)
	}
	creds := pgwire.SCRAMCredentials{Iterations: v.Iterations, Salt: v.Salt, StoredKey: v.StoredKey, ServerKey: v.ServerKey}
	users := map[string]pgwire.User{
		"reader":  {Role: pgwire.RoleReader, Credentials: creds},
		"analyst": {Role: pgwire.RoleAnalyst, Credentials: creds},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := pgwire.NewServer(cat, pgwire.Options{Users: users, Logger: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// connectAs logs in to addr as user with pgx.
func connectAs(t *testing.T, addr, user string, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s:%s@%s/tpserver?sslmode=disable", user, lockdownPassword, addr))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(pgwire.TestCtx(t), cfg)
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// attack is a statement every role must be refused; query attacks are
// SELECTs, which the tests also hide in a CTE, a subquery, a view and a
// cursor.
type attack struct {
	sql   string
	query bool
}

// attacks returns the statements; {out} is a directory outside the data
// dir, {data} the data dir and {lake} a lake file.
func (env *lockdownEnv) attacks() []attack {
	q := func(s string) attack { return attack{sql: s, query: true} }
	s := func(s string) attack { return attack{sql: s} }
	list := []attack{
		// DuckDB's file readers, the environment, secrets, SQL in text.
		q("SELECT * FROM read_csv('{out}/secret.csv')"),
		q("SELECT * FROM read_csv_auto('{out}/secret.csv')"),
		q("SELECT * FROM read_csv(['{out}/secret.csv'])"),
		q("SELECT * FROM main.read_csv('{out}/secret.csv')"),
		q("SELECT * FROM csv_scan('{out}/secret.csv')"),
		q("SELECT * FROM read_csv('{lake}')"),
		q("SELECT * FROM read_parquet('{lake}')"),
		q("SELECT * FROM parquet_scan('{lake}')"),
		q("SELECT * FROM parquet_metadata('{lake}')"),
		q("SELECT * FROM parquet_schema('{lake}')"),
		q("SELECT * FROM parquet_file_metadata('{lake}')"),
		q("SELECT * FROM parquet_kv_metadata('{lake}')"),
		q("SELECT * FROM parquet_bloom_probe('{lake}', 'event_id', 'e1')"),
		q("SELECT * FROM read_json('{out}/secret.csv')"),
		q("SELECT * FROM read_json_auto('{out}/secret.csv')"),
		q("SELECT * FROM read_ndjson('{out}/secret.csv')"),
		q("SELECT * FROM read_json_objects('{out}/secret.csv')"),
		q("SELECT * FROM read_ndjson_objects('{out}/secret.csv')"),
		q("SELECT * FROM read_text('/etc/passwd')"),
		q("SELECT * FROM read_blob('/etc/passwd')"),
		q("SELECT * FROM glob('/etc/*')"),
		q("SELECT * FROM glob('{data}/*')"),
		q("SELECT * FROM sniff_csv('/etc/passwd')"),
		q("SELECT * FROM iceberg_scan('{out}/ice')"),
		q("SELECT * FROM delta_scan('{out}/delta')"),
		q("SELECT * FROM read_xlsx('{out}/x.xlsx')"),
		q("SELECT * FROM read_duckdb('{data}/" + catalog.DatabaseFile + "')"),
		q("SELECT * FROM duckdb_secrets()"),
		q("SELECT * FROM which_secret('s3://bucket/x', 's3')"),
		q("SELECT getenv('HOME')"),
		q("SELECT * FROM query('SELECT 1')"),
		q("SELECT * FROM query_table('aws_cloudtrail_log')"),
		q("SELECT * FROM pg_read_file('/etc/passwd')"),
		// Replacement scans: a file named where a table is expected.
		q("SELECT * FROM '{out}/secret.csv'"),
		q(`SELECT * FROM "{out}/secret.csv"`),
		q("SELECT * FROM '{lake}'"),
		q("SELECT 1 FROM aws_cloudtrail_log, '{out}/secret.csv'"),
		q("SELECT * FROM aws_cloudtrail_log JOIN '{out}/secret.csv' ON true"),
		s("FROM '{out}/secret.csv'"),
		s("SUMMARIZE '{out}/secret.csv'"),
		s("DESCRIBE '{out}/secret.csv'"),
		// COPY to and from files and programs.
		s("COPY (SELECT 1) TO '{out}/x.csv'"),
		s("COPY aws_cloudtrail_log TO '{out}/x.parquet' (FORMAT parquet)"),
		s("COPY (SELECT 1) TO '{data}/x.csv'"),
		s("COPY attack_t FROM '{out}/secret.csv'"),
		s("COPY (SELECT 1) TO PROGRAM 'touch {out}/p'"),
		s("COPY (FROM read_csv('{out}/secret.csv')) TO STDOUT"),
		s("COPY (SELECT * FROM read_text('/etc/passwd')) TO STDOUT"),
		// Other databases, exports, extensions.
		s("ATTACH '{out}/x.duckdb' AS x"),
		s("ATTACH ':memory:' AS m"),
		s("DETACH x"),
		s("USE memory"),
		s("EXPORT DATABASE '{out}/exp'"),
		s("IMPORT DATABASE '{out}/exp'"),
		s("INSTALL httpfs"),
		s("FORCE INSTALL httpfs"),
		s("LOAD httpfs"),
		s("UPDATE EXTENSIONS"),
		// Engine settings and the backend's variables.
		s("SET GLOBAL enable_external_access = true"),
		s("SET enable_external_access = true"),
		s("RESET enable_external_access"),
		s("SET allowed_directories = '[/]'"),
		s("SET threads = 1"),
		s("SET memory_limit = '1TB'"),
		s("SET autoinstall_known_extensions = true"),
		s("SET lock_configuration = false"),
		s("RESET GLOBAL threads"),
		s("PRAGMA threads = 1"),
		s("PRAGMA enable_profiling"),
		s("CALL pragma_database_size()"),
		s("SET VARIABLE tp_pg_owner = 1"),
		s("RESET VARIABLE tp_pg_session"),
		// Settings that name files the engine writes: inside the data dir
		// the engine lock allows it, so the classifier must refuse.
		s("SET profiling_output = '{data}/aws_cloudtrail_log/profile.json'"),
		s("SET profiling_output = '{out}/profile.json'"),
		s("RESET profiling_output"),
		s("SET log_query_path = '{data}/queries.log'"),
		s("SET GLOBAL temp_directory = '{out}/spill'"),
		q("SELECT set_config('profiling_output', '{data}/p.json', false)"),
		// Secrets.
		s("CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')"),
		s("CREATE PERSISTENT SECRET s2 (TYPE s3, KEY_ID 'a', SECRET 'b')"),
		s("DROP SECRET s"),
		// The lake views, tpserver's schema and the emulated catalog.
		s("DROP VIEW aws_cloudtrail_log"),
		s("DROP VIEW IF EXISTS main.aws_cloudtrail_log CASCADE"),
		s("CREATE OR REPLACE VIEW aws_cloudtrail_log AS SELECT 1 AS a"),
		s("ALTER VIEW aws_cloudtrail_log RENAME TO gone"),
		s("COMMENT ON VIEW aws_cloudtrail_log IS 'x'"),
		s("CREATE TABLE aws_cloudtrail_log AS SELECT 1 AS a"),
		s("DROP VIEW tpserver.partitions"),
		s("CREATE TABLE tpserver.x (a INTEGER)"),
		s("DROP SCHEMA tpserver CASCADE"),
		s("ALTER SCHEMA tpserver RENAME TO y"),
		s("DROP SCHEMA main CASCADE"),
		s("INSERT INTO tpserver.partitions SELECT * FROM tpserver.partitions"),
		s("INSERT INTO tp_pg_catalog.tp_lake_stats VALUES ('x', 1, 1)"),
		s("DELETE FROM tp_pg_catalog.tp_lake_stats"),
		s("UPDATE tp_pg_catalog.tp_lake_stats SET relname = 'x'"),
		s("TRUNCATE tp_pg_catalog.tp_lake_stats"),
		s("DROP TABLE tp_pg_catalog.tp_lake_stats"),
		s("ALTER TABLE tp_pg_catalog.tp_lake_stats ADD COLUMN z INTEGER"),
		s("CREATE OR REPLACE VIEW tp_information_schema.tables AS SELECT 1 AS a"),
		s("CREATE MACRO current_setting(x) AS 'x'"),
		s("CREATE OR REPLACE MACRO tp_pg_catalog.pg_get_userbyid(x) AS 'x'"),
		s("CREATE TABLE stolen AS SELECT * FROM read_csv('{out}/secret.csv')"),
		s("WITH w AS (SELECT 1) INSERT INTO tpserver.partitions SELECT * FROM tpserver.partitions"),
	}
	r := strings.NewReplacer("{out}", env.outside, "{data}", env.dataDir, "{lake}", env.lakeFile)
	for i := range list {
		list[i].sql = r.Replace(list[i].sql)
	}
	return list
}

// wrappings returns the forms an attack is sent in, by name. A SET or
// RESET of a DuckDB setting is refused when it runs, not when it is only
// parsed: whether DuckDB keeps a setting for the whole engine shows only
// when the session applies it (setshow.go), so it has no describe form.
func wrappings(a attack) map[string]string {
	w := map[string]string{
		"plain":     a.sql,
		"multi":     "SELECT 1; " + a.sql + "; SELECT 2",
		"prepare":   "PREPARE attack_p AS " + a.sql,
		"explain":   "EXPLAIN " + a.sql,
		"extended":  a.sql, // sent with Parse/Bind/Execute
		"tx":        a.sql, // inside a transaction block
		"semicolon": a.sql + ";",
	}
	if words := strings.Fields(a.sql); words[0] != "SET" && words[0] != "RESET" || words[1] == "GLOBAL" || words[1] == "VARIABLE" {
		w["describe"] = a.sql // Parse and Describe only
	}
	if a.query {
		w["cte"] = "WITH a AS (" + a.sql + ") SELECT * FROM a"
		w["subquery"] = "SELECT * FROM (" + a.sql + ") AS s"
		w["view"] = "CREATE VIEW attack_v AS " + a.sql
		w["cursor"] = "DECLARE attack_c CURSOR FOR " + a.sql
		w["copy"] = "COPY (" + a.sql + ") TO STDOUT"
		w["ctas"] = "CREATE TABLE attack_t2 AS " + a.sql
	}
	return w
}

// TestLockdownAttacks sends every attack, in every wrapping, as a reader
// and as an analyst: each is refused with 42501, the session goes on, the
// lake's files stay byte-identical and nothing appears outside the data
// dir.
func TestLockdownAttacks(t *testing.T) {
	env := newLockdownEnv(t)
	lakeBefore, outBefore := checksums(t, env.dataDir, true), checksums(t, env.outside, false)
	attacks := env.attacks()
	if len(attacks) < 60 {
		t.Fatalf("only %d attacks", len(attacks))
	}
	sent := 0
	for _, user := range []string{"reader", "analyst"} {
		simple := connectAs(t, env.addr, user, pgx.QueryExecModeSimpleProtocol)
		extended := connectAs(t, env.addr, user, pgx.QueryExecModeExec)
		for _, a := range attacks {
			for form, text := range wrappings(a) {
				sent++
				if err := sendAttack(t, simple, extended, form, text); err != nil {
					t.Errorf("%s %s: %s: %v", user, form, text, err)
				}
			}
		}
		for _, conn := range []*pgx.Conn{simple, extended} {
			if got := rowsOf(t, conn, "SELECT count(*) FROM aws_cloudtrail_log"); got != "1" {
				t.Errorf("%s: the lake view after the attacks has %s rows, want 1", user, got)
			}
		}
	}
	t.Logf("%d attacks, %d statements sent", len(attacks), sent)
	if after := checksums(t, env.dataDir, true); !equalMaps(lakeBefore, after) {
		t.Errorf("lake files changed:\nbefore %v\nafter  %v", lakeBefore, after)
	}
	if after := checksums(t, env.outside, false); !equalMaps(outBefore, after) {
		t.Errorf("files outside the data dir changed:\nbefore %v\nafter  %v", outBefore, after)
	}
}

// sendAttack sends one wrapped attack and returns why it was not refused
// properly.
func sendAttack(t *testing.T, simple, extended *pgx.Conn, form, text string) error {
	ctx := pgwire.TestCtx(t)
	var err error
	switch form {
	case "extended":
		_, err = extended.Exec(ctx, text)
	case "describe":
		_, err = extended.Prepare(ctx, "attack_s", text)
		extended.Deallocate(ctx, "attack_s")
	case "tx":
		if _, e := simple.Exec(ctx, "BEGIN"); e != nil {
			return e
		}
		_, err = simple.Exec(ctx, text)
		var after error
		if _, after = simple.Exec(ctx, "SELECT 1"); pgCodeOf(after) != "25P02" {
			err = fmt.Errorf("after the refusal the block is not failed: %v (first error %v)", after, err)
		}
		if _, e := simple.Exec(ctx, "ROLLBACK"); e != nil {
			return e
		}
	default:
		_, err = simple.Exec(ctx, text)
	}
	if code := pgCodeOf(err); code != "42501" {
		return fmt.Errorf("got %v, want 42501", err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !strings.HasPrefix(pe.Message, "permission denied: ") {
		return fmt.Errorf("message %q", pe.Message)
	}
	// The session goes on.
	if _, err := simple.Exec(ctx, "SELECT 1"); err != nil {
		return fmt.Errorf("session after the refusal: %w", err)
	}
	return nil
}

func pgCodeOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// checksums maps every file under dir to its SHA-256; lakeOnly leaves out
// the catalog's own database files.
func checksums(t *testing.T, dir string, lakeOnly bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if lakeOnly && strings.HasPrefix(d.Name(), catalog.DatabaseFile) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[p] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestLockdownRoles checks what each role may still do: analysts keep
// their own tables and views, which every user reads; readers read, set
// session parameters, use cursors, prepared statements, COPY TO STDOUT and
// transactions, and change nothing.
func TestLockdownRoles(t *testing.T) {
	env := newLockdownEnv(t)
	ctx := pgwire.TestCtx(t)
	analyst := connectAs(t, env.addr, "analyst", pgx.QueryExecModeSimpleProtocol)
	for _, q := range []string{
		"CREATE TABLE mine AS SELECT event_id, event_time FROM aws_cloudtrail_log",
		"INSERT INTO mine SELECT event_id, event_time FROM aws_cloudtrail_log",
		"CREATE VIEW my_events AS SELECT event_id FROM mine",
		"CREATE TABLE scratch (a INTEGER)",
		"INSERT INTO scratch VALUES (1), (2)",
		"UPDATE scratch SET a = a + 10",
		"DELETE FROM scratch WHERE a = 12",
		"ALTER TABLE scratch ADD COLUMN b INTEGER",
		"CREATE TEMP MACRO twice(x) AS x * 2",
		"SET VARIABLE answer = 41",
	} {
		if _, err := analyst.Exec(ctx, q); err != nil {
			t.Fatalf("analyst: %s: %v", q, err)
		}
	}
	if got := rowsOf(t, analyst, "SELECT count(*), min(twice(a)), getvariable('answer') + 1 FROM my_events, scratch"); got != "2|22|42" {
		t.Errorf("analyst's objects: %q", got)
	}

	reader := connectAs(t, env.addr, "reader", pgx.QueryExecModeSimpleProtocol)
	if got := rowsOf(t, reader, "SELECT count(*) FROM my_events"); got != "2" {
		t.Errorf("reader reads the analyst's view: %q", got)
	}
	for _, q := range []string{
		"SET TimeZone = 'Europe/Paris'", "SET search_path = main", "SET default_order = 'desc'", "RESET TimeZone",
		"SHOW TimeZone", "EXPLAIN SELECT * FROM aws_cloudtrail_log", "BEGIN READ ONLY", "DECLARE c CURSOR FOR SELECT event_id FROM aws_cloudtrail_log",
		"FETCH 1 FROM c", "CLOSE c", "COMMIT", "PREPARE p AS SELECT count(*) FROM mine", "EXECUTE p", "DEALLOCATE p",
		"COPY (SELECT event_id FROM aws_cloudtrail_log) TO STDOUT", "SUMMARIZE aws_cloudtrail_log", "SET VARIABLE mine = 1",
		"FROM aws_cloudtrail_log SELECT event_id",
	} {
		if _, err := reader.Exec(ctx, q); err != nil {
			t.Errorf("reader: %s: %v", q, err)
		}
	}
	for _, q := range []string{
		"CREATE TABLE r AS SELECT 1 AS a", "CREATE VIEW rv AS SELECT * FROM aws_cloudtrail_log", "INSERT INTO scratch VALUES (3)",
		"UPDATE scratch SET a = 0", "DELETE FROM scratch", "DROP TABLE scratch", "DROP VIEW my_events", "ALTER TABLE mine RENAME TO yours",
		"TRUNCATE mine", "CREATE SCHEMA s", "COPY scratch FROM STDIN", "PREPARE w AS INSERT INTO scratch VALUES (4)",
		"EXPLAIN ANALYZE DELETE FROM scratch", "WITH d AS (DELETE FROM scratch RETURNING a) SELECT * FROM d",
		"CREATE OR REPLACE TABLE r AS FROM aws_cloudtrail_log", "INSERT OR REPLACE INTO scratch VALUES (5, 5)", "CHECKPOINT",
	} {
		if _, err := reader.Exec(ctx, q); pgCodeOf(err) != "42501" {
			t.Errorf("reader: %s: %v, want 42501", q, err)
		}
	}
	if got := rowsOf(t, analyst, "SELECT count(*) FROM scratch"); got != "1" {
		t.Errorf("scratch after the reader's attempts: %q rows, want 1", got)
	}
	for _, q := range []string{"DROP VIEW my_events", "DROP TABLE mine", "DROP TABLE scratch"} {
		if _, err := analyst.Exec(ctx, q); err != nil {
			t.Errorf("analyst: %s: %v", q, err)
		}
	}
}

// TestLockdownPsql sends a few attacks through psql.
func TestLockdownPsql(t *testing.T) {
	psql := testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	env := newLockdownEnv(t)
	_, port, _ := net.SplitHostPort(env.addr)
	for _, user := range []string{"reader", "analyst"} {
		for _, q := range []string{
			"select * from read_csv('/etc/passwd')",
			"copy (select 1) to '" + env.outside + "/x.csv'",
			"attach '" + env.outside + "/x.duckdb' as x",
			"drop view aws_cloudtrail_log",
			"install httpfs",
			"set enable_external_access = true",
		} {
			cmd := exec.Command(psql, "-h", "127.0.0.1", "-p", port, "-U", user, "-d", "tpserver", "-X", "-v", "ON_ERROR_STOP=1", "-c", q, "-c", "select count(*) from aws_cloudtrail_log")
			cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable", "PG_COLOR=never", "PGPASSWORD="+lockdownPassword)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "ERROR:  permission denied") {
				t.Errorf("psql as %s: %s: %v %q", user, q, err, out)
			}
		}
	}
	names := []string{}
	for n := range checksums(t, env.outside, false) {
		names = append(names, filepath.Base(n))
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "secret.csv" {
		t.Errorf("files outside the data dir: %v", names)
	}
}
