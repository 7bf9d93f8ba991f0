-- Casts and literal input, boolean output, NULL handling, pg_typeof.
SELECT 'yes'::boolean, 'no'::boolean, 'on'::boolean, 'off'::boolean, '1'::boolean, 'f'::boolean;
SELECT 'TRUE'::boolean, ' true '::boolean, 't'::bool;
SELECT true, false, NULL::boolean;
SELECT 1 = 1, 1 = 2, NULL = NULL;
SELECT true AND NULL, false AND NULL, true OR NULL, NOT NULL::boolean;
SELECT 1::boolean, 0::boolean;
SELECT true::int, false::int;
-- differs: type: tpserver bug: varchar is text, PostgreSQL varchar
SELECT true::text, false::varchar;
SELECT '12'::int, ' 12 '::int, '-0'::int, '+7'::int;
SELECT '12'::int8 + 1, '12'::int2;
SELECT '1.5'::numeric, '1e3'::numeric, '-.5'::numeric;
SELECT 1.5::int, 2.5::int, -2.5::int, 3.49::int;
SELECT 1.5::float8::int, 2.5::float8::int, -0.5::float8::int;
SELECT 7::numeric(5,2), 3.14159::numeric(4,2), 12.345::numeric(10,1);
SELECT 0.5::numeric(3,0), 1.5::numeric(3,0);
SELECT '3.7'::float8::int;
SELECT 10::float8, 1e15::float8, 1e16::float8, 123456789012345678::float8;
SELECT 0.1::float8, 1.0::float8, 100::float4, 1.1::float4;
SELECT 1e-5::float8, 12345.678::float4;
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT 42::text, 4.20::text, 1e3::text, (1.0/3)::text;
SELECT 2.50::numeric::text, 2.50::float8::text;
SELECT 'abc'::bytea, '\xdead'::bytea, '\x'::bytea;
SELECT 'a\\b'::bytea;
SELECT '\xdeadbeef'::bytea::text;
SELECT 'abc'::text::bytea;
SELECT octet_length('\xdead00ff'::bytea), octet_length('abc\000'::bytea);
-- differs: error: DuckDB has no length(BLOB) (42883); octet_length(bytea) gives the same number
SELECT length('\xdead00ff'::bytea);
SELECT '{a,b}'::text[], '{1,2}'::int[]::text[];
-- differs: value: tpserver bug: array::text is DuckDB's list text [a, b], PostgreSQL {a,b}
SELECT '{a,b}'::text[]::text;
-- differs: value: tpserver bug: array::text is DuckDB's list text [1, 2], PostgreSQL {1,2}
SELECT ARRAY[1,2]::text;
SELECT '2024-05-17'::date, '2024-5-7'::date, '20240517'::date;
SELECT '2024-05-17 13:45:12.5'::timestamp, '2024-05-17 13:45:12.5'::timestamptz;
SELECT '13:45:12'::time, '1 day'::interval, '1:30'::interval;
SELECT '2024-05-17 13:45:12'::timestamp::date, '2024-05-17'::date::timestamp;
SELECT '2024-05-17 13:45:12+02'::timestamptz::date;
SELECT timestamp '2024-05-17 13:45:12'::time;
-- differs: format: tpserver bug: numeric is written "42.000", PostgreSQL "42"
SELECT 42::text::int, '42'::varchar::numeric;
SELECT CAST('7' AS integer), CAST(7.9 AS integer), CAST(7 AS text);
SELECT int4 '42', float8 '1.5', date '2024-01-01', bool 't';
-- differs: type: tpserver bug: char(n) is text, PostgreSQL bpchar (DuckDB has no padded type)
SELECT 'abc'::char(2), 'a'::char(3)::text || '|';
-- differs: type: tpserver bug: name is text, PostgreSQL name
SELECT 'abc'::name, 'abc'::varchar(10);
SELECT '5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b'::uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid;
SELECT '{"a":1}'::json::text, '{"a": 1}'::jsonb::text;
SELECT 100::smallint, 100::bigint, 100::real, 100::double precision, 100::decimal;
-- differs: value: pg_typeof('a') is text (PostgreSQL unknown) and 1e3 is double precision (PostgreSQL numeric): DuckDB types untyped literals and exponent literals itself
SELECT pg_typeof(1), pg_typeof(1.5), pg_typeof('a'), pg_typeof(1::int8), pg_typeof(1e3);
SELECT pg_typeof(1 + 1.5), pg_typeof(1 / 2), pg_typeof(1::int2 + 1::int2), pg_typeof(2147483648);
SELECT pg_typeof(true), pg_typeof(NULL), pg_typeof(ARRAY[1]), pg_typeof('{}'::text[]);
-- differs: value: tpserver bug: pg_typeof names DuckDB types ("bigint", PostgreSQL "integer")
SELECT pg_typeof(date '2024-01-01' + 1), pg_typeof(date '2024-01-01' - date '2024-01-01'), pg_typeof(date '2024-01-01' + interval '1 day');
SELECT pg_typeof(timestamp '2024-01-01' - timestamp '2024-01-01'), pg_typeof(extract(year from date '2024-01-01'));
SELECT pg_typeof(now() - interval '1 hour'), pg_typeof(date_trunc('day', timestamp '2024-01-01'));
SELECT pg_typeof('{"a":1}'::jsonb -> 'a'), pg_typeof('{"a":1}'::json ->> 'a');
SELECT pg_typeof(round(1.5)), pg_typeof(round(1.5::float8)), pg_typeof(sqrt(2)), pg_typeof(abs(-1));
SELECT pg_typeof(count(*)), pg_typeof(sum(1)), pg_typeof(max('a'));
-- differs: value: tpserver bug: pg_typeof names DuckDB types ("bigint", PostgreSQL "integer")
SELECT pg_typeof(length('a')), pg_typeof(position('a' in 'a')), pg_typeof(upper('a'));
SELECT pg_typeof(id), pg_typeof(i4), pg_typeof(s), pg_typeof(dc) FROM alltypes WHERE id = 1;
SELECT COALESCE(NULL, 2, 3), COALESCE(NULL::int, NULL), COALESCE('a', 'b');
SELECT COALESCE(n, -1) FROM alltypes ORDER BY id;
SELECT NULLIF(1, 1), NULLIF(1, 2), NULLIF('a', '');
SELECT GREATEST(1, 2, NULL), LEAST(1, 2, NULL), GREATEST(NULL::int, NULL);
SELECT GREATEST('a', 'B', 'c'), LEAST(date '2024-01-01', date '2023-01-01');
-- differs: format: tpserver bug: least is written "1.0", PostgreSQL "1"
SELECT GREATEST(1, 2.5), LEAST(1, 2.5);
SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' END, CASE WHEN false THEN 1 END;
SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END;
SELECT CASE WHEN NULL THEN 'x' ELSE 'y' END;
-- differs: format: tpserver bug: case is written "1.0", PostgreSQL "1"
SELECT CASE WHEN true THEN 1 ELSE 2.5 END;
SELECT x IS NULL, x IS NOT NULL, x IS TRUE, x IS NOT FALSE, x IS UNKNOWN FROM (VALUES (NULL::boolean)) t(x);
SELECT b, NOT b, b::text FROM alltypes ORDER BY id;
SELECT i1, i2, u1, u8, hi FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT f4, f8, dc FROM alltypes ORDER BY id;
SELECT blob, u, t FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT s FROM alltypes WHERE id = 2;
-- differs: error: tpserver bug: 22P02: Could not cast value -9223372036854775808 to DECIMAL(18,3) when casting from source column i8
SELECT i4::text, i8::numeric, dc::float8, dc::int FROM alltypes WHERE id IN (1, 2) ORDER BY id;
-- differs: format: tpserver bug: f8 is written "2.250", PostgreSQL "2.25"
SELECT f8::numeric FROM alltypes WHERE id = 1;
-- differs: error: tpserver bug: XX000: database/sql/driver: database/sql/driver: API error: empty name
SELECT row(1, 'a', NULL), (1, 2) = (1, 2), (1, 2) < (1, 3);
SELECT management_event, read_only, count(*) FROM aws_cloudtrail_log GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) FROM aws_cloudtrail_log WHERE read_only;
SELECT count(*) FROM aws_cloudtrail_log WHERE read_only IS NOT TRUE;
SELECT count(*) FROM aws_cloudtrail_log WHERE session_credential_from_console::boolean;
SELECT CASE WHEN error_code IS NULL THEN 'ok' ELSE 'error' END AS status, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT COALESCE(error_code, 'none') AS e, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 4;
-- param: text 12
SELECT $1::int + 1;
-- param: bool true
SELECT $1::boolean, NOT $1::boolean;
-- param: bytea \xdeadbeef
-- differs: error: tpserver bug: length(BLOB) is not translated
SELECT $1::bytea, length($1::bytea);
-- param: numeric 2.50
-- differs text,binary,pgx: format: tpserver bug: numeric without a scale is DuckDB's DECIMAL(18,3): "2.500", PostgreSQL "2.50"
SELECT $1::numeric, $1::numeric::text, pg_typeof($1::numeric);
-- param: int4 NULL
SELECT COALESCE($1::int4, 42);
-- param: float8 0.1
SELECT $1::float8 * 3;
-- param: int2 7
-- param: int8 8
SELECT $1::int2 + $2::int8, pg_typeof($1::int2 + $2::int8);
-- param: unknown 42
SELECT $1::int4 * 2;
-- param: date 2024-01-01
-- param: date 2023-01-01
SELECT GREATEST($1::date, $2::date);
