-- Integer and numeric arithmetic as reports write it: division, modulo,
-- rounding, overflow.
SELECT 7 / 2;
SELECT -7 / 2;
SELECT 7 / -2;
SELECT -7 / -2;
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
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT 1::numeric / 3;
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT 2::numeric / 3;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("2.5", PostgreSQL "2.5000000000000000")
SELECT 10::numeric / 4;
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT 1.0 / 3.0;
SELECT 100 * 3 / 7;
SELECT count(*) / 3 FROM tenk;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("4999.5", PostgreSQL "4999.5000000000000000")
SELECT sum(i) / count(*) FROM tenk;
SELECT 1 / 0;
SELECT 1 % 0;
SELECT 1.5 / 0;
SELECT 1::float8 / 0;
SELECT 0 / 0;
SELECT 2147483647 + 1;
SELECT 2147483647::int4 + 1::int4;
SELECT 9223372036854775807 + 1;
SELECT (-2147483648)::int4 * -1;
SELECT 32767::int2 + 1::int2;
SELECT 2 ^ 10;
-- differs: precision: DuckDB computes numeric powers and square roots in float8: the 17th digit differs
SELECT 2 ^ 0.5;
SELECT (-8) ^ (1.0/3);
SELECT |/ 16;
SELECT ||/ 27;
SELECT @ -5;
SELECT abs(-5), abs(-5.5);
SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2;
SELECT round(2.5), round(3.5), round(-2.5);
SELECT round(2.5::float8), round(3.5::float8), round(-2.5::float8);
SELECT round(123.456, 2), round(123.456, -1), round(123.456, 0);
SELECT round(1234.5678::numeric, 1);
SELECT trunc(123.456, 1), trunc(-123.456);
SELECT ceil(1.2), ceil(-1.2), floor(1.8), floor(-1.8);
-- differs: type: tpserver bug: sign is int2, PostgreSQL float8
SELECT ceiling(4.1), sign(-3), sign(0), sign(2.5);
SELECT mod(7, 3), mod(-7, 3), mod(7.5, 2);
SELECT div(7, 2), div(-7, 2);
SELECT sqrt(2);
-- differs: precision: DuckDB computes numeric powers and square roots in float8: the 17th digit differs
SELECT sqrt(2::numeric);
SELECT sqrt(-1);
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("3", PostgreSQL "3.0000000000000000")
SELECT exp(1), ln(10), log(100), log(2, 8);
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
SELECT 1.5e300::float8 * 1.5e300::float8;
SELECT 3.0 * 1.10;
SELECT 1.10 + 2.205;
-- differs: precision: DuckDB divides decimals in float8 (0.3333333333333333), PostgreSQL's numeric division gives 20 significant digits (0.33333333333333333333)
SELECT 100.00 / 3;
SELECT 12345678901234567890::numeric * 10;
SELECT 12345678901234567890 + 1;
SELECT 5 / 2 * 2.0;
SELECT (5 / 2)::float8;
SELECT 5::float8 / 2;
SELECT 2 + 3 * 4, (2 + 3) * 4, -2 ^ 2;
SELECT factorial(5);
SELECT 10 / 3 * 3 + 10 % 3;
-- differs: type: tpserver bug: gcd is int8, PostgreSQL int4
SELECT gcd(12, 18), lcm(4, 6);
SELECT width_bucket(5.35, 0.024, 10.06, 5);
SELECT 7::int2 / 2::int2, 7::int8 / 2::int8;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("1.5", PostgreSQL "1.5000000000000000")
SELECT avg(x) FROM (VALUES (1), (2)) t(x);
-- differs: type: i2 % 7 is int2 on tpserver (DuckDB keeps the smaller operand type for %), PostgreSQL int4; the values agree
SELECT i4 / 2, i8 / 3, i2 % 7 FROM alltypes WHERE id = 2;
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("41.15", PostgreSQL "41.1500000000000000")
SELECT dc * 2, dc / 3 FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT f8 / 0 FROM alltypes WHERE id = 1;
SELECT i4 + 1 FROM alltypes WHERE id = 2;
SELECT i4 - 1 FROM alltypes WHERE id = 2;
SELECT i8 - 1 FROM alltypes WHERE id = 2;
SELECT -i2 FROM alltypes WHERE id = 2;
SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8;
-- differs: error: tpserver bug: 22P02: Could not convert string "NaN" to DECIMAL(18,3)
SELECT 'NaN'::numeric, 'NaN'::numeric = 'NaN'::numeric;
SELECT 1.0::float8 / 3;
SELECT 2.0::float4 / 3;
SELECT 100::float8 / 7;
SELECT 0.1::float4;
SELECT 1/3::float8 * 3;
-- differs: error: tpserver bug: scale() is not translated (DuckDB has no such function)
SELECT scale(1.2300), trim_scale(1.2300);
-- param: int4 7
-- param: int4 2
SELECT $1::int4 / $2::int4;
-- param: int8 -7
-- param: int8 2
SELECT $1::int8 / $2::int8, $1::int8 % $2::int8;
-- param: numeric 10.5
-- param: numeric 4
-- differs: format: tpserver bug: numeric result is float8, so the numeric scale is lost ("2.625", PostgreSQL "2.6250000000000000")
SELECT $1::numeric / $2::numeric;
-- param: int4 1
-- param: int4 0
SELECT $1::int4 / $2::int4;
-- param: float8 2.5
SELECT round($1::float8), $1::float8 * 2;
-- param: numeric 123.456
SELECT round($1::numeric, 2);
-- param: int4 5
SELECT count(*) FROM tenk WHERE i < $1;
-- param: int8 9223372036854775807
SELECT $1::int8 + 1;
