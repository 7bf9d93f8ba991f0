package catalog

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// The PostgreSQL catalog emulation.
//
// PostgreSQL clients (psql, pgjdbc, SQLAlchemy, Grafana, Metabase, DBeaver)
// read pg_catalog and information_schema before anything else. DuckDB's own
// pg_catalog uses DuckDB type ids and lacks most of what they read, so the
// catalog database holds two schemas of its own, PGCatalogSchema and
// PGInformationSchema, whose views and macros behave like PostgreSQL 15's
// for tpserver's objects. The SQL translator (package catalog/pgsql) rewrites
// pg_catalog.X to PGCatalogSchema.X and information_schema.X to
// PGInformationSchema.X; the schemas themselves are never shown to clients.
//
// Conventions, as PostgreSQL types map to DuckDB: oid, regproc, regclass,
// regtype and xid columns are BIGINT; name, text and "char" are VARCHAR;
// arrays are lists; int2vector and oidvector are lists too (1-based, unlike
// PostgreSQL's 0-based vectors).

const (
	// PGCatalogSchema holds the emulated pg_catalog.
	PGCatalogSchema = "tp_pg_catalog"
	// PGInformationSchema holds the emulated information_schema.
	PGInformationSchema = "tp_information_schema"
	// PGDatabaseName is the one database the emulated catalog shows.
	PGDatabaseName = "tpserver"
	// PGSuperuserName is the name of the one role the emulated catalog
	// shows (oid 10) outside a client session; in a session the role is
	// the user who connected.
	PGSuperuserName = "tpserver"
	// sessionVariable is the DuckDB variable (per connection) holding the
	// session's parameters as a MAP (MirrorParameters).
	sessionVariable = "tp_pg_session"
	// ownerVariable is the DuckDB variable (per connection) naming the
	// private copy of the snapshot tables that the connection's catalog
	// queries read while its transaction changed the schema (snapshot.go).
	ownerVariable = "tp_pg_owner"
	// PGVersion is what version() returns: a PostgreSQL banner that
	// SQLAlchemy's and other clients' version regexes accept.
	PGVersion = "PostgreSQL 15.0 (tpserver) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"
)

// Well-known PostgreSQL namespace oids.
const (
	pgCatalogNamespaceOID   = 11
	pgToastNamespaceOID     = 99
	publicNamespaceOID      = 2200
	informationSchemaNSOID  = 13207
	firstNormalObjectID     = 16384
	pgClassRelationOID      = 1259
	pgNamespaceRelationOID  = 2615
	pgProcRelationOID       = 1255
	pgTypeRelationOID       = 1247
	pgDatabaseRelationOID   = 1262
	pgAttributeRelationOID  = 1249
	pgTablespaceRelationOID = 1213
	pgExtensionRelationOID  = 3079
	pgAuthIDRelationOID     = 1260
	pgConstraintRelationOID = 2606
)

// hiddenSchemas are DuckDB schemas never shown as namespaces: the emulation's
// own and DuckDB's built-in catalogs (the emulated pg_catalog and
// information_schema stand in for the latter two).
var hiddenSchemas = []string{PGCatalogSchema, PGInformationSchema, "pg_catalog", "information_schema"}

// RelationOID is the stable oid the emulated catalog gives the relation
// schema.name, where schema is the DuckDB schema name ("main" for what
// clients see as public). It is the same across restarts, so the oid pgwire
// puts in RowDescription can agree with pg_class.oid.
func RelationOID(schema, name string) uint32 { return hashOID(schema + "." + name) }

// NamespaceOID is the oid the emulated catalog gives a DuckDB schema.
func NamespaceOID(schema string) uint32 {
	switch schema {
	case "main":
		return publicNamespaceOID
	case "pg_catalog":
		return pgCatalogNamespaceOID
	case "information_schema":
		return informationSchemaNSOID
	}
	return hashOID(schema)
}

// hashOID maps a key to [16384, 2^31): the first four bytes of its MD5, as
// the SQL macro tp_hash_oid computes it.
func hashOID(key string) uint32 {
	sum := md5.Sum([]byte(key))
	return firstNormalObjectID + binary.BigEndian.Uint32(sum[:4])%(1<<31-1-firstNormalObjectID)
}

// installPGCatalog creates or refreshes the emulated catalog in the
// catalog database; the lake tables (views in main) are shown as tables.
// The DDL is skipped when the installed version matches, so an Open of an
// existing database costs one query.
func (c *Catalog) installPGCatalog(ctx context.Context) error {
	lake := make([]string, 0, len(c.tables))
	for _, t := range c.tables {
		lake = append(lake, t.Name)
	}
	return installPGCatalog(ctx, c.db, lake)
}

// installPGCatalog installs the emulation in db; lake names the lake tables.
func installPGCatalog(ctx context.Context, db *sql.DB, lake []string) error {
	if err := registerFormatType(ctx, db); err != nil {
		return err
	}
	script := pgCatalogScript(lake)
	sum := sha256.Sum256([]byte(script))
	version := hex.EncodeToString(sum[:16])
	var have string
	err := db.QueryRowContext(ctx, "SELECT "+PGCatalogSchema+".tp_emulation_version()").Scan(&have)
	if err == nil && have == version {
		return nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("install pg_catalog emulation: %w", err)
	}
	defer conn.Close()
	// The emulation's schemas hold nothing else: an install starts them
	// afresh, so an object that changed kind between versions (a view that
	// became a table) or was dropped does not linger.
	full := "BEGIN;\n" +
		fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE;\nDROP SCHEMA IF EXISTS %s CASCADE;\n", PGCatalogSchema, PGInformationSchema) +
		script +
		fmt.Sprintf("CREATE OR REPLACE MACRO %s.tp_emulation_version() AS '%s';\nCOMMIT;\n", PGCatalogSchema, version)
	if _, err := conn.ExecContext(ctx, full); err != nil {
		conn.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("install pg_catalog emulation: %w", err)
	}
	return nil
}

// pgCatalogScript is the DDL of the emulation.
func pgCatalogScript(lake []string) string {
	var b strings.Builder
	b.WriteString("CREATE SCHEMA IF NOT EXISTS " + PGCatalogSchema + ";\n")
	b.WriteString("CREATE SCHEMA IF NOT EXISTS " + PGInformationSchema + ";\n")
	writeStaticTables(&b)
	writeHelperMacros(&b, lake)
	writeKeyCatalog(&b)
	writeCatalogViews(&b)
	writeFunctionMacros(&b)
	writeInformationSchema(&b)
	writeEmptyViews(&b)
	return strings.ReplaceAll(strings.ReplaceAll(b.String(), "$pg", PGCatalogSchema), "$is", PGInformationSchema)
}

// sqlStr quotes a SQL string literal.
func sqlStr(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlStrOrNull quotes s, or is NULL when s is empty.
func sqlStrOrNull(s string) string {
	if s == "" {
		return "NULL"
	}
	return sqlStr(s)
}

func sqlBool(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// sqlOIDList renders a space-separated oidvector as a DuckDB list.
func sqlOIDList(s string) string {
	if strings.TrimSpace(s) == "" {
		return "CAST([] AS BIGINT[])"
	}
	return "CAST([" + strings.Join(strings.Fields(s), ", ") + "] AS BIGINT[])"
}

// pgTypeColumns is PostgreSQL 15's pg_type, in order, as DuckDB types.
const pgTypeColumns = `oid BIGINT, typname VARCHAR, typnamespace BIGINT, typowner BIGINT, typlen SMALLINT, typbyval BOOLEAN,
typtype VARCHAR, typcategory VARCHAR, typispreferred BOOLEAN, typisdefined BOOLEAN, typdelim VARCHAR, typrelid BIGINT,
typsubscript BIGINT, typelem BIGINT, typarray BIGINT, typinput BIGINT, typoutput BIGINT, typreceive BIGINT, typsend BIGINT,
typmodin BIGINT, typmodout BIGINT, typanalyze BIGINT, typalign VARCHAR, typstorage VARCHAR, typnotnull BOOLEAN,
typbasetype BIGINT, typtypmod INTEGER, typndims INTEGER, typcollation BIGINT, typdefaultbin VARCHAR, typdefault VARCHAR,
typacl VARCHAR[]`

const pgProcColumns = `oid BIGINT, proname VARCHAR, pronamespace BIGINT, proowner BIGINT, prolang BIGINT, procost FLOAT,
prorows FLOAT, provariadic BIGINT, prosupport BIGINT, prokind VARCHAR, prosecdef BOOLEAN, proleakproof BOOLEAN,
proisstrict BOOLEAN, proretset BOOLEAN, provolatile VARCHAR, proparallel VARCHAR, pronargs SMALLINT, pronargdefaults SMALLINT,
prorettype BIGINT, proargtypes BIGINT[], proallargtypes BIGINT[], proargmodes VARCHAR[], proargnames VARCHAR[],
proargdefaults VARCHAR, protrftypes BIGINT[], prosrc VARCHAR, probin VARCHAR, prosqlbody VARCHAR, proconfig VARCHAR[],
proacl VARCHAR[]`

const pgOperatorColumns = `oid BIGINT, oprname VARCHAR, oprnamespace BIGINT, oprowner BIGINT, oprkind VARCHAR,
oprcanmerge BOOLEAN, oprcanhash BOOLEAN, oprleft BIGINT, oprright BIGINT, oprresult BIGINT, oprcom BIGINT,
oprnegate BIGINT, oprcode BIGINT, oprrest BIGINT, oprjoin BIGINT`

// writeTable writes CREATE OR REPLACE TABLE name (cols) and one INSERT of rows.
func writeTable(b *strings.Builder, name, cols string, rows []string) {
	fmt.Fprintf(b, "CREATE OR REPLACE TABLE %s (%s);\n", name, cols)
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "INSERT INTO %s VALUES\n%s;\n", name, strings.Join(rows, ",\n"))
}

func writeStaticTables(b *strings.Builder) {
	rows := make([]string, 0, len(pgTypeRows))
	for _, t := range pgTypeRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, %d, %s, '%c', '%c', %s, true, '%c', 0, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, '%c', '%c', false, 0, -1, 0, %d, NULL, NULL, NULL)",
			t.oid, sqlStr(t.name), t.len, sqlBool(t.byval), t.typtype, t.category, sqlBool(t.preferred), t.delim,
			t.subscript, t.elem, t.array, t.input, t.output, t.receive, t.send, t.modin, t.modout, t.analyze, t.align, t.storage, t.collation))
	}
	writeTable(b, "$pg.tp_builtin_types", pgTypeColumns, rows)

	rows = rows[:0]
	for _, p := range pgProcRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, %d, 1, 0, 0, 0, '%c', false, false, %s, %s, '%c', '%c', %d, 0, %d, %s, NULL, NULL, NULL, NULL, NULL, %s, NULL, NULL, NULL, NULL)",
			p.oid, sqlStr(p.name), p.lang, p.kind, sqlBool(p.strict), sqlBool(p.retset), p.volatile, p.parallel, p.nargs, p.rettype, sqlOIDList(p.argtypes), sqlStr(p.src)))
	}
	writeTable(b, "$pg.pg_proc", pgProcColumns, rows)

	rows = rows[:0]
	for _, p := range pgProcRows {
		var args []string
		for _, a := range strings.Fields(p.argtypes) {
			var oid int64
			fmt.Sscan(a, &oid)
			args = append(args, formatTypeName(oid))
		}
		result := formatTypeName(p.rettype)
		if p.retset {
			result = "SETOF " + result
		}
		rows = append(rows, fmt.Sprintf("(%d, %s, %s)", p.oid, sqlStr(result), sqlStr(strings.Join(args, ", "))))
	}
	writeTable(b, "$pg.tp_proc_text", "oid BIGINT, result VARCHAR, arguments VARCHAR", rows)

	rows = rows[:0]
	for _, o := range pgOperatorRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, '%c', %s, %s, %d, %d, %d, %d, %d, %d, 0, 0)",
			o.oid, sqlStr(o.name), o.kind, sqlBool(o.canMerge), sqlBool(o.canHash), o.left, o.right, o.result, o.com, o.negate, o.code))
	}
	writeTable(b, "$pg.pg_operator", pgOperatorColumns, rows)

	rows = rows[:0]
	for _, k := range pgKeywordRows {
		rows = append(rows, fmt.Sprintf("(%s, '%c', %s, %s, %s)", sqlStr(k.word), k.catcode, sqlBool(k.barelabel), sqlStr(k.catdesc), sqlStr(k.baredesc)))
	}
	writeTable(b, "$pg.tp_keywords", "word VARCHAR, catcode VARCHAR, barelabel BOOLEAN, catdesc VARCHAR, baredesc VARCHAR", rows)

	rows = rows[:0]
	for _, s := range pgSettingRows {
		setting, reset := s.setting, s.resetVal
		if v, ok := pgSettingOverrides[s.name]; ok {
			setting, reset = v, v
		}
		enum := "NULL"
		if s.enumVals != "" {
			var parts []string
			for _, e := range strings.Split(s.enumVals, ",") {
				parts = append(parts, sqlStr(e))
			}
			enum = "[" + strings.Join(parts, ", ") + "]"
		}
		rows = append(rows, fmt.Sprintf("(%s, %s, %s, %s, %s, NULL, %s, %s, 'default', %s, %s, %s, %s, %s, NULL, NULL, false)",
			sqlStr(s.name), sqlStr(setting), sqlStrOrNull(s.unit), sqlStr(s.category), sqlStr(s.shortDesc), sqlStr(s.context), sqlStr(s.vartype),
			sqlStrOrNull(s.minVal), sqlStrOrNull(s.maxVal), enum, sqlStrOrNull(s.bootVal), sqlStrOrNull(reset)))
	}
	writeTable(b, "$pg.pg_settings_static", `name VARCHAR, setting VARCHAR, unit VARCHAR, category VARCHAR, short_desc VARCHAR,
extra_desc VARCHAR, context VARCHAR, vartype VARCHAR, source VARCHAR, min_val VARCHAR, max_val VARCHAR, enumvals VARCHAR[],
boot_val VARCHAR, reset_val VARCHAR, sourcefile VARCHAR, sourceline INTEGER, pending_restart BOOLEAN`, rows)

	rows = rows[:0]
	for _, r := range pgSystemRelations {
		rows = append(rows, fmt.Sprintf("(%d, %s, %s, '%c')", r.oid, sqlStr(r.schema), sqlStr(r.name), r.kind))
	}
	writeTable(b, "$pg.tp_system_relations", "oid BIGINT, nspname VARCHAR, relname VARCHAR, relkind VARCHAR", rows)
	// The lake tables' row counts and sizes, from their manifests
	// (Catalog.defineViews keeps them current).
	writeTable(b, "$pg.tp_lake_stats", "relname VARCHAR, n_rows BIGINT, bytes BIGINT", nil)
}

// pgSettingOverrides are pg_settings values that differ from a stock
// PostgreSQL 15: what tpserver's pgwire reports at startup.
var pgSettingOverrides = map[string]string{
	"server_version":     "15.0 (tpserver)",
	"server_version_num": "150000",
	"TimeZone":           "UTC",
	"lc_collate":         "C.UTF-8",
	"lc_ctype":           "C.UTF-8",
	"lc_messages":        "C.UTF-8",
	"lc_monetary":        "C.UTF-8",
	"lc_numeric":         "C.UTF-8",
	"lc_time":            "C.UTF-8",
	"is_superuser":       "on",
	"application_name":   "",
}

// writeHelperMacros defines the internal macros the views build on: oids,
// namespace names and the DuckDB → PostgreSQL type mapping, which must agree
// with pgwire's RowDescription (pgwire/types.go).
func writeHelperMacros(b *strings.Builder, lake []string) {
	lakeList := make([]string, 0, len(lake))
	for _, n := range lake {
		lakeList = append(lakeList, sqlStr(n))
	}
	slices.Sort(lakeList)
	lakeSQL := "[" + strings.Join(lakeList, ", ") + "]"
	hidden := make([]string, 0, len(hiddenSchemas))
	for _, s := range hiddenSchemas {
		hidden = append(hidden, sqlStr(s))
	}
	fmt.Fprintf(b, `
CREATE OR REPLACE MACRO $pg.tp_hash_oid(k) AS %d + CAST('0x' || substr(md5(k), 1, 8) AS BIGINT) %% %d;
CREATE OR REPLACE MACRO $pg.tp_nsp_oid(s) AS CASE s WHEN 'main' THEN 2200 WHEN 'pg_catalog' THEN 11 WHEN 'information_schema' THEN %d ELSE $pg.tp_hash_oid(s) END;
CREATE OR REPLACE MACRO $pg.tp_nsp_name(s) AS CASE s WHEN 'main' THEN 'public' ELSE s END;
CREATE OR REPLACE MACRO $pg.tp_rel_oid(s, n) AS $pg.tp_hash_oid(s || '.' || n);
CREATE OR REPLACE MACRO $pg.tp_shown(db, s) AS db = "system".main.current_database() AND NOT list_contains([%s], s);
CREATE OR REPLACE MACRO $pg.tp_lake_tables() AS CAST(%s AS VARCHAR[]);
CREATE OR REPLACE MACRO $pg.tp_session(n) AS CAST(getvariable('%s')[n] AS VARCHAR);
CREATE OR REPLACE MACRO $pg.tp_session_user() AS coalesce($pg.tp_session('session_authorization'), '%s');
`, firstNormalObjectID, 1<<31-1-firstNormalObjectID, informationSchemaNSOID, strings.Join(hidden, ", "), lakeSQL, sessionVariable, PGSuperuserName)

	// DuckDB scalar type names → PostgreSQL oids, as pgwire's scalarOIDs.
	// MAP lookups and LIKE rather than IN lists: DuckDB plans an IN list as a
	// join, which made pg_attribute a hundred times slower.
	b.WriteString(`CREATE OR REPLACE MACRO $pg.tp_scalar_oid(t) AS coalesce(MAP {
  'JSON': 114, 'BOOLEAN': 16, 'TINYINT': 21, 'SMALLINT': 21, 'UTINYINT': 21, 'INTEGER': 23, 'USMALLINT': 23,
  'BIGINT': 20, 'UINTEGER': 20, 'UBIGINT': 1700, 'HUGEINT': 1700, 'UHUGEINT': 1700, 'BIGNUM': 1700, 'VARINT': 1700,
  'FLOAT': 700, 'DOUBLE': 701, 'BLOB': 17, 'DATE': 1082, 'TIME': 1083, 'TIME WITH TIME ZONE': 1266,
  'TIMESTAMP': 1114, 'TIMESTAMP_S': 1114, 'TIMESTAMP_MS': 1114, 'TIMESTAMP_NS': 1114,
  'TIMESTAMP WITH TIME ZONE': 1184, 'INTERVAL': 1186, 'UUID': 2950, 'BIT': 1560}[t],
  CASE WHEN t LIKE 'DECIMAL(%' THEN 1700 ELSE 25 END);
CREATE OR REPLACE MACRO $pg.tp_array_oid(o) AS coalesce(MAP {
  16: 1000, 17: 1001, 20: 1016, 21: 1005, 23: 1007, 25: 1009, 114: 199, 700: 1021, 701: 1022, 1043: 1015,
  1082: 1182, 1083: 1183, 1266: 1270, 1114: 1115, 1184: 1185, 1186: 1187, 1700: 1231, 2950: 2951, 1560: 1561}[o], 114);
CREATE OR REPLACE MACRO $pg.tp_list_oid(e) AS CASE WHEN e LIKE '%]' THEN 114 ELSE $pg.tp_array_oid($pg.tp_scalar_oid(e)) END;
CREATE OR REPLACE MACRO $pg.tp_type_oid(t) AS CASE
  WHEN t LIKE 'STRUCT(%' OR t LIKE 'MAP(%' OR t LIKE 'UNION(%' THEN 114
  WHEN t LIKE '%]' THEN $pg.tp_list_oid(regexp_replace(t, '\[\d*\]$', ''))
  ELSE $pg.tp_scalar_oid(t) END;
CREATE OR REPLACE MACRO $pg.tp_type_mod(t) AS CASE
  WHEN regexp_matches(t, '^DECIMAL\(\d+,\d+\)$')
  THEN ((CAST(regexp_extract(t, '^DECIMAL\((\d+),(\d+)\)$', 1) AS INTEGER) << 16) | CAST(regexp_extract(t, '^DECIMAL\((\d+),(\d+)\)$', 2) AS INTEGER)) + 4
  ELSE -1 END;
`)

	// Relations: DuckDB tables and views, lake views shown as tables. The
	// *_live views read DuckDB's catalog; the catalog views read snapshot
	// tables of them (see snapshot.go), which are refreshed after the schema
	// changes.
	b.WriteString(`CREATE OR REPLACE VIEW $pg.tp_schemas_live AS
SELECT $pg.tp_nsp_oid(schema_name) AS oid, schema_name AS duck_schema, $pg.tp_nsp_name(schema_name) AS nspname, comment
FROM duckdb_schemas() WHERE $pg.tp_shown(database_name, schema_name);
`)
	writeSnapshotTable(b, "tp_schemas", "")
	b.WriteString(`CREATE OR REPLACE VIEW $pg.tp_relations_live AS
SELECT *, $pg.tp_hash_oid('rowtype:' || duck_schema || '.' || relname) AS reltype,
  $pg.tp_hash_oid('rowarray:' || duck_schema || '.' || relname) AS relarraytype
FROM (
SELECT $pg.tp_rel_oid(schema_name, table_name) AS oid, schema_name AS duck_schema, $pg.tp_nsp_oid(schema_name) AS nspoid,
  $pg.tp_nsp_name(schema_name) AS nspname, table_name AS relname, 'r' AS relkind, column_count AS natts, comment,
  CAST(NULL AS VARCHAR) AS viewdef, estimated_size AS live_tuples, CAST(NULL AS BIGINT) AS bytes, false AS lake
FROM duckdb_tables() WHERE NOT internal AND NOT temporary AND $pg.tp_shown(database_name, schema_name)
UNION ALL
SELECT $pg.tp_rel_oid(schema_name, view_name), schema_name, $pg.tp_nsp_oid(schema_name), $pg.tp_nsp_name(schema_name), view_name,
  CASE WHEN schema_name = 'main' AND list_contains($pg.tp_lake_tables(), view_name) THEN 'r' ELSE 'v' END,
  column_count, comment,
  CASE WHEN schema_name = 'main' AND list_contains($pg.tp_lake_tables(), view_name) THEN NULL
       ELSE ' ' || regexp_replace(trim(sql), '(?is)^CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?VIEW\s+.*?\s+AS\s+', '') END,
  tp_ls.n_rows, tp_ls.bytes, schema_name = 'main' AND list_contains($pg.tp_lake_tables(), view_name)
FROM duckdb_views() LEFT JOIN $pg.tp_lake_stats tp_ls ON schema_name = 'main' AND tp_ls.relname = view_name
WHERE NOT internal AND NOT temporary AND $pg.tp_shown(database_name, schema_name));
`)
	writeSnapshotTable(b, "tp_relations", "")
	b.WriteString(`CREATE OR REPLACE VIEW $pg.tp_columns_live AS
SELECT $pg.tp_rel_oid(schema_name, table_name) AS attrelid, schema_name AS duck_schema, $pg.tp_nsp_name(schema_name) AS nspname,
  table_name AS relname, column_name AS attname, CAST(column_index AS SMALLINT) AS attnum, data_type,
  $pg.tp_type_oid(data_type) AS atttypid, $pg.tp_type_mod(data_type) AS atttypmod, NOT is_nullable AS attnotnull,
  column_default, comment, numeric_precision, numeric_scale
FROM duckdb_columns() WHERE NOT internal AND $pg.tp_shown(database_name, schema_name);
`)
	writeSnapshotTable(b, "tp_columns", "")
}

// writeCatalogViews defines the populated pg_catalog views.
func writeCatalogViews(b *strings.Builder) {
	b.WriteString(`CREATE OR REPLACE VIEW $pg.pg_namespace_live AS
SELECT CAST(oid AS BIGINT) AS oid, CAST(nspname AS VARCHAR) AS nspname, CAST(10 AS BIGINT) AS nspowner, CAST(NULL AS VARCHAR[]) AS nspacl
FROM (VALUES (11, 'pg_catalog'), (99, 'pg_toast'), (13207, 'information_schema')) v(oid, nspname)
UNION ALL
SELECT oid, nspname, 10, NULL FROM $pg.tp_schemas;
`)
	writeSnapshotTable(b, "pg_namespace", "")
	b.WriteString(`
CREATE OR REPLACE VIEW $pg.pg_class_live AS
SELECT oid, relname, nspoid AS relnamespace, reltype, CAST(0 AS BIGINT) AS reloftype, CAST(10 AS BIGINT) AS relowner,
  CAST(CASE relkind WHEN 'r' THEN 2 ELSE 0 END AS BIGINT) AS relam, CAST(CASE relkind WHEN 'r' THEN oid ELSE 0 END AS BIGINT) AS relfilenode,
  CAST(0 AS BIGINT) AS reltablespace, CAST(coalesce(bytes, 0) // 8192 AS INTEGER) AS relpages,
  CAST(CASE WHEN relkind = 'r' AND live_tuples IS NOT NULL THEN live_tuples ELSE -1 END AS FLOAT) AS reltuples, 0 AS relallvisible, CAST(0 AS BIGINT) AS reltoastrelid,
  $pg.tp_rel_has_index(oid) AS relhasindex, false AS relisshared, 'p' AS relpersistence, relkind, CAST(natts AS SMALLINT) AS relnatts,
  $pg.tp_rel_checks(oid) AS relchecks, relkind = 'v' AS relhasrules, $pg.tp_rel_has_triggers(oid) AS relhastriggers, false AS relhassubclass,
  false AS relrowsecurity, false AS relforcerowsecurity, true AS relispopulated, CASE relkind WHEN 'r' THEN 'd' ELSE 'n' END AS relreplident,
  false AS relispartition, CAST(0 AS BIGINT) AS relrewrite, CAST(CASE relkind WHEN 'r' THEN 716 ELSE 0 END AS BIGINT) AS relfrozenxid,
  CAST(CASE relkind WHEN 'r' THEN 1 ELSE 0 END AS BIGINT) AS relminmxid, CAST(NULL AS VARCHAR[]) AS relacl,
  CAST(NULL AS VARCHAR[]) AS reloptions, CAST(NULL AS VARCHAR) AS relpartbound
FROM $pg.tp_relations
UNION ALL BY NAME SELECT * FROM $pg.tp_index_class;
`)
	writeSnapshotTable(b, "pg_class", "")
	b.WriteString(`
-- Built-in types, plus the composite row type (and its array type) that
-- PostgreSQL creates for every table and view.
CREATE OR REPLACE VIEW $pg.pg_type_live AS
SELECT * FROM $pg.tp_builtin_types
UNION ALL
SELECT reltype, relname, nspoid, 10, -1, false,
  'c', 'C', false, true, ',', oid, 0, 0, relarraytype,
  2290, 2291, 2402, 2403, 0, 0, 0, 'd', 'x', false, 0, -1, 0, 0, NULL, NULL, NULL
FROM $pg.tp_relations
UNION ALL
SELECT relarraytype, '_' || relname, nspoid, 10, -1, false,
  'b', 'A', false, true, ',', 0, 6179, reltype, 0,
  750, 751, 2400, 2401, 0, 0, 3816, 'd', 'x', false, 0, -1, 0, 0, NULL, NULL, NULL
FROM $pg.tp_relations;
`)
	writeSnapshotTable(b, "pg_type", "")
	b.WriteString(`
CREATE OR REPLACE VIEW $pg.pg_attribute_live AS
SELECT c.attrelid, c.attname, c.atttypid, -1 AS attstattarget, t.typlen AS attlen, c.attnum,
  CASE WHEN t.typcategory = 'A' THEN 1 ELSE 0 END AS attndims, -1 AS attcacheoff, c.atttypmod, t.typbyval AS attbyval,
  t.typalign AS attalign, t.typstorage AS attstorage, '' AS attcompression, c.attnotnull, $pg.tp_has_default(c.column_default) AS atthasdef,
  false AS atthasmissing, '' AS attidentity, '' AS attgenerated, false AS attisdropped, true AS attislocal, 0 AS attinhcount,
  t.typcollation AS attcollation, CAST(NULL AS VARCHAR[]) AS attacl, CAST(NULL AS VARCHAR[]) AS attoptions,
  CAST(NULL AS VARCHAR[]) AS attfdwoptions, CAST(NULL AS VARCHAR) AS attmissingval
FROM $pg.tp_columns c LEFT JOIN $pg.pg_type t ON t.oid = c.atttypid
UNION ALL
-- The system columns every PostgreSQL table has (attnum < 0).
SELECT r.oid, sc.attname, sc.atttypid, 0, t.typlen, sc.attnum, 0, -1, -1, t.typbyval,
  t.typalign, t.typstorage, '', true, false, false, '', '', false, true, 0, CAST(0 AS BIGINT),
  CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR)
FROM $pg.tp_relations r
  CROSS JOIN (VALUES ('ctid', CAST(27 AS BIGINT), -1), ('xmin', CAST(28 AS BIGINT), -2), ('cmin', CAST(29 AS BIGINT), -3),
                     ('xmax', CAST(28 AS BIGINT), -4), ('cmax', CAST(29 AS BIGINT), -5), ('tableoid', CAST(26 AS BIGINT), -6)) AS sc(attname, atttypid, attnum)
  LEFT JOIN $pg.pg_type t ON t.oid = sc.atttypid
WHERE r.relkind = 'r'
UNION ALL
-- The columns of indexes, numbered from 1: a key column's name, type and
-- typmod, or an expression's type and the name PostgreSQL gives it.
SELECT x.oid, x.attname, x.atttypid, -1, t.typlen, CAST(x.k AS SMALLINT), CASE WHEN t.typcategory = 'A' THEN 1 ELSE 0 END, -1,
  coalesce(c.atttypmod, -1), t.typbyval, t.typalign, t.typstorage, '', false, false, false, '', '', false, true, 0, t.typcollation,
  CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR)
FROM (SELECT oid, indrelid, k, indkey[k] AS colnum, attnames[k] AS attname, atttypes[k] AS atttypid
      FROM (SELECT *, unnest(range(1, len(indkey) + 1)) AS k FROM $pg.tp_indexes)) x
  LEFT JOIN $pg.tp_columns c ON c.attrelid = x.indrelid AND c.attnum = x.colnum
  LEFT JOIN $pg.pg_type t ON t.oid = x.atttypid;
`)
	writeSnapshotTable(b, "pg_attribute", "")
	b.WriteString(`
CREATE OR REPLACE VIEW $pg.pg_description_live AS
SELECT oid AS objoid, CAST(1259 AS BIGINT) AS classoid, 0 AS objsubid, comment AS description FROM $pg.tp_relations WHERE comment IS NOT NULL AND comment <> ''
UNION ALL
SELECT attrelid, 1259, attnum, comment FROM $pg.tp_columns WHERE comment IS NOT NULL AND comment <> ''
UNION ALL
SELECT oid, 2615, 0, comment FROM $pg.tp_schemas WHERE comment IS NOT NULL AND comment <> ''
UNION ALL
SELECT 2200, 2615, 0, 'standard public schema'
UNION ALL
SELECT 13559, 3079, 0, 'PL/pgSQL procedural language';
`)
	writeSnapshotTable(b, "pg_description", "")
	b.WriteString(`
CREATE OR REPLACE VIEW $pg.pg_database AS
SELECT CAST(16384 AS BIGINT) AS oid, '` + PGDatabaseName + `' AS datname, CAST(10 AS BIGINT) AS datdba, 6 AS encoding, 'c' AS datlocprovider,
  false AS datistemplate, true AS datallowconn, -1 AS datconnlimit, CAST(716 AS BIGINT) AS datfrozenxid, CAST(1 AS BIGINT) AS datminmxid,
  CAST(1663 AS BIGINT) AS dattablespace, 'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype, CAST(NULL AS VARCHAR) AS daticulocale,
  CAST(NULL AS VARCHAR) AS datcollversion, CAST(NULL AS VARCHAR[]) AS datacl;

CREATE OR REPLACE VIEW $pg.pg_authid AS
SELECT CAST(10 AS BIGINT) AS oid, $pg.tp_session_user() AS rolname, true AS rolsuper, true AS rolinherit, true AS rolcreaterole,
  true AS rolcreatedb, true AS rolcanlogin, true AS rolreplication, true AS rolbypassrls, -1 AS rolconnlimit,
  CAST(NULL AS VARCHAR) AS rolpassword, CAST(NULL AS TIMESTAMPTZ) AS rolvaliduntil;
CREATE OR REPLACE VIEW $pg.pg_roles AS
SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolconnlimit,
  '********' AS rolpassword, rolvaliduntil, rolbypassrls, CAST(NULL AS VARCHAR[]) AS rolconfig, oid
FROM $pg.pg_authid;
CREATE OR REPLACE VIEW $pg.pg_user AS
SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper, rolreplication AS userepl,
  rolbypassrls AS usebypassrls, '********' AS passwd, rolvaliduntil AS valuntil, CAST(NULL AS VARCHAR[]) AS useconfig
FROM $pg.pg_authid;
CREATE OR REPLACE VIEW $pg.pg_shadow AS
SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper, rolreplication AS userepl,
  rolbypassrls AS usebypassrls, CAST(NULL AS VARCHAR) AS passwd, rolvaliduntil AS valuntil, CAST(NULL AS VARCHAR[]) AS useconfig
FROM $pg.pg_authid;

CREATE OR REPLACE VIEW $pg.pg_settings AS
SELECT * REPLACE (coalesce($pg.tp_session(lower(name)), setting) AS setting,
  CASE WHEN $pg.tp_session(lower(name)) IS DISTINCT FROM reset_val AND $pg.tp_session(lower(name)) IS NOT NULL THEN 'session' ELSE source END AS source)
FROM $pg.pg_settings_static;

CREATE OR REPLACE VIEW $pg.pg_am AS
SELECT CAST(oid AS BIGINT) AS oid, amname, CAST(amhandler AS BIGINT) AS amhandler, amtype
FROM (VALUES (2, 'heap', 3, 't'), (403, 'btree', 330, 'i'), (405, 'hash', 331, 'i'), (783, 'gist', 332, 'i'),
  (2742, 'gin', 333, 'i'), (4000, 'spgist', 334, 'i'), (3580, 'brin', 335, 'i')) v(oid, amname, amhandler, amtype);

CREATE OR REPLACE VIEW $pg.pg_extension AS
SELECT CAST(13559 AS BIGINT) AS oid, 'plpgsql' AS extname, CAST(10 AS BIGINT) AS extowner, CAST(11 AS BIGINT) AS extnamespace,
  false AS extrelocatable, '1.0' AS extversion, CAST(NULL AS BIGINT[]) AS extconfig, CAST(NULL AS VARCHAR[]) AS extcondition;

CREATE OR REPLACE VIEW $pg.pg_tablespace AS
SELECT CAST(oid AS BIGINT) AS oid, spcname, CAST(10 AS BIGINT) AS spcowner, CAST(NULL AS VARCHAR[]) AS spcacl, CAST(NULL AS VARCHAR[]) AS spcoptions
FROM (VALUES (1663, 'pg_default'), (1664, 'pg_global')) v(oid, spcname);

CREATE OR REPLACE VIEW $pg.pg_collation AS
SELECT CAST(oid AS BIGINT) AS oid, collname, CAST(11 AS BIGINT) AS collnamespace, CAST(10 AS BIGINT) AS collowner, collprovider,
  true AS collisdeterministic, -1 AS collencoding, collcollate, collctype, CAST(NULL AS VARCHAR) AS colliculocale, CAST(NULL AS VARCHAR) AS collversion
FROM (VALUES (100, 'default', 'd', NULL, NULL), (950, 'C', 'c', 'C', 'C'), (951, 'POSIX', 'c', 'POSIX', 'POSIX')) v(oid, collname, collprovider, collcollate, collctype);

CREATE OR REPLACE VIEW $pg.pg_language AS
SELECT CAST(oid AS BIGINT) AS oid, lanname, CAST(10 AS BIGINT) AS lanowner, lanispl, lanpltrusted, CAST(plcall AS BIGINT) AS lanplcallfoid,
  CAST(inl AS BIGINT) AS laninline, CAST(val AS BIGINT) AS lanvalidator, CAST(NULL AS VARCHAR[]) AS lanacl
FROM (VALUES (12, 'internal', false, false, 0, 0, 2246), (13, 'c', false, false, 0, 0, 2247), (14, 'sql', false, true, 0, 0, 2248),
  (13563, 'plpgsql', true, true, 13560, 13561, 13562)) v(oid, lanname, lanispl, lanpltrusted, plcall, inl, val);

CREATE OR REPLACE VIEW $pg.pg_tables AS
SELECT nspname AS schemaname, relname AS tablename, $pg.tp_session_user() AS tableowner, CAST(NULL AS VARCHAR) AS tablespace,
  $pg.tp_rel_has_index(oid) AS hasindexes, false AS hasrules, $pg.tp_rel_has_triggers(oid) AS hastriggers, false AS rowsecurity
FROM $pg.tp_relations WHERE relkind = 'r';
CREATE OR REPLACE VIEW $pg.pg_views AS
SELECT nspname AS schemaname, relname AS viewname, $pg.tp_session_user() AS viewowner, viewdef AS definition
FROM $pg.tp_relations WHERE relkind = 'v';

CREATE OR REPLACE VIEW $pg.pg_stat_user_tables AS
SELECT oid AS relid, nspname AS schemaname, relname, CAST(0 AS BIGINT) AS seq_scan, CAST(0 AS BIGINT) AS seq_tup_read,
  CAST(NULL AS BIGINT) AS idx_scan, CAST(NULL AS BIGINT) AS idx_tup_fetch, CAST(0 AS BIGINT) AS n_tup_ins, CAST(0 AS BIGINT) AS n_tup_upd,
  CAST(0 AS BIGINT) AS n_tup_del, CAST(0 AS BIGINT) AS n_tup_hot_upd, CAST(coalesce(live_tuples, 0) AS BIGINT) AS n_live_tup,
  CAST(0 AS BIGINT) AS n_dead_tup, CAST(0 AS BIGINT) AS n_mod_since_analyze, CAST(0 AS BIGINT) AS n_ins_since_vacuum,
  CAST(NULL AS TIMESTAMPTZ) AS last_vacuum, CAST(NULL AS TIMESTAMPTZ) AS last_autovacuum, CAST(NULL AS TIMESTAMPTZ) AS last_analyze,
  CAST(NULL AS TIMESTAMPTZ) AS last_autoanalyze, CAST(0 AS BIGINT) AS vacuum_count, CAST(0 AS BIGINT) AS autovacuum_count,
  CAST(0 AS BIGINT) AS analyze_count, CAST(0 AS BIGINT) AS autoanalyze_count
FROM $pg.tp_relations WHERE relkind = 'r';
CREATE OR REPLACE VIEW $pg.pg_stat_all_tables AS SELECT * FROM $pg.pg_stat_user_tables;

CREATE OR REPLACE VIEW $pg.pg_stat_activity AS
SELECT CAST(16384 AS BIGINT) AS datid, '` + PGDatabaseName + `' AS datname, 1 AS pid, CAST(NULL AS INTEGER) AS leader_pid,
  CAST(10 AS BIGINT) AS usesysid, $pg.tp_session_user() AS usename, coalesce($pg.tp_session('application_name'), '') AS application_name, CAST(NULL AS VARCHAR) AS client_addr,
  CAST(NULL AS VARCHAR) AS client_hostname, -1 AS client_port, CAST(NULL AS TIMESTAMPTZ) AS backend_start, CAST(NULL AS TIMESTAMPTZ) AS xact_start,
  CAST(NULL AS TIMESTAMPTZ) AS query_start, CAST(NULL AS TIMESTAMPTZ) AS state_change, CAST(NULL AS VARCHAR) AS wait_event_type,
  CAST(NULL AS VARCHAR) AS wait_event, 'active' AS state, CAST(NULL AS BIGINT) AS backend_xid, CAST(NULL AS BIGINT) AS backend_xmin,
  CAST(NULL AS BIGINT) AS query_id, '' AS query, 'client backend' AS backend_type;
`)
}

// pgEmptyCatalogs are the catalogs tpserver has no rows for, with
// PostgreSQL 15's columns (PostgreSQL types; see pgToDuckType).
var pgEmptyCatalogs = []struct{ name, cols string }{
	{"pg_inherits", `inhrelid oid, inhparent oid, inhseqno integer, inhdetachpending boolean`},
	{"pg_rewrite", `oid oid, rulename name, ev_class oid, ev_type "char", ev_enabled "char", is_instead boolean, ev_qual pg_node_tree, ev_action pg_node_tree`},
	{"pg_policy", `oid oid, polname name, polrelid oid, polcmd "char", polpermissive boolean, polroles oid[], polqual pg_node_tree, polwithcheck pg_node_tree`},
	{"pg_trigger", `oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype smallint, tgenabled "char", tgisinternal boolean, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable boolean, tginitdeferred boolean, tgnargs smallint, tgattr int2vector, tgargs bytea, tgqual pg_node_tree, tgoldtable name, tgnewtable name`},
	{"pg_statistic_ext", `oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget integer, stxkeys int2vector, stxkind "char"[], stxexprs pg_node_tree`},
	{"pg_publication", `oid oid, pubname name, pubowner oid, puballtables boolean, pubinsert boolean, pubupdate boolean, pubdelete boolean, pubtruncate boolean, pubviaroot boolean`},
	{"pg_publication_rel", `oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector`},
	{"pg_publication_tables", `pubname name, schemaname name, tablename name, attnames name[], rowfilter text`},
	{"pg_publication_namespace", `oid oid, pnpubid oid, pnnspid oid`},
	{"pg_foreign_table", `ftrelid oid, ftserver oid, ftoptions text[]`},
	{"pg_foreign_server", `oid oid, srvname name, srvowner oid, srvfdw oid, srvtype text, srvversion text, srvacl aclitem[], srvoptions text[]`},
	{"pg_foreign_data_wrapper", `oid oid, fdwname name, fdwowner oid, fdwhandler oid, fdwvalidator oid, fdwacl aclitem[], fdwoptions text[]`},
	{"pg_partitioned_table", `partrelid oid, partstrat "char", partnatts smallint, partdefid oid, partattrs int2vector, partclass oidvector, partcollation oidvector, partexprs pg_node_tree`},
	{"pg_auth_members", `roleid oid, member oid, grantor oid, admin_option boolean`},
	{"pg_enum", `oid oid, enumtypid oid, enumsortorder real, enumlabel name`},
	{"pg_range", `rngtypid oid, rngsubtype oid, rngmultitypid oid, rngcollation oid, rngsubopc oid, rngcanonical regproc, rngsubdiff regproc`},
	{"pg_matviews", `schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes boolean, ispopulated boolean, definition text`},
	{"pg_sequence", `seqrelid oid, seqtypid oid, seqstart bigint, seqincrement bigint, seqmax bigint, seqmin bigint, seqcache bigint, seqcycle boolean`},
	{"pg_sequences", `schemaname name, sequencename name, sequenceowner name, data_type regtype, start_value bigint, min_value bigint, max_value bigint, increment_by bigint, cycle boolean, cache_size bigint, last_value bigint`},
	{"pg_locks", `locktype text, database oid, relation oid, page integer, tuple smallint, virtualxid text, transactionid xid, classid oid, objid oid, objsubid smallint, virtualtransaction text, pid integer, mode text, granted boolean, fastpath boolean, waitstart timestamp with time zone`},
	{"pg_shdescription", `objoid oid, classoid oid, description text`},
	{"pg_depend", `classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, refobjsubid integer, deptype "char"`},
	{"pg_shdepend", `dbid oid, classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, deptype "char"`},
	{"pg_event_trigger", `oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid, evtenabled "char", evttags text[]`},
	{"pg_cast", `oid oid, castsource oid, casttarget oid, castfunc oid, castcontext "char", castmethod "char"`},
	{"pg_opclass", `oid oid, opcmethod oid, opcname name, opcnamespace oid, opcowner oid, opcfamily oid, opcintype oid, opcdefault boolean, opckeytype oid`},
	{"pg_opfamily", `oid oid, opfmethod oid, opfname name, opfnamespace oid, opfowner oid`},
	{"pg_conversion", `oid oid, conname name, connamespace oid, conowner oid, conforencoding integer, contoencoding integer, conproc regproc, condefault boolean`},
	{"pg_aggregate", `aggfnoid regproc, aggkind "char", aggnumdirectargs smallint, aggtransfn regproc, aggfinalfn regproc, aggcombinefn regproc, aggserialfn regproc, aggdeserialfn regproc, aggmtransfn regproc, aggminvtransfn regproc, aggmfinalfn regproc, aggfinalextra boolean, aggmfinalextra boolean, aggfinalmodify "char", aggmfinalmodify "char", aggsortop oid, aggtranstype oid, aggtransspace integer, aggmtranstype oid, aggmtransspace integer, agginitval text, aggminitval text`},
	{"pg_prepared_xacts", `transaction xid, gid text, prepared timestamp with time zone, owner name, database name`},
	{"pg_stat_statements", `userid oid, dbid oid, queryid bigint, query text, calls bigint, total_exec_time double precision`},
	{"pg_statio_user_tables", `relid oid, schemaname name, relname name, heap_blks_read bigint, heap_blks_hit bigint, idx_blks_read bigint, idx_blks_hit bigint, toast_blks_read bigint, toast_blks_hit bigint, tidx_blks_read bigint, tidx_blks_hit bigint`},
	{"pg_stat_user_indexes", `relid oid, indexrelid oid, schemaname name, relname name, indexrelname name, idx_scan bigint, idx_tup_read bigint, idx_tup_fetch bigint`},
	{"pg_init_privs", `objoid oid, classoid oid, objsubid integer, privtype "char", initprivs aclitem[]`},
	{"pg_seclabel", `objoid oid, classoid oid, objsubid integer, provider text, label text`},
	{"pg_shseclabel", `objoid oid, classoid oid, provider text, label text`},
	{"pg_ts_config", `oid oid, cfgname name, cfgnamespace oid, cfgowner oid, cfgparser oid`},
	{"pg_user_mapping", `oid oid, umuser oid, umserver oid, umoptions text[]`},
	{"pg_default_acl", `oid oid, defaclrole oid, defaclnamespace oid, defaclobjtype "char", defaclacl aclitem[]`},
	{"pg_largeobject_metadata", `oid oid, lomowner oid, lomacl aclitem[]`},
	{"pg_subscription", `oid oid, subdbid oid, subname name, subowner oid, subenabled boolean`},
	{"pg_replication_slots", `slot_name name, plugin name, slot_type text, datoid oid, database name, temporary boolean, active boolean`},
	{"pg_stat_replication", `pid integer, usesysid oid, usename name, application_name text, client_addr inet, state text`},
	{"pg_prepared_statements", `name text, statement text, prepare_time timestamp with time zone, parameter_types regtype[], from_sql boolean, generic_plans bigint, custom_plans bigint`},
	{"pg_cursors", `name text, statement text, is_holdable boolean, is_binary boolean, is_scrollable boolean, creation_time timestamp with time zone`},
	{"pg_available_extensions", `name name, default_version text, installed_version text, comment text`},
	{"pg_timezone_names", `name text, abbrev text, utc_offset interval, is_dst boolean`},
}

// pgToDuckType maps a PostgreSQL catalog column type to the emulation's
// DuckDB type.
func pgToDuckType(t string) string {
	switch t {
	case "oid", "xid", "regproc", "regtype", "regclass", "bigint":
		return "BIGINT"
	case "integer":
		return "INTEGER"
	case "smallint":
		return "SMALLINT"
	case "boolean":
		return "BOOLEAN"
	case "real":
		return "FLOAT"
	case "double precision":
		return "DOUBLE"
	case "timestamp with time zone":
		return "TIMESTAMPTZ"
	case "interval":
		return "INTERVAL"
	case "bytea":
		return "BLOB"
	case "int2vector", "smallint[]":
		return "SMALLINT[]"
	case "oidvector", "oid[]", "regtype[]":
		return "BIGINT[]"
	case "aclitem[]", "text[]", "name[]", `"char"[]`:
		return "VARCHAR[]"
	}
	return "VARCHAR" // name, text, "char", pg_node_tree, inet, anyarray
}

func writeEmptyViews(b *strings.Builder) {
	for _, c := range pgEmptyCatalogs {
		var cols []string
		for _, col := range strings.Split(c.cols, ", ") {
			name, typ, _ := strings.Cut(col, " ")
			cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", pgToDuckType(typ), name))
		}
		fmt.Fprintf(b, "CREATE OR REPLACE VIEW $pg.%s AS SELECT %s WHERE false;\n", c.name, strings.Join(cols, ", "))
	}
}

// formatTypeNames are format_type's names of built-in types whose name
// differs from typname (without a typmod).
var formatTypeNames = map[string]string{
	"int4": "integer", "int8": "bigint", "int2": "smallint", "bool": "boolean", "float4": "real",
	"float8": "double precision", "char": `"char"`, "bpchar": "character", "varchar": "character varying",
	"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
	"time": "time without time zone", "timetz": "time with time zone", "varbit": "bit varying",
}

// formatTypeName is format_type(oid, NULL) of a built-in type.
func formatTypeName(oid int64) string {
	byOID := func(o int64) (pgTypeRow, bool) {
		for _, t := range pgTypeRows {
			if t.oid == o {
				return t, true
			}
		}
		return pgTypeRow{}, false
	}
	t, ok := byOID(oid)
	if !ok {
		return "???"
	}
	suffix := ""
	if t.category == 'A' && t.elem != 0 {
		if e, ok := byOID(t.elem); ok {
			t, suffix = e, "[]"
		}
	}
	if n, ok := formatTypeNames[t.name]; ok {
		return n + suffix
	}
	return t.name + suffix
}

// writeFunctionMacros defines the emulated pg_catalog functions.
func writeFunctionMacros(b *strings.Builder) {
	// tp_type_names holds format_type's answer for each built-in type
	// without a typmod, for regtype_out.
	rows := make([]string, 0, len(pgTypeRows))
	for _, t := range pgTypeRows {
		rows = append(rows, fmt.Sprintf("(%d, %s)", t.oid, sqlStr(formatTypeName(int64(t.oid)))))
	}
	writeTable(b, "$pg.tp_type_names", "oid BIGINT PRIMARY KEY, display VARCHAR", rows)
	b.WriteString(`-- format_type is a Go function (formattype.go): as SQL its cases took
-- DuckDB milliseconds to plan in every query that calls it.
CREATE OR REPLACE MACRO $pg.format_type(t, m) AS ` + formatTypeFunction + `(CAST(t AS BIGINT), CAST(m AS BIGINT));
`)

	var reserved []string
	for _, k := range pgKeywordRows {
		if k.catcode != 'U' {
			reserved = append(reserved, sqlStr(k.word))
		}
	}

	b.WriteString(`
CREATE OR REPLACE MACRO $pg.version() AS '` + PGVersion + `';
CREATE OR REPLACE MACRO $pg.current_database() AS '` + PGDatabaseName + `';
CREATE OR REPLACE MACRO $pg.current_catalog() AS '` + PGDatabaseName + `';
CREATE OR REPLACE MACRO $pg.current_user() AS $pg.tp_session_user();
CREATE OR REPLACE MACRO $pg.session_user() AS $pg.tp_session_user();
CREATE OR REPLACE MACRO $pg.current_role() AS $pg.tp_session_user();
CREATE OR REPLACE MACRO $pg."user"() AS $pg.tp_session_user();
-- search_path's entries, as PostgreSQL lists them in current_schemas: only
-- schemas that exist, pg_catalog first unless listed, when implicit schemas
-- are asked for. "$user" is left out: DuckDB's search path (pgwire sets it
-- from search_path) has no per-user schema either.
CREATE OR REPLACE MACRO $pg.tp_search_path() AS
  list_transform(regexp_extract_all(coalesce($pg.tp_session('search_path'), '"$user", public'), '("(?:[^"]|"")*"|[^,\s][^,]*)'),
    tp_p -> CASE WHEN trim(tp_p) = '"$user"' OR trim(tp_p) = '$user' THEN NULL
                 WHEN trim(tp_p)[1] = '"' THEN replace(trim(tp_p)[2:-2], '""', '"') ELSE lower(trim(tp_p)) END);
CREATE OR REPLACE MACRO $pg.current_schemas(implicit) AS (
  SELECT coalesce(list(tp_e.nsp ORDER BY tp_e.pos), CAST([] AS VARCHAR[])) FROM (
    SELECT 'pg_catalog' AS nsp, 0 AS pos WHERE implicit AND NOT list_contains($pg.tp_search_path(), 'pg_catalog')
    UNION ALL
    SELECT tp_sp.nsp, tp_sp.pos FROM (SELECT unnest($pg.tp_search_path()) AS nsp, generate_subscripts($pg.tp_search_path(), 1) AS pos) tp_sp
    WHERE tp_sp.nsp IN (SELECT nspname FROM $pg.pg_namespace)) tp_e);
CREATE OR REPLACE MACRO $pg.current_schema() AS $pg.current_schemas(false)[1];
CREATE OR REPLACE MACRO $pg.pg_get_userbyid(r) AS CASE WHEN r = 10 THEN $pg.tp_session_user() WHEN r IS NULL THEN NULL ELSE 'unknown (OID=' || r || ')' END;
CREATE OR REPLACE MACRO $pg.pg_encoding_to_char(e) AS CASE e WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' WHEN 8 THEN 'LATIN1' ELSE '' END;
CREATE OR REPLACE MACRO $pg.pg_char_to_encoding(e) AS CASE upper(e) WHEN 'UTF8' THEN 6 WHEN 'SQL_ASCII' THEN 0 WHEN 'LATIN1' THEN 8 ELSE -1 END;
CREATE OR REPLACE MACRO $pg.pg_encoding_max_length(e) AS CASE e WHEN 6 THEN 4 ELSE 1 END;
CREATE OR REPLACE MACRO $pg.pg_get_expr(e, r) AS $pg.tp_get_expr(e, false), (e, r, p) AS $pg.tp_get_expr(e, p);
CREATE OR REPLACE MACRO $pg.pg_get_indexdef(i) AS $pg.tp_get_indexdef(i, 0, false), (i, c, p) AS $pg.tp_get_indexdef(i, c, p);
CREATE OR REPLACE MACRO $pg.pg_get_constraintdef(c) AS $pg.tp_get_constraintdef(c, false), (c, p) AS $pg.tp_get_constraintdef(c, p);
CREATE OR REPLACE MACRO $pg.pg_get_ruledef(r) AS CAST(NULL AS VARCHAR), (r, p) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_get_triggerdef(t) AS CAST(NULL AS VARCHAR), (t, p) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_get_partkeydef(r) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_get_statisticsobjdef_columns(o) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_get_function_sqlbody(o) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_get_serial_sequence(t, c) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.pg_relation_is_publishable(r) AS false;
CREATE OR REPLACE MACRO $pg.pg_tablespace_location(t) AS '';
CREATE OR REPLACE MACRO $pg.pg_get_function_result(f) AS (SELECT tp_p.result FROM $pg.tp_proc_text tp_p WHERE tp_p.oid = f);
CREATE OR REPLACE MACRO $pg.pg_get_function_arguments(f) AS (SELECT tp_p.arguments FROM $pg.tp_proc_text tp_p WHERE tp_p.oid = f);
CREATE OR REPLACE MACRO $pg.pg_get_function_identity_arguments(f) AS $pg.pg_get_function_arguments(f);
CREATE OR REPLACE MACRO $pg.pg_table_is_visible(r) AS
  (SELECT count(*) > 0 FROM $pg.tp_relations tp_c WHERE tp_c.oid = r AND tp_c.nspname = 'public')
  OR (SELECT count(*) > 0 FROM $pg.tp_indexes tp_c WHERE tp_c.oid = r AND tp_c.nspname = 'public')
  OR (SELECT count(*) > 0 FROM $pg.tp_system_relations tp_c WHERE tp_c.oid = r AND tp_c.nspname = 'pg_catalog');
CREATE OR REPLACE MACRO $pg.pg_type_is_visible(t) AS list_contains((SELECT list(tp_t.oid) FROM $pg.pg_type tp_t), t);
CREATE OR REPLACE MACRO $pg.pg_function_is_visible(f) AS list_contains((SELECT list(tp_p.oid) FROM $pg.pg_proc tp_p), f);
CREATE OR REPLACE MACRO $pg.pg_opclass_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_opfamily_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_collation_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_conversion_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_operator_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_ts_config_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_my_temp_schema() AS CAST(0 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_is_other_temp_schema(n) AS false;
CREATE OR REPLACE MACRO $pg.pg_get_keywords() AS TABLE SELECT word, catcode, barelabel, catdesc, baredesc FROM $pg.tp_keywords ORDER BY word;
CREATE OR REPLACE MACRO $pg.pg_indexes_size(r) AS CAST(0 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_database_size(d) AS CAST(0 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_tablespace_size(d) AS CAST(0 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_stat_get_numscans(r) AS CAST(0 AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_half_rounded(x) AS CAST(trunc((x + CASE WHEN x < 0 THEN -1 ELSE 1 END) / 2) AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_size_pretty(s) AS CASE
  WHEN s IS NULL THEN NULL
  WHEN abs(s) < 10240 THEN CAST(s AS BIGINT) || ' bytes'
  WHEN abs(s >> 9) < 20479 THEN $pg.tp_half_rounded(s >> 9) || ' kB'
  WHEN abs(s >> 19) < 20479 THEN $pg.tp_half_rounded(s >> 19) || ' MB'
  WHEN abs(s >> 29) < 20479 THEN $pg.tp_half_rounded(s >> 29) || ' GB'
  WHEN abs(s >> 39) < 20479 THEN $pg.tp_half_rounded(s >> 39) || ' TB'
  ELSE $pg.tp_half_rounded(s >> 49) || ' PB' END;
CREATE OR REPLACE MACRO $pg.has_table_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_schema_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_database_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_column_privilege(a, b, c) AS true, (a, b, c, d) AS true;
CREATE OR REPLACE MACRO $pg.has_any_column_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_function_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_sequence_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_tablespace_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.has_type_privilege(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.pg_has_role(a, b) AS true, (a, b, c) AS true;
CREATE OR REPLACE MACRO $pg.tp_class_oid(c) AS CASE c
  WHEN 'pg_class' THEN 1259 WHEN 'pg_namespace' THEN 2615 WHEN 'pg_proc' THEN 1255 WHEN 'pg_type' THEN 1247
  WHEN 'pg_database' THEN 1262 WHEN 'pg_extension' THEN 3079 WHEN 'pg_constraint' THEN 2606 WHEN 'pg_tablespace' THEN 1213
  WHEN 'pg_authid' THEN 1260 WHEN 'pg_attribute' THEN 1249 WHEN 'pg_am' THEN 2601 WHEN 'pg_trigger' THEN 2620
  WHEN 'pg_rewrite' THEN 2618 WHEN 'pg_operator' THEN 2617 WHEN 'pg_collation' THEN 3456 ELSE NULL END;
-- Maps built once per statement (see tp_type_name), keyed by oid (and
-- class or column number).
CREATE OR REPLACE MACRO $pg.obj_description(o) AS
  (SELECT map(list(tp_d.k), list(tp_d.d)) FROM (SELECT objoid AS k, min(description) AS d FROM $pg.pg_description
   WHERE objsubid = 0 GROUP BY objoid) tp_d)[o],
  (o, c) AS (SELECT map(list(tp_d.k), list(tp_d.d)) FROM (SELECT objoid || '/' || classoid AS k, min(description) AS d
   FROM $pg.pg_description WHERE objsubid = 0 GROUP BY objoid, classoid) tp_d)[o || '/' || $pg.tp_class_oid(c)];
CREATE OR REPLACE MACRO $pg.col_description(o, n) AS
  (SELECT map(list(tp_d.k), list(tp_d.d)) FROM (SELECT objoid || '/' || objsubid AS k, min(description) AS d
   FROM $pg.pg_description WHERE classoid = 1259 GROUP BY objoid, objsubid) tp_d)[o || '/' || n];
CREATE OR REPLACE MACRO $pg.shobj_description(o, c) AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.quote_literal(x) AS CASE WHEN x IS NULL THEN NULL ELSE '''' || replace(CAST(x AS VARCHAR), '''', '''''') || '''' END;
CREATE OR REPLACE MACRO $pg.array_remove(a, x) AS list_filter(a, lambda tp_e: tp_e IS DISTINCT FROM x);
CREATE OR REPLACE MACRO $pg.array_upper(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN len(a) ELSE NULL END;
CREATE OR REPLACE MACRO $pg.array_lower(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN 1 ELSE NULL END;
CREATE OR REPLACE MACRO $pg.array_length(a, d) AS CASE WHEN d = 1 AND len(a) > 0 THEN len(a) ELSE NULL END;
CREATE OR REPLACE MACRO $pg.cardinality(a) AS len(a);
CREATE OR REPLACE MACRO $pg.string_to_array(s, d) AS CASE WHEN s IS NULL THEN NULL WHEN s = '' THEN CAST([] AS VARCHAR[])
  WHEN d IS NULL THEN regexp_extract_all(s, '(?s).') ELSE string_split(s, d) END,
  (s, d, n) AS list_transform(CASE WHEN s IS NULL THEN NULL WHEN s = '' THEN CAST([] AS VARCHAR[])
  WHEN d IS NULL THEN list_transform(range(1, length(s) + 1), i -> substr(s, i, 1)) ELSE string_split(s, d) END,
  x -> CASE WHEN x = n THEN NULL ELSE x END);
CREATE OR REPLACE MACRO $pg.quote_ident(s) AS CASE
  WHEN regexp_full_match(s, '[a-z_][a-z0-9_$]*') AND NOT list_contains(` + "[" + strings.Join(reserved, ", ") + "]" + `, s) THEN s
  ELSE '"' || replace(s, '"', '""') || '"' END;
CREATE OR REPLACE MACRO $pg.parse_ident(s) AS
  list_transform(regexp_extract_all(s, '("(?:[^"]|"")*"|[^."]+)'), p -> CASE WHEN p[1] = '"' THEN replace(p[2:-2], '""', '"') ELSE lower(trim(p)) END),
  (s, strict) AS list_transform(regexp_extract_all(s, '("(?:[^"]|"")*"|[^."]+)'), p -> CASE WHEN p[1] = '"' THEN replace(p[2:-2], '""', '"') ELSE lower(trim(p)) END);
CREATE OR REPLACE MACRO $pg.tp_ident_parts(s) AS
  list_transform(regexp_extract_all(s, '("(?:[^"]|"")*"|[^."]+)'), p -> CASE WHEN p[1] = '"' THEN replace(p[2:-2], '""', '"') ELSE trim(p) END);
CREATE OR REPLACE MACRO $pg.tp_quoted(s) AS regexp_matches(s, '"');
CREATE OR REPLACE MACRO $pg.tp_name_eq(candidate, wanted, quoted) AS CASE WHEN quoted THEN candidate = wanted ELSE lower(candidate) = lower(wanted) END;
CREATE OR REPLACE MACRO $pg.tp_all_relations() AS TABLE
  SELECT oid, nspname, relname FROM $pg.tp_system_relations
  UNION ALL SELECT oid, nspname, relname FROM $pg.tp_relations
  UNION ALL SELECT oid, nspname, relname FROM $pg.tp_indexes;
CREATE OR REPLACE MACRO $pg.to_regclass(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_full_match(CAST(x AS VARCHAR), '\s*\d+\s*') THEN TRY_CAST(x AS BIGINT)
  ELSE (SELECT tp_r.oid FROM $pg.tp_all_relations() tp_r
        WHERE $pg.tp_name_eq(tp_r.relname, $pg.tp_ident_parts(CAST(x AS VARCHAR))[-1], $pg.tp_quoted(CAST(x AS VARCHAR)))
          AND CASE WHEN len($pg.tp_ident_parts(CAST(x AS VARCHAR))) > 1
                   THEN $pg.tp_name_eq(tp_r.nspname, $pg.tp_ident_parts(CAST(x AS VARCHAR))[-2], $pg.tp_quoted(CAST(x AS VARCHAR)))
                   ELSE tp_r.nspname IN ('pg_catalog', 'public') END
        ORDER BY CASE tp_r.nspname WHEN 'pg_catalog' THEN 0 WHEN 'public' THEN 1 ELSE 2 END LIMIT 1) END;
-- x::regclass (and the other reg* casts) of a catalog column holding
-- oids: the oid itself (the translator uses these when it knows).
CREATE OR REPLACE MACRO $pg.tp_oid_regclass(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regtype(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regproc(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regprocedure(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regnamespace(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regrole(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.tp_oid_regoper(x) AS CAST(x AS BIGINT);
CREATE OR REPLACE MACRO $pg.regclass_in(x) AS CASE WHEN $pg.to_regclass(x) IS NULL
  THEN error('relation "' || CAST(x AS VARCHAR) || '" does not exist') ELSE $pg.to_regclass(x) END;
-- Sizes: what the lake tables' Parquet files take (from the manifests);
-- DuckDB does not tell a table's size, so other relations are 0.
CREATE OR REPLACE MACRO $pg.tp_relation_bytes(r) AS coalesce(
  (SELECT map(list(tp_r.oid), list(coalesce(tp_r.bytes, 0))) FROM $pg.tp_relations tp_r)[$pg.to_regclass(r)], CAST(0 AS BIGINT));
CREATE OR REPLACE MACRO $pg.pg_relation_size(r) AS $pg.tp_relation_bytes(r),
  (r, f) AS CASE WHEN f = 'main' THEN $pg.tp_relation_bytes(r) ELSE CAST(0 AS BIGINT) END;
CREATE OR REPLACE MACRO $pg.pg_table_size(r) AS $pg.tp_relation_bytes(r);
CREATE OR REPLACE MACRO $pg.pg_total_relation_size(r) AS $pg.tp_relation_bytes(r);
CREATE OR REPLACE MACRO $pg.tp_type_alias(n) AS CASE n
  WHEN 'integer' THEN 'int4' WHEN 'int' THEN 'int4' WHEN 'smallint' THEN 'int2' WHEN 'bigint' THEN 'int8'
  WHEN 'boolean' THEN 'bool' WHEN 'real' THEN 'float4' WHEN 'float' THEN 'float8' WHEN 'double precision' THEN 'float8'
  WHEN 'character varying' THEN 'varchar' WHEN 'character' THEN 'bpchar' WHEN 'char' THEN 'bpchar' WHEN '"char"' THEN 'char'
  WHEN 'decimal' THEN 'numeric' WHEN 'timestamp without time zone' THEN 'timestamp' WHEN 'timestamp with time zone' THEN 'timestamptz'
  WHEN 'time without time zone' THEN 'time' WHEN 'time with time zone' THEN 'timetz' WHEN 'bit varying' THEN 'varbit'
  ELSE n END;
CREATE OR REPLACE MACRO $pg.tp_type_key(x) AS
  $pg.tp_type_alias(trim(regexp_replace(regexp_replace(regexp_replace(lower(trim(CAST(x AS VARCHAR))), '^pg_catalog\.', ''), '\(.*?\)', '', 'g'), '\[\]$', '')));
CREATE OR REPLACE MACRO $pg.to_regtype(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_full_match(CAST(x AS VARCHAR), '\s*\d+\s*') THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_matches(trim(CAST(x AS VARCHAR)), '\[\]$') THEN
    (SELECT map(list(tp_t.k), list(tp_t.v)) FROM (SELECT typname AS k, min(typarray) AS v FROM $pg.pg_type
     WHERE typarray <> 0 GROUP BY typname) tp_t)[replace($pg.tp_type_key(x), '"', '')]
  -- A name in several schemas: the built-in type (the lowest oid) wins.
  ELSE (SELECT map(list(tp_t.k), list(tp_t.v)) FROM (SELECT typname AS k, min(oid) AS v FROM $pg.pg_type
     GROUP BY typname) tp_t)[replace($pg.tp_type_key(x), '"', '')] END;
CREATE OR REPLACE MACRO $pg.to_regproc(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_full_match(CAST(x AS VARCHAR), '\s*\d+\s*') THEN TRY_CAST(x AS BIGINT)
  ELSE (SELECT min(tp_p.oid) FROM $pg.pg_proc tp_p WHERE tp_p.proname = regexp_replace(lower(trim(CAST(x AS VARCHAR))), '^pg_catalog\.', '')) END;
CREATE OR REPLACE MACRO $pg.to_regprocedure(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  ELSE $pg.to_regproc(regexp_replace(CAST(x AS VARCHAR), '\(.*$', '')) END;
CREATE OR REPLACE MACRO $pg.to_regoper(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  ELSE (SELECT min(tp_o.oid) FROM $pg.pg_operator tp_o WHERE tp_o.oprname = regexp_replace(trim(CAST(x AS VARCHAR)), '^pg_catalog\.', '')) END;
CREATE OR REPLACE MACRO $pg.to_regoperator(x) AS $pg.to_regoper(regexp_replace(CAST(x AS VARCHAR), '\(.*$', ''));
CREATE OR REPLACE MACRO $pg.to_regnamespace(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_full_match(CAST(x AS VARCHAR), '\s*\d+\s*') THEN TRY_CAST(x AS BIGINT)
  ELSE (SELECT min(tp_n.oid) FROM $pg.pg_namespace tp_n
        WHERE $pg.tp_name_eq(tp_n.nspname, $pg.tp_ident_parts(CAST(x AS VARCHAR))[-1], $pg.tp_quoted(CAST(x AS VARCHAR)))) END;
CREATE OR REPLACE MACRO $pg.to_regrole(x) AS CASE
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  WHEN regexp_full_match(CAST(x AS VARCHAR), '\s*\d+\s*') THEN TRY_CAST(x AS BIGINT)
  WHEN replace(trim(CAST(x AS VARCHAR)), '"', '') = $pg.tp_session_user() THEN CAST(10 AS BIGINT)
  ELSE NULL END;
-- The text of reg* values (x::regclass::text): the object's name, the
-- relation's qualified by its schema when the search path does not reach
-- it; an oid without an object prints as the number.
-- One correlated look-up each: the translator passes catalog oid columns
-- as they are (tp_oid_*), so the argument is usually a plain column.
CREATE OR REPLACE MACRO $pg.regclass_out(o) AS coalesce(
  (SELECT CASE WHEN tp_r.nspname = 'pg_catalog' OR list_contains($pg.tp_search_path(), tp_r.nspname) THEN $pg.quote_ident(tp_r.relname)
          ELSE $pg.quote_ident(tp_r.nspname) || '.' || $pg.quote_ident(tp_r.relname) END
   FROM $pg.tp_all_relations() tp_r WHERE tp_r.oid = o LIMIT 1), CAST(o AS VARCHAR));
CREATE OR REPLACE MACRO $pg.regtype_out(o) AS coalesce(
  (SELECT tp_n.display FROM $pg.tp_type_names tp_n WHERE tp_n.oid = o),
  (SELECT tp_t.typname FROM $pg.pg_type tp_t WHERE tp_t.oid = o LIMIT 1), CAST(o AS VARCHAR));
CREATE OR REPLACE MACRO $pg.regproc_out(o) AS coalesce(
  (SELECT tp_p.proname FROM $pg.pg_proc tp_p WHERE tp_p.oid = o LIMIT 1), CAST(o AS VARCHAR));
CREATE OR REPLACE MACRO $pg.regprocedure_out(o) AS $pg.regproc_out(o);
CREATE OR REPLACE MACRO $pg.regnamespace_out(o) AS coalesce(
  (SELECT tp_n.nspname FROM $pg.pg_namespace tp_n WHERE tp_n.oid = o LIMIT 1), CAST(o AS VARCHAR));
CREATE OR REPLACE MACRO $pg.regrole_out(o) AS CASE WHEN o = 10 THEN $pg.tp_session_user() ELSE CAST(o AS VARCHAR) END;
CREATE OR REPLACE MACRO $pg.to_regcollation(x) AS CASE
  WHEN typeof(x) <> 'VARCHAR' THEN TRY_CAST(x AS BIGINT)
  ELSE CASE replace(regexp_replace(trim(CAST(x AS VARCHAR)), '^pg_catalog\.', ''), '"', '') WHEN 'default' THEN 100 WHEN 'C' THEN 950 WHEN 'POSIX' THEN 951 ELSE NULL END END;
-- A session's own value, else the server's; an unknown name is an error
-- unless missing_ok.
CREATE OR REPLACE MACRO $pg.tp_setting(n) AS coalesce($pg.tp_session(lower(n)),
  (SELECT min(tp_s.setting) FROM $pg.pg_settings_static tp_s WHERE lower(tp_s.name) = lower(n)));
CREATE OR REPLACE MACRO $pg.current_setting(n) AS
  CASE WHEN $pg.tp_setting(n) IS NULL THEN error('unrecognized configuration parameter "' || n || '"') ELSE $pg.tp_setting(n) END,
  (n, missing_ok) AS CASE WHEN $pg.tp_setting(n) IS NULL AND NOT missing_ok
  THEN error('unrecognized configuration parameter "' || n || '"') ELSE $pg.tp_setting(n) END;
CREATE OR REPLACE MACRO $pg.set_config(n, v, is_local) AS v;
CREATE OR REPLACE MACRO $pg.pg_backend_pid() AS 1;
CREATE OR REPLACE MACRO $pg.inet_server_addr() AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.inet_server_port() AS CAST(NULL AS INTEGER);
CREATE OR REPLACE MACRO $pg.inet_client_addr() AS CAST(NULL AS VARCHAR);
CREATE OR REPLACE MACRO $pg.inet_client_port() AS CAST(NULL AS INTEGER);
CREATE OR REPLACE MACRO $pg.txid_current() AS CAST(1000 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_current_xact_id() AS CAST(1000 AS BIGINT);
CREATE OR REPLACE MACRO $pg.pg_is_in_recovery() AS false;
CREATE OR REPLACE MACRO $pg.pg_postmaster_start_time() AS CAST(TIMESTAMPTZ '` + "2000-01-01 00:00:00+00" + `' AS TIMESTAMPTZ);
CREATE OR REPLACE MACRO $pg.pg_conf_load_time() AS $pg.pg_postmaster_start_time();
CREATE OR REPLACE MACRO $pg.pg_jit_available() AS false;
CREATE OR REPLACE MACRO $pg.obj_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_get_viewdef(v) AS (SELECT viewdef FROM $pg.tp_relations tp_r WHERE tp_r.oid = $pg.to_regclass(v)),
  (v, p) AS (SELECT viewdef FROM $pg.tp_relations tp_r WHERE tp_r.oid = $pg.to_regclass(v));
`)
}

// writeInformationSchema defines the emulated information_schema.
func writeInformationSchema(b *strings.Builder) {
	b.WriteString(`CREATE OR REPLACE MACRO $is._pg_expandarray(arr) AS
  unnest(list_transform(range(1, len(arr) + 1), i -> {'x': arr[i], 'n': i}));
CREATE OR REPLACE MACRO $is._pg_expandarray(arr) AS TABLE
  SELECT arr[i] AS x, i AS n FROM range(1, len(arr) + 1) t(i);

CREATE OR REPLACE VIEW $is.schemata AS
SELECT '` + PGDatabaseName + `' AS catalog_name, nspname AS schema_name, $pg.tp_session_user() AS schema_owner,
  CAST(NULL AS VARCHAR) AS default_character_set_catalog, CAST(NULL AS VARCHAR) AS default_character_set_schema,
  CAST(NULL AS VARCHAR) AS default_character_set_name, CAST(NULL AS VARCHAR) AS sql_path
FROM $pg.pg_namespace;

CREATE OR REPLACE VIEW $is.tables AS
SELECT '` + PGDatabaseName + `' AS table_catalog, nspname AS table_schema, relname AS table_name,
  CASE relkind WHEN 'r' THEN 'BASE TABLE' WHEN 'v' THEN 'VIEW' END AS table_type,
  CAST(NULL AS VARCHAR) AS self_referencing_column_name, CAST(NULL AS VARCHAR) AS reference_generation,
  CAST(NULL AS VARCHAR) AS user_defined_type_catalog, CAST(NULL AS VARCHAR) AS user_defined_type_schema,
  CAST(NULL AS VARCHAR) AS user_defined_type_name, CASE relkind WHEN 'r' THEN 'YES' ELSE 'NO' END AS is_insertable_into,
  'NO' AS is_typed, CAST(NULL AS VARCHAR) AS commit_action
FROM $pg.tp_relations;

CREATE OR REPLACE VIEW $is.views AS
SELECT '` + PGDatabaseName + `' AS table_catalog, nspname AS table_schema, relname AS table_name, viewdef AS view_definition,
  'NONE' AS check_option, 'NO' AS is_updatable, 'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable,
  'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into
FROM $pg.tp_relations WHERE relkind = 'v';

CREATE OR REPLACE VIEW $is.columns AS
SELECT '` + PGDatabaseName + `' AS table_catalog, c.nspname AS table_schema, c.relname AS table_name, c.attname AS column_name,
  CAST(c.attnum AS INTEGER) AS ordinal_position, d.adbin AS column_default,
  CASE WHEN c.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
  CASE WHEN t.typcategory = 'A' THEN 'ARRAY' ELSE $pg.format_type(c.atttypid, NULL) END AS data_type,
  CAST(NULL AS INTEGER) AS character_maximum_length,
  CAST(CASE WHEN c.atttypid IN (25, 1043, 114) THEN 1073741824 END AS INTEGER) AS character_octet_length,
  CAST(CASE c.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24 WHEN 701 THEN 53
    WHEN 1700 THEN CASE WHEN c.atttypmod >= 4 THEN (c.atttypmod - 4) >> 16 END END AS INTEGER) AS numeric_precision,
  CAST(CASE WHEN c.atttypid IN (21, 23, 20, 700, 701) THEN 2 WHEN c.atttypid = 1700 THEN 10 END AS INTEGER) AS numeric_precision_radix,
  CAST(CASE WHEN c.atttypid IN (21, 23, 20) THEN 0 WHEN c.atttypid = 1700 AND c.atttypmod >= 4 THEN (c.atttypmod - 4) & 65535 END AS INTEGER) AS numeric_scale,
  CAST(CASE WHEN c.atttypid IN (1082) THEN 0 WHEN c.atttypid IN (1083, 1114, 1184, 1266, 1186) THEN 6 END AS INTEGER) AS datetime_precision,
  CAST(NULL AS VARCHAR) AS interval_type, CAST(NULL AS INTEGER) AS interval_precision,
  CAST(NULL AS VARCHAR) AS character_set_catalog, CAST(NULL AS VARCHAR) AS character_set_schema, CAST(NULL AS VARCHAR) AS character_set_name,
  CAST(CASE WHEN t.typcollation = 100 THEN NULL END AS VARCHAR) AS collation_catalog,
  CAST(NULL AS VARCHAR) AS collation_schema, CAST(NULL AS VARCHAR) AS collation_name,
  CAST(NULL AS VARCHAR) AS domain_catalog, CAST(NULL AS VARCHAR) AS domain_schema, CAST(NULL AS VARCHAR) AS domain_name,
  '` + PGDatabaseName + `' AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname AS udt_name,
  CAST(NULL AS VARCHAR) AS scope_catalog, CAST(NULL AS VARCHAR) AS scope_schema, CAST(NULL AS VARCHAR) AS scope_name,
  CAST(NULL AS INTEGER) AS maximum_cardinality, CAST(c.attnum AS VARCHAR) AS dtd_identifier, 'NO' AS is_self_referencing,
  'NO' AS is_identity, CAST(NULL AS VARCHAR) AS identity_generation, CAST(NULL AS VARCHAR) AS identity_start,
  CAST(NULL AS VARCHAR) AS identity_increment, CAST(NULL AS VARCHAR) AS identity_maximum, CAST(NULL AS VARCHAR) AS identity_minimum,
  CAST(NULL AS VARCHAR) AS identity_cycle, 'NEVER' AS is_generated, CAST(NULL AS VARCHAR) AS generation_expression,
  'YES' AS is_updatable
FROM $pg.tp_columns c LEFT JOIN $pg.pg_type t ON t.oid = c.atttypid
  LEFT JOIN $pg.tp_attrdef d ON d.adrelid = c.attrelid AND d.adnum = c.attnum;
`)
	for _, v := range []struct{ name, cols string }{
		{"routines", "specific_catalog, specific_schema, specific_name, routine_catalog, routine_schema, routine_name, routine_type, data_type, type_udt_name, routine_body, routine_definition, external_language, is_deterministic, security_type"},
		{"parameters", "specific_catalog, specific_schema, specific_name, ordinal_position:INTEGER, parameter_mode, parameter_name, data_type, udt_name"},
		{"sequences", "sequence_catalog, sequence_schema, sequence_name, data_type, numeric_precision:INTEGER, numeric_precision_radix:INTEGER, numeric_scale:INTEGER, start_value, minimum_value, maximum_value, increment, cycle_option"},
		{"triggers", "trigger_catalog, trigger_schema, trigger_name, event_manipulation, event_object_catalog, event_object_schema, event_object_table, action_order:INTEGER, action_condition, action_statement, action_orientation, action_timing"},
		{"table_privileges", "grantor, grantee, table_catalog, table_schema, table_name, privilege_type, is_grantable, with_hierarchy"},
		{"column_privileges", "grantor, grantee, table_catalog, table_schema, table_name, column_name, privilege_type, is_grantable"},
		{"enabled_roles", "role_name"},
	} {
		var cols []string
		for _, c := range strings.Split(v.cols, ", ") {
			name, typ, ok := strings.Cut(c, ":")
			if !ok {
				typ = "VARCHAR"
			}
			cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", typ, name))
		}
		fmt.Fprintf(b, "CREATE OR REPLACE VIEW $is.%s AS SELECT %s WHERE false;\n", v.name, strings.Join(cols, ", "))
	}
}
