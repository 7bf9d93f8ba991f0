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
	rows  driver.Rows
	res   *mapping.Result
	cur   mapping.DataChunk
	cols  []Column
	chunk Chunk
}

// Column is the type of one result column as DuckDB produces it: Type, and
// for a LIST its element type in Elem (TYPE_INVALID otherwise).
type Column struct {
	Type duckdb.Type
	Elem duckdb.Type
}

// Chunk is one chunk of a result: Size rows, one Vector per column. It is
// valid until the next call of Chunks.Next or Chunks.Close.
type Chunk struct {
	Size int
	Cols []Vector
}

// Vector is one column of a chunk: its values as DuckDB lays them out
// (fixed-size values, or 16-byte duckdb_string_t, or 16-byte list entries
// whose elements are in Child), and its validity mask (nil: no NULLs).
type Vector struct {
	data     unsafe.Pointer
	validity unsafe.Pointer
	Child    *Vector
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
	c.chunk.Cols = make([]Vector, n)
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
	col := Column{Type: mapping.ColumnType(res, mapping.IdxT(i))}
	if col.Type != duckdb.TYPE_LIST {
		return col
	}
	lt := mapping.ColumnLogicalType(res, mapping.IdxT(i))
	defer mapping.DestroyLogicalType(&lt)
	child := mapping.ListTypeChildType(lt)
	defer mapping.DestroyLogicalType(&child)
	col.Elem = mapping.GetTypeId(child)
	return col
}

// Columns are the result's column types.
func (c *Chunks) Columns() []Column { return c.cols }

// Next fetches the next chunk; it returns nil at the end of the result or
// when fetching failed (see Err).
func (c *Chunks) Next() *Chunk {
	c.release()
	for {
		c.cur = mapping.FetchChunk(*c.res)
		if c.cur.Ptr == nil {
			return nil
		}
		size := int(mapping.DataChunkGetSize(c.cur))
		if size == 0 {
			c.release()
			continue
		}
		c.chunk.Size = size
		for i := range c.chunk.Cols {
			vec := mapping.DataChunkGetVector(c.cur, mapping.IdxT(i))
			c.chunk.Cols[i] = Vector{data: mapping.VectorGetData(vec), validity: mapping.VectorGetValidity(vec)}
			if c.cols[i].Type == duckdb.TYPE_LIST {
				child := mapping.ListVectorGetChild(vec)
				c.chunk.Cols[i].Child = &Vector{data: mapping.VectorGetData(child), validity: mapping.VectorGetValidity(child)}
			}
		}
		return &c.chunk
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

func (c *Chunks) release() {
	if c.cur.Ptr != nil {
		mapping.DestroyDataChunk(&c.cur)
	}
}

// Close frees the current chunk and closes the driver's rows (the result
// and its statement).
func (c *Chunks) Close() error {
	if c.rows == nil {
		return nil
	}
	c.release()
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
