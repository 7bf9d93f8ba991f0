-- The internal macros the views build on: oids (tp_hash_oid is HashOID in
-- oid.go), namespace names, what is shown, the session's parameters, and
-- the DuckDB → PostgreSQL type mapping, which must agree with pgwire's
-- RowDescription (pgwire/types.go). The type mapping uses MAP lookups and
-- LIKE rather than IN lists: DuckDB plans an IN list as a join, which made
-- pg_attribute a hundred times slower.
CREATE OR REPLACE MACRO $pg.tp_hash_oid(k) AS {{.FirstNormalOID}} + CAST('0x' || substr(md5(k), 1, 8) AS BIGINT) % {{.OIDModulus}};
CREATE OR REPLACE MACRO $pg.tp_nsp_oid(s) AS CASE s WHEN 'main' THEN {{.PublicOID}} WHEN 'pg_catalog' THEN {{.PGCatalogOID}} WHEN 'information_schema' THEN {{.InformationSchemaOID}} ELSE $pg.tp_hash_oid(s) END;
CREATE OR REPLACE MACRO $pg.tp_nsp_name(s) AS CASE s WHEN 'main' THEN 'public' ELSE s END;
CREATE OR REPLACE MACRO $pg.tp_rel_oid(s, n) AS $pg.tp_hash_oid(s || '.' || n);
CREATE OR REPLACE MACRO $pg.tp_shown(db, s) AS db = "system".main.current_database() AND NOT list_contains({{.HiddenSchemas}}, s);
CREATE OR REPLACE MACRO $pg.tp_lake_tables() AS CAST({{.LakeTables}} AS VARCHAR[]);
CREATE OR REPLACE MACRO $pg.tp_session(n) AS CAST(getvariable('{{.SessionVariable}}')[n] AS VARCHAR);
CREATE OR REPLACE MACRO $pg.tp_session_user() AS coalesce($pg.tp_session('session_authorization'), '{{.Superuser}}');
-- The database the client connected to (any name is accepted).
CREATE OR REPLACE MACRO $pg.tp_database() AS coalesce($pg.tp_session('{{.DatabaseKey}}'), '{{.Database}}');
CREATE OR REPLACE MACRO $pg.tp_scalar_oid(t) AS coalesce(MAP {
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
