package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// SystemSchema holds tpserver's own views.
const SystemSchema = "tpserver"

// PartitionStatus is one row of tpserver.partitions.
type PartitionStatus struct {
	Partition, Table, Name, SourceType string
	// State is idle, running or failed.
	State                       string
	Runs                        int64
	LastStart, LastEnd, NextRun time.Time
	Files, FailedFiles          int64
	Rows, RowErrors             int64
	LastError                   string
	// RowWarnings counts the last run's events kept with a value stored
	// as NULL.
	RowWarnings int64
	// FailingFiles is how many files failed at their latest attempt and are
	// not collected yet; the LastFailure fields describe the most recent.
	FailingFiles                       int64
	LastFailureFile, LastFailureReason string
	LastFailureTime                    time.Time
}

var partitionColumns = []struct{ name, typ string }{
	{"partition", "VARCHAR"}, {"table_name", "VARCHAR"}, {"partition_name", "VARCHAR"},
	{"source_type", "VARCHAR"}, {"state", "VARCHAR"}, {"runs", "BIGINT"},
	{"last_start", "TIMESTAMPTZ"}, {"last_end", "TIMESTAMPTZ"},
	{"last_files", "BIGINT"}, {"last_failed_files", "BIGINT"},
	{"last_rows", "BIGINT"}, {"last_row_errors", "BIGINT"},
	{"last_error", "VARCHAR"}, {"next_run", "TIMESTAMPTZ"},
	{"last_row_warnings", "BIGINT"}, {"failing_files", "BIGINT"},
	{"last_failure_file", "VARCHAR"}, {"last_failure", "VARCHAR"}, {"last_failure_time", "TIMESTAMPTZ"},
}

// SetPartitionStatus redefines tpserver.partitions, the view that shows
// every partition's background collection to SQL clients.
func (c *Catalog) SetPartitionStatus(ctx context.Context, rows []PartitionStatus) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+SystemSchema); err != nil {
		return fmt.Errorf("create schema %s: %w", SystemSchema, err)
	}
	var q strings.Builder
	fmt.Fprintf(&q, "CREATE OR REPLACE VIEW %s.partitions AS ", SystemSchema)
	if len(rows) == 0 {
		q.WriteString("SELECT ")
		for i, col := range partitionColumns {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "CAST(NULL AS %s) AS %s", col.typ, col.name)
		}
		q.WriteString(" WHERE false")
	} else {
		q.WriteString("SELECT ")
		for i, col := range partitionColumns {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "CAST(col%d AS %s) AS %s", i, col.typ, col.name)
		}
		q.WriteString(" FROM (VALUES ")
		for i, r := range rows {
			if i > 0 {
				q.WriteString(", ")
			}
			vals := []string{
				lake.QuoteString(r.Partition), lake.QuoteString(r.Table), lake.QuoteString(r.Name),
				lake.QuoteString(r.SourceType), lake.QuoteString(r.State), fmt.Sprint(r.Runs),
				sqlTime(r.LastStart), sqlTime(r.LastEnd),
				fmt.Sprint(r.Files), fmt.Sprint(r.FailedFiles), fmt.Sprint(r.Rows), fmt.Sprint(r.RowErrors),
				sqlString(r.LastError), sqlTime(r.NextRun),
				fmt.Sprint(r.RowWarnings), fmt.Sprint(r.FailingFiles),
				sqlString(r.LastFailureFile), sqlString(r.LastFailureReason), sqlTime(r.LastFailureTime),
			}
			q.WriteString("(" + strings.Join(vals, ", ") + ")")
		}
		q.WriteString(") AS t(")
		for i := range partitionColumns {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "col%d", i)
		}
		q.WriteString(")")
	}
	if _, err := c.db.ExecContext(ctx, q.String()); err != nil {
		return fmt.Errorf("define %s.partitions: %w", SystemSchema, err)
	}
	return nil
}

func sqlTime(t time.Time) string {
	if t.IsZero() {
		return "NULL"
	}
	return lake.QuoteString(t.UTC().Format("2006-01-02 15:04:05.999999+00"))
}

func sqlString(s string) string {
	if s == "" {
		return "NULL"
	}
	return lake.QuoteString(s)
}
