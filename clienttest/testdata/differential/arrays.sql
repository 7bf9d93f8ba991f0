-- Arrays: literals, ANY, aggregation, unnest, slices and text output.
SELECT ARRAY[1,2,3];
SELECT '{1,2,3}'::int[];
SELECT '{a,b}'::text[], '{"a b",NULL,""}'::text[];
SELECT ARRAY['a', NULL, 'c'];
SELECT ARRAY[]::int[];
SELECT '{}'::text[];
-- differs: value: tpserver bug: a two-dimensional array is a DuckDB list of lists, sent as json
SELECT ARRAY[[1,2],[3,4]];
-- differs: value: tpserver bug: ARRAY[1.5, 2] keeps DuckDB's decimal scale ({1.5,2.0})
SELECT ARRAY[1.5, 2];
SELECT (ARRAY[1,2,3])[2], (ARRAY[1,2,3])[5];
SELECT (ARRAY[1,2,3,4,5])[2:3], (ARRAY[1,2,3,4,5])[:2], (ARRAY[1,2,3,4,5])[4:];
SELECT (ARRAY['a','b','c'])[0];
-- differs: type: tpserver bug: array_length is int8, PostgreSQL int4
SELECT array_length(ARRAY[1,2,3], 1), array_length(ARRAY[]::int[], 1);
-- differs: type: tpserver bug: cardinality is int8, PostgreSQL int4
SELECT cardinality(ARRAY[1,2,3]), cardinality(ARRAY[]::int[]);
-- differs: type: tpserver bug: array_upper is int8, PostgreSQL int4
SELECT array_upper(ARRAY[1,2,3], 1), array_lower(ARRAY[1,2,3], 1);
-- differs: error: tpserver bug: array_ndims() is not translated (DuckDB has no such function)
SELECT array_ndims(ARRAY[[1,2],[3,4]]), array_dims(ARRAY[1,2,3]);
SELECT array_to_string(ARRAY[1,2,3], ',');
SELECT array_to_string(ARRAY['a',NULL,'c'], ',');
SELECT array_to_string(ARRAY['a',NULL,'c'], ',', '*');
SELECT array_append(ARRAY[1,2], 3), array_prepend(0, ARRAY[1,2]), array_cat(ARRAY[1], ARRAY[2,3]);
-- differs: error: tpserver bug: array || element is not translated
SELECT ARRAY[1,2] || 3, 0 || ARRAY[1,2], ARRAY[1] || ARRAY[2];
-- differs: error: tpserver bug: array_replace() is not translated (DuckDB has no such function)
SELECT array_remove(ARRAY[1,2,1,3], 1), array_replace(ARRAY[1,2,1], 1, 9);
-- differs: error: tpserver bug: array_positions() is not translated (DuckDB has no such function)
SELECT array_position(ARRAY['a','b','c'], 'b'), array_positions(ARRAY[1,2,1], 1);
SELECT array_position(ARRAY['a','b'], 'z');
SELECT 2 = ANY(ARRAY[1,2,3]), 5 = ANY(ARRAY[1,2,3]), 5 = ANY(ARRAY[1,NULL]);
SELECT 2 = ALL(ARRAY[2,2]), 2 <> ALL(ARRAY[1,3]), 1 < ALL(ARRAY[]::int[]);
SELECT 'b' = ANY('{a,b}'::text[]);
SELECT 2 IN (1, 2, NULL), 5 IN (1, 2, NULL), 5 NOT IN (1, 2, NULL);
SELECT ARRAY[1,2] @> ARRAY[1], ARRAY[1] <@ ARRAY[1,2], ARRAY[1,2] && ARRAY[2,3];
SELECT ARRAY[1,2] = ARRAY[1,2], ARRAY[1,2] < ARRAY[1,3], ARRAY[1,2] < ARRAY[1,2,0];
SELECT unnest(ARRAY[1,2,3]);
SELECT unnest(ARRAY['a',NULL]) AS x;
SELECT x FROM unnest(ARRAY[3,1,2]) AS x ORDER BY x;
SELECT x, n FROM unnest(ARRAY['a','b','c']) WITH ORDINALITY AS t(x, n);
-- differs: name: tpserver bug: FROM unnest of several arrays is a subquery whose columns DuckDB names unnest and unnest_1; PostgreSQL names both unnest
SELECT * FROM unnest(ARRAY[1,2], ARRAY['a','b','c']);
SELECT unnest(ARRAY[1,2]), unnest(ARRAY['a','b','c']);
SELECT array_agg(x) FROM (VALUES (3), (1), (2)) t(x);
SELECT array_agg(x ORDER BY x) FROM (VALUES (3), (1), (2)) t(x);
SELECT array_agg(x ORDER BY x DESC) FROM (VALUES (3), (1), (NULL)) t(x);
SELECT array_agg(DISTINCT x ORDER BY x) FROM (VALUES ('b'), ('a'), ('b')) t(x);
SELECT array_agg(x) FROM (VALUES (1)) t(x) WHERE false;
SELECT g, array_agg(x ORDER BY x) FROM (VALUES (1, 'b'), (1, 'a'), (2, 'c')) t(g, x) GROUP BY g ORDER BY g;
SELECT array_to_string(array_agg(x ORDER BY x), '; ') FROM (VALUES ('b'), ('a')) t(x);
SELECT ai, av FROM alltypes WHERE id IN (1, 2) ORDER BY id;
-- differs: type: tpserver bug: array_length is int8, PostgreSQL int4
SELECT ai[1], av[2], array_length(av, 1), cardinality(ai) FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT array_to_string(av, '|', 'null') FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT id FROM alltypes WHERE 2 = ANY(ai) ORDER BY id;
SELECT unnest(av) FROM alltypes WHERE id = 2;
SELECT string_to_array('1,2,3', ',')::int[];
SELECT ARRAY(SELECT i FROM tenk WHERE i < 5 ORDER BY i DESC);
-- differs: error: tpserver bug: array_fill() is not translated (DuckDB has no such function)
SELECT array_fill(7, ARRAY[3]);
SELECT ARRAY['x"y', 'a,b', 'c\d', ' e', 'NULL'];
SELECT '{1,2}'::int[] || '{3}'::int[];
-- differs: type: tpserver bug: n is int8, PostgreSQL int4
SELECT array_length(tp_akas, 1) AS n, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM aws_cloudtrail_log WHERE source_ip_address = ANY(tp_ips);
SELECT u, count(*) FROM aws_cloudtrail_log, unnest(tp_usernames) AS u GROUP BY u ORDER BY 2 DESC, u LIMIT 5;
SELECT tp_ips, tp_akas FROM aws_cloudtrail_log ORDER BY tp_id LIMIT 3;
SELECT array_to_string(tp_ips, ',') FROM aws_cloudtrail_log ORDER BY tp_id LIMIT 3;
-- param: int4[] {1,2,3}
-- differs text,binary,psycopg2: type: tpserver bug: cardinality is int8, PostgreSQL int4
-- differs pgx: format: tpserver bug: cardinality is int8, PostgreSQL int4
SELECT $1::int4[], cardinality($1::int4[]);
-- param: int4 2
SELECT $1 = ANY(ARRAY[1,2,3]);
-- param: text[] {a,b}
SELECT 'b' = ANY($1::text[]);
-- param: int8[] {1,5,9}
SELECT count(*) FROM tenk WHERE i = ANY($1);
-- param: text[] {x,NULL,z}
SELECT array_to_string($1::text[], ',', '-');
