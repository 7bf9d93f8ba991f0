-- The emulated pg_catalog functions. tp_type_names holds format_type's
-- answer for each built-in type without a typmod, for regtype_out.
CREATE OR REPLACE TABLE $pg.tp_type_names (oid BIGINT PRIMARY KEY, display VARCHAR);
{{insert "$pg.tp_type_names" .TypeNames}}
-- format_type is a Go function (formattype.go): as SQL its cases took
-- DuckDB milliseconds to plan in every query that calls it.
CREATE OR REPLACE MACRO $pg.format_type(t, m) AS {{.FormatTypeFunction}}(CAST(t AS BIGINT), CAST(m AS BIGINT));

CREATE OR REPLACE MACRO $pg.version() AS '{{.Version}}';
CREATE OR REPLACE MACRO $pg.current_database() AS $pg.tp_database();
CREATE OR REPLACE MACRO $pg.current_catalog() AS $pg.tp_database();
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
  WHEN regexp_full_match(s, '[a-z_][a-z0-9_$]*') AND NOT list_contains({{.ReservedList}}, s) THEN s
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
-- pg_typeof: the PostgreSQL type's name (typeof.go), which pgwire describes
-- as regtype (pgsql's columnRegTypes).
CREATE OR REPLACE MACRO $pg.pg_typeof(x) AS {{.TypeofFunction}}(typeof(x));
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
CREATE OR REPLACE MACRO $pg.pg_postmaster_start_time() AS CAST(TIMESTAMPTZ '2000-01-01 00:00:00+00' AS TIMESTAMPTZ);
CREATE OR REPLACE MACRO $pg.pg_conf_load_time() AS $pg.pg_postmaster_start_time();
CREATE OR REPLACE MACRO $pg.pg_jit_available() AS false;
CREATE OR REPLACE MACRO $pg.obj_is_visible(o) AS true;
CREATE OR REPLACE MACRO $pg.pg_get_viewdef(v) AS (SELECT viewdef FROM $pg.tp_relations tp_r WHERE tp_r.oid = $pg.to_regclass(v)),
  (v, p) AS (SELECT viewdef FROM $pg.tp_relations tp_r WHERE tp_r.oid = $pg.to_regclass(v));
