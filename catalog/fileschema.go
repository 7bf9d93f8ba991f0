package catalog

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog/internal/pqfooter"
	"github.com/tpserver/tpserver/lake"
)

// fileFooter is what the catalog reads from a data file's footer: a string
// identifying its Parquet schema, and the NULL counts of the table's day
// columns (those the footer's statistics give).
type fileFooter struct {
	schema string
	nulls  map[string]int64
	// nullsRead says the NULL counts were looked for (nulls holds those
	// found); until then every count is unknown.
	nullsRead bool
}

// readFooters returns the footer facts of a table's files. Each file's
// footer is read once (readFileFooters) and remembered by path: a data
// file's name is never reused, so the file at a path never changes. Files
// no longer listed are forgotten. Callers hold c.mu.
func (c *Catalog) readFooters(ctx context.Context, t lake.Table, files []string) (map[string]fileFooter, error) {
	known := c.fileSchemas[t.Name]
	var unseen []string
	for _, f := range files {
		if _, ok := known[f]; !ok {
			unseen = append(unseen, f)
		}
	}
	next := make(map[string]fileFooter, len(files))
	if len(unseen) > 0 {
		// Many new files (start-up): their NULL counts are read in the
		// background (readNullsLater), not to delay serving.
		nullColumns := t.DayColumns
		if len(unseen) > c.syncNullFiles {
			nullColumns = nil
		}
		read, err := c.readFileFooters(ctx, unseen, nullColumns)
		if err != nil {
			return nil, err
		}
		for f, s := range read {
			next[f] = s
		}
	}
	for _, f := range files {
		if s, ok := known[f]; ok {
			next[f] = s
		}
	}
	c.fileSchemas[t.Name] = next
	return next, nil
}

// sameSchema reports whether all files have one Parquet schema (footers
// as readFooters returns them), so that a lake view can read them without
// union_by_name (see lake.Table.ScanSameSchemaSQL).
func sameSchema(footers map[string]fileFooter, files []string) bool {
	for _, f := range files {
		if footers[f].schema != footers[files[0]].schema {
			return false
		}
	}
	return true
}

// schemaReaders is how many files' footers are read at once: the work is
// mostly waiting for the disk.
const schemaReaders = 8

// eachFile calls read for the indexes 0..n-1 of files, schemaReaders at a
// time, until ctx is done (its error is returned).
func eachFile(ctx context.Context, n int, read func(i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(schemaReaders, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				read(i)
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}

// readFileSchemas returns a string identifying each file's Parquet schema
// (readFileFooters).
func (c *Catalog) readFileSchemas(ctx context.Context, files []string) (map[string]string, error) {
	footers, err := c.readFileFooters(ctx, files, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(footers))
	for f, ff := range footers {
		out[f] = ff.schema
	}
	return out, nil
}

// readFileFooters returns a string identifying each file's Parquet schema
// and the NULL counts of nullColumns. The footer is read by pqfooter, files
// in parallel; a file the footer reader cannot read is asked of DuckDB's
// parquet_schema, whose answer never equals a footer digest, so such a
// file makes the view fall back to union_by_name rather than guess, and
// its NULL counts are unknown.
func (c *Catalog) readFileFooters(ctx context.Context, files []string, nullColumns []string) (map[string]fileFooter, error) {
	digests := make([]string, len(files))
	nulls := make([]map[string]int64, len(files))
	err := eachFile(ctx, len(files), func(i int) {
		if d, n, err := pqfooter.Read(files[i], nullColumns); err == nil {
			digests[i] = "footer:" + hex.EncodeToString(d[:])
			nulls[i] = n
		}
	})
	if err != nil {
		return nil, fmt.Errorf("read data file schemas: %w", err)
	}
	out := make(map[string]fileFooter, len(files))
	var unread []string
	for i, f := range files {
		if digests[i] == "" {
			unread = append(unread, f)
			continue
		}
		out[f] = fileFooter{schema: digests[i], nulls: nulls[i], nullsRead: len(nullColumns) > 0}
	}
	if len(unread) > 0 {
		c.log.Debug("data file footers not readable without DuckDB", zap.Int("files", len(unread)), zap.String("first", unread[0]))
		read, err := c.readFileSchemasWithDuckDB(ctx, unread)
		if err != nil {
			return nil, err
		}
		for f, s := range read {
			out[f] = fileFooter{schema: "duckdb:" + s, nullsRead: true} // counts unknown for good
		}
	}
	return out, nil
}

// readFileSchemasWithDuckDB returns each file's Parquet schema as one
// string, read by DuckDB.
func (c *Catalog) readFileSchemasWithDuckDB(ctx context.Context, files []string) (map[string]string, error) {
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = lake.QuoteString(f)
	}
	// Without ORDER BY or grouping the rows keep the scan's order: each
	// file's schema elements together, in schema order.
	q := "SELECT file_name, concat_ws('|', name, type, type_length, repetition_type, num_children, converted_type, scale, precision, field_id, logical_type) FROM parquet_schema([" + strings.Join(quoted, ", ") + "])"
	rows, err := c.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read data file schemas: %w", err)
	}
	defer rows.Close()
	out := make(map[string]string, len(files))
	for rows.Next() {
		var file, elem string
		if err := rows.Scan(&file, &elem); err != nil {
			return nil, fmt.Errorf("read data file schemas: %w", err)
		}
		out[file] += elem + ";"
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read data file schemas: %w", err)
	}
	for _, f := range files {
		if _, ok := out[f]; !ok {
			return nil, fmt.Errorf("read data file schemas: no schema for %s", f)
		}
	}
	return out, nil
}
