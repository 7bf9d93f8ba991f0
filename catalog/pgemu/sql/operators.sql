-- PostgreSQL's division functions, which raise division_by_zero as its /
-- and % do (the translator checks those operators' divisors; pgwire maps
-- the error to 22012). div is numeric's: the quotient truncated toward zero.
CREATE OR REPLACE MACRO $pg.mod(a, b) AS a % CASE WHEN b = 0 THEN error('division by zero') ELSE b END;
CREATE OR REPLACE MACRO $pg.div(a, b) AS
  CAST(trunc(CAST(a AS DOUBLE) / CASE WHEN b = 0 THEN error('division by zero') ELSE b END) AS DECIMAL(38, 0));
-- power, pow and the translator's ^ raise PostgreSQL's errors where
-- DuckDB's pow answers NaN or infinity: 2201F for zero to a negative power
-- and a negative number to a non-integer one, 22003 for an infinite power
-- of finite numbers and for a zero power of double precision ones (numeric
-- underflows to 0 in PostgreSQL too); pgwire maps the messages. The type is
-- pow's.
CREATE OR REPLACE MACRO $pg.power(a, b) AS CASE
  WHEN a = 0 AND b < 0 THEN error('zero raised to a negative power is undefined')
  WHEN a < 0 AND b <> floor(b) THEN error('a negative number raised to a non-integer power yields a complex result')
  WHEN isinf("system".main.pow(a, b)) AND NOT isinf(CAST(a AS DOUBLE)) AND NOT isinf(CAST(b AS DOUBLE))
    THEN error('value out of range: overflow')
  WHEN "system".main.pow(a, b) = 0 AND a <> 0 AND NOT isinf(CAST(a AS DOUBLE)) AND NOT isinf(CAST(b AS DOUBLE))
    AND typeof(a) NOT LIKE 'DECIMAL%' AND typeof(b) NOT LIKE 'DECIMAL%' THEN error('value out of range: underflow')
  ELSE "system".main.pow(a, b) END;
CREATE OR REPLACE MACRO $pg.pow(a, b) AS $pg.power(a, b);
-- tp_float8_checked is the translator's sum, difference or product x of
-- two visible double precision values a and b: 22003 where DuckDB's
-- overflows to infinity.
CREATE OR REPLACE MACRO $pg.tp_float8_checked(x, a, b) AS CASE
  WHEN isinf(x) AND NOT isinf(CAST(a AS DOUBLE)) AND NOT isinf(CAST(b AS DOUBLE)) THEN error('value out of range: overflow') ELSE x END;
