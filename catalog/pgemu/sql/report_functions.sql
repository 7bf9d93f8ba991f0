-- PostgreSQL's scalar and aggregate functions that reports call and DuckDB
-- lacks or gives another meaning: each macro here answers as PostgreSQL 15
-- does. A macro X here makes the translator send every call X(...) to it
-- (catalog/pgsql funcCall), so each keeps DuckDB's own behaviour for the
-- argument counts PostgreSQL does not have ("system".main.X).
-- tp_text is a value as text the way concat and format print it: a
-- boolean is t or f.
CREATE OR REPLACE MACRO $pg.tp_text(x) AS CASE WHEN typeof(x) = 'BOOLEAN' THEN left(CAST(x AS VARCHAR), 1) ELSE CAST(x AS VARCHAR) END;
CREATE OR REPLACE MACRO $pg.initcap(s) AS CASE WHEN s = '' THEN '' ELSE list_aggregate(list_transform(range(1, length(s) + 1),
  tp_i -> CASE WHEN tp_i = 1 OR NOT regexp_matches("system".main.substr(s, tp_i - 1, 1), '^[\pL\pN]$') THEN upper("system".main.substr(s, tp_i, 1)) ELSE lower("system".main.substr(s, tp_i, 1)) END),
  'string_agg', '') END;
CREATE OR REPLACE MACRO $pg.btrim(s) AS trim(s), (s, c) AS trim(s, c);
CREATE OR REPLACE MACRO $pg.quote_nullable(x) AS CASE WHEN x IS NULL THEN 'NULL' ELSE $pg.quote_literal(x) END;
CREATE OR REPLACE MACRO $pg.every(x) AS bool_and(x);
CREATE OR REPLACE MACRO $pg.date_bin(s, x, o) AS time_bucket(s, x, o);
-- lpad and rpad: a length below 0 is 0, an empty fill cuts only.
CREATE OR REPLACE MACRO $pg.lpad(s, n) AS "system".main.lpad(s, greatest(n, 0), ' '),
  (s, n, f) AS CASE WHEN f = '' THEN left(s, greatest(n, 0)) ELSE "system".main.lpad(s, greatest(n, 0), f) END;
CREATE OR REPLACE MACRO $pg.rpad(s, n) AS "system".main.rpad(s, greatest(n, 0), ' '),
  (s, n, f) AS CASE WHEN f = '' THEN left(s, greatest(n, 0)) ELSE "system".main.rpad(s, greatest(n, 0), f) END;
-- split_part with an empty delimiter: the whole string is the one field.
CREATE OR REPLACE MACRO $pg.split_part(s, d, n) AS CASE
  WHEN d = '' THEN CASE WHEN n IN (1, -1) THEN s ELSE '' END
  WHEN n = 0 THEN error('field position must not be zero') ELSE "system".main.split_part(s, d, n) END;
-- substr(s, start [, count]): characters from start counted from 1, those
-- before 1 left out (DuckDB counts a negative start from the end).
CREATE OR REPLACE MACRO $pg.substr(s, b) AS "system".main.substr(s, greatest(b, 1)),
  (s, b, n) AS CASE WHEN n < 0 THEN error('negative substring length not allowed')
    ELSE "system".main.substr(s, greatest(b, 1), greatest(n + least(b, 1) - 1, 0)) END;
-- array_position finds NULL too (IS NOT DISTINCT FROM), from a start.
CREATE OR REPLACE MACRO $pg.tp_array_position(a, x) AS CASE WHEN x IS NULL
    THEN list_position(list_transform(a, tp_e -> tp_e IS NULL), true) ELSE list_position(a, x) END;
CREATE OR REPLACE MACRO $pg.array_position(a, x) AS $pg.tp_array_position(a, x),
  (a, x, b) AS $pg.tp_array_position(list_slice(a, greatest(b, 1), len(a)), x) + greatest(b, 1) - 1;
-- PostgreSQL 15's regexp_count and regexp_substr (regexp_like is DuckDB's
-- regexp_matches: see catalog/pgsql rule_regexp.go).
CREATE OR REPLACE MACRO $pg.regexp_count(s, p) AS CAST(len(regexp_extract_all(s, p)) AS INTEGER),
  (s, p, b) AS CAST(len(regexp_extract_all("system".main.substr(s, b), p)) AS INTEGER);
CREATE OR REPLACE MACRO $pg.regexp_substr(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END;
CREATE OR REPLACE MACRO $pg.to_hex(x) AS lower("system".main.to_hex(x));
CREATE OR REPLACE MACRO $pg.octet_length(s) AS CAST(CASE WHEN typeof(s) = 'BLOB' THEN "system".main.octet_length(CAST(s AS BLOB)) ELSE strlen(CAST(s AS VARCHAR)) END AS INTEGER);
CREATE OR REPLACE MACRO $pg.array_to_string(a, sep) AS "system".main.array_to_string(list_transform(a, tp_x -> $pg.tp_text(tp_x)), sep),
  (a, sep, n) AS CASE WHEN a IS NULL OR sep IS NULL THEN NULL
    ELSE coalesce(list_aggregate(list_transform(a, tp_x -> coalesce($pg.tp_text(tp_x), n)), 'string_agg', sep), '') END;
-- width_bucket(operand, low, high, count): the bucket of operand among
-- count equal buckets from low to high, 0 below and count + 1 above.
CREATE OR REPLACE MACRO $pg.width_bucket(x, t) AS CAST(len(list_filter(t, tp_e -> tp_e <= x)) AS INTEGER),
  (x, lo, hi, n) AS CAST(CASE
  WHEN n <= 0 THEN error('count must be greater than zero')
  WHEN lo = hi THEN error('lower bound cannot equal upper bound')
  WHEN lo < hi THEN CASE WHEN x < lo THEN 0 WHEN x >= hi THEN n + 1 ELSE floor(CAST(n AS DOUBLE) * (x - lo) / (hi - lo)) + 1 END
  ELSE CASE WHEN x > lo THEN 0 WHEN x <= hi THEN n + 1 ELSE floor(CAST(n AS DOUBLE) * (lo - x) / (lo - hi)) + 1 END END AS INTEGER);
-- tp_escape_byte is a byte as encode(..., 'escape') writes it.
CREATE OR REPLACE MACRO $pg.tp_escape_byte(v) AS CASE
  WHEN v = 92 THEN '\\' WHEN v BETWEEN 1 AND 127 THEN chr(v)
  ELSE '\' || CAST(v // 64 AS VARCHAR) || CAST(v // 8 % 8 AS VARCHAR) || CAST(v % 8 AS VARCHAR) END;
-- encode and decode of bytea as hex, base64 (lines of 76 characters) or
-- escape text.
CREATE OR REPLACE MACRO $pg.encode(b) AS "system".main.encode(b), (b, f) AS CASE lower(f)
  WHEN 'hex' THEN lower(hex(CAST(b AS BLOB)))
  WHEN 'base64' THEN rtrim(regexp_replace(to_base64(CAST(b AS BLOB)), '(.{76})', '\1' || chr(10), 'g'), chr(10))
  WHEN 'escape' THEN list_aggregate(list_transform(range(0, "system".main.octet_length(CAST(b AS BLOB))),
    tp_i -> $pg.tp_escape_byte(CAST(('0x' || substr(hex(CAST(b AS BLOB)), 2 * tp_i + 1, 2)) AS INTEGER))), 'string_agg', '')
  ELSE error('unrecognized encoding: "' || f || '"') END;
CREATE OR REPLACE MACRO $pg.decode(b) AS "system".main.decode(b), (s, f) AS CASE lower(f)
  WHEN 'hex' THEN unhex(s)
  WHEN 'base64' THEN from_base64(replace(replace(s, chr(10), ''), chr(13), ''))
  ELSE error('unrecognized encoding: "' || f || '"') END;
-- Intervals as PostgreSQL holds them: months, days and microseconds.
CREATE OR REPLACE MACRO $pg.tp_interval_months(i) AS 12 * date_part('year', i) + date_part('month', i);
CREATE OR REPLACE MACRO $pg.tp_interval_micros(i) AS epoch_us(i - to_months($pg.tp_interval_months(i)) - to_days(date_part('day', i)));
CREATE OR REPLACE MACRO $pg.tp_make_interval(m, d, us) AS to_months(CAST(m AS INTEGER)) + to_days(CAST(d AS INTEGER)) + to_microseconds(CAST(us AS BIGINT));
-- justify_days: 30-day periods to months, days and months of one sign.
CREATE OR REPLACE MACRO $pg.tp_justify_days(m, d, us) AS CASE
  WHEN m + trunc(d / 30) > 0 AND d % 30 < 0 THEN $pg.tp_make_interval(m + trunc(d / 30) - 1, d % 30 + 30, us)
  WHEN m + trunc(d / 30) < 0 AND d % 30 > 0 THEN $pg.tp_make_interval(m + trunc(d / 30) + 1, d % 30 - 30, us)
  ELSE $pg.tp_make_interval(m + trunc(d / 30), d % 30, us) END;
CREATE OR REPLACE MACRO $pg.justify_days(i) AS $pg.tp_justify_days($pg.tp_interval_months(i), date_part('day', i), $pg.tp_interval_micros(i));
-- justify_hours: 24-hour periods to days, days and time of one sign.
CREATE OR REPLACE MACRO $pg.tp_justify_hours(m, d, us) AS CASE
  WHEN d + trunc(us / 86400000000) > 0 AND us % 86400000000 < 0 THEN $pg.tp_make_interval(m, d + trunc(us / 86400000000) - 1, us % 86400000000 + 86400000000)
  WHEN d + trunc(us / 86400000000) < 0 AND us % 86400000000 > 0 THEN $pg.tp_make_interval(m, d + trunc(us / 86400000000) + 1, us % 86400000000 - 86400000000)
  ELSE $pg.tp_make_interval(m, d + trunc(us / 86400000000), us % 86400000000) END;
CREATE OR REPLACE MACRO $pg.justify_hours(i) AS $pg.tp_justify_hours($pg.tp_interval_months(i), date_part('day', i), $pg.tp_interval_micros(i));
-- justify_interval: both, then months, days and time of one sign.
CREATE OR REPLACE MACRO $pg.tp_justify_interval3(m, d, us) AS CASE
  WHEN d > 0 AND us < 0 THEN $pg.tp_make_interval(m, d - 1, us + 86400000000)
  WHEN d < 0 AND us > 0 THEN $pg.tp_make_interval(m, d + 1, us - 86400000000)
  ELSE $pg.tp_make_interval(m, d, us) END;
CREATE OR REPLACE MACRO $pg.tp_justify_interval2(m, d, us) AS CASE
  WHEN m > 0 AND (d < 0 OR (d = 0 AND us < 0)) THEN $pg.tp_justify_interval3(m - 1, d + 30, us)
  WHEN m < 0 AND (d > 0 OR (d = 0 AND us > 0)) THEN $pg.tp_justify_interval3(m + 1, d - 30, us)
  ELSE $pg.tp_justify_interval3(m, d, us) END;
CREATE OR REPLACE MACRO $pg.tp_justify_interval(m, d, us) AS
  $pg.tp_justify_interval2(m + trunc((d + trunc(us / 86400000000)) / 30), (d + trunc(us / 86400000000)) % 30, us % 86400000000);
CREATE OR REPLACE MACRO $pg.justify_interval(i) AS $pg.tp_justify_interval($pg.tp_interval_months(i), date_part('day', i), $pg.tp_interval_micros(i));
CREATE OR REPLACE MACRO $pg.make_interval(years := 0, months := 0, weeks := 0, days := 0, hours := 0, mins := 0, secs := 0) AS
  $pg.tp_make_interval(12 * years + months, 7 * weeks + days, round((hours * 3600 + mins * 60 + CAST(secs AS DOUBLE)) * 1000000));
CREATE OR REPLACE MACRO $pg.tp_overlaps(s1, e1, s2, e2) AS
  (least(s1, e1) > least(s2, e2) AND NOT (least(s1, e1) >= greatest(s2, e2)))
  OR (least(s2, e2) > least(s1, e1) AND NOT (least(s2, e2) >= greatest(s1, e1)))
  OR least(s1, e1) = least(s2, e2);
-- tp_regexp_rows turns regexp_extract_all's lists, one per capture group,
-- into regexp_matches's rows: one text[] of the groups per match (only the
-- first match unless global).
CREATE OR REPLACE MACRO $pg.tp_regexp_rows(ls, global) AS CASE WHEN len(ls[1]) = 0 THEN CAST([] AS VARCHAR[][]) ELSE
  list_slice(list_transform(range(1, len(ls[1]) + 1), tp_k -> list_transform(ls, tp_l -> tp_l[tp_k])), 1, CASE WHEN global THEN len(ls[1]) ELSE 1 END) END;
-- tp_epoch_us is PostgreSQL's epoch in microseconds: for an interval a
-- year is 365.25 days (DuckDB's epoch_us counts 12 months of 30 days).
CREATE OR REPLACE MACRO $pg.tp_epoch_us(x) AS epoch_us(x)
  + CASE WHEN typeof(x) = 'INTERVAL' THEN CAST(date_part('year', x) AS BIGINT) * 453600000000 ELSE 0 END;
-- tp_num_int is the integer part of to_char(number, format): digits d
-- right-aligned in pat (its digit positions '9', group separators ','),
-- leading positions from the z-th digit position on filled with zeros,
-- leading blanks and their separators dropped.
CREATE OR REPLACE MACRO $pg.tp_num_digit(p, j, z) AS CASE
  WHEN j = 0 THEN ' ' WHEN substr(p, j, 1) = ' ' AND j >= z THEN '0' ELSE substr(p, j, 1) END;
CREATE OR REPLACE MACRO $pg.tp_num_int(d, pat, z) AS ltrim(list_aggregate(list_transform(range(1, length(pat) + 1),
  tp_i -> CASE WHEN substr(pat, tp_i, 1) = ','
    THEN CASE WHEN $pg.tp_num_digit(lpad(d, CAST(length(replace(pat, ',', '')) AS INTEGER), ' '), CAST(length(replace(substr(pat, 1, tp_i), ',', '')) AS INTEGER), z) = ' ' THEN ' ' ELSE ',' END
    ELSE $pg.tp_num_digit(lpad(d, CAST(length(replace(pat, ',', '')) AS INTEGER), ' '), CAST(length(replace(substr(pat, 1, tp_i), ',', '')) AS INTEGER), z) END),
  'string_agg', ''), ' ');
-- The clock: now() and current_timestamp are the transaction's start in
-- DuckDB as in PostgreSQL; clock_timestamp() reads the clock (a Go
-- function, clock.go); statement_timestamp() is the transaction's start,
-- which is the statement's outside an explicit transaction; timeofday()
-- is the clock as text (after tp_zone, below).
CREATE OR REPLACE MACRO $pg.clock_timestamp() AS tp_clock_timestamp();
CREATE OR REPLACE MACRO $pg.statement_timestamp() AS now();
CREATE OR REPLACE MACRO $pg.sha256(b) AS unhex("system".main.sha256(b));
-- round of a double precision rounds half to even (rint) in PostgreSQL,
-- half away from zero in DuckDB, and keeps the sign of a negative zero;
-- of a numeric both round half away.
CREATE OR REPLACE MACRO $pg.tp_round_double(x, r) AS CASE
  WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND x < 0 AND r = 0 THEN -abs(r) ELSE r END;
CREATE OR REPLACE MACRO $pg.round(x) AS $pg.tp_round_double(x, "system".main.round(x)
  - CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND abs(x - trunc(x)) = 0.5 AND "system".main.round(x) % 2 <> 0 THEN sign(x) ELSE 0 END),
  (x, n) AS "system".main.round(x, n);
-- tp_numeric_series is generate_series of numerics, which DuckDB's
-- generate_series does not take.
CREATE OR REPLACE MACRO $pg.tp_numeric_series(a, b, s) AS
  list_transform(range(0, CAST(floor((b - a) / s) AS BIGINT) + 1), tp_i -> a + tp_i * s);
-- convert_to and convert_from of UTF8, the one encoding.
CREATE OR REPLACE MACRO $pg.convert_to(s, e) AS CASE WHEN upper(replace(e, '-', '')) = 'UTF8' THEN "system".main.encode(s)
  ELSE error('conversion to ' || e || ' is not supported') END;
CREATE OR REPLACE MACRO $pg.convert_from(b, e) AS CASE WHEN upper(replace(e, '-', '')) = 'UTF8' THEN "system".main.decode(b)
  ELSE error('conversion from ' || e || ' is not supported') END;
-- chr(0) is an error: PostgreSQL's text holds no NUL.
CREATE OR REPLACE MACRO $pg.chr(n) AS CASE WHEN n = 0 THEN error('null character not permitted') ELSE "system".main.chr(n) END;
-- tp_zone is to_char's TZ: the abbreviation of the session's time zone at
-- x (EST, EDT) for a timestamptz, nothing for a timestamp or date (whose
-- strftime %Z is empty).
CREATE OR REPLACE MACRO $pg.tp_zone(x) AS CASE WHEN strftime(x, '%Z') = '' THEN ''
  ELSE tp_zone_abbrev(CAST(x AS TIMESTAMPTZ), strftime(x, '%Z')) END;
CREATE OR REPLACE MACRO $pg.timeofday() AS strftime(tp_clock_timestamp(), '%a %b %d %H:%M:%S.%f %Y ') || $pg.tp_zone(tp_clock_timestamp());
