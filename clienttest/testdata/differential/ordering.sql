-- ORDER BY: NULL placement, direction, text order of ASCII, set operations,
-- LIMIT/OFFSET, DISTINCT.
SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x;
SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x DESC;
SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x NULLS FIRST;
SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x DESC NULLS LAST;
SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x ASC NULLS LAST;
SELECT x FROM (VALUES ('b'), (NULL), ('a')) t(x) ORDER BY 1 DESC;
SELECT x, y FROM (VALUES (1, NULL), (1, 'a'), (NULL, 'b')) t(x, y) ORDER BY x DESC, y;
SELECT x FROM (VALUES ('B'), ('a'), ('_'), ('1'), ('A'), ('b'), (' ')) t(x) ORDER BY x COLLATE "C";
SELECT x FROM (VALUES ('abc'), ('ab'), ('abd'), ('')) t(x) ORDER BY x COLLATE "C";
SELECT x FROM (VALUES ('B'), ('a'), ('b'), ('A')) t(x) ORDER BY lower(x), x COLLATE "C";
SELECT x FROM (VALUES (true), (false), (NULL)) t(x) ORDER BY x;
-- differs: format: tpserver bug: x is written "10.0", PostgreSQL "10"
SELECT x FROM (VALUES (1.5), (-2), (10)) t(x) ORDER BY x DESC;
SELECT x FROM (VALUES ('10'), ('9'), ('100')) t(x) ORDER BY x COLLATE "C";
SELECT x FROM (VALUES ('10'), ('9'), ('100')) t(x) ORDER BY x::int;
SELECT x FROM (VALUES ('infinity'::float8), ('NaN'), ('-1'), ('-infinity')) t(x) ORDER BY x;
SELECT d FROM alltypes ORDER BY d;
SELECT d FROM alltypes ORDER BY d DESC;
SELECT id, n FROM alltypes ORDER BY n, id;
SELECT id, n FROM alltypes ORDER BY n DESC, id;
SELECT id, f8 FROM alltypes ORDER BY f8 NULLS FIRST, id;
SELECT i FROM tenk ORDER BY i DESC LIMIT 3;
SELECT i FROM tenk ORDER BY i LIMIT 3 OFFSET 9995;
SELECT i FROM tenk ORDER BY i OFFSET 9998;
SELECT i FROM tenk ORDER BY i FETCH FIRST 2 ROWS ONLY;
SELECT i % 3 AS k FROM tenk GROUP BY k ORDER BY k DESC;
SELECT DISTINCT i % 3 AS k FROM tenk ORDER BY k;
SELECT DISTINCT ON (k) k, v FROM (VALUES (1, 'b'), (1, 'a'), (2, 'c')) t(k, v) ORDER BY k, v;
SELECT 1 AS x UNION SELECT 2 ORDER BY x DESC;
SELECT 1 UNION ALL SELECT 1 UNION SELECT 2;
SELECT x FROM (VALUES (1), (2), (2)) t(x) UNION ALL SELECT 2 ORDER BY 1;
SELECT x FROM (VALUES (1), (2), (2), (3)) t(x) INTERSECT SELECT x FROM (VALUES (2), (3), (4)) t(x) ORDER BY 1;
SELECT x FROM (VALUES (1), (2), (2), (3)) t(x) EXCEPT SELECT 3 ORDER BY 1;
SELECT x FROM (VALUES (1), (2), (2)) t(x) EXCEPT ALL SELECT 2 ORDER BY 1;
SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, NULL ORDER BY b;
-- differs: format: tpserver bug: ?column? is written "1.0", PostgreSQL "1"
SELECT 1 UNION SELECT 1.5 ORDER BY 1;
SELECT NULL UNION SELECT 1 ORDER BY 1;
SELECT x FROM (VALUES ('a'), ('b')) t(x) ORDER BY x = 'b' DESC, x;
SELECT x FROM (VALUES (1), (2), (3)) t(x) ORDER BY CASE WHEN x = 2 THEN 0 ELSE 1 END, x;
SELECT event_name FROM aws_cloudtrail_log ORDER BY event_name LIMIT 5;
SELECT DISTINCT event_name FROM aws_cloudtrail_log ORDER BY event_name DESC LIMIT 5;
SELECT error_code FROM aws_cloudtrail_log GROUP BY error_code ORDER BY error_code LIMIT 5;
SELECT error_code FROM aws_cloudtrail_log GROUP BY error_code ORDER BY error_code DESC LIMIT 5;
SELECT error_code, count(*) FROM aws_cloudtrail_log GROUP BY error_code ORDER BY error_code NULLS FIRST LIMIT 3;
SELECT event_id FROM aws_cloudtrail_log ORDER BY event_time DESC, event_id LIMIT 5;
SELECT tp_id FROM aws_cloudtrail_log ORDER BY tp_id LIMIT 5 OFFSET 10;
-- param: int8 3
SELECT i FROM tenk ORDER BY i DESC LIMIT $1;
-- param: int8 2
-- param: int8 9997
SELECT i FROM tenk ORDER BY i LIMIT $1 OFFSET $2;
