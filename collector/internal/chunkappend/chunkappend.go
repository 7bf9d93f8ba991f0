// Package chunkappend appends rows of Go values to a DuckDB table by filling
// DuckDB data chunks in place, column by column, and handing each full chunk
// to a C appender in one call.
//
// duckdb-go's Appender sets every value through its generic setters: a type
// switch, a copy of each string and a cgo call per string, NULL and struct
// field. Here values are written straight into the vectors' memory: fixed
// width values as they are, strings of up to 12 bytes inline, longer strings
// as pointers into a pinned Go arena that lives until DuckDB has copied the
// chunk (duckdb_append_data_chunk copies it into the appender's own
// storage). The cgo calls are per chunk and vector, not per value.
//
// The C connection behind a *sql.Conn is not exported by duckdb-go: Conn
// finds it by reflection and New fails when the driver's layout changed;
// callers then fall back to duckdb-go's Appender, and the tests here fail.
package chunkappend

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"time"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ErrNoConnection is returned by New when the C connection behind the
// *sql.Conn cannot be found (not a DuckDB connection, or duckdb-go's layout
// changed).
var ErrNoConnection = errors.New("chunkappend: no DuckDB C connection behind the *sql.Conn")

// ErrUnsupportedType is wrapped by the error New returns for a table with a
// column type the Appender does not write.
var ErrUnsupportedType = errors.New("type not supported")

// Appender appends rows to one table. Values are, by column type: VARCHAR
// string; BOOLEAN bool; BIGINT int64; TIMESTAMP time.Time (microseconds);
// DATE time.Time (its Unix day); STRUCT map[string]any holding every field;
// VARCHAR[] []string. An untyped nil is NULL. It is not safe for concurrent
// use, and must be used only while its *sql.Conn is open.
type Appender struct {
	app   bindings.Appender
	chunk bindings.DataChunk
	cols  []column
	types []bindings.LogicalType
	// pending are the rows of the next chunk, not written yet.
	pending [][]any
	arena   arena
	// scratch holds a column's values per nesting depth while a chunk is
	// written.
	scratch [][]any
}

// column is the shape of one (possibly nested) column.
type column struct {
	name     string
	typ      bindings.Type
	fields   []column // of a STRUCT
	elemType bindings.Type
}

// chunkRows is the number of rows of a DuckDB data chunk.
var chunkRows = int(bindings.VectorSize())

// Conn returns the C connection behind conn, or false.
func Conn(conn *sql.Conn) (bindings.Connection, bool) {
	var out bindings.Connection
	var ok bool
	_ = conn.Raw(func(dc any) error {
		c, isDuck := dc.(*duckdb.Conn)
		if !isDuck {
			return nil
		}
		f := reflect.ValueOf(c).Elem().FieldByName("conn")
		if !f.IsValid() || f.Type() != reflect.TypeOf(bindings.Connection{}) {
			return nil
		}
		out = *(*bindings.Connection)(unsafe.Pointer(f.UnsafeAddr()))
		ok = out.Ptr != nil
		return nil
	})
	return out, ok
}

// New returns an Appender to table (in the default schema) over conn. It
// fails with ErrNoConnection when conn's C connection cannot be found, and
// with an error wrapping ErrUnsupportedType when the table has a column
// type the Appender does not write.
func New(conn *sql.Conn, table string) (*Appender, error) {
	cc, ok := Conn(conn)
	if !ok {
		return nil, ErrNoConnection
	}
	a := &Appender{}
	if bindings.AppenderCreateExt(cc, "", "", table, &a.app) == bindings.StateError {
		err := fmt.Errorf("chunkappend: create appender to %s: %s", table, bindings.AppenderError(a.app))
		bindings.AppenderDestroy(&a.app)
		return nil, err
	}
	n := int(bindings.AppenderColumnCount(a.app))
	for i := range n {
		t := bindings.AppenderColumnType(a.app, bindings.IdxT(i))
		a.types = append(a.types, t)
		c, err := describe(t, fmt.Sprintf("column %d", i+1))
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("chunkappend: table %s: %w", table, err)
		}
		a.cols = append(a.cols, c)
	}
	a.chunk = bindings.CreateDataChunk(a.types)
	return a, nil
}

// describe reads the shape of a column of logical type t.
func describe(t bindings.LogicalType, name string) (column, error) {
	c := column{name: name, typ: bindings.GetTypeId(t)}
	switch c.typ {
	case bindings.TypeVarchar, bindings.TypeBoolean, bindings.TypeBigInt, bindings.TypeTimestamp, bindings.TypeDate:
	case bindings.TypeList:
		child := bindings.ListTypeChildType(t)
		c.elemType = bindings.GetTypeId(child)
		bindings.DestroyLogicalType(&child)
		if c.elemType != bindings.TypeVarchar {
			return c, fmt.Errorf("%s: lists of type id %d: %w", name, c.elemType, ErrUnsupportedType)
		}
	case bindings.TypeStruct:
		for i := range int(bindings.StructTypeChildCount(t)) {
			ft := bindings.StructTypeChildType(t, bindings.IdxT(i))
			f, err := describe(ft, bindings.StructTypeChildName(t, bindings.IdxT(i)))
			bindings.DestroyLogicalType(&ft)
			if err != nil {
				return c, fmt.Errorf("%s: %w", name, err)
			}
			c.fields = append(c.fields, f)
		}
	default:
		return c, fmt.Errorf("%s: type id %d: %w", name, c.typ, ErrUnsupportedType)
	}
	return c, nil
}

// Append adds rows, each holding one value per column in table order. Rows
// are written a chunk at a time: the last rows wait for a full chunk or
// Flush, so rows must not change until then.
func (a *Appender) Append(rows [][]any) error {
	for _, r := range rows {
		if len(r) != len(a.cols) {
			return fmt.Errorf("chunkappend: row of %d values for %d columns", len(r), len(a.cols))
		}
		a.pending = append(a.pending, r)
		if len(a.pending) == chunkRows {
			if err := a.writeChunk(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Flush writes the pending rows and makes every appended row visible in the
// table.
func (a *Appender) Flush() error {
	if err := a.writeChunk(); err != nil {
		return err
	}
	if bindings.AppenderFlush(a.app) == bindings.StateError {
		return fmt.Errorf("chunkappend: flush: %s", bindings.AppenderError(a.app))
	}
	return nil
}

// Close releases the appender without flushing what was not flushed.
func (a *Appender) Close() {
	a.pending = nil
	a.arena.release()
	if a.chunk.Ptr != nil {
		bindings.DestroyDataChunk(&a.chunk)
	}
	for i := range a.types {
		bindings.DestroyLogicalType(&a.types[i])
	}
	a.types = nil
	bindings.AppenderDestroy(&a.app)
}

// writeChunk fills the data chunk with the pending rows and appends it.
func (a *Appender) writeChunk() error {
	n := len(a.pending)
	if n == 0 {
		return nil
	}
	defer func() {
		// Keep no reference to the rows written.
		clear(a.pending)
		a.pending = a.pending[:0]
		for _, vals := range a.scratch {
			clear(vals[:cap(vals)])
		}
		a.arena.reset()
	}()
	bindings.DataChunkReset(a.chunk)
	for i := range a.cols {
		vals := a.values(0, n)
		for r, row := range a.pending {
			vals[r] = row[i]
		}
		vec := bindings.DataChunkGetVector(a.chunk, bindings.IdxT(i))
		if err := a.fill(&a.cols[i], vec, vals, 1); err != nil {
			return err
		}
	}
	bindings.DataChunkSetSize(a.chunk, bindings.IdxT(n))
	if bindings.AppendDataChunk(a.app, a.chunk) == bindings.StateError {
		return fmt.Errorf("chunkappend: append chunk: %s", bindings.AppenderError(a.app))
	}
	return nil
}

// values returns the scratch slice of depth d, of length n.
func (a *Appender) values(d, n int) []any {
	for len(a.scratch) <= d {
		a.scratch = append(a.scratch, nil)
	}
	if cap(a.scratch[d]) < n {
		a.scratch[d] = make([]any, n)
	}
	return a.scratch[d][:n]
}

// fill writes vals, the values of column c, into vec; depth is the nesting
// depth of c, for the scratch values of its fields.
func (a *Appender) fill(c *column, vec bindings.Vector, vals []any, depth int) error {
	bindings.VectorEnsureValidityWritable(vec)
	mask := validity{bindings.VectorGetValidity(vec)}
	data := bindings.VectorGetData(vec)
	switch c.typ {
	case bindings.TypeStruct:
		return a.fillStruct(c, vec, mask, vals, depth)
	case bindings.TypeList:
		return a.fillList(c, vec, mask, data, vals)
	}
	for r, v := range vals {
		if v == nil {
			mask.set(r, false)
			continue
		}
		mask.set(r, true)
		if err := a.put(c.typ, data, r, v); err != nil {
			return fmt.Errorf("chunkappend: %s: %w", c.name, err)
		}
	}
	return nil
}

// put writes the non-NULL scalar v at row r of a vector of type typ.
func (a *Appender) put(typ bindings.Type, data unsafe.Pointer, r int, v any) error {
	switch typ {
	case bindings.TypeVarchar:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%T value for VARCHAR", v)
		}
		a.putString(data, r, s)
	case bindings.TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%T value for BOOLEAN", v)
		}
		*(*bool)(unsafe.Add(data, r)) = b
	case bindings.TypeBigInt:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T value for BIGINT", v)
		}
		*(*int64)(unsafe.Add(data, r*8)) = n
	case bindings.TypeTimestamp:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T value for TIMESTAMP", v)
		}
		*(*int64)(unsafe.Add(data, r*8)) = t.UnixMicro()
	case bindings.TypeDate:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T value for DATE", v)
		}
		*(*int32)(unsafe.Add(data, r*4)) = int32(t.Unix() / (24 * 60 * 60))
	}
	return nil
}

// putString writes s as the duckdb_string_t at row r of data: up to 12
// bytes inline, longer ones as length, 4-byte prefix and a pointer into the
// arena.
func (a *Appender) putString(data unsafe.Pointer, r int, s string) {
	p := unsafe.Add(data, r*16)
	dst := (*[16]byte)(p)
	*(*uint32)(p) = uint32(len(s))
	if len(s) <= 12 {
		n := copy(dst[4:], s)
		clear(dst[4+n:])
		return
	}
	copy(dst[4:8], s)
	// Stored as an integer: the word is C memory, which the garbage
	// collector must neither scan nor see through a write barrier; the
	// arena keeps the bytes pinned.
	*(*uintptr)(unsafe.Add(p, 8)) = uintptr(a.arena.store(s))
}

// fillStruct writes the struct values vals (map[string]any or nil) into
// vec: a NULL struct has NULL fields, as DuckDB expects.
func (a *Appender) fillStruct(c *column, vec bindings.Vector, mask validity, vals []any, depth int) error {
	for r, v := range vals {
		if v == nil {
			mask.set(r, false)
			continue
		}
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("chunkappend: %s: %T value for STRUCT", c.name, v)
		}
		mask.set(r, true)
	}
	for i := range c.fields {
		f := &c.fields[i]
		fv := a.values(depth, len(vals))
		for r, v := range vals {
			fv[r] = nil
			if m, ok := v.(map[string]any); ok {
				x, has := m[f.name]
				if !has {
					return fmt.Errorf("chunkappend: %s: struct value without field %s", c.name, f.name)
				}
				fv[r] = x
			}
		}
		child := bindings.StructVectorGetChild(vec, bindings.IdxT(i))
		if err := a.fill(f, child, fv, depth+1); err != nil {
			return fmt.Errorf("chunkappend: %s: %w", c.name, err)
		}
	}
	return nil
}

// fillList writes the VARCHAR[] values vals ([]string or nil) into vec:
// list entries (offset, length) in data and the strings in its child
// vector, reserved once for the whole chunk.
func (a *Appender) fillList(c *column, vec bindings.Vector, mask validity, data unsafe.Pointer, vals []any) error {
	total := 0
	for _, v := range vals {
		if v == nil {
			continue
		}
		s, ok := v.([]string)
		if !ok {
			return fmt.Errorf("chunkappend: %s: %T value for VARCHAR[]", c.name, v)
		}
		total += len(s)
	}
	if bindings.ListVectorReserve(vec, bindings.IdxT(total)) == bindings.StateError ||
		bindings.ListVectorSetSize(vec, bindings.IdxT(total)) == bindings.StateError {
		return fmt.Errorf("chunkappend: %s: reserve %d list elements", c.name, total)
	}
	child := bindings.ListVectorGetChild(vec)
	bindings.VectorEnsureValidityWritable(child)
	childMask := validity{bindings.VectorGetValidity(child)}
	childData := bindings.VectorGetData(child)
	off := 0
	for r, v := range vals {
		entry := (*[2]uint64)(unsafe.Add(data, r*16))
		if v == nil {
			mask.set(r, false)
			*entry = [2]uint64{uint64(off), 0}
			continue
		}
		mask.set(r, true)
		list := v.([]string)
		*entry = [2]uint64{uint64(off), uint64(len(list))}
		for _, s := range list {
			childMask.set(off, true)
			a.putString(childData, off, s)
			off++
		}
	}
	return nil
}

// validity is a vector's validity mask: one bit per row, set when valid.
type validity struct{ words unsafe.Pointer }

func (m validity) set(r int, valid bool) {
	w := (*uint64)(unsafe.Add(m.words, (r/64)*8))
	if valid {
		*w |= 1 << (r % 64)
	} else {
		*w &^= 1 << (r % 64)
	}
}

// arena holds the bytes of the long strings of one chunk in pinned Go
// memory, so the chunk's C memory may point at them until DuckDB copies
// the chunk.
//
// Slabs are not kept from chunk to chunk: kept, they would count as live
// heap between chunks, which the collector's high GC percent multiplies.
type arena struct {
	pin   runtime.Pinner
	slabs [][]byte
	used  int // slabs pinned for the current chunk; the last is filled
	off   int // bytes used in slabs[used-1]
}

// slabSize is the size of the arena's slabs; longer strings get their own.
const slabSize = 1 << 20

// store copies s into the arena and returns the address of the copy.
func (ar *arena) store(s string) unsafe.Pointer {
	if len(s) > slabSize {
		b := []byte(s)
		ar.pin.Pin(&b[0])
		return unsafe.Pointer(&b[0])
	}
	if ar.used == 0 || ar.off+len(s) > slabSize {
		if ar.used == len(ar.slabs) {
			ar.slabs = append(ar.slabs, make([]byte, slabSize))
		}
		ar.pin.Pin(&ar.slabs[ar.used][0])
		ar.used++
		ar.off = 0
	}
	slab := ar.slabs[ar.used-1]
	copy(slab[ar.off:], s)
	p := unsafe.Pointer(&slab[ar.off])
	ar.off += len(s)
	return p
}

// reset forgets the stored strings once DuckDB has copied them.
func (ar *arena) reset() {
	ar.pin.Unpin()
	clear(ar.slabs)
	ar.slabs = ar.slabs[:0]
	ar.used, ar.off = 0, 0
}

// release frees the arena.
func (ar *arena) release() {
	ar.reset()
	ar.slabs = nil
}
