package catalog

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tpserver/tpserver/catalog/pgsql"
	"github.com/tpserver/tpserver/lake"
)

// A "latest N events" query (ORDER BY event_time DESC LIMIT N) needs only
// the newest days of the lake, but DuckDB learns which only by opening
// every listed file. The translator bounds such a query's day key with a
// call of one of a lake table's day-limit macros (pgsql.DayLimit); this
// file defines them from the manifests' row counts and the files' NULL
// counts (read from their footers), in the transaction that redefines the
// table's view, so a statement binds a view and macros of the same files.
// A statement prepared before a change is bound again by DuckDB after it
// (the catalog changed), so its bound is never one of files it no longer
// reads; nothing of the lake is baked into a translated text.
//
//	newest(col, n, nulls_first): the day before the latest day d whose
//	  days from d on hold at least n rows with col not NULL, or
//	  -infinity; with nulls_first, no later than the oldest day with a
//	  NULL col.
//	oldest(col, n, nulls_first): the same from the other end (the day
//	  after, days up to d, or infinity), no earlier than the newest day
//	  with a NULL col.
//
// A file whose NULL count is unknown (unreadable, or not read yet: see
// syncNullFiles) counts as all NULLs. The day's margin
// keeps the bound safe for a row whose day key is not exactly the UTC date
// of its time (a writer that took the date of a time given with an
// offset): the margin costs opening one more day's files, whose row groups
// DuckDB's top-N filter then skips by their statistics.

// maxDayLimitDays bounds the days a macro spells out from each end: a
// LIMIT beyond the rows of that many days reads the whole lake anyway.
const maxDayLimitDays = 64

// dayLimitNames returns the qualified names of a table's day-limit macros.
func dayLimitNames(table string) pgsql.DayLimit {
	return pgsql.DayLimit{
		Newest: SystemSchema + "." + table + "_newest_day",
		Oldest: SystemSchema + "." + table + "_oldest_day",
	}
}

// dayCount is one day's rows of one day column.
type dayCount struct {
	day     string
	nonNull int64
	nulls   bool // some row has (or may have) a NULL
}

// dayCounts returns, per day column, its days newest first with their
// counts.
func dayCounts(t lake.Table, live []lake.DataFile, footers map[string]fileFooter) map[string][]dayCount {
	out := map[string][]dayCount{}
	for _, col := range t.DayColumns {
		byDay := map[string]*dayCount{}
		for _, f := range live {
			d := byDay[f.Date]
			if d == nil {
				d = &dayCount{day: f.Date}
				byDay[f.Date] = d
			}
			n, known := footers[f.Path].nulls[col]
			if !known {
				d.nulls = d.nulls || f.Rows > 0
				continue
			}
			d.nonNull += max(f.Rows-n, 0)
			d.nulls = d.nulls || n > 0
		}
		days := make([]dayCount, 0, len(byDay))
		for _, d := range byDay {
			days = append(days, *d)
		}
		sort.Slice(days, func(i, j int) bool { return days[i].day > days[j].day })
		out[col] = days
	}
	return out
}

// dayLimitMacros returns the statements that define a table's day-limit
// macros for its live files.
func dayLimitMacros(t lake.Table, live []lake.DataFile, footers map[string]fileFooter) []string {
	counts := dayCounts(t, live, footers)
	names := dayLimitNames(t.Name)
	var newest, oldest []string
	for _, col := range t.DayColumns {
		days := counts[col]
		asc := make([]dayCount, len(days))
		for i, d := range days {
			asc[len(days)-1-i] = d
		}
		newest = append(newest, fmt.Sprintf("WHEN %s THEN least(%s, %s)", lake.QuoteString(col),
			countBound(days, -1, "-infinity"), nullBound(asc, "infinity")))
		oldest = append(oldest, fmt.Sprintf("WHEN %s THEN greatest(%s, %s)", lake.QuoteString(col),
			countBound(asc, 1, "infinity"), nullBound(days, "-infinity")))
	}
	def := func(name string, whens []string, otherwise string) string {
		return fmt.Sprintf("CREATE OR REPLACE MACRO %s(col, n, nulls_first) AS CASE col %s ELSE DATE '%s' END",
			name, strings.Join(whens, " "), otherwise)
	}
	return []string{def(names.Newest, newest, "-infinity"), def(names.Oldest, oldest, "infinity")}
}

// countBound is the first of days (in the order of the sort) from which
// the days so far hold n rows with the column not NULL, moved by margin
// days, or the date otherwise.
func countBound(days []dayCount, margin int, otherwise string) string {
	var b strings.Builder
	b.WriteString("CASE WHEN false THEN NULL")
	var total int64
	for i, d := range days {
		if i == maxDayLimitDays {
			break
		}
		day, err := time.Parse(lake.DateFormat, d.day)
		if err != nil {
			break // not a date: no bound from here on
		}
		total += d.nonNull
		fmt.Fprintf(&b, " WHEN n <= %d THEN DATE '%s'", total, day.AddDate(0, 0, margin).Format(lake.DateFormat))
	}
	fmt.Fprintf(&b, " ELSE DATE '%s' END", otherwise)
	return b.String()
}

// nullBound is, with nulls_first, the first of days (in the order given:
// the opposite of the sort's) that has a row with a NULL column; the date
// otherwise.
func nullBound(days []dayCount, otherwise string) string {
	for _, d := range days {
		if d.nulls {
			return fmt.Sprintf("CASE WHEN nulls_first THEN DATE '%s' ELSE DATE '%s' END", d.day, otherwise)
		}
	}
	return fmt.Sprintf("DATE '%s'", otherwise)
}
