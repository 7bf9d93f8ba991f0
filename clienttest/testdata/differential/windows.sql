-- Window functions as dashboards use them.
SELECT x, row_number() OVER (ORDER BY x) FROM (VALUES (30), (10), (20)) t(x) ORDER BY x;
SELECT x, rank() OVER (ORDER BY x), dense_rank() OVER (ORDER BY x) FROM (VALUES (1), (1), (2), (3)) t(x) ORDER BY x;
SELECT x, percent_rank() OVER (ORDER BY x), cume_dist() OVER (ORDER BY x) FROM (VALUES (1), (2), (2), (4)) t(x) ORDER BY x;
-- differs: type: tpserver bug: x is int8, PostgreSQL int4
SELECT x, ntile(3) OVER (ORDER BY x) FROM generate_series(1, 7) x ORDER BY x;
SELECT x, lag(x) OVER (ORDER BY x), lead(x) OVER (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
SELECT x, lag(x, 2, -1) OVER (ORDER BY x), lead(x, 1, 0) OVER (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT x, sum(x) OVER (ORDER BY x) FROM (VALUES (1), (2), (2), (5)) t(x) ORDER BY x;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT x, sum(x) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) FROM (VALUES (1), (2), (3), (5)) t(x) ORDER BY x;
-- differs: precision: DuckDB computes avg in float8 (2.3333333333333335), PostgreSQL in numeric with 16 decimals (2.3333333333333333)
SELECT x, avg(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES (1), (2), (3), (5)) t(x) ORDER BY x;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT x, count(*) OVER (), sum(x) OVER () FROM (VALUES (1), (2)) t(x) ORDER BY x;
SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x DESC) FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) t(g, x) ORDER BY g, x;
SELECT g, x, first_value(x) OVER w, last_value(x) OVER w FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) t(g, x) WINDOW w AS (PARTITION BY g ORDER BY x) ORDER BY g, x;
SELECT x, nth_value(x, 2) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
SELECT x, x - lag(x) OVER (ORDER BY x) AS delta FROM (VALUES (1), (4), (9)) t(x) ORDER BY x;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("25", PostgreSQL "25.0000000000000000")
SELECT x, 100.0 * x / sum(x) OVER () AS pct FROM (VALUES (1), (1), (2)) t(x) ORDER BY x;
-- differs: type: tpserver bug: pct is float8, PostgreSQL int8
SELECT x, 100 * x / sum(x) OVER () AS pct FROM (VALUES (1), (1), (2)) t(x) ORDER BY x;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("1", PostgreSQL "1.00")
SELECT x, round(avg(x) OVER (ORDER BY x ROWS 2 PRECEDING), 2) FROM (VALUES (1), (2), (4), (8)) t(x) ORDER BY x;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1), (2), (4), (5)) t(x) ORDER BY x;
-- differs: value: tpserver bug: pg_typeof names DuckDB types ("bigint", PostgreSQL "integer")
SELECT pg_typeof(row_number() OVER ()), pg_typeof(rank() OVER ()), pg_typeof(ntile(2) OVER ());
SELECT x, count(*) FILTER (WHERE x > 1) OVER (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
SELECT * FROM (SELECT i, row_number() OVER (ORDER BY i DESC) AS rn FROM tenk) s WHERE rn <= 3 ORDER BY rn;
SELECT i % 4 AS k, sum(i) OVER (PARTITION BY i % 4) FROM tenk WHERE i < 8 ORDER BY i;
SELECT i, lag(i) OVER (ORDER BY i) IS NULL FROM tenk WHERE i < 3 ORDER BY i;
SELECT day, n, sum(n) OVER (ORDER BY day) AS running FROM (SELECT date_trunc('day', event_time) AS day, count(*) AS n FROM aws_cloudtrail_log GROUP BY 1) s ORDER BY day;
SELECT event_name, n, rank() OVER (ORDER BY n DESC) FROM (SELECT event_name, count(*) AS n FROM aws_cloudtrail_log GROUP BY 1) s ORDER BY n DESC, event_name LIMIT 8;
SELECT aws_region, event_name, n FROM (SELECT aws_region, event_name, count(*) AS n, row_number() OVER (PARTITION BY aws_region ORDER BY count(*) DESC, event_name) AS rn FROM aws_cloudtrail_log GROUP BY 1, 2) s WHERE rn = 1 ORDER BY aws_region;
SELECT event_time, lag(event_time) OVER (ORDER BY event_time, event_id) FROM aws_cloudtrail_log ORDER BY event_time, event_id LIMIT 3;
SELECT event_id, event_time - lag(event_time) OVER (ORDER BY event_time, event_id) AS gap FROM aws_cloudtrail_log ORDER BY event_time, event_id LIMIT 4;
-- differs: type: tpserver bug: q is int8, PostgreSQL int4
SELECT ntile(4) OVER (ORDER BY event_time, event_id) AS q, count(*) OVER () FROM aws_cloudtrail_log ORDER BY event_time, event_id LIMIT 3;
-- param: int4 2
SELECT x, lag(x, $1) OVER (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
