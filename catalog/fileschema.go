package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/tpserver/tpserver/lake"
)

// sameSchema reports whether all files have one Parquet schema, so that a
// lake view can read them without union_by_name (see
// lake.Table.ScanSameSchemaSQL). Each file's schema is read once, in one
// query for all files not seen before, and remembered by path: a data
// file's name is never reused, so the file at a path never changes. Files
// no longer listed are forgotten. Callers hold c.mu.
func (c *Catalog) sameSchema(ctx context.Context, table string, files []string) (bool, error) {
	known := c.fileSchemas[table]
	var unseen []string
	for _, f := range files {
		if _, ok := known[f]; !ok {
			unseen = append(unseen, f)
		}
	}
	next := make(map[string]string, len(files))
	if len(unseen) > 0 {
		read, err := c.readFileSchemas(ctx, unseen)
		if err != nil {
			return false, err
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
	c.fileSchemas[table] = next
	for _, f := range files {
		if next[f] != next[files[0]] {
			return false, nil
		}
	}
	return true, nil
}

// readFileSchemas returns each file's Parquet schema as one string.
func (c *Catalog) readFileSchemas(ctx context.Context, files []string) (map[string]string, error) {
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
