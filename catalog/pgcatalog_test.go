package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/catalog/pgemu"
	"github.com/tpserver/tpserver/lake"
)

// queryRows runs q and returns every row as strings ("NULL" for NULL).
func queryRows(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if v == nil {
				row[i] = "NULL"
			} else {
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	return out
}

// pgwireTypes is, for each DuckDB column type, the PostgreSQL type oid and
// typmod pgwire announces in RowDescription (a copy of pgwire/types.go's
// mapping: catalog must not import pgwire).
var pgwireTypes = []struct {
	duck   string
	oid    int64
	typmod int64
	format string // format_type(oid, typmod)
}{
	{"BOOLEAN", 16, -1, "boolean"},
	{"TINYINT", 21, -1, "smallint"},
	{"SMALLINT", 21, -1, "smallint"},
	{"INTEGER", 23, -1, "integer"},
	{"BIGINT", 20, -1, "bigint"},
	{"UTINYINT", 21, -1, "smallint"},
	{"USMALLINT", 23, -1, "integer"},
	{"UINTEGER", 20, -1, "bigint"},
	{"UBIGINT", 1700, -1, "numeric"},
	{"HUGEINT", 1700, -1, "numeric"},
	{"UHUGEINT", 1700, -1, "numeric"},
	{"BIGNUM", 1700, -1, "numeric"},
	{"DECIMAL(10,2)", 1700, (10<<16 | 2) + 4, "numeric(10,2)"},
	{"DECIMAL(38,5)", 1700, (38<<16 | 5) + 4, "numeric(38,5)"},
	{"FLOAT", 700, -1, "real"},
	{"DOUBLE", 701, -1, "double precision"},
	{"VARCHAR", 25, -1, "text"},
	{"ENUM('a', 'b')", 25, -1, "text"},
	{"BLOB", 17, -1, "bytea"},
	{"DATE", 1082, -1, "date"},
	{"TIME", 1083, -1, "time without time zone"},
	{"TIMETZ", 1266, -1, "time with time zone"},
	{"TIMESTAMP", 1114, -1, "timestamp without time zone"},
	{"TIMESTAMP_S", 1114, -1, "timestamp without time zone"},
	{"TIMESTAMP_MS", 1114, -1, "timestamp without time zone"},
	{"TIMESTAMP_NS", 1114, -1, "timestamp without time zone"},
	{"TIMESTAMPTZ", 1184, -1, "timestamp with time zone"},
	{"INTERVAL", 1186, -1, "interval"},
	{"UUID", 2950, -1, "uuid"},
	{"BIT", 1560, -1, `"bit"`},
	{"JSON", 114, -1, "json"},
	{"STRUCT(a INTEGER, b VARCHAR)", 114, -1, "json"},
	{"MAP(VARCHAR, INTEGER)", 114, -1, "json"},
	{"UNION(a INTEGER, b VARCHAR)", 114, -1, "json"},
	{"STRUCT(a INTEGER)[]", 114, -1, "json"},
	{"INTEGER[][]", 114, -1, "json"},
	{"VARCHAR[]", 1009, -1, "text[]"},
	{"INTEGER[]", 1007, -1, "integer[]"},
	{"INTEGER[3]", 1007, -1, "integer[]"},
	{"BIGINT[]", 1016, -1, "bigint[]"},
	{"SMALLINT[]", 1005, -1, "smallint[]"},
	{"BOOLEAN[]", 1000, -1, "boolean[]"},
	{"DOUBLE[]", 1022, -1, "double precision[]"},
	{"FLOAT[]", 1021, -1, "real[]"},
	{"DECIMAL(10,2)[]", 1231, -1, "numeric[]"},
	{"DATE[]", 1182, -1, "date[]"},
	{"TIMESTAMP[]", 1115, -1, "timestamp without time zone[]"},
	{"TIMESTAMPTZ[]", 1185, -1, "timestamp with time zone[]"},
	{"UUID[]", 2951, -1, "uuid[]"},
	{"BLOB[]", 1001, -1, "bytea[]"},
	{"INTERVAL[]", 1187, -1, "interval[]"},
	{"JSON[]", 199, -1, "json[]"},
	{"TIME[]", 1183, -1, "time without time zone[]"},
}

func TestPGAttributeTypesAgreeWithPgwire(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	db := c.DB()
	var cols []string
	for i, ty := range pgwireTypes {
		cols = append(cols, fmt.Sprintf("c%d %s", i, ty.duck))
	}
	execDDL(t, c, "CREATE TABLE every_type ("+strings.Join(cols, ", ")+")")
	rows := queryRows(t, db, `SELECT a.attname, a.atttypid, a.atttypmod, tp_pg_catalog.format_type(a.atttypid, a.atttypmod), t.typname
		FROM tp_pg_catalog.pg_attribute a JOIN tp_pg_catalog.pg_class c ON c.oid = a.attrelid
		LEFT JOIN tp_pg_catalog.pg_type t ON t.oid = a.atttypid
		WHERE c.relname = 'every_type' AND a.attnum > 0 ORDER BY a.attnum`)
	if len(rows) != len(pgwireTypes) {
		t.Fatalf("%d columns, want %d", len(rows), len(pgwireTypes))
	}
	for i, ty := range pgwireTypes {
		want := []string{fmt.Sprintf("c%d", i), fmt.Sprint(ty.oid), fmt.Sprint(ty.typmod), ty.format}
		if got := rows[i][:4]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: got %q, want %q", ty.duck, got, want)
		}
		if rows[i][4] == "NULL" {
			t.Errorf("%s: type oid %d has no pg_type row", ty.duck, ty.oid)
		}
	}
}

// wantLakeFormat is format_type of each lake column type.
func wantLakeFormat(duck string) string {
	switch {
	case duck == "VARCHAR":
		return "text"
	case duck == "VARCHAR[]":
		return "text[]"
	case duck == "JSON", strings.HasPrefix(duck, "STRUCT("):
		return "json"
	case duck == "TIMESTAMP":
		return "timestamp without time zone"
	case duck == "BOOLEAN":
		return "boolean"
	case duck == "DATE":
		return "date"
	}
	return "?" + duck
}

func TestPsqlDescribeLakeTable(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	db := c.DB()
	tbl := lake.CloudTrailLog()

	// \d aws_cloudtrail_log: find the relation.
	rows := queryRows(t, db, `SELECT c.oid, n.nspname, c.relname
FROM tp_pg_catalog.pg_class c
     LEFT JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE regexp_matches(c.relname, '^(aws_cloudtrail_log)$')
  AND tp_pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3`)
	if len(rows) != 1 || rows[0][1] != "public" || rows[0][2] != "aws_cloudtrail_log" {
		t.Fatalf("lookup: %q", rows)
	}
	oid := rows[0][0]
	if want := fmt.Sprint(RelationOID("main", "aws_cloudtrail_log")); oid != want {
		t.Errorf("oid %s, RelationOID says %s", oid, want)
	}

	rows = queryRows(t, db, `SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE CAST(c.reloftype AS VARCHAR) END, c.relpersistence, c.relreplident, am.amname
FROM tp_pg_catalog.pg_class c
 LEFT JOIN tp_pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN tp_pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = '`+oid+`'`)
	if got := strings.Join(rows[0], "|"); got != "0|r|false|false|false|false|false|false|false||0||p|d|heap" {
		t.Errorf("relation row: %s", got)
	}

	// \d+ aws_cloudtrail_log: the columns.
	rows = queryRows(t, db, `SELECT a.attname,
  tp_pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT tp_pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM tp_pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM tp_pg_catalog.pg_collation c, tp_pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated,
  a.attstorage,
  a.attcompression AS attcompression,
  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget,
  tp_pg_catalog.col_description(a.attrelid, a.attnum)
FROM tp_pg_catalog.pg_attribute a
WHERE a.attrelid = '`+oid+`' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`)
	if len(rows) != len(tbl.Columns) {
		t.Fatalf("%d columns, want %d", len(rows), len(tbl.Columns))
	}
	for i, col := range tbl.Columns {
		r := rows[i]
		if r[0] != col.Name || r[1] != wantLakeFormat(col.Type) || r[2] != "NULL" || r[3] != "false" || r[4] != "NULL" || r[10] != col.Description {
			t.Errorf("column %d: %q; want %s %s %q", i+1, r, col.Name, wantLakeFormat(col.Type), col.Description)
		}
	}

	// \dt+: listed as a table with its description.
	rows = queryRows(t, db, `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  tp_pg_catalog.pg_get_userbyid(c.relowner) as "Owner",
  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END as "Persistence",
  am.amname as "Access method",
  tp_pg_catalog.pg_size_pretty(tp_pg_catalog.pg_table_size(c.oid)) as "Size",
  tp_pg_catalog.obj_description(c.oid, 'pg_class') as "Description"
FROM tp_pg_catalog.pg_class c
     LEFT JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN tp_pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','')
      AND n.nspname <> 'pg_catalog'
      AND NOT regexp_matches(n.nspname, '^pg_toast')
      AND n.nspname <> 'information_schema'
  AND tp_pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2`)
	if len(rows) != 1 || strings.Join(rows[0], "|") != "public|aws_cloudtrail_log|table|tpserver|permanent|heap|0 bytes|"+tbl.Description {
		t.Errorf("\\dt+: %q", rows)
	}

	// \d (all relations): the status view is in tpserver, not visible; \dv tpserver.* finds it.
	rows = queryRows(t, db, `SELECT n.nspname, c.relname, c.relkind FROM tp_pg_catalog.pg_class c
     LEFT JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v','') AND regexp_matches(n.nspname, '^(tpserver)$') ORDER BY 1,2`)
	if len(rows) != 1 || strings.Join(rows[0], "|") != "tpserver|partitions|v" {
		t.Errorf("\\dv tpserver.*: %q", rows)
	}

	// psql's tab completion of columns.
	rows = queryRows(t, db, `SELECT a.attname, CAST(NULL AS VARCHAR) FROM tp_pg_catalog.pg_attribute a, tp_pg_catalog.pg_class c WHERE c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped AND (a.attname) LIKE 'event\_%' ESCAPE '\' AND c.relname = 'aws_cloudtrail_log' AND tp_pg_catalog.pg_table_is_visible(c.oid)
LIMIT 1000`)
	if len(rows) != 7 {
		t.Errorf("completion of event_: %q", rows)
	}
}

func TestPgjdbcMetadata(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	db := c.DB()
	execDDL(t, c, "CREATE TABLE security_events (event_time TIMESTAMP, amount DECIMAL(12,3) NOT NULL); CREATE VIEW recent AS SELECT * FROM security_events; COMMENT ON TABLE security_events IS 'mine'")
	// getTables(null, null, %, {TABLE, VIEW})
	rows := queryRows(t, db, `SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE regexp_matches(n.nspname, '^pg_') OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.description AS REMARKS,  '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION  FROM tp_pg_catalog.pg_namespace n, tp_pg_catalog.pg_class c  LEFT JOIN tp_pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = tp_pg_catalog.to_regclass('pg_class'))  WHERE c.relnamespace = n.oid  AND c.relname LIKE '%' AND (false  OR ( c.relkind = 'r' AND NOT regexp_matches(n.nspname, '^pg_') AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )  ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME`)
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r[1:5], "|"))
	}
	want := []string{
		"public|aws_cloudtrail_log|TABLE|" + lake.CloudTrailLog().Description,
		"public|security_events|TABLE|mine",
		"public|recent|VIEW|NULL",
		"tpserver|partitions|VIEW|NULL",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("getTables:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// getColumns(null, public, security_events, %)
	rows = queryRows(t, db, `SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,tp_pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM tp_pg_catalog.pg_namespace n  JOIN tp_pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN tp_pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN tp_pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN tp_pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN tp_pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN tp_pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN tp_pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'security_events') c WHERE true  AND attname LIKE '%' ORDER BY nspname,c.relname,attnum`)
	got = got[:0]
	for _, r := range rows {
		got = append(got, strings.Join(r[:9], "|")+"|"+r[14])
	}
	want = []string{
		"public|security_events|event_time|1114|false|-1|8|-1|1|b",
		"public|security_events|amount|1700|true|786439|-1|-1|2|b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("getColumns:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The lake table's columns with descriptions.
	rows = queryRows(t, db, `SELECT a.attname, dsc.description FROM tp_pg_catalog.pg_namespace n JOIN tp_pg_catalog.pg_class c ON (c.relnamespace = n.oid) JOIN tp_pg_catalog.pg_attribute a ON (a.attrelid=c.oid) JOIN tp_pg_catalog.pg_type t ON (a.atttypid = t.oid) LEFT JOIN tp_pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid) WHERE c.relname = 'aws_cloudtrail_log' AND a.attnum > 0 ORDER BY a.attnum`)
	cols := lake.CloudTrailLog().Columns
	if len(rows) != len(cols) {
		t.Fatalf("lake getColumns: %d rows", len(rows))
	}
	for i, col := range cols {
		if rows[i][0] != col.Name || rows[i][1] != col.Description {
			t.Errorf("lake column %d: %q", i+1, rows[i])
		}
	}

	// TypeInfoCache lookups.
	rows = queryRows(t, db, `SELECT typinput=tp_pg_catalog.to_regproc('pg_catalog.array_in') as is_array, typtype, typname, pg_type.oid FROM tp_pg_catalog.pg_type WHERE pg_type.oid = 1009`)
	if strings.Join(rows[0], "|") != "true|b|_text|1009" {
		t.Errorf("is_array lookup: %q", rows)
	}
	rows = queryRows(t, db, `SELECT list_contains(tp_pg_catalog.current_schemas(true), n.nspname), n.nspname, t.typname FROM tp_pg_catalog.pg_type t JOIN tp_pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 3802`)
	if strings.Join(rows[0], "|") != "true|pg_catalog|jsonb" {
		t.Errorf("type lookup: %q", rows)
	}
	// getPrimaryKeys / getIndexInfo shapes bind (and return nothing).
	rows = queryRows(t, db, `SELECT result.TABLE_SCHEM, result.COLUMN_NAME, result.KEY_SEQ FROM (SELECT n.nspname AS TABLE_SCHEM, a.attname AS COLUMN_NAME, (tp_information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, tp_information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM FROM tp_pg_catalog.pg_class ct JOIN tp_pg_catalog.pg_attribute a ON (ct.oid = a.attrelid) JOIN tp_pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN tp_pg_catalog.pg_index i ON (a.attrelid = i.indrelid) JOIN tp_pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE ct.relname = 'aws_cloudtrail_log' AND i.indisprimary) result where result.A_ATTNUM = (result.KEYS).x`)
	if len(rows) != 0 {
		t.Errorf("primary keys: %q", rows)
	}
	// getSQLKeywords
	rows = queryRows(t, db, `select string_agg(word, ',') from tp_pg_catalog.pg_get_keywords() where NOT list_contains(['abort', 'select'], word)`)
	if !strings.Contains(rows[0][0], "analyze") || strings.Contains(rows[0][0], "abort,") {
		t.Errorf("keywords: %.100s", rows[0][0])
	}
}

func TestNamespacesAndHiddenObjects(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	db := c.DB()
	rows := queryRows(t, db, `SELECT oid, nspname FROM tp_pg_catalog.pg_namespace ORDER BY nspname`)
	var got []string
	for _, r := range rows {
		got = append(got, r[0]+" "+r[1])
	}
	want := []string{"13207 information_schema", "11 pg_catalog", "99 pg_toast", "2200 public", fmt.Sprint(pgemu.NamespaceOID("tpserver")) + " tpserver"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("namespaces: %q, want %q", got, want)
	}
	for _, q := range []string{
		"SELECT count(*) FROM tp_pg_catalog.pg_class WHERE relname LIKE 'tp\\_%' ESCAPE '\\' OR relname IN ('pg_type', 'pg_class', 'duckdb_tables')",
		"SELECT count(*) FROM tp_information_schema.tables WHERE table_schema LIKE 'tp\\_%' ESCAPE '\\' OR table_schema IN ('main', 'pg_catalog', 'information_schema')",
		"SELECT count(*) FROM tp_information_schema.columns WHERE table_schema <> 'public' AND table_schema <> 'tpserver'",
		"SELECT count(*) FROM tp_information_schema.schemata WHERE schema_name LIKE 'tp\\_%' ESCAPE '\\' OR schema_name = 'main'",
	} {
		if n := queryRows(t, db, q)[0][0]; n != "0" {
			t.Errorf("%s: %s", q, n)
		}
	}
	// Grafana's table picker / Tableau's column listing.
	rows = queryRows(t, db, `SELECT table_schema, table_name, table_type FROM tp_information_schema.tables ORDER BY 1, 2`)
	if fmt.Sprint(rows) != "[[public aws_cloudtrail_log BASE TABLE] [tpserver partitions VIEW]]" {
		t.Errorf("information_schema.tables: %q", rows)
	}
	rows = queryRows(t, db, `SELECT column_name, data_type, udt_name, is_nullable, ordinal_position FROM tp_information_schema.columns WHERE table_name = 'aws_cloudtrail_log' AND column_name IN ('event_time', 'tp_akas', 'user_identity', 'read_only') ORDER BY ordinal_position`)
	if fmt.Sprint(rows) != "[[event_time timestamp without time zone timestamp YES 11] [read_only boolean bool YES 15] [user_identity json json YES 27] [tp_akas ARRAY _text YES 29]]" {
		t.Errorf("information_schema.columns: %q", rows)
	}
}

func TestRelationOIDsAreStable(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	execDDL(t, c, "CREATE TABLE t1 (a INTEGER)")
	q := "SELECT string_agg(relname || '=' || oid, ',' ORDER BY relname) FROM tp_pg_catalog.pg_class"
	before := queryRows(t, c.DB(), q)[0][0]
	c.Close()
	c = open(t, dir)
	defer c.Close()
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := queryRows(t, c.DB(), q)[0][0]; after != before {
		t.Errorf("oids changed: %s → %s", before, after)
	}
	if want := fmt.Sprintf("t1=%d", RelationOID("main", "t1")); !strings.Contains(before, want) {
		t.Errorf("%s lacks %s", before, want)
	}
}

func TestPGFunctions(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	db := c.DB()
	checks := []struct{ expr, want string }{
		// format_type, as PostgreSQL 15 answers.
		{"format_type(1042, NULL)", "character"}, {"format_type(1042, -1)", "bpchar"}, {"format_type(1042, 9)", "character(5)"},
		{"format_type(1043, NULL)", "character varying"}, {"format_type(1043, 24)", "character varying(20)"},
		{"format_type(1700, 655366)", "numeric(10,2)"}, {"format_type(1231, 655366)", "numeric(10,2)[]"},
		{"format_type(1015, 24)", "character varying(20)[]"}, {"format_type(1114, 7)", "timestamp(7) without time zone"},
		{"format_type(1184, 3)", "timestamp(3) with time zone"}, {"format_type(1560, NULL)", "bit"}, {"format_type(1561, -1)", `"bit"[]`},
		{"format_type(18, -1)", `"char"`}, {"format_type(19, -1)", "name"}, {"format_type(3802, -1)", "jsonb"},
		{"format_type(99999, -1)", "???"}, {"format_type(0, -1)", "-"}, {"format_type(2205, -1)", "regclass"},
		{"format_type(NULL, -1)", "NULL"},
		{"pg_size_pretty(0)", "0 bytes"}, {"pg_size_pretty(10239)", "10239 bytes"}, {"pg_size_pretty(10240)", "10 kB"},
		{"pg_size_pretty(12345678)", "12 MB"}, {"pg_size_pretty(123456789012)", "115 GB"}, {"pg_size_pretty(-5000000)", "-4883 kB"},
		{"quote_ident('Abc')", `"Abc"`}, {"quote_ident('abc')", "abc"}, {"quote_ident('a b')", `"a b"`}, {"quote_ident('select')", `"select"`},
		{"parse_ident('public.\"Foo\".bar')", "[public, Foo, bar]"},
		{"string_to_array('a, b', ',')", "[a, ' b']"}, {"array_upper([1, 2], 1)", "2"}, {"array_lower([1, 2], 1)", "1"},
		{"array_length(CAST([] AS INTEGER[]), 1)", "NULL"},
		{"current_schemas(true)", "[pg_catalog, public]"}, {"current_schemas(false)", "[public]"},
		{"version()", PGVersion}, {"current_database()", "tpserver"}, {"pg_encoding_to_char(6)", "UTF8"},
		{"pg_get_userbyid(10)", "tpserver"},
		{"to_regclass('pg_class')", "1259"}, {"to_regclass('pg_catalog.pg_namespace')", "2615"},
		{"to_regclass('aws_cloudtrail_log')", fmt.Sprint(RelationOID("main", "aws_cloudtrail_log"))},
		{"to_regclass('\"public\".\"aws_cloudtrail_log\"')", fmt.Sprint(RelationOID("main", "aws_cloudtrail_log"))},
		{"to_regclass('tpserver.partitions')", fmt.Sprint(RelationOID("tpserver", "partitions"))},
		{"to_regclass('partitions')", "NULL"}, {"to_regclass('nope')", "NULL"}, {"to_regclass(16385)", "16385"}, {"to_regclass('16385')", "16385"},
		{"to_regtype('int4')", "23"}, {"to_regtype('integer')", "23"}, {"to_regtype('text[]')", "1009"}, {"to_regtype('_text')", "1009"},
		{"to_regtype('character varying(20)')", "1043"}, {"to_regtype('pg_catalog.timestamptz')", "1184"},
		{"to_regtype('timestamp with time zone')", "1184"}, {"to_regtype('hstore')", "NULL"},
		{"to_regproc('pg_catalog.array_in')", "750"}, {"to_regprocedure('array_in(cstring,oid,integer)')", "750"},
		{"to_regnamespace('public')", "2200"}, {"to_regnamespace('pg_catalog')", "11"}, {"to_regrole('tpserver')", "10"},
		{"to_regoper('=')", "15"},
		{"obj_description(2200, 'pg_namespace')", "standard public schema"},
		{"col_description(tp_pg_catalog.to_regclass('aws_cloudtrail_log'), 11)", "The date and time the request was completed (UTC)."},
		{"pg_table_is_visible(tp_pg_catalog.to_regclass('aws_cloudtrail_log'))", "true"},
		{"pg_table_is_visible(tp_pg_catalog.to_regclass('tpserver.partitions'))", "false"},
		{"pg_get_viewdef(tp_pg_catalog.to_regclass('tpserver.partitions')) LIKE ' SELECT%'", "true"},
		{"pg_get_viewdef(tp_pg_catalog.to_regclass('aws_cloudtrail_log'), true)", "NULL"},
		{"current_setting('server_version_num')", "150000"},
		{"has_table_privilege('x', 'select')", "true"},
		{"pg_is_in_recovery()", "false"},
	}
	for _, ch := range checks {
		rows := queryRows(t, db, "SELECT CAST(tp_pg_catalog."+ch.expr+" AS VARCHAR)")
		if got := rows[0][0]; got != ch.want {
			t.Errorf("%s = %q, want %q", ch.expr, got, ch.want)
		}
	}
	rows := queryRows(t, db, "SELECT x, n FROM tp_information_schema._pg_expandarray([5, 7])")
	if fmt.Sprint(rows) != "[[5 1] [7 2]]" {
		t.Errorf("_pg_expandarray: %q", rows)
	}
}

// pgCatalogColumns are PostgreSQL 15's columns of the populated catalogs.
var pgCatalogColumns = map[string]string{
	"pg_namespace":        "oid nspname nspowner nspacl",
	"pg_class":            "oid relname relnamespace reltype reloftype relowner relam relfilenode reltablespace relpages reltuples relallvisible reltoastrelid relhasindex relisshared relpersistence relkind relnatts relchecks relhasrules relhastriggers relhassubclass relrowsecurity relforcerowsecurity relispopulated relreplident relispartition relrewrite relfrozenxid relminmxid relacl reloptions relpartbound",
	"pg_attribute":        "attrelid attname atttypid attstattarget attlen attnum attndims attcacheoff atttypmod attbyval attalign attstorage attcompression attnotnull atthasdef atthasmissing attidentity attgenerated attisdropped attislocal attinhcount attcollation attacl attoptions attfdwoptions attmissingval",
	"pg_description":      "objoid classoid objsubid description",
	"pg_type":             "oid typname typnamespace typowner typlen typbyval typtype typcategory typispreferred typisdefined typdelim typrelid typsubscript typelem typarray typinput typoutput typreceive typsend typmodin typmodout typanalyze typalign typstorage typnotnull typbasetype typtypmod typndims typcollation typdefaultbin typdefault typacl",
	"pg_proc":             "oid proname pronamespace proowner prolang procost prorows provariadic prosupport prokind prosecdef proleakproof proisstrict proretset provolatile proparallel pronargs pronargdefaults prorettype proargtypes proallargtypes proargmodes proargnames proargdefaults protrftypes prosrc probin prosqlbody proconfig proacl",
	"pg_database":         "oid datname datdba encoding datlocprovider datistemplate datallowconn datconnlimit datfrozenxid datminmxid dattablespace datcollate datctype daticulocale datcollversion datacl",
	"pg_roles":            "rolname rolsuper rolinherit rolcreaterole rolcreatedb rolcanlogin rolreplication rolconnlimit rolpassword rolvaliduntil rolbypassrls rolconfig oid",
	"pg_user":             "usename usesysid usecreatedb usesuper userepl usebypassrls passwd valuntil useconfig",
	"pg_authid":           "oid rolname rolsuper rolinherit rolcreaterole rolcreatedb rolcanlogin rolreplication rolbypassrls rolconnlimit rolpassword rolvaliduntil",
	"pg_settings":         "name setting unit category short_desc extra_desc context vartype source min_val max_val enumvals boot_val reset_val sourcefile sourceline pending_restart",
	"pg_am":               "oid amname amhandler amtype",
	"pg_extension":        "oid extname extowner extnamespace extrelocatable extversion extconfig extcondition",
	"pg_tablespace":       "oid spcname spcowner spcacl spcoptions",
	"pg_collation":        "oid collname collnamespace collowner collprovider collisdeterministic collencoding collcollate collctype colliculocale collversion",
	"pg_tables":           "schemaname tablename tableowner tablespace hasindexes hasrules hastriggers rowsecurity",
	"pg_views":            "schemaname viewname viewowner definition",
	"pg_operator":         "oid oprname oprnamespace oprowner oprkind oprcanmerge oprcanhash oprleft oprright oprresult oprcom oprnegate oprcode oprrest oprjoin",
	"pg_language":         "oid lanname lanowner lanispl lanpltrusted lanplcallfoid laninline lanvalidator lanacl",
	"pg_stat_activity":    "datid datname pid leader_pid usesysid usename application_name client_addr client_hostname client_port backend_start xact_start query_start state_change wait_event_type wait_event state backend_xid backend_xmin query_id query backend_type",
	"pg_stat_user_tables": "relid schemaname relname seq_scan seq_tup_read idx_scan idx_tup_fetch n_tup_ins n_tup_upd n_tup_del n_tup_hot_upd n_live_tup n_dead_tup n_mod_since_analyze n_ins_since_vacuum last_vacuum last_autovacuum last_analyze last_autoanalyze vacuum_count autovacuum_count analyze_count autoanalyze_count",
}

func TestCatalogViewColumnsMatchPostgres(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	want := map[string]string{}
	for k, v := range pgCatalogColumns {
		want[k] = v
	}
	for name, cols := range want {
		rows := queryRows(t, c.DB(), "SELECT column_name FROM (DESCRIBE tp_pg_catalog."+name+")")
		var got []string
		for _, r := range rows {
			got = append(got, r[0])
		}
		if strings.Join(got, " ") != cols {
			t.Errorf("%s columns:\n got %s\nwant %s", name, strings.Join(got, " "), cols)
		}
	}
	// Every pg_type row links to its array type and back.
	if n := queryRows(t, c.DB(), `SELECT count(*) FROM tp_pg_catalog.pg_type t JOIN tp_pg_catalog.pg_type a ON a.oid = t.typarray WHERE a.typelem <> t.oid`)[0][0]; n != "0" {
		t.Errorf("%s types with a mislinked array type", n)
	}
	if n := queryRows(t, c.DB(), `SELECT count(*) FROM tp_pg_catalog.pg_type t WHERE t.typarray <> 0 AND t.typarray NOT IN (SELECT oid FROM tp_pg_catalog.pg_type)`)[0][0]; n != "0" {
		t.Errorf("%s types with a missing array type", n)
	}
}

func TestInstallIsSkippedWhenCurrent(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	c := open(t, dir)
	first := time.Since(start)
	c.Close()
	c, err := Open(context.Background(), Options{DataDir: dir, Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start = time.Now()
	if err := c.installPGCatalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	again := time.Since(start)
	t.Logf("first Open %v; install when current %v", first, again)
	// A new lake table list reinstalls.
	if err := pgemu.Install(context.Background(), c.DB(), []string{"aws_cloudtrail_log", "other"}); err != nil {
		t.Fatal(err)
	}
	if got := queryRows(t, c.DB(), "SELECT tp_pg_catalog.tp_lake_tables()")[0][0]; got != "[aws_cloudtrail_log other]" {
		t.Errorf("lake tables after reinstall: %s", got)
	}
}

// BenchmarkInstallPGCatalog measures a full (re)install of the emulation.
func BenchmarkInstallPGCatalog(b *testing.B) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for i := 0; b.Loop(); i++ {
		if err := pgemu.Install(context.Background(), db, []string{fmt.Sprint("t", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// describeColumnsQuery is psql's \d+ column query, adapted.
const describeColumnsQuery = `SELECT a.attname,
  tp_pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT tp_pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM tp_pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM tp_pg_catalog.pg_collation c, tp_pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity, a.attgenerated, a.attstorage, a.attcompression AS attcompression,
  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget,
  tp_pg_catalog.col_description(a.attrelid, a.attnum)
FROM tp_pg_catalog.pg_attribute a
WHERE a.attrelid = tp_pg_catalog.to_regclass('aws_cloudtrail_log') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

func benchQuery(b *testing.B, q string) {
	c, err := Open(context.Background(), Options{DataDir: b.TempDir(), Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		rows, err := c.DB().Query(q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
	}
}

// BenchmarkDescribePlus is psql's \d+ aws_cloudtrail_log column query.
func BenchmarkDescribePlus(b *testing.B) { benchQuery(b, describeColumnsQuery) }

// BenchmarkPGClassCount is the baseline: count(*) over pg_class.
func BenchmarkPGClassCount(b *testing.B) {
	benchQuery(b, "SELECT count(*) FROM tp_pg_catalog.pg_class")
}

// BenchmarkTxSnapshotBuild measures what a session whose transaction block
// changed the schema pays before its next catalog query: building its
// private copy of the snapshot.
func BenchmarkTxSnapshotBuild(b *testing.B) {
	c, err := Open(context.Background(), Options{DataDir: b.TempDir(), Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	conn, err := c.DB().Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN; CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR)"); err != nil {
		b.Fatal(err)
	}
	var state any
	for i := uint64(1); b.Loop(); i++ {
		if state, err = c.SyncTxSchema(ctx, conn, describeColumnsQuery, i, state); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.EndTxSchema(ctx, conn, state, false); err != nil {
		b.Fatal(err)
	}
}
