-- The emulated information_schema; the views with no rows are emptyView's,
-- each column given with its PostgreSQL type.
CREATE OR REPLACE MACRO $is._pg_expandarray(arr) AS
  unnest(list_transform(range(1, len(arr) + 1), i -> {'x': arr[i], 'n': i}));
CREATE OR REPLACE MACRO $is._pg_expandarray(arr) AS TABLE
  SELECT arr[i] AS x, i AS n FROM range(1, len(arr) + 1) t(i);

CREATE OR REPLACE VIEW $is.schemata AS
SELECT $pg.tp_database() AS catalog_name, nspname AS schema_name, $pg.tp_session_user() AS schema_owner,
  CAST(NULL AS VARCHAR) AS default_character_set_catalog, CAST(NULL AS VARCHAR) AS default_character_set_schema,
  CAST(NULL AS VARCHAR) AS default_character_set_name, CAST(NULL AS VARCHAR) AS sql_path
FROM $pg.pg_namespace;

CREATE OR REPLACE VIEW $is.tables AS
SELECT $pg.tp_database() AS table_catalog, nspname AS table_schema, relname AS table_name,
  CASE relkind WHEN 'r' THEN 'BASE TABLE' WHEN 'v' THEN 'VIEW' END AS table_type,
  CAST(NULL AS VARCHAR) AS self_referencing_column_name, CAST(NULL AS VARCHAR) AS reference_generation,
  CAST(NULL AS VARCHAR) AS user_defined_type_catalog, CAST(NULL AS VARCHAR) AS user_defined_type_schema,
  CAST(NULL AS VARCHAR) AS user_defined_type_name, CASE relkind WHEN 'r' THEN 'YES' ELSE 'NO' END AS is_insertable_into,
  'NO' AS is_typed, CAST(NULL AS VARCHAR) AS commit_action
FROM $pg.tp_relations;

CREATE OR REPLACE VIEW $is.views AS
SELECT $pg.tp_database() AS table_catalog, nspname AS table_schema, relname AS table_name, viewdef AS view_definition,
  'NONE' AS check_option, 'NO' AS is_updatable, 'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable,
  'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into
FROM $pg.tp_relations WHERE relkind = 'v';

CREATE OR REPLACE VIEW $is.columns AS
SELECT $pg.tp_database() AS table_catalog, c.nspname AS table_schema, c.relname AS table_name, c.attname AS column_name,
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
  $pg.tp_database() AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname AS udt_name,
  CAST(NULL AS VARCHAR) AS scope_catalog, CAST(NULL AS VARCHAR) AS scope_schema, CAST(NULL AS VARCHAR) AS scope_name,
  CAST(NULL AS INTEGER) AS maximum_cardinality, CAST(c.attnum AS VARCHAR) AS dtd_identifier, 'NO' AS is_self_referencing,
  'NO' AS is_identity, CAST(NULL AS VARCHAR) AS identity_generation, CAST(NULL AS VARCHAR) AS identity_start,
  CAST(NULL AS VARCHAR) AS identity_increment, CAST(NULL AS VARCHAR) AS identity_maximum, CAST(NULL AS VARCHAR) AS identity_minimum,
  CAST(NULL AS VARCHAR) AS identity_cycle, 'NEVER' AS is_generated, CAST(NULL AS VARCHAR) AS generation_expression,
  'YES' AS is_updatable
FROM $pg.tp_columns c LEFT JOIN $pg.pg_type t ON t.oid = c.atttypid
  LEFT JOIN $pg.tp_attrdef d ON d.adrelid = c.attrelid AND d.adnum = c.attnum;
{{emptyView "$is.routines" `specific_catalog text, specific_schema text, specific_name text, routine_catalog text, routine_schema text, routine_name text, routine_type text, data_type text, type_udt_name text, routine_body text, routine_definition text, external_language text, is_deterministic text, security_type text`}}
{{emptyView "$is.parameters" `specific_catalog text, specific_schema text, specific_name text, ordinal_position integer, parameter_mode text, parameter_name text, data_type text, udt_name text`}}
{{emptyView "$is.sequences" `sequence_catalog text, sequence_schema text, sequence_name text, data_type text, numeric_precision integer, numeric_precision_radix integer, numeric_scale integer, start_value text, minimum_value text, maximum_value text, increment text, cycle_option text`}}
{{emptyView "$is.triggers" `trigger_catalog text, trigger_schema text, trigger_name text, event_manipulation text, event_object_catalog text, event_object_schema text, event_object_table text, action_order integer, action_condition text, action_statement text, action_orientation text, action_timing text`}}
{{emptyView "$is.table_privileges" `grantor text, grantee text, table_catalog text, table_schema text, table_name text, privilege_type text, is_grantable text, with_hierarchy text`}}
{{emptyView "$is.column_privileges" `grantor text, grantee text, table_catalog text, table_schema text, table_name text, column_name text, privilege_type text, is_grantable text`}}
{{emptyView "$is.enabled_roles" `role_name text`}}
