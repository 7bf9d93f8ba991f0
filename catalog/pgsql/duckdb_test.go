package pgsql

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// standInDDL creates minimal emulation schemas: views over DuckDB's own
// pg_catalog and information_schema, and a few macros.
var standInDDL = []string{
	`CREATE SCHEMA tp_pg_catalog`,
	`CREATE SCHEMA tp_information_schema`,
	`CREATE VIEW tp_pg_catalog.pg_roles AS SELECT 10::BIGINT AS oid, 'duckdb' AS rolname, true AS rolsuper`,
	`CREATE MACRO tp_pg_catalog.format_type(t, m) AS pg_catalog.format_type(t, m)`,
	`CREATE MACRO tp_pg_catalog.pg_get_userbyid(o) AS 'duckdb'`,
	`CREATE MACRO tp_pg_catalog.pg_table_is_visible(o) AS true`,
	`CREATE MACRO tp_information_schema._pg_expandarray(a) AS unnest(list_transform(range(1, len(a) + 1), i -> {'x': a[i], 'n': i}))`,
	`CREATE MACRO tp_pg_catalog.pg_get_keywords() AS TABLE SELECT 'select' AS word, 'R' AS catcode, 'reserved' AS catdesc`,
}

func init() {
	for _, t := range []struct{ typ, view, col string }{
		{"regclass", "pg_class", "relname"}, {"regtype", "pg_type", "typname"}, {"regproc", "pg_proc", "proname"},
		{"regprocedure", "pg_proc", "proname"}, {"regnamespace", "pg_namespace", "nspname"},
		{"regrole", "pg_roles", "rolname"}, {"regoper", "pg_proc", "proname"},
	} {
		standInDDL = append(standInDDL, `CREATE MACRO tp_pg_catalog.to_`+t.typ+`(x) AS COALESCE(TRY_CAST(x AS BIGINT), (SELECT oid FROM tp_pg_catalog.`+t.view+` WHERE `+t.col+` = CAST(x AS VARCHAR) LIMIT 1))`,
			`CREATE MACRO tp_pg_catalog.`+t.typ+`_out(o) AS (SELECT min(`+t.col+`) FROM tp_pg_catalog.`+t.view+` WHERE oid = o)`)
	}
}

// openStandIn opens an in-memory DuckDB with the stand-in emulation: the
// macros above, a view in the emulation schemas for each of DuckDB's own
// pg_catalog and information_schema views, and a NULL-returning macro for
// each other function the corpus test pretends is emulated.
func openStandIn(t testing.TB) *sql.DB {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	ddl := append([]string(nil), standInDDL[:2]...)
	rows, err := db.Query(`SELECT schema_name, view_name FROM duckdb_views() WHERE internal AND schema_name IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var schema, view string
		if err := rows.Scan(&schema, &view); err != nil {
			t.Fatal(err)
		}
		ddl = append(ddl, `CREATE VIEW tp_`+schema+`.`+view+` AS SELECT * FROM `+schema+`.`+view)
	}
	rows.Close()
	ddl = append(ddl, standInDDL[2:]...)
	defined := map[string]bool{}
	for _, q := range ddl {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if rest, ok := strings.CutPrefix(q, "CREATE MACRO tp_pg_catalog."); ok {
			defined[rest[:strings.IndexByte(rest, '(')]] = true
		}
	}
	for _, f := range strings.Fields(corpusFunctions) {
		if !defined[f] {
			q := `CREATE MACRO tp_pg_catalog.` + f + `() AS NULL, (a) AS NULL, (a, b) AS NULL, (a, b, c) AS NULL`
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	return db
}

// prepare asks DuckDB to prepare q without running it and returns the
// names of the result columns.
func prepare(db *sql.DB, q string) (cols []string, err error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		ds, err := dc.(*duckdb.Conn).PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer ds.Close()
		st := ds.(*duckdb.Stmt)
		n, err := st.ColumnCount()
		if err != nil {
			return err
		}
		for i := range n {
			name, err := st.ColumnName(i)
			if err != nil {
				return err
			}
			cols = append(cols, name)
		}
		return nil
	})
	return cols, err
}

// TestDuckDBAcceptsTranslations checks that DuckDB prepares the
// translations of typical catalog queries against the stand-in emulation,
// and that it rejected the originals.
func TestDuckDBAcceptsTranslations(t *testing.T) {
	db := openStandIn(t)
	tr := New(testObjects())
	for _, q := range []string{
		`SELECT c.oid, c.relname FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(aws.*)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid)`,
		`SELECT 'pg_class'::regclass, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid`,
		`SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid FROM pg_catalog.pg_type WHERE pg_type.oid = $1`,
		`SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = $1`,
		`SELECT pg_catalog.format_type(a.atttypid, a.atttypmod), a.attname::name, a.attnum::pg_catalog.int2 FROM pg_catalog.pg_attribute a`,
		`SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname !~* '^INFO' AND nspname ~* 'MAIN'`,
		`SELECT word FROM (SELECT 'a' AS word) w WHERE word <> ALL ('{a,abs,absolute}'::text[])`,
		`SELECT 'x'::"char", relkind::"char" FROM pg_class`,
		`SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'main'::regnamespace`,
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1`,
		`SELECT pg_catalog.pg_get_userbyid(10), pg_catalog.lower('X'), pg_catalog.now()`,
		`SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_'`,
		`SELECT count(*), 'x'::regtype FROM pg_type`,
		`SELECT '{int4,text}'::regtype[]`,
		`SELECT x.n FROM (SELECT information_schema._pg_expandarray(ARRAY[3,4]) AS x) s`,
		`SELECT '{}'::jsonb, 'a'::pg_catalog.text, 1::oid, '1'::xid`,
	} {
		out := tr.Translate(q)
		if out == q {
			t.Errorf("not translated: %s", q)
		}
		if _, err := prepare(db, out); err != nil {
			t.Errorf("DuckDB rejects translation:\n  %s\n  %s\n  %v", q, out, err)
		}
	}
}

// TestDuckDBAcceptsDeparsedSQL checks that general PostgreSQL constructs
// survive the deparser in a form DuckDB reads: each statement names
// pg_class so that it is rewritten and deparsed.
func TestDuckDBAcceptsDeparsedSQL(t *testing.T) {
	db := openStandIn(t)
	tr := New(testObjects())
	for _, q := range []string{
		`SELECT extract(epoch FROM now()), extract(year FROM current_date), date_trunc('day', now()), now() - interval '1 hour', now() AT TIME ZONE 'UTC' FROM pg_class`,
		`SELECT substring(relname FROM 1 FOR 3), position('a' IN relname), trim(both ' ' FROM relname), upper(relname) || '-' || lower(relname), E'a\\b\n' FROM pg_class`,
		`SELECT relname FROM pg_class WHERE relname LIKE 'a\_%' ESCAPE '\' OR relname ILIKE 'B%' OR relname NOT LIKE 'c%' OR relname SIMILAR TO 'd%'`,
		`SELECT relname, row_number() OVER (PARTITION BY relkind ORDER BY relname DESC NULLS LAST), count(*) FILTER (WHERE relkind = 'r') OVER () FROM pg_class`,
		`SELECT DISTINCT ON (relkind) relkind, relname FROM pg_class ORDER BY relkind, relname NULLS FIRST LIMIT 10 OFFSET 1`,
		`WITH x AS (SELECT oid, relname FROM pg_class) SELECT x.relname FROM x WHERE x.oid IN (1, 2, 3) AND EXISTS (SELECT 1 FROM pg_namespace n WHERE n.oid = 1) UNION ALL SELECT 'y'`,
		`SELECT CASE WHEN relkind = 'r' THEN 'table' WHEN relkind IS NULL THEN NULL ELSE 'other' END, coalesce(relname, ''), nullif(relname, ''), greatest(1, 2), least(1, 2) FROM pg_class`,
		`SELECT relname FROM pg_class WHERE oid BETWEEN 1 AND 100 AND relname IS DISTINCT FROM 'x' AND relname IS NOT NULL AND NOT (relkind = 'i') GROUP BY relname HAVING count(*) > 0`,
		`SELECT s.r, (current_schemas(false))[s.r] FROM generate_series(1, 3) AS s(r), pg_class c LIMIT 1`,
		`SELECT $1::text, $2::int, CAST($3 AS bigint), '2024-01-01T00:00:00Z'::timestamptz, '2024-01-01'::date, 1.5::numeric(10,2), 1::float8, true::boolean FROM pg_class`,
		`SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN (VALUES (1), (2)) v(a) WHERE c.relkind IN ('r', 'v') ORDER BY 1`,
		`SELECT ARRAY[1, 2], ARRAY(SELECT oid FROM pg_class), array_length(ARRAY[1], 1) FROM pg_class`,
		`SELECT count(DISTINCT relkind), string_agg(relname, ',' ORDER BY relname), max(oid) FROM pg_class`,
		`SELECT relname FROM pg_class WHERE relname = ANY($1) OR oid = ANY(ARRAY[1, 2]) OR oid <> ALL(ARRAY[3])`,
		`SELECT x.y FROM (SELECT relname AS y FROM pg_class) AS x WHERE x.y ~ 'a' AND x.y !~* 'B'`,
	} {
		out := tr.Translate(q)
		if out == q {
			t.Errorf("not translated: %s", q)
		}
		if _, err := prepare(db, out); err != nil {
			t.Errorf("DuckDB rejects translation:\n  %s\n  %s\n  %v", q, out, err)
		}
	}
}

// TestDuckDBCorpus prepares every translated corpus statement in DuckDB
// against the stand-in emulation. The stand-in lacks most of PostgreSQL's
// catalog columns, so binder and catalog errors are only counted; a parser
// error means the translator emitted SQL DuckDB cannot read.
func TestDuckDBCorpus(t *testing.T) {
	stmts := loadCorpus(t)
	db := openStandIn(t)
	tr := New(corpusObjects())
	var ok, parser, other int
	kinds := map[string]int{}
	for _, s := range stmts {
		out := tr.Translate(s.sql)
		if out == s.sql {
			continue
		}
		cols, err := prepare(db, out)
		switch {
		case err == nil:
			ok++
			if want, named := PostgresColumnNames(s.sql); named && strings.Join(want, ",") != strings.Join(cols, ",") {
				t.Errorf("%s: DuckDB names the columns %q, PostgreSQL %q:\n%s", s.file, cols, want, out)
			}
		case strings.Contains(err.Error(), "Parser Error"):
			parser++
			t.Errorf("%s: DuckDB cannot parse the translation:\n%s\n=> %s\n%v", s.file, s.sql, out, err)
		default:
			other++
			msg := err.Error()
			if i := strings.IndexByte(msg, '\n'); i > 0 {
				msg = msg[:i]
			}
			kinds[msg]++
		}
	}
	t.Logf("translated corpus statements in DuckDB: %d prepare, %d parser errors, %d binder/catalog errors (missing emulation)", ok, parser, other)
	if testing.Verbose() {
		for k, n := range kinds {
			t.Logf("%3d × %s", n, k)
		}
	}
}

// TestDuckDBDottedSchema checks emulation schemas qualified with a
// database name.
func TestDuckDBDottedSchema(t *testing.T) {
	db := openStandIn(t)
	o := testObjects()
	o.CatalogSchema = "memory.tp_pg_catalog"
	q := `SELECT pg_catalog.pg_class.oid, 'pg_class'::regclass, format_type(23, NULL) FROM pg_catalog.pg_class`
	want := `SELECT memory.tp_pg_catalog.pg_class.oid AS oid, memory.tp_pg_catalog.regclass_out(memory.tp_pg_catalog.to_regclass('pg_class')) AS regclass, memory.tp_pg_catalog.format_type(23, NULL) AS format_type FROM memory.tp_pg_catalog.pg_class`
	out := New(o).Translate(q)
	if out != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	if _, err := prepare(db, out); err != nil {
		t.Errorf("DuckDB rejects %s: %v", out, err)
	}
}
