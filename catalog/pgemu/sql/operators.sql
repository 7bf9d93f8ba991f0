-- PostgreSQL's division functions, which raise division_by_zero as its /
-- and % do (the translator checks those operators' divisors; pgwire maps
-- the error to 22012). div is numeric's: the quotient truncated toward zero.
CREATE OR REPLACE MACRO $pg.mod(a, b) AS a % CASE WHEN b = 0 THEN error('division by zero') ELSE b END;
CREATE OR REPLACE MACRO $pg.div(a, b) AS
  CAST(trunc(CAST(a AS DOUBLE) / CASE WHEN b = 0 THEN error('division by zero') ELSE b END) AS DECIMAL(38, 0));
