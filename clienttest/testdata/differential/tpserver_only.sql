-- DuckDB syntax tpserver keeps accepting; these run on tpserver only and
-- must succeed.
SELECT user_identity.arn FROM aws_cloudtrail_log LIMIT 1;
SELECT user_identity.session_context.session_issuer.user_name FROM aws_cloudtrail_log LIMIT 1;
SELECT tls_details.tls_version, count(*) FROM aws_cloudtrail_log GROUP BY ALL;
FROM aws_cloudtrail_log SELECT event_name LIMIT 1;
FROM tenk LIMIT 2;
SELECT list_transform([1, 2, 3], x -> x * 2);
SELECT list_filter(tp_ips, ip -> ip LIKE '10.%') FROM aws_cloudtrail_log LIMIT 1;
SUMMARIZE SELECT i FROM tenk;
DESCRIBE SELECT 1 AS x;
SELECT {'a': 1, 'b': 'x'}.a;
SELECT [1, 2, 3][2];
SELECT * EXCLUDE (s, blob) FROM alltypes ORDER BY id LIMIT 1;
SELECT COLUMNS('event_.*') FROM aws_cloudtrail_log LIMIT 1;
SELECT event_name, count(*) FROM aws_cloudtrail_log GROUP BY ALL ORDER BY ALL LIMIT 3;
SELECT 42::HUGEINT, 1::UTINYINT;
SELECT struct_pack(a := 1, b := 2);
SELECT list_aggregate([1, 2, 3], 'sum');
PIVOT (SELECT aws_region, read_only FROM aws_cloudtrail_log) ON read_only USING count(*);
SELECT i FROM tenk QUALIFY row_number() OVER (ORDER BY i) <= 2;
SELECT (request_parameters->>'bucketName') = 'x' FROM aws_cloudtrail_log LIMIT 1;
