-- The populated pg_catalog views.
CREATE OR REPLACE VIEW $pg.pg_namespace_live AS
SELECT CAST(oid AS BIGINT) AS oid, CAST(nspname AS VARCHAR) AS nspname, CAST(10 AS BIGINT) AS nspowner, CAST(NULL AS VARCHAR[]) AS nspacl
FROM (VALUES (11, 'pg_catalog'), (99, 'pg_toast'), (13207, 'information_schema')) v(oid, nspname)
UNION ALL
SELECT oid, nspname, 10, NULL FROM $pg.tp_schemas;
{{snapshot "pg_namespace"}}

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
{{snapshot "pg_class"}}

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
{{snapshot "pg_type"}}

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
{{snapshot "pg_attribute"}}

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
{{snapshot "pg_description"}}

CREATE OR REPLACE VIEW $pg.pg_database AS
SELECT CAST(16384 AS BIGINT) AS oid, $pg.tp_database() AS datname, CAST(10 AS BIGINT) AS datdba, 6 AS encoding, 'c' AS datlocprovider,
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
SELECT CAST(16384 AS BIGINT) AS datid, $pg.tp_database() AS datname, 1 AS pid, CAST(NULL AS INTEGER) AS leader_pid,
  CAST(10 AS BIGINT) AS usesysid, $pg.tp_session_user() AS usename, coalesce($pg.tp_session('application_name'), '') AS application_name, CAST(NULL AS VARCHAR) AS client_addr,
  CAST(NULL AS VARCHAR) AS client_hostname, -1 AS client_port, CAST(NULL AS TIMESTAMPTZ) AS backend_start, CAST(NULL AS TIMESTAMPTZ) AS xact_start,
  CAST(NULL AS TIMESTAMPTZ) AS query_start, CAST(NULL AS TIMESTAMPTZ) AS state_change, CAST(NULL AS VARCHAR) AS wait_event_type,
  CAST(NULL AS VARCHAR) AS wait_event, 'active' AS state, CAST(NULL AS BIGINT) AS backend_xid, CAST(NULL AS BIGINT) AS backend_xmin,
  CAST(NULL AS BIGINT) AS query_id, '' AS query, 'client backend' AS backend_type;
