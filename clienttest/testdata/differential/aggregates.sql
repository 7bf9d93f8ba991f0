-- Aggregates: result types and values, FILTER, DISTINCT, ordered sets.
SELECT count(*), count(x), count(DISTINCT x) FROM (VALUES (1), (1), (NULL)) t(x);
-- differs: precision: DuckDB computes avg in float8 (2.3333333333333335), PostgreSQL in numeric with 16 decimals (2.3333333333333333)
SELECT sum(x), avg(x), min(x), max(x) FROM (VALUES (1), (2), (4)) t(x);
-- differs: value: sum of a plain integer column is numeric on tpserver (DuckDB sums integers into HUGEINT and the translator cannot see the column type), PostgreSQL bigint; avg is double precision, PostgreSQL numeric
SELECT pg_typeof(sum(x)), pg_typeof(avg(x)), pg_typeof(count(x)) FROM (VALUES (1)) t(x);
SELECT pg_typeof(sum(x)) FROM (VALUES (1::int8)) t(x);
-- differs: value: avg of a numeric is double precision on tpserver (DuckDB averages decimals as DOUBLE), PostgreSQL numeric
SELECT pg_typeof(sum(x)), pg_typeof(avg(x)) FROM (VALUES (1.5)) t(x);
SELECT pg_typeof(sum(x)), pg_typeof(avg(x)) FROM (VALUES (1.5::float8)) t(x);
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT sum(x) FROM (VALUES (1)) t(x) WHERE false;
SELECT count(*) FROM (VALUES (1)) t(x) WHERE false;
-- differs: type: tpserver bug: avg is float8, PostgreSQL numeric
SELECT avg(x) FROM (VALUES (1), (2), (2)) t(x);
-- differs: type: tpserver bug: avg is float8, PostgreSQL numeric
SELECT avg(x::numeric) FROM (VALUES (1), (2), (2)) t(x);
SELECT avg(x::float8) FROM (VALUES (1), (2), (2)) t(x);
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("4999.5", PostgreSQL "4999.5000000000000000")
SELECT sum(i), avg(i), min(i), max(i) FROM tenk;
SELECT sum(i::int4) FROM tenk;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT sum(x) FROM (VALUES (2147483647), (1)) t(x);
SELECT sum(x) FROM (VALUES (9223372036854775807), (1)) t(x);
SELECT sum(x) FROM (VALUES (0.1), (0.2)) t(x);
SELECT sum(x::float8) FROM (VALUES (0.1), (0.2)) t(x);
-- differs: precision: DuckDB computes stddev/variance of integers in float8, PostgreSQL in numeric: the 16th digit differs
SELECT stddev(x), stddev_pop(x), variance(x), var_pop(x) FROM (VALUES (1), (2), (3), (4)) t(x);
-- differs: type: tpserver bug: stddev is float8, PostgreSQL numeric
SELECT stddev(x) FROM (VALUES (1)) t(x);
-- differs: precision: both float8; DuckDB's algorithm for corr/regr_slope differs in the 16th digit (2.5000000000000004, PostgreSQL 2.5)
SELECT corr(x, y), covar_pop(x, y), regr_slope(y, x) FROM (VALUES (1, 2), (2, 4), (3, 7)) t(x, y);
SELECT bool_and(b), bool_or(b), every(b) FROM (VALUES (true), (false), (NULL)) t(b);
SELECT bool_and(b) FROM (VALUES (NULL::boolean)) t(b);
SELECT string_agg(x, ',') FROM (VALUES ('a'), ('b'), (NULL)) t(x);
SELECT string_agg(x, ',' ORDER BY x DESC) FROM (VALUES ('a'), ('c'), ('b')) t(x);
SELECT string_agg(DISTINCT x, '|' ORDER BY x) FROM (VALUES ('a'), ('b'), ('a')) t(x);
SELECT string_agg(x, ',') FROM (VALUES ('a')) t(x) WHERE false;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (10)) t(x);
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (10)) t(x);
SELECT percentile_cont(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (10)) t(x);
SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY i) FROM tenk;
SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES ('a'), ('b'), ('b')) t(x);
SELECT count(*) FILTER (WHERE i % 2 = 0), sum(i) FILTER (WHERE i < 10) FROM tenk;
SELECT count(*) FILTER (WHERE false) FROM tenk;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("1.5", PostgreSQL "1.5000000000000000")
SELECT avg(i) FILTER (WHERE i < 4) FROM tenk;
SELECT count(DISTINCT i % 7), sum(DISTINCT i % 7) FROM tenk;
SELECT i % 3 AS k, count(*), sum(i) FROM tenk GROUP BY i % 3 ORDER BY k;
SELECT i % 3 AS k, count(*) FROM tenk GROUP BY 1 HAVING count(*) > 3333 ORDER BY 1;
SELECT max(s), min(s) FROM alltypes;
SELECT max(d), min(ts), max(tstz) FROM alltypes WHERE id < 4;
SELECT max(b::int), min(b::int), bool_or(b) FROM alltypes;
-- differs: format: tpserver bug: avg is written "-1073741822.5", PostgreSQL "-1073741822.50000000"
SELECT sum(i2), sum(i4), sum(i8), avg(i4) FROM alltypes;
-- differs: format: tpserver bug: avg of numeric is float8, PostgreSQL numeric ("-49999938.27", PostgreSQL "-49999938.270000000000")
SELECT sum(dc), avg(dc), pg_typeof(sum(dc)) FROM alltypes;
SELECT sum(f8), max(f4) FROM alltypes WHERE id < 3;
SELECT count(n), count(*), count(1) FROM alltypes;
SELECT count(DISTINCT b) FROM alltypes;
SELECT min(x), max(x) FROM (VALUES ('B'), ('a'), ('_')) t(x);
SELECT array_agg(x ORDER BY x NULLS FIRST) FROM (VALUES (2), (NULL), (1)) t(x);
SELECT k, count(*) FROM (VALUES ('a'), ('b'), (NULL), (NULL)) t(k) GROUP BY k ORDER BY k;
SELECT a, b, count(*) FROM (VALUES (1, 'x'), (1, 'y'), (2, 'x')) t(a, b) GROUP BY ROLLUP (a, b) ORDER BY a, b;
SELECT a, b, count(*) FROM (VALUES (1, 'x'), (2, 'x')) t(a, b) GROUP BY CUBE (a, b) ORDER BY a NULLS FIRST, b NULLS FIRST;
-- differs: type: tpserver bug: grouping is int8, PostgreSQL int4
SELECT grouping(a), a, sum(v) FROM (VALUES (1, 10), (2, 20)) t(a, v) GROUP BY GROUPING SETS ((a), ()) ORDER BY 1, 2;
SELECT count(*), count(DISTINCT event_name), count(DISTINCT event_source) FROM aws_cloudtrail_log;
SELECT event_source, count(*) FROM aws_cloudtrail_log GROUP BY event_source ORDER BY count(*) DESC, event_source LIMIT 10;
SELECT count(*) FILTER (WHERE error_code IS NOT NULL), count(error_code), count(*) FILTER (WHERE read_only) FROM aws_cloudtrail_log;
-- differs: precision: DuckDB computes avg in float8 (2.3333333333333335), PostgreSQL in numeric with 16 decimals (2.3333333333333333)
SELECT avg((error_code IS NOT NULL)::int) FROM aws_cloudtrail_log;
-- differs: type: tpserver bug: error_pct is float8, PostgreSQL numeric
SELECT round(100.0 * count(*) FILTER (WHERE error_code IS NOT NULL) / count(*), 2) AS error_pct FROM aws_cloudtrail_log;
SELECT 100 * count(*) FILTER (WHERE error_code IS NOT NULL) / count(*) AS error_pct FROM aws_cloudtrail_log;
SELECT aws_region, count(*) FROM aws_cloudtrail_log GROUP BY aws_region HAVING count(*) > 1 ORDER BY aws_region;
SELECT bool_and(management_event), bool_or(read_only), every(event_version IS NOT NULL) FROM aws_cloudtrail_log;
SELECT string_agg(DISTINCT aws_region, ',' ORDER BY aws_region) FROM aws_cloudtrail_log;
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT event_name, count(*) AS n, count(*) * 100 / sum(count(*)) OVER () AS pct FROM aws_cloudtrail_log GROUP BY event_name ORDER BY n DESC, event_name LIMIT 5;
SELECT count(DISTINCT (user_identity ->> 'arn')) FROM aws_cloudtrail_log;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch from event_time)) > 0 FROM aws_cloudtrail_log;
-- param: int4 100
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("49.5", PostgreSQL "49.5000000000000000")
SELECT sum(i), avg(i), count(*) FROM tenk WHERE i < $1;
-- param: text Get%
SELECT count(*) FILTER (WHERE event_name LIKE $1) FROM aws_cloudtrail_log;
-- param: numeric 0.5
-- differs text,binary: type: tpserver bug: percentile_cont is text, PostgreSQL float8
-- differs pgx: format: tpserver bug: percentile_cont($1) is described as text, PostgreSQL float8
SELECT percentile_cont($1) WITHIN GROUP (ORDER BY i) FROM tenk;
