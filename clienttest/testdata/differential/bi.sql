-- What Grafana, Metabase and analysts send: time-series macros expanded,
-- CTEs, CASE buckets, subqueries and joins.
-- differs: type: tpserver bug: time is float8, PostgreSQL numeric
SELECT floor(extract(epoch from event_time) / 3600) * 3600 AS "time", count(*) AS "value" FROM aws_cloudtrail_log WHERE event_time BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('hour', event_time) AS "time", event_source AS metric, count(*) AS "value" FROM aws_cloudtrail_log WHERE event_time >= '2000-01-01T00:00:00Z' AND event_time <= '2100-01-01T00:00:00Z' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT extract(epoch from date_trunc('day', event_time))::bigint AS time_sec, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT to_timestamp(floor(extract(epoch from event_time) / 300) * 300) AS "time", count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1 LIMIT 5;
SELECT event_time AS "time", event_name FROM aws_cloudtrail_log WHERE event_time BETWEEN to_timestamp(946684800) AND to_timestamp(4102444800) ORDER BY 1, 2 LIMIT 5;
SELECT count(*) FROM aws_cloudtrail_log WHERE extract(epoch from event_time) >= 946684800 AND extract(epoch from event_time) <= 4102444800;
SELECT "source"."event_name" AS "event_name", count(*) AS "count" FROM (SELECT "public"."aws_cloudtrail_log"."event_name" AS "event_name" FROM "public"."aws_cloudtrail_log") AS "source" GROUP BY "source"."event_name" ORDER BY "count" DESC, "source"."event_name" ASC LIMIT 10;
SELECT CAST(date_trunc('month', "public"."aws_cloudtrail_log"."event_time") AS date) AS "event_time", count(*) AS "count" FROM "public"."aws_cloudtrail_log" GROUP BY CAST(date_trunc('month', "public"."aws_cloudtrail_log"."event_time") AS date) ORDER BY CAST(date_trunc('month', "public"."aws_cloudtrail_log"."event_time") AS date) ASC;
SELECT CAST(extract(dow FROM "public"."aws_cloudtrail_log"."event_time") + 1 AS integer) AS "dow", count(*) AS "count" FROM "public"."aws_cloudtrail_log" GROUP BY 1 ORDER BY 1;
SELECT "public"."aws_cloudtrail_log"."aws_region" AS "aws_region", count(distinct "public"."aws_cloudtrail_log"."event_name") AS "count" FROM "public"."aws_cloudtrail_log" GROUP BY "public"."aws_cloudtrail_log"."aws_region" ORDER BY "public"."aws_cloudtrail_log"."aws_region" ASC;
SELECT (CAST(extract(year FROM "public"."aws_cloudtrail_log"."event_time") AS integer) * 100) + CAST(extract(month FROM "public"."aws_cloudtrail_log"."event_time") AS integer) AS ym, count(*) FROM "public"."aws_cloudtrail_log" GROUP BY 1 ORDER BY 1;
-- differs: precision: DuckDB computes avg in float8 (2.3333333333333335), PostgreSQL in numeric with 16 decimals (2.3333333333333333)
SELECT avg("source"."n") AS "avg" FROM (SELECT "event_name", count(*) AS "n" FROM "public"."aws_cloudtrail_log" GROUP BY "event_name") AS "source";
SELECT "public"."aws_cloudtrail_log"."event_name" AS "event_name" FROM "public"."aws_cloudtrail_log" WHERE ("public"."aws_cloudtrail_log"."event_name" LIKE '%Bucket%') GROUP BY 1 ORDER BY 1 ASC LIMIT 2000;
SELECT count(*) AS "count" FROM "public"."aws_cloudtrail_log" WHERE (lower("public"."aws_cloudtrail_log"."user_agent") LIKE '%console%');
SELECT count(*) AS "count" FROM "public"."aws_cloudtrail_log" WHERE ("public"."aws_cloudtrail_log"."error_code" IS NOT NULL AND ("public"."aws_cloudtrail_log"."error_code" <> '' OR "public"."aws_cloudtrail_log"."error_code" IS NULL));
WITH daily AS (SELECT date_trunc('day', event_time) AS day, count(*) AS n FROM aws_cloudtrail_log GROUP BY 1) SELECT day, n, n - lag(n) OVER (ORDER BY day) AS change FROM daily ORDER BY day;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("1", PostgreSQL "1.0")
WITH errs AS (SELECT event_name, count(*) AS n FROM aws_cloudtrail_log WHERE error_code IS NOT NULL GROUP BY 1), tot AS (SELECT event_name, count(*) AS n FROM aws_cloudtrail_log GROUP BY 1) SELECT tot.event_name, tot.n, COALESCE(errs.n, 0) AS errors, round(100.0 * COALESCE(errs.n, 0) / tot.n, 1) AS pct FROM tot LEFT JOIN errs USING (event_name) ORDER BY errors DESC, tot.event_name LIMIT 10;
-- differs: type: tpserver bug: sum is numeric, PostgreSQL int8
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n), count(*) FROM r;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("4.5", PostgreSQL "4.5000000000000000")
WITH t AS (SELECT i FROM tenk WHERE i < 10) SELECT count(*), sum(i) / count(*), avg(i) FROM t;
WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM a, b;
SELECT CASE WHEN i < 10 THEN 'small' WHEN i < 1000 THEN 'medium' ELSE 'large' END AS bucket, count(*) FROM tenk GROUP BY 1 ORDER BY 2;
SELECT CASE WHEN error_code IS NULL THEN 'success' WHEN error_code LIKE '%Denied%' OR error_code LIKE '%Unauthorized%' THEN 'denied' ELSE 'other' END AS outcome, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT width_bucket(i, 0, 10000, 4) AS b, count(*) FROM tenk GROUP BY 1 ORDER BY 1;
SELECT event_source, count(*) AS calls, count(DISTINCT user_identity ->> 'arn') AS principals, min(event_time) AS first_seen, max(event_time) AS last_seen FROM aws_cloudtrail_log GROUP BY event_source ORDER BY calls DESC, event_source LIMIT 5;
SELECT source_ip_address, count(*) FROM aws_cloudtrail_log WHERE error_code IS NOT NULL GROUP BY 1 HAVING count(*) >= 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT e.event_name, e.n FROM (SELECT event_name, count(*) AS n FROM aws_cloudtrail_log GROUP BY event_name) e WHERE e.n > (SELECT avg(n) FROM (SELECT count(*) AS n FROM aws_cloudtrail_log GROUP BY event_name) x) ORDER BY e.n DESC, e.event_name;
SELECT count(*) FROM aws_cloudtrail_log a WHERE EXISTS (SELECT 1 FROM aws_cloudtrail_log b WHERE b.event_id = a.event_id AND b.error_code IS NOT NULL);
SELECT count(*) FROM aws_cloudtrail_log WHERE event_name IN (SELECT event_name FROM aws_cloudtrail_log WHERE error_code IS NOT NULL);
SELECT a.aws_region, count(*) FROM aws_cloudtrail_log a JOIN (SELECT DISTINCT aws_region FROM aws_cloudtrail_log WHERE error_code IS NOT NULL) b ON a.aws_region = b.aws_region GROUP BY 1 ORDER BY 1;
SELECT t.x, count(l.event_id) FROM (VALUES ('us-east-1'), ('nowhere-1')) t(x) LEFT JOIN aws_cloudtrail_log l ON l.aws_region = t.x GROUP BY t.x ORDER BY t.x;
SELECT x, y FROM (VALUES (1), (2)) a(x) FULL JOIN (VALUES (2), (3)) b(y) ON x = y ORDER BY x NULLS LAST, y;
SELECT x, y FROM (VALUES (1), (2)) a(x) CROSS JOIN (VALUES ('a'), ('b')) b(y) ORDER BY x, y;
SELECT * FROM (VALUES (1, 'a')) a(k, v) NATURAL JOIN (VALUES (1, 'a'), (2, 'b')) b(k, v);
SELECT x, s.m FROM (VALUES (1), (2)) t(x), LATERAL (SELECT max(i) AS m FROM tenk WHERE i < x * 10) s ORDER BY x;
SELECT date_trunc('day', event_time)::date AS day, count(*) FILTER (WHERE error_code IS NULL) AS ok, count(*) FILTER (WHERE error_code IS NOT NULL) AS failed FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT to_char(date_trunc('hour', event_time), 'HH24:00') AS hour, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("0", PostgreSQL "0.00")
SELECT user_identity ->> 'type' AS identity_type, round(avg(CASE WHEN error_code IS NULL THEN 0 ELSE 1 END) * 100, 2) AS error_rate FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM aws_cloudtrail_log WHERE event_time > timestamp '2000-01-01' - interval '7 days';
SELECT count(*) FROM aws_cloudtrail_log WHERE event_time >= now() - interval '100 years';
SELECT recipient_account_id, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT event_type, event_category, count(*) FROM aws_cloudtrail_log GROUP BY 1, 2 ORDER BY 1, 2;
SELECT COALESCE(user_identity ->> 'user_name', user_identity ->> 'type', 'unknown') AS who, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT event_version, api_version IS NULL, vpc_endpoint_id IS NULL, count(*) FROM aws_cloudtrail_log GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*), count(DISTINCT tp_id), count(DISTINCT event_id) FROM aws_cloudtrail_log;
SELECT tp_table, tp_partition, tp_index, count(*) FROM aws_cloudtrail_log GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT event_id, event_name, event_time, aws_region, source_ip_address, error_code FROM aws_cloudtrail_log ORDER BY event_time, event_id LIMIT 10;
SELECT * FROM aws_cloudtrail_log ORDER BY tp_id LIMIT 2;
-- param: timestamptz 2000-01-01 00:00:00+00
-- param: timestamptz 2100-01-01 00:00:00+00
SELECT date_trunc('day', event_time) AS "time", count(*) FROM aws_cloudtrail_log WHERE event_time BETWEEN $1 AND $2 GROUP BY 1 ORDER BY 1;
-- param: text us-east-1
SELECT count(*) FROM aws_cloudtrail_log WHERE aws_region = $1;
-- param: text us-east-1
-- param: int8 3
SELECT event_name, count(*) FROM aws_cloudtrail_log WHERE aws_region = $1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $2;
-- param: text AccessDenied
SELECT count(*) FROM aws_cloudtrail_log WHERE error_code = $1 OR $1 IS NULL;
