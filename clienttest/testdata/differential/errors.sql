-- Statements PostgreSQL rejects: the SQLSTATE must be the same.
SELECT 1 / 0;
SELECT 10 % 0;
SELECT 5::numeric / 0;
SELECT 1 / (i - i) FROM tenk WHERE i = 1;
SELECT 'abc'::int;
SELECT ''::int;
SELECT '1.5'::int;
SELECT '12abc'::numeric;
SELECT 'maybe'::boolean;
SELECT '2024-13-01'::date;
SELECT '2024-02-30'::date;
SELECT 'not a date'::date;
SELECT '2024-05-17 25:00'::timestamp;
SELECT '25:00'::time;
SELECT 'abc'::interval;
SELECT '{1,2'::int[];
SELECT '{"a":'::json;
SELECT '{"a":1'::jsonb;
SELECT 'zz'::uuid;
-- differs: sqlstate: tpserver bug: SQLSTATE 22P02 where PostgreSQL raises 22023: invalid hexadecimal digit: "Z"
SELECT '\xZZ'::bytea;
SELECT 2147483647::int4 + 1;
SELECT 9223372036854775807::int8 * 2;
SELECT 32768::int2;
SELECT '99999999999'::int4;
SELECT 123.45::numeric(4,2);
SELECT 1e400::float8;
SELECT 2::float8 ^ 10000;
SELECT (-9223372036854775808)::int8 / -1;
SELECT abs(-2147483648::int4);
SELECT no_such_column FROM alltypes;
SELECT alltypes.nope FROM alltypes;
SELECT * FROM no_such_table;
SELECT * FROM public.no_such_table;
SELECT no_such_function(1);
SELECT length(1, 2, 3);
-- differs: sqlstate: tpserver bug: SQLSTATE 42883 where PostgreSQL raises 22P02: invalid input syntax for type integer: "a"
SELECT 'a' + 1;
-- differs: sqlstate: tpserver bug: SQLSTATE 42883 where PostgreSQL raises 22P02: invalid input syntax for type integer: "a"
SELECT 1 + 'a';
SELECT date '2024-01-01' + date '2024-01-01';
SELECT sqrt('x');
SELECT ln(-1);
SELECT log(0);
SELECT sqrt(-4::numeric);
SELECT 0 ^ -1;
-- differs: sqlstate: tpserver bug: the emulation's error() is mapped to 22023, PostgreSQL raises 54000 (same message)
SELECT repeat('x', -1) || chr(0);
-- differs: sqlstate: tpserver bug: the emulation's error() is mapped to 22023, PostgreSQL raises 22011 (same message)
SELECT substring('abc', 1, -1);
SELECT ARRAY[1,2] || ARRAY['a'];
SELECT (ARRAY[[1,2],[3]]);
SELECT '{"a":1}'::json -> 1 -> 'x' -> 'y' = '1';
-- differs: sqlstate: tpserver bug: SQLSTATE 42883 where PostgreSQL raises 22008: date/time field value out of range: "2024-99-99"
SELECT to_date('2024-99-99', 'YYYY-MM-DD');
SELECT to_number('abc', '999');
-- differs: sqlstate: tpserver bug: SQLSTATE 22003 where PostgreSQL raises 22008: date field value out of range: 2024-02-30
SELECT make_date(2024, 2, 30);
SELECT generate_series(1, 10, 0);
SELECT count(*) FROM tenk GROUP BY no_col;
SELECT i, count(*) FROM tenk;
-- differs: sqlstate: tpserver bug: SQLSTATE 42883 where PostgreSQL raises 42725: function sum(unknown) is not unique
SELECT sum('a');
SELECT percentile_cont(2) WITHIN GROUP (ORDER BY i) FROM tenk;
SELECT ntile(0) OVER () FROM tenk;
SELECT (SELECT i FROM tenk);
SELECT 1 FROM tenk WHERE i = 'x';
SELECT CAST(ROW(1) AS int);
SELECT 'x'::regclass;
SELECT event_name FROM aws_cloudtrail_log WHERE no_such = 1;
SELECT json_array_length('{"a":1}');
SELECT jsonb_array_elements('{"a":1}');
SELECT '{"a":1}'::jsonb #> 'a';
SELECT chr(-1);
SELECT split_part('a,b', ',', 0);
SELECT date_trunc('fortnight', timestamp '2024-01-01');
SELECT extract(nonsense from date '2024-01-01');
SELECT interval '1 day' / 0;
-- differs: sqlstate: tpserver bug: SQLSTATE 22023 where PostgreSQL raises 2201B: invalid regular expression: parentheses () not balanced
SELECT regexp_replace('a', '(', 'b');
-- param: text abc
SELECT $1::int;
-- param: int4 0
SELECT 10 / $1::int4;
-- param: text 2024-13-01
SELECT $1::date;
-- param: text {"a":
SELECT $1::json;
