-- Keys, indexes and defaults of users' DuckDB tables, as PostgreSQL 15's
-- pg_constraint, pg_index, pg_attrdef, pg_indexes and information_schema
-- show them. This runs before catalog_views.sql: pg_class (index rows,
-- relhasindex) and pg_tables read tp_indexes.
--
-- DuckDB keeps no constraint names PostgreSQL would use (a primary key of
-- t is "t_id_pkey", a named CHECK loses its name), so the names are chosen
-- as PostgreSQL chooses them for an unnamed constraint: t_pkey, t_a_b_key,
-- t_a_fkey, t_a_check or t_check, numbered on a clash and cut to 63 bytes.
-- Each PRIMARY KEY and UNIQUE constraint has an index of the same name, as
-- in PostgreSQL; CREATE INDEX indexes come from duckdb_indexes().
-- Expression texts (CHECK, DEFAULT, index expressions) are DuckDB's,
-- rewritten into PostgreSQL's spelling by tp_pg_expr and tp_pg_pretty
-- (rules in rewrite.go).
--
-- Everything is computed into snapshot tables: tp_constraints, tp_indexes
-- and tp_attrdef carry the names and rendered definitions; pg_constraint,
-- pg_index, pg_attrdef, pg_indexes, the information_schema views and
-- pg_class's and pg_attribute's index rows are views of them, and the
-- pg_get_*def functions only look texts up.

-- Helpers: identifier quoting, object names, expression rewriting.
CREATE OR REPLACE MACRO $pg.tp_quote_name(s) AS CASE
  WHEN regexp_full_match(s, '[a-z_][a-z0-9_]*') AND NOT regexp_full_match(s, '(?:{{.ReservedPattern}})') THEN s
  ELSE '"' || replace(s, '"', '""') || '"' END;
CREATE OR REPLACE MACRO $pg.tp_object_name(n1, n2, label) AS CASE
  WHEN n2 IS NULL THEN left(n1, 62 - length(label)) || '_' || label
  WHEN length(n1) + length(n2) <= 61 - length(label) THEN n1 || '_' || n2 || '_' || label
  ELSE left(n1, least(length(n1), greatest(61 - length(label) - length(n2), (62 - length(label)) // 2))) || '_' ||
    left(n2, 61 - length(label) - least(length(n1), greatest(61 - length(label) - length(n2), (62 - length(label)) // 2))) || '_' || label END;
CREATE OR REPLACE MACRO $pg.tp_one_group(s) AS s LIKE '(%)' AND coalesce(list_min(list_transform(range(2, length(s)),
  lambda tp_i: length(replace(s[2:tp_i], ')', '')) - length(replace(s[2:tp_i], '(', '')))), 0) >= 0;
CREATE OR REPLACE MACRO $pg.tp_strip_parens(s) AS CASE WHEN $pg.tp_one_group(s) THEN s[2:-2] ELSE s END;
CREATE OR REPLACE MACRO $pg.tp_is_call(s) AS regexp_full_match(s, '[A-Za-z_][A-Za-z0-9_.]*\(.*\)')
  AND $pg.tp_one_group(regexp_replace(s, '^[A-Za-z_][A-Za-z0-9_.]*', ''));
CREATE OR REPLACE MACRO $pg.tp_pg_expr(e) AS {{pgExpr "CAST(e AS VARCHAR)"}};
CREATE OR REPLACE MACRO $pg.tp_pg_pretty(e) AS $pg.tp_strip_parens(replace(replace({{pgPretty "replace(replace(CAST(e AS VARCHAR), ' AND ', ' ' || chr(1) || ' '), ' OR ', ' ' || chr(2) || ' ')"}}, chr(1), 'AND'), chr(2), 'OR'));
CREATE OR REPLACE MACRO $pg.tp_type_label(t) AS coalesce({{.TypeLabels}}[t], 'text');
CREATE OR REPLACE MACRO $pg.tp_not_null_name(s, r, n) AS
  CAST($pg.tp_nsp_oid(s) AS VARCHAR) || '_' || CAST(r AS VARCHAR) || '_' || CAST(n AS VARCHAR) || '_not_null';
CREATE OR REPLACE MACRO $pg.tp_has_default(e) AS e IS NOT NULL AND upper(e) <> 'NULL' AND NOT starts_with(upper(e), 'CAST(NULL ');
CREATE OR REPLACE MACRO $pg.tp_pg_default(e, t) AS CASE
  WHEN regexp_full_match(e, '''(?:[^'']|'''')*''') THEN e || '::' || $pg.tp_type_label(t)
  ELSE $pg.tp_pg_expr(e) END;
-- tp_constraints: one row per PRIMARY KEY, UNIQUE, FOREIGN KEY and CHECK
-- constraint, with PostgreSQL's name and definition. The column maps are
-- keyed by lower-case name: DuckDB keeps a referenced table's and columns'
-- names as the statement spelled them. conpfeqop are the types' =
-- operators.
CREATE OR REPLACE VIEW $pg.tp_constraints_live AS
WITH cm AS MATERIALIZED (
  SELECT attrelid, map_from_entries(list({'k': lower(attname), 'v': {'num': attnum, 'name': attname, 'typ': atttypid}})) AS m
  FROM $pg.tp_columns GROUP BY attrelid),
k AS (
  SELECT r.oid AS conrelid, r.duck_schema, r.nspoid, r.nspname, r.relname,
    CASE d.constraint_type WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' WHEN 'FOREIGN KEY' THEN 'f' ELSE 'c' END AS contype,
    d.constraint_index AS seq, list_transform(d.names, lambda x: coalesce(cm.m[lower(x)].name, x)) AS cols,
    list_transform(d.names, lambda x: $pg.tp_quote_name(coalesce(cm.m[lower(x)].name, x))) AS qcols,
    list_transform(d.names, lambda x: CAST(cm.m[lower(x)].num AS SMALLINT)) AS conkey,
    list_transform(d.names, lambda x: cm.m[lower(x)].typ) AS types,
    $pg.tp_pg_expr(d.expression) AS expr, d.referenced_table, d.referenced_column_names
  FROM (SELECT *, list_filter(constraint_column_names, lambda x, i: list_position(constraint_column_names, x) = i) AS names
        FROM duckdb_constraints()) d
  JOIN $pg.tp_relations r ON r.duck_schema = d.schema_name AND r.relname = d.table_name AND r.relkind = 'r' AND NOT r.lake
  JOIN cm ON cm.attrelid = r.oid
  WHERE d.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') AND $pg.tp_shown(d.database_name, d.schema_name)),
b AS (
  SELECT *, CASE contype WHEN 'p' THEN NULL WHEN 'c' THEN CASE WHEN len(cols) = 1 THEN cols[1] END ELSE array_to_string(cols, '_') END AS name2,
    CASE contype WHEN 'p' THEN 'pkey' WHEN 'u' THEN 'key' WHEN 'f' THEN 'fkey' ELSE 'check' END AS label
  FROM k),
n AS MATERIALIZED (
  SELECT * EXCLUDE (dup), $pg.tp_object_name(relname, name2, label || CASE WHEN dup > 0 THEN CAST(dup AS VARCHAR) ELSE '' END) AS conname
  FROM (SELECT *, row_number() OVER (PARTITION BY duck_schema, $pg.tp_object_name(relname, name2, label) ORDER BY relname, seq) - 1 AS dup FROM b)),
f AS (
  SELECT n.*, fr.relname AS frelname, fr.oid AS confrelid,
    list_transform(n.referenced_column_names, lambda x: coalesce(fm.m[lower(x)].name, x)) AS fcols,
    list_transform(n.referenced_column_names, lambda x: $pg.tp_quote_name(coalesce(fm.m[lower(x)].name, x))) AS qfcols,
    list_transform(n.referenced_column_names, lambda x: CAST(fm.m[lower(x)].num AS SMALLINT)) AS confkey
  FROM n
  LEFT JOIN $pg.tp_relations fr ON n.contype = 'f' AND fr.duck_schema = n.duck_schema AND lower(fr.relname) = lower(n.referenced_table) AND fr.relkind = 'r'
  LEFT JOIN cm fm ON fm.attrelid = fr.oid),
u AS (
  SELECT f.*, uk.conname AS refconname, uk.conkey AS refkey
  FROM f LEFT JOIN n uk ON f.contype = 'f' AND uk.contype IN ('p', 'u') AND uk.conrelid = f.confrelid AND list_sort(uk.cols) = list_sort(f.fcols)
  QUALIFY row_number() OVER (PARTITION BY f.duck_schema, f.conname ORDER BY uk.contype, uk.seq) = 1)
SELECT $pg.tp_hash_oid('constraint:' || duck_schema || '.' || conname) AS oid, conname, duck_schema, nspoid, nspname, conrelid, relname, contype,
  seq, cols, qcols, conkey, types,
  expr,
  CASE WHEN contype = 'f' THEN confrelid ELSE 0 END AS confrelid, frelname, fcols,
  CASE WHEN contype = 'f' THEN confkey END AS confkey,
  CASE WHEN contype IN ('p', 'u') THEN $pg.tp_hash_oid('index:' || duck_schema || '.' || conname)
       WHEN contype = 'f' AND refconname IS NOT NULL THEN $pg.tp_hash_oid('index:' || duck_schema || '.' || refconname)
       ELSE 0 END AS conindid,
  refconname, refkey,
  CASE WHEN contype = 'f' THEN CAST(list_transform(types, lambda x: MAP {16: 91, 17: 1955, 20: 410, 21: 94, 23: 96, 25: 98, 700: 620, 701: 670, 1082: 1093, 1083: 1108, 1114: 2060, 1184: 1320, 1186: 1330, 1266: 1550, 1560: 1784, 1700: 1752, 2950: 2972}[x]) AS BIGINT[]) END AS eqops,
  CASE contype
    WHEN 'p' THEN 'PRIMARY KEY (' || array_to_string(qcols, ', ') || ')'
    WHEN 'u' THEN 'UNIQUE (' || array_to_string(qcols, ', ') || ')'
    WHEN 'f' THEN 'FOREIGN KEY (' || array_to_string(qcols, ', ') || ') REFERENCES '
      || CASE WHEN nspname = 'public' THEN '' ELSE $pg.tp_quote_name(nspname) || '.' END || $pg.tp_quote_name(frelname)
      || '(' || array_to_string(qfcols, ', ') || ')'
    ELSE 'CHECK (' || expr || ')' END AS condef,
  CASE WHEN contype = 'c' THEN 'CHECK (' || $pg.tp_pg_pretty(expr) || ')' END AS check_pretty
FROM u;
{{snapshot "tp_constraints"}}
-- The name PostgreSQL gives an index column over an expression (pe, in
-- PostgreSQL's spelling): the column a cast converts, the function called,
-- case, else expr.
CREATE OR REPLACE MACRO $pg.tp_unquote(s) AS CASE WHEN s LIKE '"%' THEN replace(s[2:-2], '""', '"') ELSE s END;
CREATE OR REPLACE MACRO $pg.tp_expr_col_name(pe) AS CASE
  WHEN regexp_matches(pe, '^(?:CAST\(\(?([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")\)? AS |\(?([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")\)?::)') THEN $pg.tp_unquote(regexp_extract(pe, '^(?:CAST\()?\(?([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")', 1))
  WHEN starts_with(pe, 'CAST(') THEN 'expr'
  WHEN $pg.tp_is_call(pe) THEN lower(regexp_extract(pe, '([A-Za-z_][A-Za-z0-9_]*)\(', 1))
  WHEN regexp_matches(pe, '^CASE\b') THEN 'case'
  ELSE 'expr' END;
-- tp_indexes: the index of each PRIMARY KEY and UNIQUE constraint, and the
-- CREATE INDEX indexes. DuckDB lists an index's keys as one text,
-- ['"Quoted"', plain, '(expression)'], which casts to a list. DuckDB does
-- not type an expression: SnapshotScript describes each one that
-- tp_index_exprs_live lists into tp_index_expr_types (text if it cannot).
-- attnames and atttypes are the index's pg_attribute rows; indclass are
-- the types' default btree operator classes.
CREATE OR REPLACE VIEW $pg.tp_index_exprs_live AS
SELECT DISTINCT schema_name AS duck_schema, table_name AS relname, expr
FROM (SELECT database_name, schema_name, table_name, unnest(CAST(expressions AS VARCHAR[])) AS expr FROM duckdb_indexes())
WHERE $pg.tp_shown(database_name, schema_name) AND NOT regexp_full_match(expr, '[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"');
{{snapshot "tp_index_expr_types" "duck_schema VARCHAR" "relname VARCHAR" "expr VARCHAR" "data_type VARCHAR"}}
CREATE OR REPLACE VIEW $pg.tp_indexes_live AS
WITH cm AS MATERIALIZED (
  SELECT attrelid, map_from_entries(list({'k': lower(attname), 'v': {'num': attnum, 'name': attname, 'typ': atttypid}})) AS m
  FROM $pg.tp_columns GROUP BY attrelid),
et AS (
  SELECT duck_schema, relname, map_from_entries(list({'k': expr, 'v': data_type})) AS m FROM $pg.tp_index_expr_types GROUP BY ALL),
-- The keys of CREATE INDEX indexes: the column each names (NULL for an
-- expression), the expression's type and its PostgreSQL text, plain and
-- pretty, each computed once (DuckDB plans a long expression slowly).
ci AS MATERIALIZED (
  SELECT i.index_name, i.is_unique, r.duck_schema, r.nspoid, r.nspname, r.oid AS indrelid, r.relname AS tablename,
    list_transform(CAST(i.expressions AS VARCHAR[]), lambda e: {
      'col': cm.m[lower(CASE WHEN regexp_full_match(e, '[A-Za-z_][A-Za-z0-9_]*') THEN e
                             WHEN regexp_full_match(e, '"(?:[^"]|"")*"') THEN replace(e[2:-2], '""', '"') END)],
      'etyp': et.m[e], 'inner': $pg.tp_strip_parens(e)}) AS keys
  FROM duckdb_indexes() i
  JOIN $pg.tp_relations r ON r.duck_schema = i.schema_name AND r.relname = i.table_name AND r.relkind = 'r' AND NOT r.lake
  JOIN cm ON cm.attrelid = r.oid
  LEFT JOIN et ON et.duck_schema = r.duck_schema AND et.relname = r.relname
  WHERE $pg.tp_shown(i.database_name, i.schema_name)),
ce AS MATERIALIZED (
  SELECT * EXCLUDE (keys), list_transform(keys, lambda x: {'col': x.col, 'etyp': x.etyp, 'pe': $pg.tp_pg_expr(x.inner)}) AS keys
  FROM ci),
cp AS MATERIALIZED (
  SELECT * EXCLUDE (keys), list_transform(keys, lambda x: {'col': x.col, 'call': $pg.tp_is_call(x.pe), 'pe': x.pe,
    'pretty': $pg.tp_pg_pretty(x.pe), 'typ': coalesce(x.col.typ, CASE WHEN x.etyp IS NOT NULL THEN $pg.tp_type_oid(x.etyp) END, 25),
    'name': coalesce(x.col.name, $pg.tp_expr_col_name(x.pe))}) AS keys
  FROM ce),
ix AS (
  SELECT $pg.tp_hash_oid('index:' || duck_schema || '.' || conname) AS oid, conname AS relname, duck_schema, nspoid, nspname,
    conrelid AS indrelid, relname AS tablename, true AS isunique, contype = 'p' AS isprimary, oid AS conoid, conkey AS indkey, types,
    qcols AS coldefs, qcols AS coldefs_pretty,
    CAST(NULL AS VARCHAR) AS indexprs, cols AS attnames
  FROM $pg.tp_constraints WHERE contype IN ('p', 'u')
  UNION ALL
  SELECT $pg.tp_hash_oid('index:' || duck_schema || '.' || index_name), index_name, duck_schema, nspoid, nspname, indrelid, tablename,
    is_unique, false, CAST(NULL AS BIGINT),
    list_transform(keys, lambda x: CAST(coalesce(x.col.num, 0) AS SMALLINT)),
    list_transform(keys, lambda x: x.typ),
    list_transform(keys, lambda x: CASE WHEN x.col IS NOT NULL THEN $pg.tp_quote_name(x.col.name) WHEN x.call THEN x.pe ELSE '(' || x.pe || ')' END),
    list_transform(keys, lambda x: CASE WHEN x.col IS NOT NULL THEN $pg.tp_quote_name(x.col.name) WHEN x.call THEN x.pretty ELSE '(' || x.pretty || ')' END),
    nullif(array_to_string(list_transform(list_filter(keys, lambda x: x.col IS NULL), lambda x: x.pe), ', '), ''),
    -- A name taken by an earlier column gets a number, as in PostgreSQL.
    list_transform(range(1, len(keys) + 1), lambda k: keys[k].name || CASE
      WHEN len(list_filter(keys[1:k - 1], lambda y: y.name = keys[k].name)) > 0
      THEN CAST(len(list_filter(keys[1:k - 1], lambda y: y.name = keys[k].name)) AS VARCHAR) ELSE '' END)
  FROM cp)
SELECT oid, relname, duck_schema, nspoid, nspname, indrelid, tablename, isunique, isprimary, coalesce(conoid, 0) AS conoid, indkey,
  attnames, CAST(types AS BIGINT[]) AS atttypes,
  CAST(list_transform(types, lambda x: coalesce({{.Collations}}[x], 0)) AS BIGINT[]) AS indcollation,
  CAST(list_transform(types, lambda x: coalesce(MAP {16: 10003, 17: 10006, 20: 3124, 21: 1979, 23: 1978, 25: 3126, 700: 10012, 701: 3123, 1082: 3122, 1083: 10038, 1114: 3128, 1184: 3127, 1186: 10022, 1266: 10041, 1560: 10002, 1700: 3125, 2950: 10065}[x], 0)) AS BIGINT[]) AS indclass,
  coldefs, coldefs_pretty, indexprs,
  'CREATE ' || CASE WHEN isunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || qname || ' ON ' || qnsp || '.' || qtable
    || ' USING btree (' || array_to_string(coldefs, ', ') || ')' AS indexdef,
  'CREATE ' || CASE WHEN isunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || qname || ' ON '
    || CASE WHEN nspname = 'public' THEN '' ELSE qnsp || '.' END || qtable
    || ' USING btree (' || array_to_string(coldefs_pretty, ', ') || ')' AS indexdef_pretty
FROM (SELECT *, $pg.tp_quote_name(relname) AS qname, $pg.tp_quote_name(nspname) AS qnsp, $pg.tp_quote_name(tablename) AS qtable FROM ix);
{{snapshot "tp_indexes"}}
-- What pg_class and pg_tables say about a table's keys, and the pg_class
-- rows of the indexes.
CREATE OR REPLACE MACRO $pg.tp_rel_has_index(tp_rel) AS
  (SELECT count(*) > 0 FROM $pg.tp_indexes tp_x WHERE tp_x.indrelid = tp_rel);
CREATE OR REPLACE MACRO $pg.tp_rel_checks(tp_rel) AS
  (SELECT CAST(count(*) AS SMALLINT) FROM $pg.tp_constraints tp_k WHERE tp_k.conrelid = tp_rel AND tp_k.contype = 'c');
CREATE OR REPLACE MACRO $pg.tp_rel_has_triggers(tp_rel) AS
  (SELECT count(*) > 0 FROM $pg.tp_constraints tp_k WHERE tp_k.contype = 'f' AND (tp_k.conrelid = tp_rel OR tp_k.confrelid = tp_rel));
CREATE OR REPLACE VIEW $pg.tp_index_class AS
SELECT oid, relname, nspoid AS relnamespace, CAST(0 AS BIGINT) AS reltype, CAST(0 AS BIGINT) AS reloftype, CAST(10 AS BIGINT) AS relowner,
  CAST(403 AS BIGINT) AS relam, oid AS relfilenode, CAST(0 AS BIGINT) AS reltablespace, 1 AS relpages, CAST(0 AS FLOAT) AS reltuples,
  0 AS relallvisible, CAST(0 AS BIGINT) AS reltoastrelid, false AS relhasindex, false AS relisshared, 'p' AS relpersistence, 'i' AS relkind,
  CAST(len(indkey) AS SMALLINT) AS relnatts, CAST(0 AS SMALLINT) AS relchecks, false AS relhasrules, false AS relhastriggers,
  false AS relhassubclass, false AS relrowsecurity, false AS relforcerowsecurity, true AS relispopulated, 'n' AS relreplident,
  false AS relispartition, CAST(0 AS BIGINT) AS relrewrite, CAST(0 AS BIGINT) AS relfrozenxid, CAST(0 AS BIGINT) AS relminmxid,
  CAST(NULL AS VARCHAR[]) AS relacl, CAST(NULL AS VARCHAR[]) AS reloptions, CAST(NULL AS VARCHAR) AS relpartbound
FROM $pg.tp_indexes;
-- The catalogs themselves are views of the snapshot tables.
CREATE OR REPLACE VIEW $pg.pg_constraint AS
SELECT oid, conname, nspoid AS connamespace, contype, false AS condeferrable, false AS condeferred, true AS convalidated, conrelid,
  CAST(0 AS BIGINT) AS contypid, conindid, CAST(0 AS BIGINT) AS conparentid, confrelid,
  CASE WHEN contype = 'f' THEN 'a' ELSE ' ' END AS confupdtype, CASE WHEN contype = 'f' THEN 'a' ELSE ' ' END AS confdeltype,
  CASE WHEN contype = 'f' THEN 's' ELSE ' ' END AS confmatchtype, true AS conislocal, 0 AS coninhcount, contype <> 'c' AS connoinherit,
  conkey, confkey, eqops AS conpfeqop, eqops AS conppeqop, eqops AS conffeqop, CAST(NULL AS SMALLINT[]) AS confdelsetcols,
  CAST(NULL AS BIGINT[]) AS conexclop, expr AS conbin
FROM $pg.tp_constraints;

CREATE OR REPLACE VIEW $pg.pg_index AS
SELECT oid AS indexrelid, indrelid, CAST(len(indkey) AS SMALLINT) AS indnatts, CAST(len(indkey) AS SMALLINT) AS indnkeyatts,
  isunique AS indisunique, false AS indnullsnotdistinct, isprimary AS indisprimary, false AS indisexclusion, true AS indimmediate,
  false AS indisclustered, true AS indisvalid, false AS indcheckxmin, true AS indisready, true AS indislive, false AS indisreplident,
  indkey, indcollation, indclass, CAST(list_transform(indkey, lambda x: 0) AS SMALLINT[]) AS indoption, indexprs,
  CAST(NULL AS VARCHAR) AS indpred
FROM $pg.tp_indexes;

CREATE OR REPLACE VIEW $pg.tp_attrdef_live AS
SELECT $pg.tp_hash_oid('attrdef:' || duck_schema || '.' || relname || '.' || attname) AS oid, attrelid AS adrelid, attnum AS adnum,
  $pg.tp_pg_default(column_default, atttypid) AS adbin
FROM $pg.tp_columns WHERE $pg.tp_has_default(column_default);
{{snapshot "tp_attrdef"}}
CREATE OR REPLACE VIEW $pg.pg_attrdef AS SELECT oid, adrelid, adnum, adbin FROM $pg.tp_attrdef;

CREATE OR REPLACE VIEW $pg.pg_indexes AS
SELECT nspname AS schemaname, tablename, relname AS indexname, CAST(NULL AS VARCHAR) AS tablespace, indexdef FROM $pg.tp_indexes;

CREATE OR REPLACE MACRO $pg.tp_get_expr(tp_e, tp_pretty) AS
  CASE WHEN tp_pretty THEN $pg.tp_pg_pretty(CAST(tp_e AS VARCHAR)) ELSE CAST(tp_e AS VARCHAR) END;
CREATE OR REPLACE MACRO $pg.tp_get_constraintdef(tp_oid, tp_pretty) AS
  (SELECT CASE WHEN tp_pretty THEN coalesce(tp_k.check_pretty, tp_k.condef) ELSE tp_k.condef END FROM $pg.tp_constraints tp_k WHERE tp_k.oid = tp_oid);
CREATE OR REPLACE MACRO $pg.tp_get_indexdef(tp_oid, tp_col, tp_pretty) AS
  (SELECT CASE WHEN coalesce(tp_col, 0) = 0 THEN CASE WHEN tp_pretty THEN tp_x.indexdef_pretty ELSE tp_x.indexdef END
     WHEN tp_col > len(tp_x.coldefs) THEN ''
     WHEN tp_pretty THEN tp_x.coldefs_pretty[tp_col] ELSE tp_x.coldefs[tp_col] END
   FROM $pg.tp_indexes tp_x WHERE tp_x.oid = tp_oid);
-- int2vector and oidvector text: "1 2" (the SQL translator applies it to
-- such catalog columns cast to text).
CREATE OR REPLACE MACRO $pg.tp_vector_out(v) AS CASE
  WHEN regexp_full_match(CAST(v AS VARCHAR), '\[[-0-9, ]*\]') THEN regexp_replace(CAST(v AS VARCHAR), '[\[\],]', '', 'g')
  ELSE CAST(v AS VARCHAR) END;
-- No relation is a partition. psql's \d of a table with foreign keys calls
-- this in a select list and, WITH ORDINALITY, in FROM (DuckDB numbers no
-- macro's rows, so the table form has the ordinal column itself).
CREATE OR REPLACE MACRO $pg.pg_partition_ancestors(r) AS unnest(CAST([] AS BIGINT[]));
CREATE OR REPLACE MACRO $pg.pg_partition_ancestors(r) AS TABLE
  SELECT CAST(NULL AS BIGINT) AS relid, CAST(NULL AS BIGINT) AS depth WHERE false;
-- information_schema, with PostgreSQL 15's columns. NOT NULL columns of
-- tables count as CHECK constraints there.
CREATE OR REPLACE VIEW $is.table_constraints AS
SELECT $pg.tp_database() AS constraint_catalog, nspname AS constraint_schema, conname AS constraint_name,
  $pg.tp_database() AS table_catalog, nspname AS table_schema, relname AS table_name,
  CASE contype WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN KEY' WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' END AS constraint_type,
  'NO' AS is_deferrable, 'NO' AS initially_deferred, 'YES' AS enforced, CASE WHEN contype = 'u' THEN 'YES' END AS nulls_distinct
FROM $pg.tp_constraints
UNION ALL
SELECT $pg.tp_database(), c.nspname, $pg.tp_not_null_name(c.duck_schema, c.attrelid, c.attnum), $pg.tp_database(), c.nspname, c.relname,
  'CHECK', 'NO', 'NO', 'YES', NULL
FROM $pg.tp_columns c JOIN $pg.tp_relations r ON r.oid = c.attrelid AND r.relkind = 'r' AND NOT r.lake WHERE c.attnotnull;

CREATE OR REPLACE VIEW $is.key_column_usage AS
SELECT $pg.tp_database() AS constraint_catalog, nspname AS constraint_schema, conname AS constraint_name,
  $pg.tp_database() AS table_catalog, nspname AS table_schema, relname AS table_name, k.col.name AS column_name,
  CAST(k.col.n AS INTEGER) AS ordinal_position, CAST(k.col.ref AS INTEGER) AS position_in_unique_constraint
FROM (SELECT nspname, conname, relname, unnest(list_transform(range(1, len(cols) + 1), lambda i: {'name': cols[i], 'n': i,
    'ref': CASE WHEN contype = 'f' THEN list_position(refkey, confkey[i]) END})) AS col
  FROM $pg.tp_constraints WHERE contype IN ('p', 'u', 'f')) k;

CREATE OR REPLACE VIEW $is.constraint_column_usage AS
SELECT $pg.tp_database() AS table_catalog, nspname AS table_schema, CASE WHEN contype = 'f' THEN frelname ELSE relname END AS table_name,
  unnest(CASE WHEN contype = 'f' THEN fcols ELSE cols END) AS column_name,
  $pg.tp_database() AS constraint_catalog, nspname AS constraint_schema, conname AS constraint_name
FROM $pg.tp_constraints;

CREATE OR REPLACE VIEW $is.referential_constraints AS
SELECT $pg.tp_database() AS constraint_catalog, nspname AS constraint_schema, conname AS constraint_name,
  $pg.tp_database() AS unique_constraint_catalog, CASE WHEN refconname IS NOT NULL THEN nspname END AS unique_constraint_schema,
  refconname AS unique_constraint_name, 'NONE' AS match_option, 'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule
FROM $pg.tp_constraints WHERE contype = 'f';

CREATE OR REPLACE VIEW $is.check_constraints AS
SELECT $pg.tp_database() AS constraint_catalog, nspname AS constraint_schema, conname AS constraint_name, substr(condef, 7) AS check_clause
FROM $pg.tp_constraints WHERE contype = 'c'
UNION ALL
SELECT $pg.tp_database(), c.nspname, $pg.tp_not_null_name(c.duck_schema, c.attrelid, c.attnum), c.attname || ' IS NOT NULL'
FROM $pg.tp_columns c JOIN $pg.tp_relations r ON r.oid = c.attrelid AND r.relkind = 'r' AND NOT r.lake WHERE c.attnotnull;
