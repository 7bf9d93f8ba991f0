-- Relations: DuckDB's schemas, tables and views (lake views shown as
-- tables) and columns. The _live views read DuckDB's catalog; the catalog
-- views read snapshot copies of them (the template function snapshot, see
-- snapshot.go), refreshed after the schema changes.
CREATE OR REPLACE VIEW $pg.tp_schemas_live AS
SELECT $pg.tp_nsp_oid(schema_name) AS oid, schema_name AS duck_schema, $pg.tp_nsp_name(schema_name) AS nspname, comment
FROM duckdb_schemas() WHERE $pg.tp_shown(database_name, schema_name);
{{snapshot "tp_schemas"}}
CREATE OR REPLACE VIEW $pg.tp_relations_live AS
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
{{snapshot "tp_relations"}}
CREATE OR REPLACE VIEW $pg.tp_columns_live AS
SELECT $pg.tp_rel_oid(schema_name, table_name) AS attrelid, schema_name AS duck_schema, $pg.tp_nsp_name(schema_name) AS nspname,
  table_name AS relname, column_name AS attname, CAST(column_index AS SMALLINT) AS attnum, data_type,
  $pg.tp_type_oid(data_type) AS atttypid, $pg.tp_type_mod(data_type) AS atttypmod, NOT is_nullable AS attnotnull,
  column_default, comment, numeric_precision, numeric_scale
FROM duckdb_columns() WHERE NOT internal AND $pg.tp_shown(database_name, schema_name);
{{snapshot "tp_columns"}}
