-- Integer and numeric arithmetic as reports write it: division, modulo,
-- rounding, overflow.
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "3.5", PostgreSQL "3"
SELECT 7 / 2;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "-3.5", PostgreSQL "-3"
SELECT -7 / 2;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "-3.5", PostgreSQL "-3"
SELECT 7 / -2;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "3.5", PostgreSQL "3"
SELECT -7 / -2;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "0.3333333333333333", PostgreSQL "0"
SELECT 1 / 3;
SELECT 7 % 3;
SELECT -7 % 3;
SELECT 7 % -3;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3.5", PostgreSQL "3.5000000000000000")
SELECT 7.0 / 2;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3.5", PostgreSQL "3.5000000000000000")
SELECT 7 / 2.0;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3.5", PostgreSQL "3.5000000000000000")
SELECT 7::numeric / 2;
-- differs: number: tpserver bug: numeric computed in float8: ?column? is "0.3333333333333333", PostgreSQL "0.33333333333333333333"
SELECT 1::numeric / 3;
-- differs: number: tpserver bug: numeric computed in float8: ?column? is "0.6666666666666666", PostgreSQL "0.66666666666666666667"
SELECT 2::numeric / 3;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("2.5", PostgreSQL "2.5000000000000000")
SELECT 10::numeric / 4;
-- differs: number: tpserver bug: numeric computed in float8: ?column? is "0.3333333333333333", PostgreSQL "0.33333333333333333333"
SELECT 1.0 / 3.0;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "42.857142857142854", PostgreSQL "42"
SELECT 100 * 3 / 7;
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "3333.3333333333335", PostgreSQL "3333"
SELECT count(*) / 3 FROM tenk;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("4999.5", PostgreSQL "4999.5000000000000000")
SELECT sum(i) / count(*) FROM tenk;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["Infinity"]
SELECT 1 / 0;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows [NULL]
SELECT 1 % 0;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["Infinity"]
SELECT 1.5 / 0;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["Infinity"]
SELECT 1::float8 / 0;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["NaN"]
SELECT 0 / 0;
SELECT 2147483647 + 1;
SELECT 2147483647::int4 + 1::int4;
SELECT 9223372036854775807 + 1;
SELECT (-2147483648)::int4 * -1;
SELECT 32767::int2 + 1::int2;
SELECT 2 ^ 10;
-- differs: number: tpserver bug: numeric computed in float8: ?column? is "1.4142135623730951", PostgreSQL "1.4142135623730950"
SELECT 2 ^ 0.5;
-- differs: no-error: tpserver bug: PostgreSQL raises 2201F: a negative number raised to a non-integer power yi..., tpserver answers 1 rows ["NaN"]
SELECT (-8) ^ (1.0/3);
-- differs: error: tpserver bug: |/() is not translated (DuckDB has no such function)
SELECT |/ 16;
-- differs: error: tpserver bug: ||/() is not translated (DuckDB has no such function)
SELECT ||/ 27;
SELECT @ -5;
SELECT abs(-5), abs(-5.5);
-- differs: error: tpserver bug: the # operator (xor, #> and #>> paths) is not translated
SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2;
SELECT round(2.5), round(3.5), round(-2.5);
-- differs: number: tpserver bug: round(float8) rounds halves away from zero, PostgreSQL to even: round is "3", PostgreSQL "2"
SELECT round(2.5::float8), round(3.5::float8), round(-2.5::float8);
SELECT round(123.456, 2), round(123.456, -1), round(123.456, 0);
SELECT round(1234.5678::numeric, 1);
SELECT trunc(123.456, 1), trunc(-123.456);
SELECT ceil(1.2), ceil(-1.2), floor(1.8), floor(-1.8);
-- differs: type: tpserver bug: sign is int2, PostgreSQL float8
SELECT ceiling(4.1), sign(-3), sign(0), sign(2.5);
SELECT mod(7, 3), mod(-7, 3), mod(7.5, 2);
-- differs: error: tpserver bug: div() is not translated (DuckDB has no such function)
SELECT div(7, 2), div(-7, 2);
SELECT sqrt(2);
-- differs: number: tpserver bug: numeric computed in float8: sqrt is "1.4142135623730951", PostgreSQL "1.414213562373095"
SELECT sqrt(2::numeric);
-- differs: sqlstate: tpserver bug: SQLSTATE 22003 where PostgreSQL raises 2201F: cannot take square root of a negative number
SELECT sqrt(-1);
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3", PostgreSQL "3.0000000000000000")
SELECT exp(1), ln(10), log(100), log(2, 8);
-- differs: sqlstate: tpserver bug: SQLSTATE 22003 where PostgreSQL raises 2201E: cannot take logarithm of zero
SELECT ln(0);
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3", PostgreSQL "3.0000000000000000")
SELECT log(10, 1000);
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("8", PostgreSQL "8.0000000000000000")
SELECT power(2, 3), power(2.0, 3), pow(9, 0.5);
SELECT pi();
SELECT degrees(pi()), radians(180);
SELECT sin(0), cos(0), tan(0), atan2(1, 1);
SELECT 0.1 + 0.2;
SELECT 0.1::float8 + 0.2::float8;
SELECT 1e100::float8 * 10;
-- differs: no-error: tpserver bug: PostgreSQL raises 22003: value out of range: overflow, tpserver answers 1 rows ["Infinity"]
SELECT 1.5e300::float8 * 1.5e300::float8;
SELECT 3.0 * 1.10;
SELECT 1.10 + 2.205;
-- differs: number: tpserver bug: numeric computed in float8: ?column? is "33.333333333333336", PostgreSQL "33.3333333333333333"
SELECT 100.00 / 3;
-- differs: error: tpserver bug: 22P02: Could not cast value 12345678901234567890 to DECIMAL(18,3)
SELECT 12345678901234567890::numeric * 10;
SELECT 12345678901234567890 + 1;
-- differs: number: tpserver bug: integer division divides as float8: 5 / 2 * 2.0 is "5", PostgreSQL "4.0"
SELECT 5 / 2 * 2.0;
-- differs: number: tpserver bug: integer division divides as float8: (5 / 2)::float8 is "2.5", PostgreSQL "2"
SELECT (5 / 2)::float8;
SELECT 5::float8 / 2;
SELECT 2 + 3 * 4, (2 + 3) * 4, -2 ^ 2;
SELECT factorial(5);
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "11", PostgreSQL "10"
SELECT 10 / 3 * 3 + 10 % 3;
-- differs: type: tpserver bug: gcd is int8, PostgreSQL int4
SELECT gcd(12, 18), lcm(4, 6);
-- differs: error: tpserver bug: width_bucket() is not translated (DuckDB has no such function)
SELECT width_bucket(5.35, 0.024, 10.06, 5);
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "3.5", PostgreSQL "3"
SELECT 7::int2 / 2::int2, 7::int8 / 2::int8;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("1.5", PostgreSQL "1.5000000000000000")
SELECT avg(x) FROM (VALUES (1), (2)) t(x);
-- differs: number: tpserver bug: integer division divides as float8: ?column? is "-3.0744573456182584e+18", PostgreSQL "-3074457345618258602"
SELECT i4 / 2, i8 / 3, i2 % 7 FROM alltypes WHERE id = 2;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("41.15", PostgreSQL "41.1500000000000000")
SELECT dc * 2, dc / 3 FROM alltypes WHERE id IN (1, 2) ORDER BY id;
-- differs: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["Infinity"]
SELECT f8 / 0 FROM alltypes WHERE id = 1;
SELECT i4 + 1 FROM alltypes WHERE id = 2;
SELECT i4 - 1 FROM alltypes WHERE id = 2;
SELECT i8 - 1 FROM alltypes WHERE id = 2;
SELECT -i2 FROM alltypes WHERE id = 2;
SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8;
-- differs: error: tpserver bug: 22P02: Could not convert string "NaN" to DECIMAL(18,3)
SELECT 'NaN'::numeric, 'NaN'::numeric = 'NaN'::numeric;
SELECT 1.0::float8 / 3;
-- differs: number: tpserver bug: float4 / integer is float4 ("0.6666667"), PostgreSQL float8 ("0.6666666666666666")
SELECT 2.0::float4 / 3;
SELECT 100::float8 / 7;
SELECT 0.1::float4;
SELECT 1/3::float8 * 3;
-- differs: error: tpserver bug: scale() is not translated (DuckDB has no such function)
SELECT scale(1.2300), trim_scale(1.2300);
-- param: int4 7
-- param: int4 2
-- differs text,binary,psycopg2: number: tpserver bug: integer division divides as float8: ?column? is "3.5", PostgreSQL "3"
-- differs pgx: error: tpserver bug: describes the parameter as text where PostgreSQL infers its type from the expression, so pgx cannot encode the typed value
SELECT $1::int4 / $2::int4;
-- param: int8 -7
-- param: int8 2
-- differs text,binary,psycopg2: number: tpserver bug: integer division divides as float8: ?column? is "-3.5", PostgreSQL "-3"
-- differs pgx: error: tpserver bug: describes the parameter as text where PostgreSQL infers its type from the expression, so pgx cannot encode the typed value
SELECT $1::int8 / $2::int8, $1::int8 % $2::int8;
-- param: numeric 10.5
-- param: numeric 4
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("2.625", PostgreSQL "2.6250000000000000")
SELECT $1::numeric / $2::numeric;
-- param: int4 1
-- param: int4 0
-- differs text,binary,psycopg2: no-error: tpserver bug: PostgreSQL raises 22012: division by zero, tpserver answers 1 rows ["Infinity"]
-- differs pgx: sqlstate: tpserver bug: describes the parameter as text, so pgx cannot encode the typed value (PostgreSQL raises 22012: division by zero)
SELECT $1::int4 / $2::int4;
-- param: float8 2.5
-- differs: number: tpserver bug: round(float8) rounds halves away from zero, PostgreSQL to even: round is "3", PostgreSQL "2"
SELECT round($1::float8), $1::float8 * 2;
-- param: numeric 123.456
SELECT round($1::numeric, 2);
-- param: int4 5
SELECT count(*) FROM tenk WHERE i < $1;
-- param: int8 9223372036854775807
SELECT $1::int8 + 1;
