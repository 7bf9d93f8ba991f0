package pqfooter

import (
	"fmt"
	"os"
)

// Field ids of the Thrift structs on the way from FileMetaData to a column
// chunk's null count.
const (
	rowGroupsField     = 4  // FileMetaData.row_groups: list<RowGroup>
	columnsField       = 1  // RowGroup.columns: list<ColumnChunk>
	metaDataField      = 3  // ColumnChunk.meta_data: ColumnMetaData
	pathInSchemaField  = 3  // ColumnMetaData.path_in_schema: list<string>
	statisticsField    = 12 // ColumnMetaData.statistics: Statistics
	statNullCountField = 3  // Statistics.null_count: i64
)

// NullCounts returns, for each of the named top-level columns of the
// Parquet file at path whose every row group records its null count in its
// statistics, the number of NULLs in the file. A column missing from the
// result may hold any number of NULLs.
func NullCounts(path string, columns []string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	footer, err := readFooter(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out, err := FooterNullCounts(footer, columns)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// FooterNullCounts is NullCounts of an encoded FileMetaData.
func FooterNullCounts(footer []byte, columns []string) (map[string]int64, error) {
	want := make(map[string]bool, len(columns))
	for _, c := range columns {
		want[c] = true
	}
	nulls := map[string]int64{}
	counted := map[string]int{} // row groups whose null count of the column was read
	groups := 0
	r := &reader{b: footer}
	err := r.fields(0, func(id int16, typ byte) (bool, error) {
		if id != rowGroupsField || typ != tList {
			return false, nil
		}
		return true, r.list(0, func(elem byte) error {
			if elem != tStruct {
				return fmt.Errorf("row group has type %d, want a struct", elem)
			}
			groups++
			return r.rowGroupNulls(want, nulls, counted)
		})
	})
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for c := range want {
		if groups > 0 && counted[c] == groups {
			out[c] = nulls[c]
		}
	}
	return out, nil
}

// rowGroupNulls adds the null counts of one RowGroup's wanted columns.
func (r *reader) rowGroupNulls(want map[string]bool, nulls map[string]int64, counted map[string]int) error {
	return r.fields(1, func(id int16, typ byte) (bool, error) {
		if id != columnsField || typ != tList {
			return false, nil
		}
		return true, r.list(1, func(elem byte) error {
			if elem != tStruct {
				return fmt.Errorf("column chunk has type %d, want a struct", elem)
			}
			return r.fields(2, func(id int16, typ byte) (bool, error) {
				if id != metaDataField || typ != tStruct {
					return false, nil
				}
				name, n, ok, err := r.columnNulls()
				if err == nil && ok && want[name] {
					nulls[name] += n
					counted[name]++
				}
				return true, err
			})
		})
	})
}

// columnNulls reads a ColumnMetaData: the column's name when its path has
// one element, and its null count when its statistics have one.
func (r *reader) columnNulls() (name string, nulls int64, ok bool, err error) {
	var path []string
	hasCount := false
	err = r.fields(3, func(id int16, typ byte) (bool, error) {
		switch {
		case id == pathInSchemaField && typ == tList:
			return true, r.list(3, func(elem byte) error {
				if elem != tBinary {
					return fmt.Errorf("path element has type %d, want a string", elem)
				}
				s, err := r.binary()
				path = append(path, s)
				return err
			})
		case id == statisticsField && typ == tStruct:
			return true, r.fields(4, func(id int16, typ byte) (bool, error) {
				if id != statNullCountField || typ != tI64 {
					return false, nil
				}
				v, err := r.varint()
				nulls, hasCount = zigzag(v), err == nil
				return true, err
			})
		}
		return false, nil
	})
	if err != nil || len(path) != 1 || !hasCount {
		return "", 0, false, err
	}
	return path[0], nulls, true, nil
}

// fields reads a struct's fields, passing each field's id and type to f;
// the fields f does not read (handled false) are skipped.
func (r *reader) fields(depth int, f func(id int16, typ byte) (handled bool, err error)) error {
	if depth > maxDepth {
		return errShort
	}
	var id int16
	for {
		typ, delta, err := r.fieldHeader()
		if err != nil {
			return err
		}
		if typ == tStop {
			return nil
		}
		if delta == 0 {
			v, err := r.varint()
			if err != nil {
				return err
			}
			id = int16(zigzag(v))
		} else {
			id += int16(delta)
		}
		handled, err := f(id, typ)
		if err != nil {
			return err
		}
		if !handled {
			if err := r.skip(typ, depth+1); err != nil {
				return err
			}
		}
	}
}

// list reads a list header and calls f for each element with its type.
func (r *reader) list(depth int, f func(elem byte) error) error {
	if depth > maxDepth {
		return errShort
	}
	h, err := r.byte()
	if err != nil {
		return err
	}
	n, elem := uint64(h>>4), h&0x0f
	if n == 15 {
		if n, err = r.varint(); err != nil {
			return err
		}
	}
	for range n {
		if err := f(elem); err != nil {
			return err
		}
	}
	return nil
}

// binary reads a string.
func (r *reader) binary() (string, error) {
	n, err := r.varint()
	if err != nil {
		return "", err
	}
	start := r.pos
	if err := r.advance(n); err != nil {
		return "", err
	}
	return string(r.b[start:r.pos]), nil
}
