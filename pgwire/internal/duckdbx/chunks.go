package duckdbx

import (
	"database/sql/driver"
	"errors"
	"reflect"
	"unsafe"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// Chunks reads a query result of duckdb-go chunk by chunk, handing out
// DuckDB's column vectors as they are in memory instead of converting each
// value to a Go value as the driver's Rows.Next does. It takes over the
// driver's rows: the caller must not call their Next, and closes them
// through Chunks.Close.
type Chunks struct {
	rows driver.Rows
	res  *mapping.Result
	cols []Column
	// slots are two chunks used in turn, so that the chunk Next returned
	// last stays readable while the next one is fetched; next is the
	// slot the next call of Next fills.
	slots [2]slot
	next  int
}

// slot is one DuckDB chunk and its vectors.
type slot struct {
	cur   mapping.DataChunk
	chunk Chunk
}

// Column is the type of one result column as DuckDB produces it: Type, and
// for a LIST its element type in Elem (TYPE_INVALID otherwise); Shape is
// the whole type, nested parts included.
type Column struct {
	Type  duckdb.Type
	Elem  duckdb.Type
	Shape Shape
}

// Shape is a type as DuckDB's logical type tells it, nested parts
// included: its type id, whether it is DuckDB's JSON (a VARCHAR alias),
// and its parts: a STRUCT's fields (with their Name), a LIST's element,
// a MAP's key and value.
type Shape struct {
	Type  duckdb.Type
	JSON  bool
	Name  string
	Parts []Shape
}

// Chunk is one chunk of a result: Size rows, one Vector per column. It is
// valid until the second call of Chunks.Next after the one that returned
// it, or Chunks.Close: a caller may read it while the next chunk is being
// fetched (from another goroutine).
type Chunk struct {
	Size int
	Cols []Vector
}

// Vector is one column of a chunk: its values as DuckDB lays them out
// (fixed-size values, or 16-byte duckdb_string_t, or 16-byte list entries
// whose elements are in Child), and its validity mask (nil: no NULLs). A
// MAP is a LIST whose Child is a STRUCT of key and value; a STRUCT has no
// values of its own, one vector per field in Fields, row for row.
type Vector struct {
	data     unsafe.Pointer
	validity unsafe.Pointer
	Child    *Vector
	Fields   []Vector
}

// NewChunks takes over rows returned by a duckdb-go connection's
// QueryContext. ok is false when rows are not duckdb-go's or the driver's
// layout changed; rows are then left untouched.
func NewChunks(rows driver.Rows) (c *Chunks, ok bool) {
	res := rawResult(rows)
	if res == nil {
		return nil, false
	}
	n := int(mapping.ColumnCount(res))
	c = &Chunks{rows: rows, res: res, cols: make([]Column, n)}
	for i := range c.cols {
		c.cols[i] = resultColumn(res, i)
	}
	for k := range c.slots {
		cols := make([]Vector, n)
		for i := range cols {
			cols[i] = newVector(&c.cols[i].Shape)
		}
		c.slots[k].chunk.Cols = cols
	}
	return c, true
}

// rawResult digs the C result out of duckdb-go's rows, which do not export
// it. Nil if rows are something else or the layout changed.
func rawResult(rows driver.Rows) *mapping.Result {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().Name() != "rows" ||
		v.Elem().Type().PkgPath() != reflect.TypeOf(duckdb.Conn{}).PkgPath() {
		return nil
	}
	f := v.Elem().FieldByName("res")
	if !f.IsValid() || f.Type() != reflect.TypeOf(mapping.Result{}) {
		return nil
	}
	return (*mapping.Result)(unsafe.Pointer(f.UnsafeAddr()))
}

// resultColumn reads the type of result column i.
func resultColumn(res *mapping.Result, i int) Column {
	lt := mapping.ColumnLogicalType(res, mapping.IdxT(i))
	defer mapping.DestroyLogicalType(&lt)
	col := Column{Type: mapping.ColumnType(res, mapping.IdxT(i)), Shape: readShape(lt)}
	if col.Type == duckdb.TYPE_LIST {
		col.Elem = col.Shape.Parts[0].Type
	}
	return col
}

// readShape reads a logical type and its nested parts (it does not
// destroy lt). ARRAY, UNION and other types keep no parts.
func readShape(lt mapping.LogicalType) Shape {
	s := Shape{Type: mapping.GetTypeId(lt), JSON: mapping.LogicalTypeGetAlias(lt) == "JSON"}
	part := func(name string, child mapping.LogicalType) {
		defer mapping.DestroyLogicalType(&child)
		p := readShape(child)
		p.Name = name
		s.Parts = append(s.Parts, p)
	}
	switch s.Type {
	case duckdb.TYPE_LIST:
		part("", mapping.ListTypeChildType(lt))
	case duckdb.TYPE_MAP:
		part("key", mapping.MapTypeKeyType(lt))
		part("value", mapping.MapTypeValueType(lt))
	case duckdb.TYPE_STRUCT:
		for k := range mapping.StructTypeChildCount(lt) {
			part(mapping.StructTypeChildName(lt, k), mapping.StructTypeChildType(lt, k))
		}
	}
	return s
}

// newVector allocates the vectors of a value of shape s once, for every
// chunk: a LIST's or MAP's Child, a STRUCT's Fields.
func newVector(s *Shape) Vector {
	var v Vector
	switch s.Type {
	case duckdb.TYPE_LIST:
		child := newVector(&s.Parts[0])
		v.Child = &child
	case duckdb.TYPE_MAP:
		entry := Vector{Fields: []Vector{newVector(&s.Parts[0]), newVector(&s.Parts[1])}}
		v.Child = &entry
	case duckdb.TYPE_STRUCT:
		v.Fields = make([]Vector, len(s.Parts))
		for k := range s.Parts {
			v.Fields[k] = newVector(&s.Parts[k])
		}
	}
	return v
}

// point makes v (allocated by newVector for shape s) read DuckDB's vector
// vec of the current chunk.
func point(v *Vector, s *Shape, vec mapping.Vector) {
	v.data, v.validity = mapping.VectorGetData(vec), mapping.VectorGetValidity(vec)
	switch s.Type {
	case duckdb.TYPE_LIST:
		point(v.Child, &s.Parts[0], mapping.ListVectorGetChild(vec))
	case duckdb.TYPE_MAP:
		entries := mapping.ListVectorGetChild(vec)
		v.Child.data, v.Child.validity = nil, mapping.VectorGetValidity(entries)
		for k := range 2 {
			point(&v.Child.Fields[k], &s.Parts[k], mapping.StructVectorGetChild(entries, mapping.IdxT(k)))
		}
	case duckdb.TYPE_STRUCT:
		for k := range v.Fields {
			point(&v.Fields[k], &s.Parts[k], mapping.StructVectorGetChild(vec, mapping.IdxT(k)))
		}
	}
}

// PreparedShapes reads the types of the first n result columns of a
// prepared statement, nested parts and JSON aliases included; ok is false
// when the C prepared statement cannot be reached.
func PreparedShapes(s *duckdb.Stmt, n int) (shapes []Shape, ok bool) {
	ps := rawPrepared(s)
	if ps == nil {
		return nil, false
	}
	shapes = make([]Shape, n)
	for i := range shapes {
		lt := mapping.PreparedStatementColumnLogicalType(*ps, mapping.IdxT(i))
		shapes[i] = readShape(lt)
		mapping.DestroyLogicalType(&lt)
	}
	return shapes, true
}

// Columns are the result's column types.
func (c *Chunks) Columns() []Column { return c.cols }

// Next fetches the next chunk; it returns nil at the end of the result or
// when fetching failed (see Err). The chunk it returned the time before
// stays valid meanwhile; the one before that is released. Calls of Next
// must not overlap.
func (c *Chunks) Next() *Chunk {
	s := &c.slots[c.next]
	c.next = 1 - c.next
	s.release()
	for {
		s.cur = mapping.FetchChunk(*c.res)
		if s.cur.Ptr == nil {
			return nil
		}
		size := int(mapping.DataChunkGetSize(s.cur))
		if size == 0 {
			s.release()
			continue
		}
		s.chunk.Size = size
		for i := range s.chunk.Cols {
			point(&s.chunk.Cols[i], &c.cols[i].Shape, mapping.DataChunkGetVector(s.cur, mapping.IdxT(i)))
		}
		return &s.chunk
	}
}

// Err reports why the result ended early, if it did: DuckDB's error, typed
// as duckdb-go types the errors of running a query.
func (c *Chunks) Err() error {
	if c.res == nil {
		return nil
	}
	msg := mapping.ResultError(c.res)
	if msg == "" {
		return nil
	}
	return &duckdb.Error{Type: duckdb.ErrorType(mapping.ResultErrorType(c.res)), Msg: msg}
}

func (s *slot) release() {
	if s.cur.Ptr != nil {
		mapping.DestroyDataChunk(&s.cur)
	}
}

// Close frees the chunks and closes the driver's rows (the result
// and its statement).
func (c *Chunks) Close() error {
	if c.rows == nil {
		return nil
	}
	for k := range c.slots {
		c.slots[k].release()
	}
	err := c.rows.Close()
	c.rows, c.res = nil, nil
	if err != nil {
		return errors.Join(errors.New("close DuckDB result"), err)
	}
	return nil
}

// Valid reports whether row i holds a value (is not NULL).
func (v *Vector) Valid(i int) bool {
	if v.validity == nil {
		return true
	}
	entry := *(*uint64)(unsafe.Add(v.validity, (i/64)*8))
	return entry&(1<<(uint(i)%64)) != 0
}

// Get reads the fixed-size value of row i as a T (int64 for BIGINT and
// TIMESTAMP, int32 for DATE, bool for BOOLEAN, ...).
func Get[T any](v *Vector, i int) T {
	var zero T
	return *(*T)(unsafe.Add(v.data, uintptr(i)*unsafe.Sizeof(zero)))
}

// Bytes is row i of a VARCHAR or BLOB vector, pointing into DuckDB's memory:
// valid only until the chunk is released, and never to be modified.
func (v *Vector) Bytes(i int) []byte {
	// duckdb_string_t: uint32 length, then up to 12 bytes inline, or a
	// 4-byte prefix and a pointer at offset 8 (string_t::INLINE_LENGTH).
	p := unsafe.Add(v.data, uintptr(i)*16)
	n := *(*uint32)(p)
	if n == 0 {
		return []byte{}
	}
	if n <= 12 {
		return unsafe.Slice((*byte)(unsafe.Add(p, 4)), n)
	}
	return unsafe.Slice(*(**byte)(unsafe.Add(p, 8)), n)
}

// List is the offset and length in Child of the elements of row i of a
// LIST vector.
func (v *Vector) List(i int) (offset, length int) {
	e := Get[[2]uint64](v, i)
	return int(e[0]), int(e[1])
}

// Hugeint is row i of a 16-byte vector (HUGEINT, UUID) as its lower and
// upper halves.
func (v *Vector) Hugeint(i int) (lower uint64, upper int64) {
	h := Get[[2]uint64](v, i)
	return h[0], int64(h[1])
}
