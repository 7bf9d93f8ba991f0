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
// Rows come as a colbuf.Batch, one Go slice per column, copied into the
// chunk's vectors column by column (AppendBatch); rows of Go values
// (Append) are first collected in such a batch.
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

	"github.com/tpserver/tpserver/collector/internal/colbuf"
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
	// vecs are the vectors of the current chunk, which holds size rows.
	vecs  []vector
	size  int
	arena arena
	// rowBatch collects the rows of Append.
	rowBatch *colbuf.Batch
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

// Append adds rows, each holding one value per column in table order. It
// collects them in a batch (see colbuf) and appends that with AppendBatch:
// the rows may change once it returns.
func (a *Appender) Append(rows [][]any) error {
	if a.rowBatch == nil {
		a.rowBatch = &colbuf.Batch{}
		for i := range a.cols {
			a.rowBatch.Cols = append(a.rowBatch.Cols, a.cols[i].newColumn())
		}
	}
	b := a.rowBatch
	b.Truncate(0)
	for _, r := range rows {
		if len(r) != len(a.cols) {
			return fmt.Errorf("chunkappend: row of %d values for %d columns", len(r), len(a.cols))
		}
		for i, v := range r {
			if err := appendValue(&a.cols[i], b.Cols[i], v); err != nil {
				b.Truncate(0)
				return fmt.Errorf("chunkappend: %s: %w", a.cols[i].name, err)
			}
		}
	}
	err := a.AppendBatch(b)
	b.Truncate(0)
	return err
}

// newColumn returns an empty batch column of c's shape.
func (c *column) newColumn() *colbuf.Column {
	var fields []*colbuf.Column
	for i := range c.fields {
		fields = append(fields, c.fields[i].newColumn())
	}
	return colbuf.NewColumn(c.name, c.kind(), fields...)
}

// kind is the batch column kind of c's type.
func (c *column) kind() colbuf.Kind {
	switch c.typ {
	case bindings.TypeBoolean:
		return colbuf.Bool
	case bindings.TypeBigInt:
		return colbuf.Int64
	case bindings.TypeTimestamp:
		return colbuf.Timestamp
	case bindings.TypeDate:
		return colbuf.Date
	case bindings.TypeList:
		return colbuf.StringList
	case bindings.TypeStruct:
		return colbuf.Struct
	}
	return colbuf.String
}

// appendValue appends the Go value v (see Appender) to the batch column
// col of shape c.
func appendValue(c *column, col *colbuf.Column, v any) error {
	if v == nil {
		col.AppendNull()
		return nil
	}
	ok := true
	switch c.typ {
	case bindings.TypeVarchar:
		var s string
		if s, ok = v.(string); ok {
			col.AppendString(s)
		}
	case bindings.TypeBoolean:
		var b bool
		if b, ok = v.(bool); ok {
			col.AppendBool(b)
		}
	case bindings.TypeBigInt:
		var n int64
		if n, ok = v.(int64); ok {
			col.AppendInt(n)
		}
	case bindings.TypeTimestamp, bindings.TypeDate:
		var t time.Time
		if t, ok = v.(time.Time); ok && c.typ == bindings.TypeDate {
			col.AppendDate(t)
		} else if ok {
			col.AppendTime(t)
		}
	case bindings.TypeList:
		var l []string
		if l, ok = v.([]string); ok {
			col.AppendList(l...)
		}
	case bindings.TypeStruct:
		return appendStruct(c, col, v)
	}
	if !ok {
		return fmt.Errorf("%T value for %s", v, typeName(c.typ))
	}
	return nil
}

// appendStruct appends the STRUCT value v, a map[string]any holding every
// field.
func appendStruct(c *column, col *colbuf.Column, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%T value for STRUCT", v)
	}
	for i := range c.fields {
		if _, has := m[c.fields[i].name]; !has {
			return fmt.Errorf("struct value without field %s", c.fields[i].name)
		}
	}
	col.AppendStruct()
	for i := range c.fields {
		f := &c.fields[i]
		if err := appendValue(f, col.Fields[i], m[f.name]); err != nil {
			// Keep the fields aligned: the struct row is dropped by the
			// caller's Truncate, its fields here.
			for _, g := range col.Fields[i:] {
				if g.Len() < col.Len() {
					g.AppendNull()
				}
			}
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

// typeName names the types Appender writes, for errors.
func typeName(t bindings.Type) string {
	switch t {
	case bindings.TypeBoolean:
		return "BOOLEAN"
	case bindings.TypeBigInt:
		return "BIGINT"
	case bindings.TypeTimestamp:
		return "TIMESTAMP"
	case bindings.TypeDate:
		return "DATE"
	case bindings.TypeList:
		return "VARCHAR[]"
	case bindings.TypeStruct:
		return "STRUCT"
	}
	return "VARCHAR"
}

// AppendBatch adds the rows of b, whose columns must have the kinds and
// (for STRUCT fields) the names of the table's columns, in table order.
// Rows are copied into the current chunk, which is appended when full or
// at Flush: b may change once AppendBatch returns.
func (a *Appender) AppendBatch(b *colbuf.Batch) error {
	if len(b.Cols) != len(a.cols) {
		return fmt.Errorf("chunkappend: batch of %d columns for %d", len(b.Cols), len(a.cols))
	}
	for i := range a.cols {
		if err := a.cols[i].matches(b.Cols[i]); err != nil {
			return fmt.Errorf("chunkappend: %w", err)
		}
	}
	n := b.Len()
	for from := 0; from < n; {
		if a.size == 0 {
			a.startChunk()
		}
		k := min(n-from, chunkRows-a.size)
		for i := range a.cols {
			if err := a.fill(&a.cols[i], &a.vecs[i], b.Cols[i], from, k); err != nil {
				return err
			}
		}
		a.size += k
		from += k
		if a.size == chunkRows {
			if err := a.writeChunk(); err != nil {
				return err
			}
		}
	}
	return nil
}

// matches checks that the batch column col has c's shape.
func (c *column) matches(col *colbuf.Column) error {
	if col.Kind != c.kind() || len(col.Fields) != len(c.fields) {
		return fmt.Errorf("%s: batch column %q of kind %d for %s", c.name, col.Name, col.Kind, typeName(c.typ))
	}
	for i := range c.fields {
		if col.Fields[i].Name != c.fields[i].name {
			return fmt.Errorf("%s: batch field %q for field %s", c.name, col.Fields[i].Name, c.fields[i].name)
		}
		if err := c.fields[i].matches(col.Fields[i]); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

// Flush appends the current chunk and makes every appended row visible in
// the table.
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
	a.size = 0
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

// vector is a vector of the current chunk: its data, its validity and its
// STRUCT fields' vectors.
type vector struct {
	vec    bindings.Vector
	data   unsafe.Pointer
	mask   validity
	fields []vector
}

// startChunk empties the chunk and reads the addresses of its vectors.
func (a *Appender) startChunk() {
	bindings.DataChunkReset(a.chunk)
	if a.vecs == nil {
		a.vecs = make([]vector, len(a.cols))
	}
	for i := range a.cols {
		a.vecs[i] = openVector(&a.cols[i], bindings.DataChunkGetVector(a.chunk, bindings.IdxT(i)), a.vecs[i].fields)
	}
}

// openVector returns the vector vec of column c, reusing fields' storage.
func openVector(c *column, vec bindings.Vector, fields []vector) vector {
	bindings.VectorEnsureValidityWritable(vec)
	v := vector{vec: vec, data: bindings.VectorGetData(vec), mask: validity{bindings.VectorGetValidity(vec)}}
	if len(c.fields) > 0 {
		if fields == nil {
			fields = make([]vector, len(c.fields))
		}
		for i := range c.fields {
			fields[i] = openVector(&c.fields[i], bindings.StructVectorGetChild(vec, bindings.IdxT(i)), fields[i].fields)
		}
		v.fields = fields
	}
	return v
}

// writeChunk appends the current chunk, if it holds rows.
func (a *Appender) writeChunk() error {
	if a.size == 0 {
		return nil
	}
	bindings.DataChunkSetSize(a.chunk, bindings.IdxT(a.size))
	a.size = 0
	state := bindings.AppendDataChunk(a.app, a.chunk)
	a.arena.reset()
	if state == bindings.StateError {
		return fmt.Errorf("chunkappend: append chunk: %s", bindings.AppenderError(a.app))
	}
	return nil
}

// fill copies rows [from, from+n) of the batch column col into v, the
// vector of column c, from row a.size on.
func (a *Appender) fill(c *column, v *vector, col *colbuf.Column, from, n int) error {
	at := a.size
	valid := col.Valid[from : from+n]
	for i, ok := range valid {
		v.mask.set(at+i, ok)
	}
	switch c.typ {
	case bindings.TypeVarchar:
		for i, s := range col.Str[from : from+n] {
			if valid[i] {
				a.putString(v.data, at+i, s)
			}
		}
	case bindings.TypeBoolean:
		for i, b := range col.Bool[from : from+n] {
			*(*bool)(unsafe.Add(v.data, at+i)) = b
		}
	case bindings.TypeBigInt, bindings.TypeTimestamp:
		dst := unsafe.Slice((*int64)(unsafe.Add(v.data, at*8)), n)
		copy(dst, col.Int[from:from+n])
	case bindings.TypeDate:
		for i, d := range col.Int[from : from+n] {
			*(*int32)(unsafe.Add(v.data, (at+i)*4)) = int32(d)
		}
	case bindings.TypeList:
		if err := a.fillList(v, col, from, n); err != nil {
			return fmt.Errorf("chunkappend: %s: %w", c.name, err)
		}
	case bindings.TypeStruct:
		for i := range c.fields {
			if err := a.fill(&c.fields[i], &v.fields[i], col.Fields[i], from, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillList copies rows [from, from+n) of the StringList column col into
// the VARCHAR[] vector v: list entries (offset, length) in its data, the
// strings appended to its child vector, grown once per call.
func (a *Appender) fillList(v *vector, col *colbuf.Column, from, n int) error {
	start := 0
	if from > 0 {
		start = col.End[from-1]
	}
	elems := col.Str[start:col.End[from+n-1]]
	off := int(bindings.ListVectorGetSize(v.vec))
	if len(elems) > 0 {
		if bindings.ListVectorReserve(v.vec, bindings.IdxT(off+len(elems))) == bindings.StateError ||
			bindings.ListVectorSetSize(v.vec, bindings.IdxT(off+len(elems))) == bindings.StateError {
			return fmt.Errorf("reserve %d list elements", off+len(elems))
		}
		child := bindings.ListVectorGetChild(v.vec)
		bindings.VectorEnsureValidityWritable(child)
		childMask := validity{bindings.VectorGetValidity(child)}
		childData := bindings.VectorGetData(child)
		for i, s := range elems {
			childMask.set(off+i, true)
			a.putString(childData, off+i, s)
		}
	}
	prev := start
	for i, end := range col.End[from : from+n] {
		*(*[2]uint64)(unsafe.Add(v.data, (a.size+i)*16)) = [2]uint64{uint64(off + prev - start), uint64(end - prev)}
		prev = end
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
