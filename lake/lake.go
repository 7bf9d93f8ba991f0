package lake

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Hive partition keys, in directory order. Their values live in the directory
// names, not inside the Parquet files.
const (
	KeyTable     = "tp_table"
	KeyPartition = "tp_partition"
	KeyIndex     = "tp_index"
	KeyDate      = "tp_date"
)

// DataFileExt is the extension of a data file. Files being written carry
// TempFileExt and are renamed into place only once complete; a data file is
// part of its table once the partition's manifest lists it.
const (
	DataFileExt = ".parquet"
	TempFileExt = ".parquet.tmp"
)

// DateFormat is the layout of tp_date directory values.
const DateFormat = "2006-01-02"

// PartitionKey identifies one hive directory of a table.
type PartitionKey struct {
	Table     string
	Partition string
	Index     string
	Date      time.Time
}

// Key recovers the partition key of a data file from its directory, as its
// manifest entry records it (a date that does not parse is left zero).
func (f DataFile) Key() PartitionKey {
	var k PartitionKey
	for _, part := range strings.Split(f.Dir, "/") {
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		switch name {
		case KeyTable:
			k.Table = value
		case KeyPartition:
			k.Partition = value
		case KeyIndex:
			k.Index = value
		case KeyDate:
			k.Date, _ = time.Parse(DateFormat, value)
		}
	}
	return k
}

// Dir returns the directory of the key under dataDir.
func (k PartitionKey) Dir(dataDir string) string {
	return filepath.Join(dataDir,
		KeyTable+"="+k.Table,
		KeyPartition+"="+k.Partition,
		KeyIndex+"="+k.Index,
		KeyDate+"="+k.Date.UTC().Format(DateFormat))
}

// TableDir is the root directory of one table's files.
func TableDir(dataDir, table string) string {
	return filepath.Join(dataDir, KeyTable+"="+table)
}

// PartitionDir is the root directory of one partition's files.
func PartitionDir(dataDir, table, partition string) string {
	return filepath.Join(TableDir(dataDir, table), KeyPartition+"="+partition)
}

// Column is one column of a lake table.
type Column struct {
	Name string
	// Type is the DuckDB type, written as DuckDB SQL.
	Type        string
	Description string
}

// Table is the schema of a lake table. Columns are in `select *` order.
type Table struct {
	Name        string
	Description string
	Columns     []Column
	// DayColumns are the TIMESTAMP columns that determine the row's
	// partition day: for each, the UTC date of the column's value is the
	// row's tp_date (KeyDate) whenever the value is not NULL. Readers may
	// add an implied filter on tp_date to a filter on such a column, so
	// that files of other days are skipped unopened.
	DayColumns []string
}

// IsHiveKey reports whether name is a partition key stored in directory names.
func IsHiveKey(name string) bool {
	switch name {
	case KeyTable, KeyPartition, KeyIndex, KeyDate:
		return true
	}
	return false
}

// FileColumns are the columns stored inside each Parquet file (all but the
// hive keys), in schema order.
func (t Table) FileColumns() []Column {
	out := make([]Column, 0, len(t.Columns))
	for _, c := range t.Columns {
		if !IsHiveKey(c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// Column returns the named column.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// ScanSQL is a DuckDB SELECT producing the table's rows with exactly its
// schema. files lists the data files to read, in the order to read them
// (readers list them NewestFirst); when it is empty the result is an empty
// relation with the same columns and types.
func (t Table) ScanSQL(files []string) string {
	return t.scanSQL(files, true)
}

// ScanSameSchemaSQL is ScanSQL for files that all have one Parquet schema
// (the same columns, types and order): it reads them without
// union_by_name, which makes DuckDB open every file's footer each time it
// plans a query over them.
func (t Table) ScanSameSchemaSQL(files []string) string {
	return t.scanSQL(files, false)
}

func (t Table) scanSQL(files []string, unionByName bool) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		if len(files) == 0 {
			fmt.Fprintf(&b, "CAST(NULL AS %s) AS %s", c.Type, QuoteIdent(c.Name))
		} else {
			fmt.Fprintf(&b, "CAST(%s AS %s) AS %s", QuoteIdent(c.Name), c.Type, QuoteIdent(c.Name))
		}
	}
	if len(files) == 0 {
		b.WriteString(" WHERE false")
		return b.String()
	}
	b.WriteString(" FROM read_parquet([")
	for i, f := range files {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteString(f))
	}
	fmt.Fprintf(&b, "], hive_partitioning = true, union_by_name = %t, hive_types = {'%s': VARCHAR, '%s': VARCHAR, '%s': VARCHAR, '%s': DATE})",
		unionByName, KeyTable, KeyPartition, KeyIndex, KeyDate)
	return b.String()
}

// QuoteIdent quotes a SQL identifier.
func QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// QuoteString quotes a SQL string literal.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
