package pgsql

import (
	"strings"
	"testing"
)

// topNObjects are dayObjects whose lake relation has DayLimit macros.
func topNObjects() Objects {
	o := dayObjects()
	o.DayLimits = map[string]DayLimit{"lake_t": {Newest: "sys.lake_t_newest_day", Oldest: "sys.lake_t_oldest_day"}}
	return o
}

// TestTopNDays checks where the top-N days rule adds a day-key bound, and
// what it adds.
func TestTopNDays(t *testing.T) {
	cases := []dayRuleCase{
		{"latest, NULLs first", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT 100`,
			`SELECT * FROM lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('event_time', 100, true) ORDER BY event_time DESC LIMIT 100`},
		{"latest, NULLs last, offset", `SELECT x, event_time FROM lake_t ORDER BY tp_timestamp DESC NULLS LAST, x LIMIT 10 OFFSET 5`,
			`SELECT x AS x, event_time AS event_time FROM lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('tp_timestamp', 15, false) ORDER BY tp_timestamp DESC NULLS LAST, x LIMIT 10 OFFSET 5`},
		{"oldest", `SELECT event_time AS t, x + 1 AS y, 'a'::text FROM public.lake_t l ORDER BY l.event_time FETCH FIRST 3 ROWS ONLY`,
			`SELECT event_time AS t, x + 1 AS y, 'a'::text AS text FROM main.lake_t l WHERE l.tp_date <= sys.lake_t_oldest_day('event_time', 3, false) ORDER BY l.event_time LIMIT 3`},
		{"oldest, NULLs first", `SELECT * FROM lake_t ORDER BY event_time ASC NULLS FIRST LIMIT 1`,
			`SELECT * FROM lake_t WHERE lake_t.tp_date <= sys.lake_t_oldest_day('event_time', 1, true) ORDER BY event_time ASC NULLS FIRST LIMIT 1`},
		{"subquery", `SELECT count(*) FROM (SELECT event_time FROM lake_t ORDER BY event_time DESC LIMIT 5) s`,
			`SELECT count(*) AS count FROM (SELECT event_time AS event_time FROM lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('event_time', 5, true) ORDER BY event_time DESC LIMIT 5) s`},
	}
	same := []dayRuleSame{
		{"no limit", `SELECT * FROM lake_t ORDER BY event_time DESC`},
		{"limit all", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT ALL`},
		{"limit null", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT NULL`},
		{"limit parameter", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT $1`},
		{"offset parameter", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT 5 OFFSET $1`},
		{"with ties", `SELECT * FROM lake_t ORDER BY event_time DESC FETCH FIRST 5 ROWS WITH TIES`},
		{"where", `SELECT * FROM lake_t WHERE x = 1 ORDER BY event_time DESC LIMIT 5`},
		{"group by", `SELECT event_time FROM lake_t GROUP BY event_time ORDER BY event_time DESC LIMIT 5`},
		{"distinct", `SELECT DISTINCT event_time FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"aggregate", `SELECT count(*) FROM lake_t ORDER BY 1 LIMIT 5`},
		{"window", `SELECT event_time, count(*) OVER () FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"set-returning function", `SELECT unnest(tp_ips), event_time FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"subquery target", `SELECT (SELECT 1), event_time FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"other sort key first", `SELECT * FROM lake_t ORDER BY x, event_time DESC LIMIT 5`},
		{"sort by position", `SELECT event_time FROM lake_t ORDER BY 1 DESC LIMIT 5`},
		{"sort by expression", `SELECT * FROM lake_t ORDER BY event_time + interval '1 day' DESC LIMIT 5`},
		{"output column of the name", `SELECT tp_ingest_timestamp AS event_time FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"output cast of the name", `SELECT event_time::text FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"sort using", `SELECT * FROM lake_t ORDER BY event_time USING > LIMIT 5`},
		{"join", `SELECT * FROM lake_t, u ORDER BY lake_t.event_time DESC LIMIT 5`},
		{"union", `SELECT event_time FROM lake_t UNION ALL SELECT event_time FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"other relation", `SELECT * FROM u ORDER BY event_time DESC LIMIT 5`},
		{"CTE of the same name", `WITH lake_t AS (SELECT now() AS event_time) SELECT * FROM lake_t ORDER BY event_time DESC LIMIT 5`},
		{"only", `SELECT * FROM ONLY lake_t ORDER BY event_time DESC LIMIT 5`},
		{"column aliases", `SELECT * FROM lake_t AS l(event_time) ORDER BY event_time DESC LIMIT 5`},
		{"other schema", `SELECT * FROM other.lake_t ORDER BY event_time DESC LIMIT 5`},
		{"tablesample", `SELECT * FROM lake_t TABLESAMPLE system (10) ORDER BY event_time DESC LIMIT 5`},
	}
	checkDayRule(t, New(topNObjects()), cases, same)
	if in := cases[0].in; New(dayObjects()).Translate(in) != in {
		t.Errorf("a translator without day limits changed %s", in)
	}
}

// TestTopNHead checks which latest-N queries read the lake relation's
// head instead of its files: descending, within the head's rows, columns
// not written with their schema.
func TestTopNHead(t *testing.T) {
	o := topNObjects()
	o.Heads = map[string]Head{"lake_t": {Relation: "h.lake_t", Rows: 100}}
	cases := []dayRuleCase{
		{"latest 100", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT 100`,
			`SELECT * FROM h.lake_t lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('event_time', 100, true) ORDER BY event_time DESC LIMIT 100`},
		{"alias and offset", `SELECT l.x FROM public.lake_t AS l ORDER BY l.tp_timestamp DESC NULLS LAST, x LIMIT 10 OFFSET 90`,
			`SELECT l.x AS x FROM h.lake_t l WHERE l.tp_date >= sys.lake_t_newest_day('tp_timestamp', 100, false) ORDER BY l.tp_timestamp DESC NULLS LAST, x LIMIT 10 OFFSET 90`},
		{"beyond the head", `SELECT * FROM lake_t ORDER BY event_time DESC LIMIT 100 OFFSET 1`,
			`SELECT * FROM lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('event_time', 101, true) ORDER BY event_time DESC LIMIT 100 OFFSET 1`},
		{"oldest", `SELECT * FROM lake_t ORDER BY event_time LIMIT 5`,
			`SELECT * FROM lake_t WHERE lake_t.tp_date <= sys.lake_t_oldest_day('event_time', 5, false) ORDER BY event_time LIMIT 5`},
		{"schema-qualified column", `SELECT main.lake_t.x FROM main.lake_t ORDER BY event_time DESC LIMIT 5`,
			`SELECT main.lake_t.x AS x FROM main.lake_t WHERE lake_t.tp_date >= sys.lake_t_newest_day('event_time', 5, true) ORDER BY event_time DESC LIMIT 5`},
	}
	same := []dayRuleSame{
		{"where", `SELECT * FROM lake_t WHERE x = 1 ORDER BY event_time DESC LIMIT 5`},
		{"no limit", `SELECT * FROM lake_t ORDER BY event_time DESC`},
	}
	tr := New(o)
	checkDayRule(t, tr, cases, same)
	for _, c := range same {
		if got := tr.Translate(c.in); strings.Contains(got, "h.lake_t") {
			t.Errorf("%s: reads the head: %s", c.name, got)
		}
	}
}
