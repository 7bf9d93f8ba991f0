package pgsql

import (
	"strings"
	"testing"
)

// dayObjects are testObjects with one lake relation, lake_t, whose day
// key tp_date is the UTC date of tp_timestamp and of event_time.
func dayObjects() Objects {
	o := testObjects()
	o.DayKey = "tp_date"
	o.DayColumns = map[string][]string{"lake_t": {"tp_timestamp", "event_time"}}
	return o
}

// TestDayBounds checks where the day-bounds rule adds an implied tp_date
// conjunct, and what it adds.
func TestDayBounds(t *testing.T) {
	const lo, hi = `tp_date >= ('2024-01-02'::timestamp::date - 1)`, `tp_date <= ('2024-01-05'::timestamp::date + 1)`
	cases := []dayRuleCase{
		{"literal", `SELECT * FROM lake_t WHERE event_time > '2024-01-02'`,
			`SELECT * FROM lake_t WHERE event_time > '2024-01-02' AND ` + lo},
		{"both columns, both sides", `SELECT * FROM lake_t WHERE tp_timestamp >= '2024-01-02' AND '2024-01-05' >= event_time`,
			`SELECT * FROM lake_t WHERE tp_timestamp >= '2024-01-02' AND '2024-01-05' >= event_time AND ` + lo + ` AND ` + hi},
		{"equality", `SELECT 1 FROM lake_t WHERE event_time = '2024-01-02'`,
			`SELECT 1 AS "?column?" FROM lake_t WHERE event_time = '2024-01-02' AND ` + lo + ` AND tp_date <= ('2024-01-02'::timestamp::date + 1)`},
		{"between", `SELECT * FROM lake_t WHERE event_time BETWEEN '2024-01-02' AND '2024-01-05'`,
			`SELECT * FROM lake_t WHERE event_time BETWEEN '2024-01-02' AND '2024-01-05' AND ` + lo + ` AND ` + hi},
		{"alias", `SELECT * FROM public.lake_t l WHERE l.event_time < '2024-01-05'`,
			`SELECT * FROM main.lake_t l WHERE l.event_time < '2024-01-05' AND l.` + hi},
		{"name qualifier, schema main", `SELECT * FROM main.lake_t WHERE lake_t.event_time < '2024-01-05'`,
			`SELECT * FROM main.lake_t WHERE lake_t.event_time < '2024-01-05' AND lake_t.` + hi},
		{"now and an interval", `SELECT count(*) FROM lake_t WHERE event_time > now() - interval '1 hour'`,
			`SELECT count(*) AS count FROM lake_t WHERE event_time > (now() - '1 hour'::interval) AND tp_date >= ((now() - '1 hour'::interval)::timestamp::date - 1)`},
		{"current_date, casts, to_timestamp", `SELECT 1 FROM lake_t WHERE event_time >= current_date - 7 AND event_time < to_timestamp(1700000000)::timestamptz`,
			`SELECT 1 AS "?column?" FROM lake_t WHERE event_time >= (current_date - 7) AND event_time < to_timestamp(1700000000)::timestamptz AND tp_date >= ((current_date - 7)::timestamp::date - 1) AND tp_date <= (to_timestamp(1700000000)::timestamptz::timestamp::date + 1)`},
		{"join, qualified", `SELECT 1 FROM lake_t a JOIN u ON a.x = u.x WHERE a.event_time > '2024-01-02'`,
			`SELECT 1 AS "?column?" FROM lake_t a JOIN u ON a.x = u.x WHERE a.event_time > '2024-01-02' AND a.` + lo},
		{"subquery and CTE body", `WITH w AS (SELECT * FROM lake_t WHERE event_time > '2024-01-02') SELECT * FROM w WHERE x IN (SELECT x AS x FROM lake_t WHERE event_time < '2024-01-05')`,
			`WITH w AS (SELECT * FROM lake_t WHERE event_time > '2024-01-02' AND ` + lo + `) SELECT * FROM w WHERE x IN (SELECT x AS x FROM lake_t WHERE event_time < '2024-01-05' AND ` + hi + `)`},
	}
	same := []dayRuleSame{
		{"or", `SELECT * FROM lake_t WHERE event_time > '2024-01-02' OR x = 1`},
		{"not", `SELECT * FROM lake_t WHERE NOT event_time > '2024-01-02'`},
		{"case", `SELECT * FROM lake_t WHERE CASE WHEN x THEN event_time > '2024-01-02' END`},
		{"not between", `SELECT * FROM lake_t WHERE event_time NOT BETWEEN '2024-01-02' AND '2024-01-05'`},
		{"other operator", `SELECT * FROM lake_t WHERE event_time <> '2024-01-02'`},
		{"parameter", `SELECT * FROM lake_t WHERE event_time > $1`},
		{"row-dependent bound", `SELECT * FROM lake_t WHERE event_time > tp_ingest_timestamp - interval '1 day'`},
		{"volatile bound", `SELECT * FROM lake_t WHERE event_time > clock_timestamp()`},
		{"subquery bound", `SELECT * FROM lake_t WHERE event_time > (SELECT max(t) FROM u)`},
		{"other column", `SELECT * FROM lake_t WHERE tp_ingest_timestamp > '2024-01-02'`},
		{"other relation", `SELECT * FROM u WHERE event_time > '2024-01-02'`},
		{"unqualified in a join", `SELECT * FROM lake_t, u WHERE event_time > '2024-01-02'`},
		{"other relation's alias", `SELECT * FROM lake_t, u WHERE u.event_time > '2024-01-02'`},
		{"self join, unqualified", `SELECT * FROM lake_t a JOIN lake_t b ON a.x = b.x WHERE event_time > '2024-01-02'`},
		{"ambiguous qualifier", `SELECT * FROM lake_t, other.lake_t WHERE lake_t.event_time > '2024-01-02'`},
		{"join using", `SELECT * FROM lake_t JOIN u USING (event_time) WHERE event_time > '2024-01-02'`},
		{"CTE of the same name", `WITH lake_t AS (SELECT now() AS event_time) SELECT * FROM lake_t WHERE event_time > '2024-01-02'`},
		{"other schema", `SELECT * FROM other.lake_t WHERE event_time > '2024-01-02'`},
		{"column aliases", `SELECT * FROM lake_t AS l(event_time) WHERE l.event_time > '2024-01-02'`},
		{"subquery in FROM", `SELECT * FROM (SELECT * FROM u) s WHERE event_time > '2024-01-02'`},
	}
	checkDayRule(t, New(dayObjects()), cases, same)
	plain := New(testObjects())
	if in := cases[0].in; plain.Translate(in) != in {
		t.Errorf("a translator without day columns changed %s", in)
	}
}

// dayRuleCase is a statement a day-bound rule rewrites, and its rewrite.
type dayRuleCase struct{ name, in, want string }

// dayRuleSame is a statement a day-bound rule must leave without a bound.
type dayRuleSame struct{ name, in string }

// checkDayRule translates cases and same with tr.
func checkDayRule(t *testing.T, tr *Translator, cases []dayRuleCase, same []dayRuleSame) {
	t.Helper()
	for _, c := range cases {
		if got := tr.Translate(c.in); got != c.want {
			t.Errorf("%s:\n  in:   %s\n  got:  %s\n  want: %s", c.name, c.in, got, c.want)
		}
	}
	for _, c := range same {
		if got := tr.Translate(c.in); strings.Contains(got, "tp_date") {
			t.Errorf("%s: a day bound was added:\n  in:  %s\n  got: %s", c.name, c.in, got)
		}
	}
}
