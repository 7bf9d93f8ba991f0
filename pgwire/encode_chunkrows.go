package pgwire

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// chunkRows is a portal's result read chunk by chunk from DuckDB
// (duckdbx.Chunks): sendRow encodes its rows from the column vectors
// (appendRow), and Scan gives the Go values duckdb-go would, for
// materialize.
type chunkRows struct {
	src   *duckdbx.Chunks
	chunk *duckdbx.Chunk
	row   int
	cols  []chunkColumn
	err   error
	stmt  driver.Stmt // the prepared statement src came from, closed with it; or nil
	gate  *admission  // held while a chunk is fetched
	ctx   context.Context
	// ahead delivers the chunk after the current one, fetched by another
	// goroutine while the current one is encoded (nil: none in flight);
	// fetched is that chunk once received (settle) and not yet used.
	ahead   chan fetchedChunk
	fetched *fetchedChunk
	// fetchAhead fetches the next chunk while one is encoded
	// (Options.FetchAhead).
	fetchAhead bool
}

// fetchedChunk is the outcome of fetching one chunk: the chunk, or nil at
// the end of the result or on err.
type fetchedChunk struct {
	chunk *duckdbx.Chunk
	err   error
}

// fullChunk is DuckDB's chunk size (STANDARD_VECTOR_SIZE): a result whose
// first chunk is full may be large, and its next chunks are fetched ahead.
const fullChunk = 2048

// newChunkRows prepares the encoding of src's rows in the statement's
// column types and the portal's formats; ok is false when a column cannot
// be read from vectors.
func newChunkRows(src *duckdbx.Chunks, st *statement, formats []int16) (*chunkRows, bool) {
	types := src.Columns()
	if len(types) != len(st.cols) || len(formats) != len(st.cols) {
		return nil, false
	}
	r := &chunkRows{src: src, cols: make([]chunkColumn, len(types))}
	for i, t := range types {
		c, ok := newChunkColumn(st.cols[i].typ, t, formats[i] == 1)
		if !ok {
			return nil, false
		}
		r.cols[i] = c
	}
	return r, true
}

// Next moves to the next row, moving to the next chunk when the current one
// is used up. With fetchAhead, once a result has shown a full chunk, each
// chunk is fetched by another goroutine while the rows of the one before
// are encoded, so that DuckDB reads and decodes on one core while the rows
// are encoded on the other.
func (r *chunkRows) Next() bool {
	if r.chunk != nil {
		r.row++
		if r.row < r.chunk.Size {
			return true
		}
	}
	if r.src == nil {
		return false
	}
	var f fetchedChunk
	switch {
	case r.fetched != nil:
		f, r.fetched = *r.fetched, nil
	case r.ahead != nil:
		f, r.ahead = <-r.ahead, nil
	default:
		f = r.fetch()
	}
	r.chunk, r.row, r.err = f.chunk, 0, f.err
	if r.chunk == nil {
		return false
	}
	if r.chunk.Size >= fullChunk && r.fetchAhead {
		// src.Next keeps r.chunk valid while it fetches the next one.
		r.ahead = make(chan fetchedChunk, 1)
		go func(ahead chan<- fetchedChunk) { ahead <- r.fetch() }(r.ahead)
	}
	return true
}

// fetch fetches the next chunk holding an admission slot.
func (r *chunkRows) fetch() fetchedChunk {
	if err := r.gate.acquire(r.ctx); err != nil {
		return fetchedChunk{err: err}
	}
	defer r.gate.release()
	if c := r.src.Next(); c != nil {
		return fetchedChunk{chunk: c}
	}
	return fetchedChunk{err: r.src.Err()}
}

// settle waits for a chunk being fetched ahead, keeping it for Next: no
// goroutine works on the connection's result after settle returns, so the
// connection can run other statements (ending the result) or close it.
func (r *chunkRows) settle() {
	if r.ahead != nil {
		f := <-r.ahead
		r.ahead, r.fetched = nil, &f
	}
}

func (r *chunkRows) Err() error { return r.err }

func (r *chunkRows) Close() error {
	r.settle()
	r.chunk, r.fetched = nil, nil
	var err error
	if r.src != nil {
		err = r.src.Close()
		r.src = nil
	}
	return closeStmt(&r.stmt, err)
}

// closeStmt closes *ds, if any, once the result it gave has closed with
// err, and forgets it; the first error is returned.
func closeStmt(ds *driver.Stmt, err error) error {
	if *ds != nil {
		if cerr := (*ds).Close(); err == nil {
			err = cerr
		}
		*ds = nil
	}
	return err
}

// Scan stores the current row's values in dest (each an *any).
func (r *chunkRows) Scan(dest ...any) error {
	if r.chunk == nil || len(dest) != len(r.cols) {
		return errors.New("scan chunk rows: no current row")
	}
	for i := range r.cols {
		v := &r.chunk.Cols[i]
		var val any
		if v.Valid(r.row) {
			val = r.cols[i].value(v, r.row)
		}
		*(dest[i].(*any)) = val
	}
	return nil
}

// appendRow appends the current row's values (length and bytes, or -1 for
// NULL) to a DataRow being built in buf.
func (r *chunkRows) appendRow(e *encoder, buf []byte, st *statement) ([]byte, error) {
	for i := range r.cols {
		c := &r.cols[i]
		v := &r.chunk.Cols[i]
		if !v.Valid(r.row) {
			buf = append(buf, 0xff, 0xff, 0xff, 0xff) // -1: NULL
			continue
		}
		if c.verbatim {
			b := v.Bytes(r.row)
			buf = append(buf, byte(len(b)>>24), byte(len(b)>>16), byte(len(b)>>8), byte(len(b)))
			buf = append(buf, b...)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		ok := false
		if c.fast != nil {
			buf, ok = c.fast(e, buf, v, r.row)
		}
		if !ok {
			var err error
			if c.binary {
				buf, err = e.appendBinary(buf, c.ct, c.value(v, r.row))
			} else {
				buf, err = e.appendText(buf, c.ct, c.value(v, r.row))
			}
			if err != nil {
				return buf, newError(codeInternal, "encode column %q: %v", st.cols[i].name, err)
			}
		}
		n := len(buf) - at - 4
		buf[at], buf[at+1], buf[at+2], buf[at+3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	}
	return buf, nil
}

// driverRows reads a result value by value from the driver, as
// database/sql's Rows would, for results chunkRows cannot encode.
type driverRows struct {
	rows driver.Rows
	stmt driver.Stmt // the prepared statement rows came from, closed with them; or nil
	vals []driver.Value
	err  error
	gate *admission // held while a row is fetched
	ctx  context.Context
}

func (d *driverRows) Next() bool {
	if d.rows == nil || d.err != nil {
		return false
	}
	if err := d.gate.acquire(d.ctx); err != nil {
		d.err = err
		return false
	}
	err := d.rows.Next(d.vals)
	d.gate.release()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			d.err = err
		}
		return false
	}
	return true
}

func (d *driverRows) Scan(dest ...any) error {
	if len(dest) != len(d.vals) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(d.vals))
	}
	for i, v := range d.vals {
		if b, ok := v.([]byte); ok {
			v = bytes.Clone(b) // as database/sql does for *any
		}
		*(dest[i].(*any)) = v
	}
	return nil
}

func (d *driverRows) Err() error { return d.err }

func (d *driverRows) Close() error {
	var err error
	if d.rows != nil {
		err = d.rows.Close()
		d.rows = nil
	}
	return closeStmt(&d.stmt, err)
}
