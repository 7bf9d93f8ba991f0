package clienttest

// The same values in both servers. Row 1 holds ordinary values, row 2 edge
// values (extremes, negatives, quoting, unicode, empty containers), row 3
// only NULLs, row 4 the infinities.

var tpDDL = []string{
	`CREATE TABLE alltypes AS SELECT 1::INTEGER AS id, true::BOOLEAN AS b, 1::TINYINT AS i1, 2::SMALLINT AS i2,
	3::INTEGER AS i4, 4::BIGINT AS i8, 5::HUGEINT AS hi, 6::UTINYINT AS u1, 7::USMALLINT AS u2, 8::UINTEGER AS u4,
	9::UBIGINT AS u8, 1.5::FLOAT AS f4, 2.25::DOUBLE AS f8, 123.45::DECIMAL(10,2) AS dc, 'text'::VARCHAR AS s,
	'\xDE\xAD\xBE\xEF'::BLOB AS blob, DATE '2024-02-29' AS d, TIME '12:34:56.789' AS t,
	TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz,
	INTERVAL '1 year 2 months 3 days 04:05:06' AS iv, '5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b'::UUID AS u,
	'{"b":1,"a":[true,null]}'::JSON AS j, [1,2,3]::INTEGER[] AS ai, ['a','b c',NULL]::VARCHAR[] AS av,
	{'x':1,'y':'z'} AS st, MAP {'k':1} AS m, [{'a':1}] AS ls, NULL::INTEGER AS n`,
	`INSERT INTO alltypes VALUES (2, false, -128, -32768, -2147483648, -9223372036854775808,
	-170141183460469231731687303715884105727, 255, 65535, 4294967295, 18446744073709551615, -0.125, 1e100,
	-99999999.99, 'it''s "q", a\b ünï ✓', '\x00\xFF'::BLOB, DATE '0001-01-01', TIME '23:59:59.999999',
	TIMESTAMP '1970-01-01 00:00:00', TIMESTAMPTZ '1999-12-31 23:59:59.5+02', INTERVAL '-1 day' - INTERVAL '02:03:04.5',
	'00000000-0000-0000-0000-000000000000', '[]', [NULL, -1], ['', 'a"b', 'c,d', 'e\f', NULL, 'NULL', ' sp', '{x}'],
	{'x': -1, 'y': 'q"u'}, MAP {}, [], 42)`,
	`INSERT INTO alltypes (id) VALUES (3)`,
	`INSERT INTO alltypes (id, f4, f8, d, ts, tstz) VALUES (4, 'inf', '-inf', 'infinity', '-infinity', 'infinity')`,
	`CREATE VIEW tenk AS SELECT i FROM range(10000) t(i)`,
	// About 5 s of work on two cores: long enough to show a cancel.
	`CREATE VIEW slow AS SELECT count(*) AS c FROM range(600000000) t(a) WHERE a % 7 = 3`,
}

var pgDDL = []string{
	`CREATE TABLE alltypes (id int4, b bool, i1 int2, i2 int2, i4 int4, i8 int8, hi numeric, u1 int2, u2 int4,
	u4 int8, u8 numeric, f4 float4, f8 float8, dc numeric(10,2), s text, blob bytea, d date, t time,
	ts timestamp, tstz timestamptz, iv interval, u uuid, j json, ai int4[], av text[], st json, m json,
	ls json, n int4)`,
	`INSERT INTO alltypes VALUES (1, true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1.5, 2.25, 123.45, 'text', '\xdeadbeef',
	'2024-02-29', '12:34:56.789', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+00',
	'1 year 2 months 3 days 04:05:06', '5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b', '{"b":1,"a":[true,null]}',
	'{1,2,3}', ARRAY['a','b c',NULL], '{"x":1,"y":"z"}', '{"k":1}', '[{"a":1}]', NULL)`,
	`INSERT INTO alltypes VALUES (2, false, -128, -32768, -2147483648, -9223372036854775808,
	-170141183460469231731687303715884105727, 255, 65535, 4294967295, 18446744073709551615, -0.125, 1e100,
	-99999999.99, 'it''s "q", a\b ünï ✓', '\x00ff', '0001-01-01', '23:59:59.999999', '1970-01-01 00:00:00',
	'1999-12-31 23:59:59.5+02', '-1 day -02:03:04.5', '00000000-0000-0000-0000-000000000000', '[]',
	'{NULL,-1}', ARRAY['', 'a"b', 'c,d', 'e\f', NULL, 'NULL', ' sp', '{x}'], '{"x":-1,"y":"q\"u"}', '{}', '[]', 42)`,
	`INSERT INTO alltypes (id) VALUES (3)`,
	`INSERT INTO alltypes (id, f4, f8, d, ts, tstz) VALUES (4, 'inf', '-inf', 'infinity', '-infinity', 'infinity')`,
	`CREATE VIEW tenk AS SELECT i::int8 AS i FROM generate_series(0, 9999) i`,
	`CREATE VIEW slow AS SELECT count(*) AS c FROM pg_sleep(5)`,
}

// allCols is the column order of alltypes.
var allCols = []string{"id", "b", "i1", "i2", "i4", "i8", "hi", "u1", "u2", "u4", "u8", "f4", "f8", "dc", "s",
	"blob", "d", "t", "ts", "tstz", "iv", "u", "j", "ai", "av", "st", "m", "ls", "n"}

// nullText stands for SQL NULL in every client's output.
const nullText = "<NULL>"

// expectedText is the PostgreSQL text rendering of alltypes, by row id then
// column; missing columns are NULL.
var expectedText = map[string]map[string]string{
	"1": {"id": "1", "b": "t", "i1": "1", "i2": "2", "i4": "3", "i8": "4", "hi": "5", "u1": "6", "u2": "7", "u4": "8",
		"u8": "9", "f4": "1.5", "f8": "2.25", "dc": "123.45", "s": "text", "blob": `\xdeadbeef`, "d": "2024-02-29",
		"t": "12:34:56.789", "ts": "2024-01-02 03:04:05.123456", "tstz": "2024-01-02 03:04:05+00",
		"iv": "1 year 2 mons 3 days 04:05:06", "u": "5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b",
		"j": `{"b":1,"a":[true,null]}`, "ai": "{1,2,3}", "av": `{a,"b c",NULL}`, "st": `{"x":1,"y":"z"}`,
		"m": `{"k":1}`, "ls": `[{"a":1}]`},
	"2": {"id": "2", "b": "f", "i1": "-128", "i2": "-32768", "i4": "-2147483648", "i8": "-9223372036854775808",
		"hi": "-170141183460469231731687303715884105727", "u1": "255", "u2": "65535", "u4": "4294967295",
		"u8": "18446744073709551615", "f4": "-0.125", "f8": "1e+100", "dc": "-99999999.99",
		"s": `it's "q", a\b ünï ✓`, "blob": `\x00ff`, "d": "0001-01-01", "t": "23:59:59.999999",
		"ts": "1970-01-01 00:00:00", "tstz": "1999-12-31 21:59:59.5+00", "iv": "-1 days -02:03:04.5",
		"u": "00000000-0000-0000-0000-000000000000", "j": "[]", "ai": "{NULL,-1}",
		"av": `{"","a\"b","c,d","e\\f",NULL,"NULL"," sp","{x}"}`, "st": `{"x":-1,"y":"q\"u"}`, "m": "{}",
		"ls": "[]", "n": "42"},
	"3": {"id": "3"},
	"4": {"id": "4", "f4": "Infinity", "f8": "-Infinity", "d": "infinity", "ts": "-infinity", "tstz": "infinity"},
}

// expected returns the text expected for row id and column col.
func expected(id, col string) string {
	if v, ok := expectedText[id][col]; ok {
		return v
	}
	return nullText
}
