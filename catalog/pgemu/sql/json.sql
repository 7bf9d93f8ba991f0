-- PostgreSQL's json and jsonb operators and functions. The SQL translator
-- (catalog/pgsql, rule_json.go) rewrites client SQL into calls of these
-- macros; the tp_go_* functions they wrap are Go (jsonfuncs.go). A jsonb
-- value is JSON text in jsonb's canonical form: tp_jsonb makes it from any
-- JSON, tp_jsonb_out reprints text that is canonical but for its spacing (a
-- part json_extract took from a jsonb value). Documents are cast to JSON
-- before the Go functions read their text: a STRUCT (user_identity) becomes
-- its JSON, a JSON value stays as it is.
CREATE OR REPLACE MACRO $pg.tp_jsonb(x) AS CAST(tp_go_jsonb(CAST(CAST(x AS JSON) AS VARCHAR)) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_out(x) AS CAST(tp_go_jsonb(CAST(CAST(x AS JSON) AS VARCHAR)) AS JSON);
-- The json_extract path of an object key.
CREATE OR REPLACE MACRO $pg.tp_json_key(k) AS '$."' || replace(replace(CAST(k AS VARCHAR), '\', '\\'), '"', '\"') || '"';
-- ->> of an extracted value (json_extract's answer): a string's value, NULL
-- for null, the text of anything else (jsonb's for tp_jsonb_text).
CREATE OR REPLACE MACRO $pg.tp_json_text(v) AS CASE json_type(v) WHEN 'VARCHAR' THEN json_extract_string(v, '$') WHEN 'NULL' THEN NULL ELSE CAST(v AS VARCHAR) END;
CREATE OR REPLACE MACRO $pg.tp_jsonb_text(v) AS CASE json_type(v) WHEN 'VARCHAR' THEN json_extract_string(v, '$') WHEN 'NULL' THEN NULL
  WHEN 'OBJECT' THEN tp_go_jsonb(CAST(CAST(v AS JSON) AS VARCHAR)) WHEN 'ARRAY' THEN tp_go_jsonb(CAST(CAST(v AS JSON) AS VARCHAR)) ELSE CAST(CAST(v AS JSON) AS VARCHAR) END;
-- to_json as PostgreSQL prints timestamps (ISO 8601 with a T, +00:00) and
-- numerics (all their digits); typeof is constant, so the CASE costs
-- nothing per row.
CREATE OR REPLACE MACRO $pg.tp_to_json(x) AS CASE
  WHEN typeof(x) IN ('TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S') THEN replace(CAST(to_json(x) AS VARCHAR), ' ', 'T')
  WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN regexp_replace(replace(CAST(to_json(x) AS VARCHAR), ' ', 'T'), '([+-]\d\d)"$', '\1:00"')
  WHEN typeof(x) LIKE 'DECIMAL%' THEN CAST(x AS VARCHAR)
  -- A row with timestamps (row_to_json of a lake row): its timestamp
  -- strings take the T too.
  WHEN typeof(x) LIKE 'STRUCT(%TIMESTAMP%' THEN regexp_replace(regexp_replace(CAST(to_json(x) AS VARCHAR),
    '"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)"', '"\1T\2\3:00"', 'g'),
    '"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)"', '"\1T\2"', 'g')
  ELSE CAST(to_json(x) AS VARCHAR) END;
-- One element of a json array or object being built: SQL NULL is null.
CREATE OR REPLACE MACRO $pg.tp_json_elem(x) AS coalesce($pg.tp_to_json(x), 'null');
-- #> and #>> (a path of keys and array indexes).
CREATE OR REPLACE MACRO $pg.tp_json_path(x, p) AS CAST(tp_go_json_path(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[])) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_json_path_text(x, p) AS tp_go_json_path_text(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]));
CREATE OR REPLACE MACRO $pg.tp_jsonb_path(x, p) AS CAST(tp_go_jsonb_path(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[])) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_path_text(x, p) AS tp_go_jsonb_path_text(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]));
-- @>, ?, ?|, ?&, ||, -, #- (jsonb's; json values are read as jsonb).
CREATE OR REPLACE MACRO $pg.tp_jsonb_contains(a, b) AS tp_go_jsonb_contains(CAST(CAST(a AS JSON) AS VARCHAR), CAST(CAST(b AS JSON) AS VARCHAR));
CREATE OR REPLACE MACRO $pg.tp_jsonb_exists(x, keys, all_keys) AS tp_go_jsonb_exists(CAST(CAST(x AS JSON) AS VARCHAR), CAST(keys AS VARCHAR[]), all_keys);
CREATE OR REPLACE MACRO $pg.tp_jsonb_concat(a, b) AS CAST(tp_go_jsonb_concat(CAST(CAST(a AS JSON) AS VARCHAR), CAST(CAST(b AS JSON) AS VARCHAR)) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_delete(x, keys) AS CAST(tp_go_jsonb_delete(CAST(CAST(x AS JSON) AS VARCHAR), CAST(keys AS VARCHAR[])) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_delete_index(x, i) AS CAST(tp_go_jsonb_delete_index(CAST(CAST(x AS JSON) AS VARCHAR), CAST(i AS BIGINT)) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_delete_path(x, p) AS CAST(tp_go_jsonb_delete_path(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[])) AS JSON);
-- The elements of a json array as a list (json_array_elements in a select
-- list unnests it); jsonb's reprinted.
CREATE OR REPLACE MACRO $pg.tp_json_elements(x) AS CASE WHEN x IS NULL THEN NULL ELSE CASE json_type(CAST(x AS JSON))
  WHEN 'ARRAY' THEN CAST(x AS JSON[])
  WHEN 'OBJECT' THEN CAST(error('cannot extract elements from an object') AS JSON[])
  ELSE CAST(error('cannot extract elements from a scalar') AS JSON[]) END END;
CREATE OR REPLACE MACRO $pg.tp_jsonb_elements(x) AS list_transform($pg.tp_json_elements(x), tp_e -> CAST(tp_go_jsonb(CAST(tp_e AS VARCHAR)) AS JSON));
CREATE OR REPLACE MACRO $pg.tp_json_elements_text(x) AS list_transform($pg.tp_json_elements(x), tp_e -> $pg.tp_json_text(tp_e));
CREATE OR REPLACE MACRO $pg.tp_jsonb_elements_text(x) AS list_transform($pg.tp_json_elements(x), tp_e -> $pg.tp_jsonb_text(tp_e));
-- json_object(text[]) and json_object(keys text[], values text[]).
CREATE OR REPLACE MACRO $pg.json_object(a) AS CAST('{' || array_to_string(list_transform(range(1, len(a) + 1, 2),
    tp_i -> CAST(to_json(CAST(a[tp_i] AS VARCHAR)) AS VARCHAR) || ' : ' || coalesce(CAST(to_json(CAST(a[tp_i + 1] AS VARCHAR)) AS VARCHAR), 'null')), ', ') || '}' AS JSON),
  (k, v) AS CAST('{' || array_to_string(list_transform(range(1, len(k) + 1),
    tp_i -> CAST(to_json(CAST(k[tp_i] AS VARCHAR)) AS VARCHAR) || ' : ' || coalesce(CAST(to_json(CAST(v[tp_i] AS VARCHAR)) AS VARCHAR), 'null')), ', ') || '}' AS JSON);
CREATE OR REPLACE MACRO $pg.jsonb_object(a) AS $pg.tp_jsonb($pg.json_object(a)), (k, v) AS $pg.tp_jsonb($pg.json_object(k, v));
CREATE OR REPLACE MACRO $pg.json_typeof(x) AS CASE WHEN x IS NULL THEN NULL ELSE CASE json_type(CAST(x AS JSON))
  WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' ELSE 'number' END END;
CREATE OR REPLACE MACRO $pg.jsonb_typeof(x) AS $pg.json_typeof(x);
CREATE OR REPLACE MACRO $pg.json_array_length(x) AS CASE WHEN x IS NULL THEN NULL ELSE CASE json_type(CAST(x AS JSON))
  WHEN 'ARRAY' THEN CAST(json_array_length(CAST(x AS JSON)) AS INTEGER)
  WHEN 'OBJECT' THEN CAST(error('cannot get array length of a non-array') AS INTEGER)
  ELSE CAST(error('cannot get array length of a scalar') AS INTEGER) END END;
CREATE OR REPLACE MACRO $pg.jsonb_array_length(x) AS $pg.json_array_length(x);
CREATE OR REPLACE MACRO $pg.jsonb_pretty(x) AS tp_go_jsonb_pretty(CAST(CAST(x AS JSON) AS VARCHAR));
CREATE OR REPLACE MACRO $pg.jsonb_strip_nulls(x) AS CAST(tp_go_jsonb_strip_nulls(CAST(CAST(x AS JSON) AS VARCHAR)) AS JSON);
CREATE OR REPLACE MACRO $pg.jsonb_set(x, p, v) AS CAST(tp_go_jsonb_set(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]), CAST(CAST(v AS JSON) AS VARCHAR), true) AS JSON),
  (x, p, v, c) AS CAST(tp_go_jsonb_set(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]), CAST(CAST(v AS JSON) AS VARCHAR), c) AS JSON);
CREATE OR REPLACE MACRO $pg.tp_jsonb_path_query(x, p) AS CAST(tp_go_jsonb_path_query(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR)) AS JSON[]);
CREATE OR REPLACE MACRO $pg.jsonb_path_query_first(x, p) AS CAST(tp_go_jsonb_path_first(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR)) AS JSON);
CREATE OR REPLACE MACRO $pg.jsonb_path_exists(x, p) AS tp_go_jsonb_path_exists(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR));
CREATE OR REPLACE MACRO $pg.jsonb_path_match(x, p) AS tp_go_jsonb_path_match(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR));
CREATE OR REPLACE MACRO $pg.tp_json_keys(x) AS json_keys(CAST(x AS JSON));
-- json_each and friends in a select list: a list of {key, value} structs
-- (unnested; (json_each(x)).key reads a field).
CREATE OR REPLACE MACRO $pg.tp_json_each(x) AS list_transform(json_keys(CAST(x AS JSON)),
  tp_k -> {'key': tp_k, 'value': json_extract(CAST(x AS JSON), $pg.tp_json_key(tp_k))});
CREATE OR REPLACE MACRO $pg.tp_json_each_text(x) AS list_transform(json_keys(CAST(x AS JSON)),
  tp_k -> {'key': tp_k, 'value': $pg.tp_json_text(json_extract(CAST(x AS JSON), $pg.tp_json_key(tp_k)))});
CREATE OR REPLACE MACRO $pg.tp_jsonb_each(x) AS list_transform(json_keys($pg.tp_jsonb(x)),
  tp_k -> {'key': tp_k, 'value': $pg.tp_jsonb_path(x, [tp_k])});
CREATE OR REPLACE MACRO $pg.tp_jsonb_each_text(x) AS list_transform(json_keys($pg.tp_jsonb(x)),
  tp_k -> {'key': tp_k, 'value': $pg.tp_jsonb_path_text(x, [tp_k])});
CREATE OR REPLACE MACRO $pg.jsonb_insert(x, p, v) AS CAST(tp_go_jsonb_insert(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]), CAST(CAST(v AS JSON) AS VARCHAR), false) AS JSON),
  (x, p, v, a) AS CAST(tp_go_jsonb_insert(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR[]), CAST(CAST(v AS JSON) AS VARCHAR), a) AS JSON);
CREATE OR REPLACE MACRO $pg.jsonb_path_query_array(x, p) AS CAST(tp_go_jsonb_path_query_array(CAST(CAST(x AS JSON) AS VARCHAR), CAST(p AS VARCHAR)) AS JSON);
CREATE OR REPLACE MACRO $pg.json_strip_nulls(x) AS CAST(tp_go_json_strip_nulls(CAST(CAST(x AS JSON) AS VARCHAR)) AS JSON);
-- json's -> and ->> (and #>, #>> of keys) of a constant path: DuckDB's
-- json_extract, but a non-integer number comes from Go as it is written
-- (json_extract prints 1.50 as 1.5). p is the JSONPath, k the keys.
CREATE OR REPLACE MACRO $pg.tp_json_field(x, p, k) AS CASE json_type(CAST(x AS JSON), p)
  WHEN 'DOUBLE' THEN $pg.tp_json_path(x, k) ELSE json_extract(CAST(x AS JSON), p) END;
CREATE OR REPLACE MACRO $pg.tp_json_field_text(x, p, k) AS CASE json_type(CAST(x AS JSON), p)
  WHEN 'DOUBLE' THEN $pg.tp_json_path_text(x, k) ELSE json_extract_string(CAST(x AS JSON), p) END;
-- The elements of a list as json array text without the brackets (json_agg
-- of DISTINCT values in an order, which DuckDB's string_agg cannot do).
CREATE OR REPLACE MACRO $pg.tp_json_list_text(l) AS array_to_string(list_transform(l, tp_e -> $pg.tp_json_elem(tp_e)), ', ');
