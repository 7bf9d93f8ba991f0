package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog/pgemu"
	"github.com/tpserver/tpserver/catalog/pgsql"
	"github.com/tpserver/tpserver/lake"
)

// A lake table's head is a small in-memory copy of its newest rows, which
// the translator has a "latest N" query read instead of the Parquet files
// (pgsql.Head): even with the day bound (daylimits.go), DuckDB's fixed cost
// of reading a row of the ~85 leaf columns of the newest file is a few ms.
//
// For each day column col, the head holds every row whose col is NULL and
// every row whose col is at least the headRows-th largest value of col
// (the whole table when it has fewer such rows). It is built from the
// files of the days that hold those rows, chosen from the manifests' row
// counts and the footers' NULL counts (headFiles), with two days' margin
// for a day key a day off its column's UTC date; then checked: if it
// holds more than headRowsCap times headRows rows (many ties or NULLs),
// or fewer than headRows rows of a column when it was built from part of
// the lake (counts not to be trusted), the head is the lake view itself,
// which is never wrong, only slow.
//
// The rows live in a table of the in-memory database HeadDatabase, one
// table per build; the view HeadSchema.<table> (in the catalog database)
// reads the current one, and is replaced in the transaction that redefines
// the lake view and its day-limit macros, so a statement binds a head, a
// view and macros of the same files. (DuckDB writes to one database per
// transaction, hence the view.) The previous table is dropped after the
// commit; HeadSchema is hidden from the emulated catalog, and both it and
// HeadDatabase are protected from clients' changes (lockdown.go).

// HeadDatabase is the in-memory database that holds the lake heads' rows.
const HeadDatabase = "tp_lake_head_rows"

// DefaultHeadRows is how many of the newest rows by each day column a
// lake table's head holds at least, when Options.HeadRows is 0.
const DefaultHeadRows = 5000

// headRowsCap bounds a head's rows, as a multiple of its headRows.
const headRowsCap = 8

// headMarginDays are the days before the newest days holding headRows rows
// whose files the head is built from too.
const headMarginDays = 2

// HeadStatus describes a lake table's head as last built.
type HeadStatus struct {
	// Rows are the head table's rows; 0 when the head is the lake view.
	Rows int64
	// Files are the data files it was built from.
	Files int
	// Took is the time the build took (the head table's creation and
	// check).
	Took time.Duration
}

// HeadStatus returns the last build of a lake table's head, if any.
func (c *Catalog) HeadStatus(table string) (HeadStatus, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.headStatus[table]
	return s, ok
}

// headRelation is the qualified name of a lake table's head view.
func headRelation(table string) string {
	return pgemu.HeadSchema + "." + lake.QuoteIdent(table)
}

// translatorHeads tells the translator the lake tables' heads.
func (c *Catalog) translatorHeads() map[string]pgsql.Head {
	if c.headRows <= 0 {
		return nil
	}
	heads := map[string]pgsql.Head{}
	for _, t := range c.tables {
		if len(t.DayColumns) > 0 {
			heads[t.Name] = pgsql.Head{Relation: pgemu.HeadSchema + "." + t.Name, Rows: c.headRows}
		}
	}
	return heads
}

// attachHeads attaches the in-memory database of the heads' rows.
func (c *Catalog) attachHeads(ctx context.Context) error {
	if _, err := c.db.ExecContext(ctx, "ATTACH IF NOT EXISTS ':memory:' AS "+HeadDatabase); err != nil {
		return fmt.Errorf("attach the lake heads' database: %w", err)
	}
	return nil
}

// builtHead is a head built for a set of files: the statements that make
// the head view read it, run in the transaction that redefines the lake
// view, and its table (empty when the view reads the lake view).
type builtHead struct {
	stmts []string
	table string
}

// buildHead builds the head of a table for its live files (newest first).
// Callers hold c.mu.
func (c *Catalog) buildHead(ctx context.Context, t lake.Table, live []lake.DataFile, footers map[string]fileFooter) (builtHead, error) {
	view := func(from string) builtHead {
		return builtHead{stmts: []string{
			"CREATE SCHEMA IF NOT EXISTS " + pgemu.HeadSchema,
			fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM %s", headRelation(t.Name), from),
		}}
	}
	lakeView := view("main." + lake.QuoteIdent(t.Name))
	if c.headRows <= 0 || len(t.DayColumns) == 0 {
		return lakeView, nil
	}
	start := time.Now()
	files, all := headFiles(t, live, footers, c.headRows)
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	scan := t.ScanSQL(paths)
	if sameSchema(footers, paths) {
		scan = t.ScanSameSchemaSQL(paths)
	}
	cutoffs, err := c.headCutoffs(ctx, t, scan)
	if err != nil {
		return builtHead{}, fmt.Errorf("build the head of %s: %w", t.Name, err)
	}
	c.headSeq++
	table := fmt.Sprintf("%s.main.%s", HeadDatabase, lake.QuoteIdent(fmt.Sprintf("%s_%d", t.Name, c.headSeq)))
	if _, err := c.db.ExecContext(ctx, headTableSQL(table, scan, cutoffs)); err != nil {
		return builtHead{}, fmt.Errorf("build the head of %s: %w", t.Name, err)
	}
	ok, rows, err := c.headHolds(ctx, table, t.DayColumns, all)
	if err != nil || !ok {
		c.dropHeadTable(ctx, table)
		if err != nil {
			return builtHead{}, fmt.Errorf("check the head of %s: %w", t.Name, err)
		}
		c.log.Debug("lake head too large or short: latest-N queries read the files", zap.String("table", t.Name), zap.Int64("rows", rows))
		c.headStatus[t.Name] = HeadStatus{Files: len(files), Took: time.Since(start)}
		return lakeView, nil
	}
	h := view(table)
	h.table = table
	c.headStatus[t.Name] = HeadStatus{Rows: rows, Files: len(files), Took: time.Since(start)}
	c.log.Debug("lake head built", zap.String("table", t.Name), zap.Int64("rows", rows),
		zap.Int("files", len(files)), zap.Duration("took", time.Since(start)))
	return h, nil
}

// headCutoff is a day column's cutoff: the headRows-th largest value of
// the column, as a SQL literal of its type, or "" when it has no value.
type headCutoff struct {
	column, literal string
}

// headCutoffs returns each day column's cutoff over scan: reading the day
// columns alone, DuckDB's top-N skips the row groups of older times.
func (c *Catalog) headCutoffs(ctx context.Context, t lake.Table, scan string) ([]headCutoff, error) {
	exprs := make([]string, len(t.DayColumns))
	for i, col := range t.DayColumns {
		q := lake.QuoteIdent(col)
		exprs[i] = fmt.Sprintf("CAST((SELECT min(v) FROM (SELECT %[1]s AS v FROM (%[2]s) WHERE %[1]s IS NOT NULL ORDER BY %[1]s DESC LIMIT %[3]d)) AS VARCHAR)",
			q, scan, c.headRows)
	}
	values := make([]sql.NullString, len(exprs))
	dest := make([]any, len(exprs))
	for i := range values {
		dest[i] = &values[i]
	}
	if err := c.db.QueryRowContext(ctx, "SELECT "+strings.Join(exprs, ", ")).Scan(dest...); err != nil {
		return nil, fmt.Errorf("find the cutoffs: %w", err)
	}
	out := make([]headCutoff, len(exprs))
	for i, col := range t.DayColumns {
		out[i].column = col
		if values[i].Valid {
			typ := "TIMESTAMP"
			if c, ok := t.Column(col); ok {
				typ = c.Type
			}
			out[i].literal = fmt.Sprintf("CAST(%s AS %s)", lake.QuoteString(values[i].String), typ)
		}
	}
	return out, nil
}

// headTableSQL creates table with the rows of scan that belong in the
// head (see above): one branch per day column, each a conjunction of
// filters on one column at a time, which DuckDB checks against the row
// groups' statistics, so that it decodes the newest row groups only.
// Branch i takes the rows of column i's head that no earlier branch took.
func headTableSQL(table, scan string, cutoffs []headCutoff) string {
	branches := make([]string, len(cutoffs))
	for i, c := range cutoffs {
		conds := []string{headCond(c)}
		for _, earlier := range cutoffs[:i] {
			conds = append(conds, "NOT ("+headCond(earlier)+")")
		}
		branches[i] = fmt.Sprintf("SELECT * FROM (%s) WHERE (%s)", scan, strings.Join(conds, ") AND ("))
	}
	return fmt.Sprintf("CREATE TABLE %s AS %s", table, strings.Join(branches, " UNION ALL "))
}

// headCond is the condition of the rows of one day column's head: NULL,
// or at least the cutoff. It is never NULL itself.
func headCond(c headCutoff) string {
	q := lake.QuoteIdent(c.column)
	if c.literal == "" {
		return q + " IS NULL"
	}
	return fmt.Sprintf("%[1]s IS NULL OR %[1]s >= %[2]s", q, c.literal)
}

// headHolds reports whether a built head table is within its bound of
// rows and, when built from part of the lake (all false), holds headRows
// rows of each day column; and its rows.
func (c *Catalog) headHolds(ctx context.Context, table string, dayColumns []string, all bool) (bool, int64, error) {
	exprs := []string{"count(*)"}
	for _, col := range dayColumns {
		exprs = append(exprs, "count("+lake.QuoteIdent(col)+")")
	}
	counts := make([]int64, len(exprs))
	dest := make([]any, len(exprs))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := c.db.QueryRowContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+table).Scan(dest...); err != nil {
		return false, 0, err
	}
	if counts[0] > headRowsCap*c.headRows {
		return false, counts[0], nil
	}
	for _, n := range counts[1:] {
		if !all && n < c.headRows {
			return false, counts[0], nil
		}
	}
	return true, counts[0], nil
}

// dropHeadTable drops a head table no view reads any more; a failure
// leaves memory behind, not a wrong answer.
func (c *Catalog) dropHeadTable(ctx context.Context, table string) {
	if table == "" {
		return
	}
	if _, err := c.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+table); err != nil {
		c.log.Warn("drop a former lake head", zap.String("table", table), zap.Error(err))
	}
}

// headFiles returns the live files (newest first) of the days the head is
// built from: from headMarginDays before the newest days whose rows with
// each day column not NULL number rows or more, and every day with a NULL
// (or unknown) in a day column; all reports that these are all files.
func headFiles(t lake.Table, live []lake.DataFile, footers map[string]fileFooter, rows int64) ([]lake.DataFile, bool) {
	from := "" // the oldest day needed; "" is all
	first := true
	for _, days := range dayCounts(t, live, footers) {
		bound, ok := headBound(days, rows)
		if !ok {
			return live, true
		}
		if first || bound < from {
			from, first = bound, false
		}
	}
	var out []lake.DataFile
	for _, f := range live {
		if f.Date >= from {
			out = append(out, f)
		}
	}
	return out, len(out) == len(live)
}

// headBound returns the oldest day (of days, newest first) one day column
// needs in the head: see headFiles; false when that is every day.
func headBound(days []dayCount, rows int64) (string, bool) {
	bound := ""
	older := func(day string) {
		if bound == "" || day < bound {
			bound = day
		}
	}
	var total int64
	for _, d := range days {
		day, err := time.Parse(lake.DateFormat, d.day)
		if err != nil {
			return "", false
		}
		if d.nulls {
			older(d.day)
		}
		if total < rows {
			total += d.nonNull
			if total >= rows {
				older(day.AddDate(0, 0, -headMarginDays).Format(lake.DateFormat))
			}
		}
	}
	return bound, total >= rows
}
