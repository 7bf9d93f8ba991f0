package pqfooter

import (
	"fmt"
	"os"

	"github.com/tpserver/tpserver/internal/pqthrift"
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
	footer, _, err := pqthrift.ReadFooter(f)
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
	r := &reader{pqthrift.Reader{B: footer}}
	err := r.fields(0, func(id int16, typ byte) (bool, error) {
		if id != rowGroupsField || typ != pqthrift.TypeList {
			return false, nil
		}
		return true, r.list(0, func(elem byte) error {
			if elem != pqthrift.TypeStruct {
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
		if id != columnsField || typ != pqthrift.TypeList {
			return false, nil
		}
		return true, r.list(1, func(elem byte) error {
			if elem != pqthrift.TypeStruct {
				return fmt.Errorf("column chunk has type %d, want a struct", elem)
			}
			return r.fields(2, func(id int16, typ byte) (bool, error) {
				if id != metaDataField || typ != pqthrift.TypeStruct {
					return false, nil
				}
				name, n, ok, err := r.columnNulls()
				if err == nil && ok && want[string(name)] {
					nulls[string(name)] += n
					counted[string(name)]++
				}
				return true, err
			})
		})
	})
}

// columnNulls reads a ColumnMetaData: the column's name when its path has
// one element, and its null count when its statistics have one. It walks
// the fields itself, without closures or copies: it runs for every column
// chunk of every file.
func (r *reader) columnNulls() (name []byte, nulls int64, ok bool, err error) {
	var id int16
	elems, hasCount := 0, false
	for {
		typ, delta, err := r.FieldHeader()
		if err != nil {
			return nil, 0, false, err
		}
		if typ == pqthrift.TypeStop {
			return name, nulls, elems == 1 && hasCount, nil
		}
		if id, err = r.fieldID(id, delta); err != nil {
			return nil, 0, false, err
		}
		switch {
		case id == pathInSchemaField && typ == pqthrift.TypeList:
			if name, elems, err = r.path(); err != nil {
				return nil, 0, false, err
			}
		case id == statisticsField && typ == pqthrift.TypeStruct:
			if nulls, hasCount, err = r.nullCount(); err != nil {
				return nil, 0, false, err
			}
		default:
			if err := r.Skip(typ, 4); err != nil {
				return nil, 0, false, err
			}
		}
	}
}

// fieldID returns a field's id from the previous one and its header's
// delta (0: the id follows).
func (r *reader) fieldID(prev int16, delta byte) (int16, error) {
	if delta != 0 {
		return prev + int16(delta), nil
	}
	v, err := r.Uvarint()
	return int16(pqthrift.Unzigzag(v)), err
}

// path reads a list<string>: its first element and its length.
func (r *reader) path() (first []byte, n int, err error) {
	count, elem, err := r.ListHeader()
	if err != nil {
		return nil, 0, err
	}
	if elem != pqthrift.TypeBinary {
		return nil, 0, fmt.Errorf("path element has type %d, want a string", elem)
	}
	for i := range count {
		l, err := r.Uvarint()
		if err != nil {
			return nil, 0, err
		}
		start := r.Pos
		if err := r.Advance(l); err != nil {
			return nil, 0, err
		}
		if i == 0 {
			first = r.B[start:r.Pos]
		}
	}
	return first, int(count), nil
}

// nullCount reads a Statistics struct's null_count.
func (r *reader) nullCount() (n int64, ok bool, err error) {
	var id int16
	for {
		typ, delta, err := r.FieldHeader()
		if err != nil {
			return 0, false, err
		}
		if typ == pqthrift.TypeStop {
			return n, ok, nil
		}
		if id, err = r.fieldID(id, delta); err != nil {
			return 0, false, err
		}
		if id == statNullCountField && typ == pqthrift.TypeI64 {
			v, err := r.Uvarint()
			if err != nil {
				return 0, false, err
			}
			n, ok = pqthrift.Unzigzag(v), true
			continue
		}
		if err := r.Skip(typ, 5); err != nil {
			return 0, false, err
		}
	}
}

// fields reads a struct's fields, passing each field's id and type to f;
// the fields f does not read (handled false) are skipped.
func (r *reader) fields(depth int, f func(id int16, typ byte) (handled bool, err error)) error {
	if depth > pqthrift.MaxDepth {
		return pqthrift.ErrShort
	}
	var id int16
	for {
		typ, delta, err := r.FieldHeader()
		if err != nil {
			return err
		}
		if typ == pqthrift.TypeStop {
			return nil
		}
		if id, err = r.fieldID(id, delta); err != nil {
			return err
		}
		handled, err := f(id, typ)
		if err != nil {
			return err
		}
		if !handled {
			if err := r.Skip(typ, depth+1); err != nil {
				return err
			}
		}
	}
}

// list reads a list header and calls f for each element with its type.
func (r *reader) list(depth int, f func(elem byte) error) error {
	if depth > pqthrift.MaxDepth {
		return pqthrift.ErrShort
	}
	n, elem, err := r.ListHeader()
	if err != nil {
		return err
	}
	for range n {
		if err := f(elem); err != nil {
			return err
		}
	}
	return nil
}
