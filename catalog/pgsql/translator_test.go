package pgsql

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// ruleCases are input → expected output, grouped by rule.
var ruleCases = []struct{ rule, in, want string }{
	// 1. relations
	{"relation", `SELECT oid FROM pg_catalog.pg_class`, `SELECT oid AS oid FROM tp_pg_catalog.pg_class`},
	{"relation", `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace`, `SELECT c.oid AS oid FROM tp_pg_catalog.pg_class c JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace`},
	{"relation", `SELECT table_name FROM information_schema.tables`, `SELECT table_name AS table_name FROM tp_information_schema.tables`},
	{"relation unknown", `SELECT * FROM pg_catalog.pg_inherits`, `SELECT * FROM pg_catalog.pg_inherits`},
	{"relation unknown info", `SELECT * FROM information_schema.routines`, `SELECT * FROM information_schema.routines`},
	{"relation unqualified info", `SELECT * FROM tables`, `SELECT * FROM tables`},
	{"relation other schema", `SELECT * FROM public.pg_class`, `SELECT * FROM main.pg_class`},
	{"relation CTE", `WITH pg_type AS (SELECT 1 AS x) SELECT x FROM pg_type`, `WITH pg_type AS (SELECT 1 AS x) SELECT x FROM pg_type`},
	{"relation column", `SELECT pg_catalog.pg_class.oid FROM pg_catalog.pg_class`, `SELECT tp_pg_catalog.pg_class.oid AS oid FROM tp_pg_catalog.pg_class`},
	{"relation subquery", `SELECT (SELECT nspname FROM pg_namespace WHERE oid = 11)`, `SELECT (SELECT nspname AS nspname FROM tp_pg_catalog.pg_namespace WHERE oid = 11) AS nspname`},
	// 2. functions
	{"function emulated", `SELECT pg_catalog.format_type(23, NULL)`, `SELECT tp_pg_catalog.format_type(23, NULL) AS format_type`},
	{"function emulated unqualified", `SELECT format_type(23, NULL)`, `SELECT tp_pg_catalog.format_type(23, NULL) AS format_type`},
	{"function builtin", `SELECT pg_catalog.lower('A'), pg_catalog.now()`, `SELECT lower('A') AS lower, now() AS now`},
	{"function unknown unqualified", `SELECT lower('A') FROM pg_class`, `SELECT lower('A') AS lower FROM tp_pg_catalog.pg_class`},
	{"function info", `SELECT information_schema._pg_expandarray(i.indkey) FROM pg_catalog.pg_index i`, `SELECT tp_information_schema._pg_expandarray(i.indkey) AS _pg_expandarray FROM tp_pg_catalog.pg_index i`},
	{"function table", `SELECT * FROM pg_catalog.generate_series(1, 3)`, `SELECT * FROM generate_series(1, 3)`},
	{"function SQL syntax", `SELECT pg_catalog.lower(x), EXTRACT(year FROM t), SUBSTRING(s FROM 1 FOR 2) FROM pg_class`, `SELECT lower(x) AS lower, date_part('year', t)::"decimal"(38, 0) AS "extract", SUBSTRING(s FROM 1 FOR 2) AS "substring" FROM tp_pg_catalog.pg_class`},
	{"session user", `SELECT current_user, session_user, user, current_schema, current_role`, `SELECT tp_pg_catalog."current_user"() AS "current_user", tp_pg_catalog."session_user"() AS "session_user", tp_pg_catalog."user"() AS "user", tp_pg_catalog."current_schema"() AS "current_schema", current_role AS "current_role"`},
	// 3. casts and types
	{"cast regclass", `SELECT 'pg_class'::regclass`, `SELECT tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass('pg_class')) AS regclass`},
	{"cast regclass qualified", `SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c`, `SELECT tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass(c.oid)) AS oid FROM tp_pg_catalog.pg_class c`},
	{"cast regclass to oid", `SELECT 'failed_events'::pg_catalog.regclass::pg_catalog.oid`, `SELECT tp_pg_catalog.to_regclass('failed_events')::bigint AS oid`},
	{"cast regclass to text", `SELECT 'pg_class'::regclass::text, c.oid::regtype::varchar FROM t c`, `SELECT tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass('pg_class'))::text AS text, tp_pg_catalog.regtype_out(tp_pg_catalog.to_regtype(c.oid))::varchar AS oid FROM t c`},
	{"reg result in a condition", `SELECT c.relname, c.oid::regclass FROM pg_class c WHERE c.oid = 'x'::regclass UNION ALL SELECT 'y', NULL`, `SELECT c.relname AS relname, tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass(c.oid)) AS oid FROM tp_pg_catalog.pg_class c WHERE c.oid = tp_pg_catalog.to_regclass('x') UNION ALL SELECT 'y' AS "?column?", NULL AS "?column?"`},
	{"cast oid column", `SELECT conname, conrelid::regclass FROM pg_constraint WHERE conrelid::regclass::text = 't'`, `SELECT conname AS conname, tp_pg_catalog.regclass_out(tp_pg_catalog.tp_oid_regclass(conrelid)) AS conrelid FROM tp_pg_catalog.pg_constraint WHERE tp_pg_catalog.regclass_out(tp_pg_catalog.tp_oid_regclass(conrelid))::text = 't'`},
	{"cast oid column qualified", `SELECT k.conrelid::regclass FROM pg_constraint k, t WHERE t.conrelid::regclass = k.conrelid`, `SELECT tp_pg_catalog.regclass_out(tp_pg_catalog.tp_oid_regclass(k.conrelid)) AS conrelid FROM tp_pg_catalog.pg_constraint k, t WHERE tp_pg_catalog.to_regclass(t.conrelid) = k.conrelid`},
	{"cast column of a user table", `SELECT conrelid::regclass FROM pg_constraint, t`, `SELECT tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass(conrelid)) AS conrelid FROM tp_pg_catalog.pg_constraint, t`},
	{"cast CAST syntax", `SELECT CAST('int4' AS regtype)`, `SELECT tp_pg_catalog.regtype_out(tp_pg_catalog.to_regtype('int4')) AS regtype`},
	{"cast reg types", `SELECT 'f'::regproc, 'f(int)'::regprocedure, 'public'::regnamespace, 'me'::regrole, '+'::regoper`, `SELECT tp_pg_catalog.to_regproc('f') AS regproc, tp_pg_catalog.to_regprocedure('f(int)') AS regprocedure, tp_pg_catalog.to_regnamespace('public') AS regnamespace, tp_pg_catalog.to_regrole('me') AS regrole, tp_pg_catalog.to_regoper('+') AS regoper`},
	{"cast reg not emulated", `SELECT 'english'::regconfig`, `SELECT 'english'::bigint AS regconfig`},
	{"cast reg array", `SELECT x::regtype[] FROM t`, `SELECT x::bigint[] AS x FROM t`},
	{"cast reg array literal", `SELECT '{int4,"text",NULL}'::regtype[]`, `SELECT ARRAY[tp_pg_catalog.to_regtype('int4'), tp_pg_catalog.to_regtype('text'), NULL]::bigint[] AS regtype`},
	{"cast oid", `SELECT 1::oid, x::oid[] FROM t`, `SELECT 1::bigint AS oid, x::bigint[] AS x FROM t`},
	{"cast char name", `SELECT c.relkind::"char", 'x'::name, indkey::int2vector, proargtypes::oidvector FROM t`, `SELECT c.relkind::varchar AS relkind, 'x'::varchar AS name, indkey::varchar AS indkey, proargtypes::varchar AS proargtypes FROM t`},
	{"cast pg_catalog types", `SELECT x::pg_catalog.text, x::pg_catalog.int4, x::pg_catalog.int8, x::pg_catalog.bool, x::pg_catalog.float8 FROM t`, `SELECT x::text AS x, x::int AS x, x::bigint AS x, x::boolean AS x, x::double precision AS x FROM t`},
	{"cast jsonb", `SELECT request_parameters::jsonb ->> 'roleArn' FROM t`, `SELECT request_parameters::"json" ->> 'roleArn' AS "?column?" FROM t`},
	{"cast array literal", `SELECT '{a,"b c",NULL}'::text[]`, `SELECT ARRAY['a', 'b c', NULL]::text[] AS text`},
	{"cast array literal empty", `SELECT '{}'::pg_catalog.text[]`, `SELECT ARRAY[]::text[] AS text`},
	{"cast array literal nested", `SELECT '{{1,2},{3,4}}'::int[]`, `SELECT ARRAY[ARRAY['1', '2'], ARRAY['3', '4']]::int[][] AS int4`},
	{"cast boolean literal", `SELECT 'yes'::boolean, 'off'::bool`, `SELECT true AS bool, false AS bool`},
	{"cast bytea literal", `SELECT '\xdead00ff'::bytea, 'abc\000'::bytea`, `SELECT E'\\xDE\\xAD\\x00\\xFF'::bytea AS bytea, E'abc\\x00'::bytea AS bytea`},
	{"cast int literal", `SELECT '  12 '::int, '1.50'::numeric`, `SELECT '12'::int AS int4, '1.50'::numeric(3, 2) AS "numeric"`},
	{"cast invalid literal", `SELECT 'maybe'::boolean`, `SELECT 'maybe'::boolean`},
	{"cast invalid literal DuckDB reads", `SELECT '1.5'::int`, `SELECT 'invalid input syntax for type integer: "1.5"'::int AS int4`},
	{"sum of integers", `SELECT sum(CASE WHEN a THEN 1 ELSE 0 END), sum(x), sum(1) OVER (), sum(length(s)) FROM t`, `SELECT sum(CASE WHEN a THEN 1 ELSE 0 END)::bigint AS sum, sum(x) AS sum, sum(1) OVER ()::bigint AS sum, sum(length(s))::bigint AS sum FROM t`},
	{"cast plain", `SELECT x::int, x::text, x::varchar FROM t`, `SELECT x::int, x::text, x::varchar FROM t`},
	{"cast varchar(n) char(n)", `SELECT x::varchar(3), x::char(4) FROM t`, `SELECT "left"(x::text, 3)::varchar(3) AS x, "left"(x::text, 4)::char(4) AS x FROM t`},
	// 4. operators
	{"regex", `SELECT 1 FROM t WHERE a ~ '^x'`, `SELECT 1 AS "?column?" FROM t WHERE regexp_matches(a, '^x')`},
	{"regex negated", `SELECT 1 FROM t WHERE a !~ '^x'`, `SELECT 1 AS "?column?" FROM t WHERE NOT regexp_matches(a, '^x')`},
	{"regex icase", `SELECT 1 FROM t WHERE a ~* '^x' AND b !~* 'y'`, `SELECT 1 AS "?column?" FROM t WHERE regexp_matches(a, '^x', 'i') AND NOT regexp_matches(b, 'y', 'i')`},
	{"regex OPERATOR", `SELECT 1 FROM t WHERE a OPERATOR(pg_catalog.~) '^(aws.*)$' COLLATE pg_catalog.default`, `SELECT 1 AS "?column?" FROM t WHERE regexp_matches(a, '^(aws.*)$')`},
	{"regex in CASE", `SELECT CASE n.nspname ~ '^pg_' WHEN true THEN 1 END FROM t n`, `SELECT CASE regexp_matches(n.nspname, '^pg_') WHEN true THEN 1 END AS "case" FROM t n`},
	{"OPERATOR plain", `SELECT a OPERATOR(pg_catalog.=) b, a OPERATOR(pg_catalog.||) b FROM t`, `SELECT a = b AS "?column?", a || b AS "?column?" FROM t`},
	{"OPERATOR like", `SELECT 1 FROM t WHERE a OPERATOR(pg_catalog.~~) 'x%' AND a OPERATOR(pg_catalog.!~~*) 'y%'`, `SELECT 1 AS "?column?" FROM t WHERE a LIKE 'x%' AND a NOT ILIKE 'y%'`},
	{"like escape", `SELECT 1 FROM t WHERE a LIKE 'x\_%' ESCAPE '\' AND b NOT ILIKE 'y!%' ESCAPE '!' AND c SIMILAR TO 'z%' ESCAPE '#' AND d ~ 'x'`, `SELECT 1 AS "?column?" FROM t WHERE like_escape(a, E'x\\_%', E'\\') AND NOT ilike_escape(b, 'y!%', '!') AND regexp_full_match(c, '(?s:z.*)') AND regexp_matches(d, 'x')`},
	{"like default escape", `SELECT 1 FROM t WHERE a LIKE b AND a NOT ILIKE $1 AND a LIKE 'x%'`, `SELECT 1 AS "?column?" FROM t WHERE like_escape(a, b, E'\\') AND NOT ilike_escape(a, $1, E'\\') AND a LIKE 'x%'`},
	{"similar to", `SELECT 1 FROM t WHERE a NOT SIMILAR TO '(x|y)_.%' AND b SIMILAR TO c`, `SELECT 1 AS "?column?" FROM t WHERE NOT regexp_full_match(a, E'(?s:(x|y).\\..*)') AND b SIMILAR TO c`},
	{"division", `SELECT a / b, a % 0, count(*) / 7, interval '1 day' / 2 FROM t`, `SELECT a / CASE WHEN b = 0 THEN error('division by zero') ELSE b END AS "?column?", a % CASE WHEN 0 = 0 THEN error('division by zero') ELSE 0 END AS "?column?", count(*) / 7 AS "?column?", "/"('1 day'::interval, 2) AS "?column?" FROM t`},
	{"bitwise not", `SELECT ~5 FROM pg_class`, `SELECT ~ 5 AS "?column?" FROM tp_pg_catalog.pg_class`},
	// 5. COLLATE
	{"collate default", `SELECT relname COLLATE pg_catalog.default FROM t`, `SELECT relname AS relname FROM t`},
	{"collate C", `SELECT 1 FROM t ORDER BY a COLLATE "C", b COLLATE "POSIX"`, `SELECT 1 AS "?column?" FROM t ORDER BY a, b`},
	{"collate other", `SELECT a COLLATE "de_DE" FROM t`, `SELECT a COLLATE "de_DE" FROM t`},
	// 6. arrays
	{"any", `SELECT n.nspname = ANY(current_schemas(true)) FROM t n`, `SELECT CASE WHEN list_contains(current_schemas(true), n.nspname) THEN true WHEN list_position(current_schemas(true), NULL) IS NULL AND list_contains(current_schemas(true), n.nspname) IS NOT NULL THEN false WHEN list_count(current_schemas(true)) = 0 AND list_position(current_schemas(true), NULL) IS NULL THEN false END AS "?column?" FROM t n`},
	{"any param", `SELECT count(*) FROM t WHERE aws_region = ANY($1) AND w <> ALL($2::text[])`, `SELECT count(*) AS count FROM t WHERE list_contains($1, aws_region) AND NOT list_contains($2::text[], w)`},
	{"all", `SELECT 1 FROM t WHERE w <> ALL('{a,b}'::text[])`, `SELECT 1 AS "?column?" FROM t WHERE NOT CASE WHEN list_contains(ARRAY['a', 'b']::text[], w) THEN true WHEN list_position(ARRAY['a', 'b']::text[], NULL) IS NULL AND list_contains(ARRAY['a', 'b']::text[], w) IS NOT NULL THEN false WHEN list_count(ARRAY['a', 'b']::text[]) = 0 AND list_position(ARRAY['a', 'b']::text[], NULL) IS NULL THEN false END`},
	{"any subquery", `SELECT 1 FROM t WHERE x = ANY(SELECT y FROM u)`, `SELECT 1 FROM t WHERE x = ANY(SELECT y FROM u)`},
	{"subscript", `SELECT (current_schemas(false))[1] FROM pg_class`, `SELECT (current_schemas(false))[1] AS current_schemas FROM tp_pg_catalog.pg_class`},
	// 7. column names of rewritten statements
	{"names", `SELECT count(*), c.relname, c.oid::regclass, 1, CASE WHEN true THEN 1 END, x AS y, *, c.* FROM pg_class c`, `SELECT count(*) AS count, c.relname AS relname, tp_pg_catalog.regclass_out(tp_pg_catalog.to_regclass(c.oid)) AS oid, 1 AS "?column?", CASE WHEN true THEN 1 END AS "case", x AS y, *, c.* FROM tp_pg_catalog.pg_class c`},
	{"names union", `SELECT relname FROM pg_class UNION ALL SELECT nspname FROM pg_namespace`, `SELECT relname AS relname FROM tp_pg_catalog.pg_class UNION ALL SELECT nspname AS nspname FROM tp_pg_catalog.pg_namespace`},
	// 8. statements left alone
	{"set", `SET search_path = pg_catalog`, `SET search_path = pg_catalog`},
	{"show", `SHOW search_path`, `SHOW search_path`},
}

func TestRules(t *testing.T) {
	tr := New(testObjects())
	for _, c := range ruleCases {
		got := tr.Translate(c.in)
		if got != c.want {
			t.Errorf("%s:\n  in:   %s\n  got:  %s\n  want: %s", c.rule, c.in, got, c.want)
		}
		if full := tr.translate(c.in); full != got {
			t.Errorf("%s: the prefilter skipped a rewrite: %s", c.rule, full)
		}
		if c.in == c.want && got != c.in {
			t.Errorf("%s: changed although no rule applies", c.rule)
		}
	}
}

// TestPassThrough checks that DuckDB-only syntax and SQL no rule applies to
// come back byte for byte.
func TestPassThrough(t *testing.T) {
	tr := New(testObjects())
	for _, q := range []string{
		`select user_identity.session_context.session_issuer.arn from t`,
		`SELECT request_parameters->>'roleArn' FROM aws_cloudtrail_log`,
		`SELECT list_transform([1,2], x -> x + 1)`,
		`SELECT list_transform([1, 2], lambda x: x + 1)`,
		`FROM t SELECT a`,
		`FROM pg_class`,
		`SELECT [1,2]`,
		`SELECT {'a': 1}`,
		`SELECT * EXCLUDE (a) FROM t`,
		`SELECT a::VARCHAR FROM t GROUP BY ALL`,
		`select   count(*)   from aws_cloudtrail_log -- a comment`,
		"SELECT event_name,\n       count(*)\nFROM aws_cloudtrail_log\nWHERE event_time >= $1\nGROUP BY 1;",
		`SELECT 'pg_catalog.pg_class' AS s, x::int, "oid" FROM t`,
		``,
		`;`,
		`-- ping`,
		`not sql at all ~ pg_class`,
		`SELECT pg_class`, // a column, not a relation
	} {
		if got := tr.Translate(q); got != q {
			t.Errorf("changed:\n  in:  %q\n  out: %q", q, got)
		}
	}
}

func TestPostgresColumnNames(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want string // names joined by ","; "" when not ok
	}{
		{`SELECT count(*) FROM aws_cloudtrail_log`, "count"},
		{`SELECT count(*) AS n, max(event_time), event_name, 1, 'a', $1, true FROM t`, "n,max,event_name,?column?,?column?,?column?,?column?"},
		{`SELECT x::int, 1::int, 'a'::text::varchar, CAST(x AS bigint) FROM t`, "x,int4,varchar,x"},
		{`SELECT CASE WHEN a THEN 1 END, CASE WHEN a THEN 1 ELSE b END, coalesce(a, b), nullif(a, b), greatest(a, b), ARRAY[1], ROW(1, 2) FROM t`, "case,b,coalesce,nullif,greatest,array,row"},
		{`SELECT current_user, current_schema, session_user, current_timestamp(3), user FROM t`, "current_user,current_schema,session_user,current_timestamp,user"},
		{`SELECT (SELECT oid FROM pg_class LIMIT 1), (SELECT 1 AS z), EXISTS (SELECT 1), ARRAY(SELECT 1) FROM t`, "oid,z,exists,array"},
		{`SELECT (result.keys).x, (current_schemas(false))[1], a.b.c FROM t`, "x,current_schemas,c"},
		{`SELECT a FROM t UNION SELECT b FROM u`, "a"},
		{`VALUES (1, 2)`, "column1,column2"},
		{`SELECT * FROM t`, ""},
		{`SELECT t.* FROM t`, ""},
		{`INSERT INTO t VALUES (1)`, ""},
		{`SELECT 1; SELECT 2`, ""},
		{`FROM t SELECT a`, ""},
	} {
		names, ok := PostgresColumnNames(c.sql)
		got := strings.Join(names, ",")
		if !ok {
			got = ""
		}
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: got %q (%v), want %q", c.sql, got, ok, c.want)
		}
	}
}

// TestConcurrent translates from many goroutines through one small cache.
func TestConcurrent(t *testing.T) {
	tr := New(testObjects())
	tr.cache = newLRU(8, 1<<20)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				c := ruleCases[(g+i)%len(ruleCases)]
				if got := tr.Translate(c.in); got != c.want {
					t.Errorf("%s: got %s", c.rule, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := tr.cache.len(); n > 8 {
		t.Errorf("cache holds %d entries, bound is 8", n)
	}
}

func TestLRU(t *testing.T) {
	c := newLRU(2, 100)
	c.put("a", "A")
	c.put("b", "b")
	if v, ok := c.get("a"); !ok || v != "A" {
		t.Fatalf("get a = %q, %v", v, ok)
	}
	c.put("c", "C") // evicts b, the least recently used
	if _, ok := c.get("b"); ok {
		t.Error("b not evicted")
	}
	if v, ok := c.get("a"); !ok || v != "A" {
		t.Errorf("get a = %q, %v", v, ok)
	}
	if v, ok := c.get("c"); !ok || v != "C" {
		t.Errorf("get c = %q, %v", v, ok)
	}
	c.put(strings.Repeat("x", 60), strings.Repeat("y", 60)) // over the byte bound: evicts all others
	if c.len() != 1 {
		t.Errorf("%d entries after a large one, want 1", c.len())
	}
	if _, ok := c.get("a"); ok {
		t.Error("a not evicted by size")
	}
}

// benchQueries are a catalog query (translated), a lake query (parsed,
// nothing to do) and a DuckDB query (does not parse).
var benchQueries = map[string]string{
	"catalog": `SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(aws_cloudtrail_log)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3`,
	"lake":    `SELECT event_name, count(*) FROM aws_cloudtrail_log WHERE event_time >= '2024-01-01' AND aws_region = ANY($1) GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
	"plain":   `SELECT event_name, count(*) FROM aws_cloudtrail_log WHERE event_time >= '2024-01-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
	"duckdb":  `SELECT user_identity.session_context.session_issuer.arn, list_transform([1,2], x -> x + 1) FROM aws_cloudtrail_log`,
}

func BenchmarkTranslate(b *testing.B) {
	for _, name := range []string{"catalog", "lake", "plain", "duckdb"} {
		q := benchQueries[name]
		b.Run(name+"/cached", func(b *testing.B) {
			tr := New(testObjects())
			for b.Loop() {
				tr.Translate(q)
			}
		})
		b.Run(name+"/uncached", func(b *testing.B) {
			tr := New(testObjects())
			for i := 0; b.Loop(); i++ {
				tr.Translate(q + fmt.Sprintf(" -- %d", i)) // a new text each time
			}
		})
	}
}

func BenchmarkTranslateParallel(b *testing.B) {
	tr := New(testObjects())
	q := benchQueries["catalog"]
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tr.Translate(q)
		}
	})
}

// TestColumnRegTypes checks the reg* types of result columns.
func TestColumnRegTypes(t *testing.T) {
	cases := map[string]string{
		`SELECT pg_typeof(1), 1, x::regclass, pg_catalog.pg_typeof(y) FROM t`: "[2206 0 2205 2206] true",
		`SELECT 1, 'a'`:                 "[0 0] false",
		`SELECT *, pg_typeof(1) FROM t`: "[] false",
	}
	for in, want := range cases {
		r := DescribeResult(in)
		if got := fmt.Sprintf("%v %v", r.Types, r.TypesOK); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
