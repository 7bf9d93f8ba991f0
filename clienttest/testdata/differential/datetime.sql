-- Dates, times, timestamps and intervals; the session time zone is UTC on
-- both servers.
SELECT date '2024-02-29' + 1;
SELECT date '2024-03-01' - 1;
-- differs: type: tpserver bug: ?column? is int8, PostgreSQL int4
SELECT date '2024-03-01' - date '2024-02-01';
SELECT date '2024-01-31' + interval '1 month';
SELECT timestamp '2024-01-31 10:00' + interval '1 month';
SELECT date '2024-02-29' - interval '1 year';
SELECT timestamp '2024-01-02 03:04:05' - timestamp '2024-01-01 00:00:00';
SELECT timestamp '2024-03-01' - timestamp '2024-01-01';
SELECT interval '1 day' * 3, interval '1 hour' / 2;
SELECT interval '90 minutes', interval '36 hours', interval '1.5 days';
SELECT interval '1 year 2 months 3 days 04:05:06';
SELECT interval '-1 day 02:00:00';
SELECT interval '0';
SELECT interval '1 mon' = interval '30 days';
SELECT justify_hours(interval '36 hours'), justify_days(interval '45 days');
SELECT justify_interval(interval '1 mon -1 hour');
SELECT date_trunc('day', timestamp '2024-05-17 13:45:12.5');
SELECT date_trunc('hour', timestamp '2024-05-17 13:45:12.5');
SELECT date_trunc('minute', timestamp '2024-05-17 13:45:12.5');
SELECT date_trunc('week', timestamp '2024-05-17 13:45:12');
SELECT date_trunc('month', timestamp '2024-05-17 13:45:12');
SELECT date_trunc('quarter', timestamp '2024-05-17 13:45:12');
SELECT date_trunc('year', timestamp '2024-05-17 13:45:12');
SELECT date_trunc('month', date '2024-05-17');
SELECT date_trunc('day', timestamptz '2024-05-17 23:30:00+00');
SELECT date_trunc('day', timestamptz '2024-05-17 23:30:00+00', 'America/New_York');
SELECT date_trunc('hour', interval '3 days 04:05:06');
SELECT extract(year from timestamp '2024-05-17 13:45:12.5');
SELECT extract(month from date '2024-05-17'), extract(day from date '2024-05-17');
SELECT extract(dow from date '2024-05-19'), extract(isodow from date '2024-05-19');
SELECT extract(doy from date '2024-12-31'), extract(week from date '2024-12-31');
SELECT extract(quarter from date '2024-05-17');
SELECT extract(epoch from timestamp '2024-01-01 00:00:00');
SELECT extract(epoch from timestamptz '2024-01-01 00:00:00+00');
SELECT extract(epoch from interval '1 day 2 hours');
SELECT extract(second from timestamp '2024-05-17 13:45:12.5');
SELECT extract(hour from interval '36 hours');
SELECT extract(century from date '2024-05-17'), extract(decade from date '2024-05-17');
SELECT extract(microseconds from time '01:02:03.456');
SELECT date_part('year', timestamp '2024-05-17 13:45:12');
SELECT date_part('epoch', timestamp '2024-05-17 13:45:12');
SELECT date_part('dow', date '2024-05-17');
SELECT date_part('second', timestamp '2024-05-17 13:45:12.25');
SELECT age(timestamp '2024-05-17', timestamp '2023-01-01');
SELECT age(timestamp '2024-03-01', timestamp '2024-01-31 12:00');
SELECT age(date '2024-05-17', date '2020-02-29');
SELECT to_char(timestamp '2024-05-07 13:05:09.123', 'YYYY-MM-DD HH24:MI:SS');
SELECT to_char(timestamp '2024-05-07 13:05:09', 'DD/MM/YYYY HH12:MI AM');
SELECT to_char(timestamp '2024-05-07 13:05:09', 'Mon DD, YYYY'), to_char(date '2024-05-07', 'Month');
SELECT to_char(timestamp '2024-05-07 13:05:09', 'FMMonth FMDD'), to_char(date '2024-05-07', 'Day');
SELECT to_char(timestamp '2024-05-07 13:05:09', 'YYYY"Q"Q IW'), to_char(date '2024-05-07', 'DY');
SELECT to_char(timestamp '2024-05-07 13:05:09.123456', 'HH24:MI:SS.MS US');
SELECT to_char(timestamptz '2024-05-07 13:05:09+00', 'YYYY-MM-DD"T"HH24:MI:SSOF');
SELECT to_char(interval '3 days 04:05:06', 'HH24:MI:SS');
SELECT to_date('17/05/2024', 'DD/MM/YYYY');
SELECT to_timestamp('2024-05-17 13:45', 'YYYY-MM-DD HH24:MI');
SELECT to_timestamp(1700000000);
SELECT to_timestamp(1700000000.5);
SELECT make_date(2024, 2, 29), make_time(13, 45, 12.5);
SELECT make_timestamp(2024, 5, 17, 13, 45, 12.5);
SELECT make_interval(days => 3, hours => 2);
SELECT timestamp '2024-05-17 13:45:12' AT TIME ZONE 'UTC';
SELECT timestamptz '2024-05-17 13:45:12+00' AT TIME ZONE 'America/New_York';
SELECT timestamp '2024-05-17 13:45:12' AT TIME ZONE 'Europe/Paris';
SELECT timestamptz '2024-05-17 13:45:12+02';
SELECT timestamptz '2024-05-17 13:45:12.5+05:30';
SELECT '2024-05-17 13:45:12'::timestamptz;
SELECT '2024-05-17'::timestamp, '2024-05-17 13:45'::timestamp;
SELECT '2024-05-17T13:45:12Z'::timestamptz;
SELECT '13:45'::time, '13:45:12.123456'::time;
SELECT time '13:45' + interval '30 minutes', time '23:30' + interval '1 hour';
SELECT date '2024-05-17' + time '13:45';
-- differs: value: tpserver bug: nanoseconds are truncated, PostgreSQL rounds to the microsecond
SELECT timestamp '2024-05-17 13:45:12.123456789';
SELECT '2024-05-17 24:00:00'::timestamp;
SELECT 'epoch'::timestamp, 'infinity'::timestamp, '-infinity'::date;
SELECT 'infinity'::timestamp > timestamp '9999-01-01';
SELECT date '2024-05-17' < timestamp '2024-05-17 00:00:01';
SELECT date '2024-05-17' = timestamp '2024-05-17';
SELECT timestamp '2024-05-17 10:00' BETWEEN date '2024-05-17' AND date '2024-05-18';
SELECT (date '2024-01-01', date '2024-02-01') OVERLAPS (date '2024-01-15', date '2024-03-01');
SELECT (date '2024-01-01', date '2024-02-01') OVERLAPS (date '2024-02-01', date '2024-03-01');
SELECT (timestamp '2024-01-01', interval '1 day') OVERLAPS (timestamp '2024-01-01 12:00', interval '1 hour');
SELECT generate_series(timestamp '2024-01-01', timestamp '2024-01-01 03:00', interval '1 hour');
SELECT x FROM generate_series(timestamp '2024-01-30', timestamp '2024-04-30', interval '1 month') g(x);
SELECT x::date FROM generate_series(date '2024-02-27', date '2024-03-02', interval '1 day') g(x);
SELECT count(*) FROM generate_series(timestamptz '2024-03-30 00:00+00', timestamptz '2024-04-01 00:00+00', interval '1 hour');
SELECT pg_typeof(now()), pg_typeof(current_date), pg_typeof(current_timestamp), pg_typeof(localtimestamp);
SELECT now() = current_timestamp, now() >= timestamptz '2024-01-01';
SELECT current_date >= date '2024-01-01', clock_timestamp() >= now();
-- differs: value: tpserver bug: pg_typeof(localtime) is time, PostgreSQL's time without time zone
SELECT pg_typeof(current_time), pg_typeof(localtime), pg_typeof(statement_timestamp());
SELECT d, d + 30 FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT ts, ts + interval '1 day' FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT tstz, date_trunc('month', tstz) FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT iv, iv * 2, -iv FROM alltypes WHERE id IN (1, 2) ORDER BY id;
SELECT extract(year from d), extract(epoch from ts) FROM alltypes WHERE id = 1;
SELECT t, t + interval '1 minute' FROM alltypes WHERE id = 1;
SELECT d, ts, tstz FROM alltypes WHERE id = 4;
SELECT min(event_time), max(event_time) FROM aws_cloudtrail_log;
SELECT date_trunc('day', event_time) AS day, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT extract(hour from event_time) AS h, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT to_char(event_time, 'YYYY-MM-DD') AS d, count(*) FROM aws_cloudtrail_log GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM aws_cloudtrail_log WHERE event_time >= timestamp '2000-01-01' AND event_time < timestamp '2100-01-01';
SELECT tp_date, count(*) FROM aws_cloudtrail_log GROUP BY tp_date ORDER BY tp_date;
SELECT count(*) FROM aws_cloudtrail_log WHERE tp_date = event_time::date;
-- param: timestamp 2024-05-17 13:45:12
SELECT $1::timestamp + interval '1 day';
-- param: date 2024-02-29
SELECT $1::date + 1, extract(year from $1::date);
-- param: timestamptz 2024-05-17 13:45:12+00
SELECT $1::timestamptz, date_trunc('hour', $1::timestamptz);
-- param: timestamp 2000-01-01 00:00:00
-- param: timestamp 2100-01-01 00:00:00
SELECT count(*) FROM aws_cloudtrail_log WHERE event_time BETWEEN $1 AND $2;
-- param: text 1 day
SELECT timestamp '2024-05-17' + $1::interval;
-- param: text day
SELECT date_trunc($1, timestamp '2024-05-17 13:45');
