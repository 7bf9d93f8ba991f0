// Package colbuf holds rows as typed columns: per column one Go slice of
// values of its type and one of validity, nested STRUCT fields as columns
// of their own. The CloudTrail mapper appends an event's values to a Batch
// without boxing them in interfaces or building maps, and the staging
// appender copies each column into a DuckDB vector in one go.
package colbuf

import "time"

// Kind is the type of a column's values.
type Kind uint8

// The kinds of columns, with the slice of Column holding their values.
const (
	String     Kind = iota // Str
	Bool                   // Bool
	Int64                  // Int
	Timestamp              // Int: microseconds since the Unix epoch, UTC
	Date                   // Int: days since the Unix epoch
	StringList             // Str holds the elements, End where each row's end
	Struct                 // Fields
)

// Column is the values of one column (or STRUCT field). A NULL row has a
// zero value in its kind's slice, so row i is at index i of every slice
// but Str of a StringList.
type Column struct {
	Name string
	Kind Kind
	// Valid is false for a NULL row.
	Valid []bool
	Str   []string
	Int   []int64
	Bool  []bool
	// End is, for a StringList, the end of each row's elements in Str.
	End    []int
	Fields []*Column
}

// NewColumn returns an empty column of kind k; fields are a STRUCT's.
func NewColumn(name string, k Kind, fields ...*Column) *Column {
	return &Column{Name: name, Kind: k, Fields: fields}
}

// Len returns the number of rows of c.
func (c *Column) Len() int { return len(c.Valid) }

// AppendNull appends a NULL row; a NULL STRUCT has NULL fields.
func (c *Column) AppendNull() {
	c.Valid = append(c.Valid, false)
	switch c.Kind {
	case String:
		c.Str = append(c.Str, "")
	case Bool:
		c.Bool = append(c.Bool, false)
	case Int64, Timestamp, Date:
		c.Int = append(c.Int, 0)
	case StringList:
		c.End = append(c.End, len(c.Str))
	case Struct:
		for _, f := range c.Fields {
			f.AppendNull()
		}
	}
}

// AppendString appends s to a String column.
func (c *Column) AppendString(s string) {
	c.Valid = append(c.Valid, true)
	c.Str = append(c.Str, s)
}

// AppendBool appends v to a Bool column.
func (c *Column) AppendBool(v bool) {
	c.Valid = append(c.Valid, true)
	c.Bool = append(c.Bool, v)
}

// AppendInt appends v to an Int64, Timestamp or Date column.
func (c *Column) AppendInt(v int64) {
	c.Valid = append(c.Valid, true)
	c.Int = append(c.Int, v)
}

// AppendTime appends t to a Timestamp column, in microseconds.
func (c *Column) AppendTime(t time.Time) { c.AppendInt(t.UnixMicro()) }

// AppendDate appends the day of t to a Date column.
func (c *Column) AppendDate(t time.Time) {
	c.AppendInt(t.Unix() / secondsPerDay)
}

const secondsPerDay = 24 * 60 * 60

// AppendList appends a row of the elements ss to a StringList column.
func (c *Column) AppendList(ss ...string) {
	c.Valid = append(c.Valid, true)
	c.Str = append(c.Str, ss...)
	c.End = append(c.End, len(c.Str))
}

// AppendStruct appends a valid row to a Struct column; the caller then
// appends one value to each field.
func (c *Column) AppendStruct() {
	c.Valid = append(c.Valid, true)
}

// Truncate keeps the first n rows of c.
func (c *Column) Truncate(n int) {
	c.Valid = c.Valid[:n]
	switch c.Kind {
	case String:
		clear(c.Str[n:])
		c.Str = c.Str[:n]
	case Bool:
		c.Bool = c.Bool[:n]
	case Int64, Timestamp, Date:
		c.Int = c.Int[:n]
	case StringList:
		end := 0
		if n > 0 {
			end = c.End[n-1]
		}
		clear(c.Str[end:])
		c.Str, c.End = c.Str[:end], c.End[:n]
	case Struct:
		for _, f := range c.Fields {
			f.Truncate(n)
		}
	}
}

// Value returns row i as duckdb-go's Appender takes it: nil for NULL,
// string, bool, int64, time.Time (UTC) for Timestamp and Date, []string
// for StringList, and map[string]any of every field for Struct.
func (c *Column) Value(i int) any {
	if !c.Valid[i] {
		return nil
	}
	switch c.Kind {
	case String:
		return c.Str[i]
	case Bool:
		return c.Bool[i]
	case Int64:
		return c.Int[i]
	case Timestamp:
		return time.UnixMicro(c.Int[i]).UTC()
	case Date:
		return time.Unix(c.Int[i]*secondsPerDay, 0).UTC()
	case StringList:
		start := 0
		if i > 0 {
			start = c.End[i-1]
		}
		return append([]string(nil), c.Str[start:c.End[i]]...)
	case Struct:
		m := make(map[string]any, len(c.Fields))
		for _, f := range c.Fields {
			m[f.Name] = f.Value(i)
		}
		return m
	}
	return nil
}

// Bytes estimates the staged size of c: the length of its text, nested
// text included, and 8 bytes for every other value and every NULL.
func (c *Column) Bytes() int64 {
	var n int64
	switch c.Kind {
	case String:
		for i, s := range c.Str {
			if c.Valid[i] {
				n += int64(len(s))
			} else {
				n += 8
			}
		}
	case StringList:
		for _, s := range c.Str {
			n += int64(len(s))
		}
		for _, v := range c.Valid {
			if !v {
				n += 8
			}
		}
	case Struct:
		for _, f := range c.Fields {
			n += f.Bytes()
		}
	default:
		n = 8 * int64(c.Len())
	}
	return n
}

// Batch is rows of a table as one Column per table column.
type Batch struct {
	Cols []*Column
}

// Len returns the number of rows of b.
func (b *Batch) Len() int {
	if len(b.Cols) == 0 {
		return 0
	}
	return b.Cols[0].Len()
}

// Truncate keeps the first n rows of b.
func (b *Batch) Truncate(n int) {
	for _, c := range b.Cols {
		c.Truncate(n)
	}
}

// Row returns row i, one Column.Value per column.
func (b *Batch) Row(i int) []any {
	row := make([]any, len(b.Cols))
	for j, c := range b.Cols {
		row[j] = c.Value(i)
	}
	return row
}

// Bytes estimates the staged size of b (see Column.Bytes).
func (b *Batch) Bytes() int64 {
	var n int64
	for _, c := range b.Cols {
		n += c.Bytes()
	}
	return n
}
