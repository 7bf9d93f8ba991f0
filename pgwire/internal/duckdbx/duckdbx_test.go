package duckdbx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"

	"github.com/tpserver/tpserver/internal/testsupport/duckdbtest"
)

// TestEnableStreamingResults guards the driver variable the streaming
// switch replaces.
func TestEnableStreamingResults(t *testing.T) {
	EnableStreamingResults()
	EnableStreamingResults()
	got := reflect.ValueOf(mapping.PendingPrepared).Pointer()
	if want := reflect.ValueOf(bindings.PendingPreparedStreaming).Pointer(); got != want {
		t.Fatal("duckdb-go no longer executes prepared statements through mapping.PendingPrepared: update EnableStreamingResults")
	}
}

// TestRawDuckConnFound guards the lookup of the C connection: if an upgrade
// moves the handle, cancellation of streaming fetches would silently stop
// working, so fail here instead.
func TestRawDuckConnFound(t *testing.T) {
	if NewInterrupter(duckdbtest.Conn(t)) == nil {
		t.Fatal("duckdb-go's Conn no longer has the expected C connection field: update NewInterrupter")
	}
}

// TestInterruptStopsQuery interrupts a long query through the handle.
func TestInterruptStopsQuery(t *testing.T) {
	conn := duckdbtest.Conn(t)
	in := NewInterrupter(conn)
	done := make(chan error, 1)
	go func() {
		var n int64
		done <- conn.QueryRowContext(context.Background(), "SELECT count(*) FROM range(10000000000) a, range(1000) b").Scan(&n)
	}()
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err == nil {
				t.Fatal("query finished although interrupted")
			}
			return
		case <-tick.C:
			in.Interrupt()
		case <-deadline:
			t.Fatal("query not interrupted")
		}
	}
}

// TestNilInterrupter checks that a missing handle interrupts nothing.
func TestNilInterrupter(t *testing.T) {
	var in *Interrupter
	in.Interrupt()
}

// TestRawPreparedFound guards the lookup of the C prepared statement:
// without it, JSON columns are found by an extra DESCRIBE per statement,
// which works but costs a second bind.
func TestRawPreparedFound(t *testing.T) {
	conn := duckdbtest.Conn(t)
	var kinds []JSONKind
	var ok bool
	err := conn.Raw(func(dc any) error {
		ds, err := dc.(*duckdb.Conn).PrepareContext(context.Background(), `SELECT '{"a":1}'::JSON AS j, ['[1]'::JSON] AS l, ['[1]'::JSON, '2'::JSON]::JSON[2] AS a, 'x' AS s`)
		if err != nil {
			return err
		}
		defer ds.Close()
		s, isDuck := ds.(*duckdb.Stmt)
		if !isDuck {
			return fmt.Errorf("prepared statement is %T", ds)
		}
		kinds, ok = ColumnJSONKinds(s, 4)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("duckdb-go's Stmt no longer has the expected C prepared statement field: update rawPrepared")
	}
	if want := []JSONKind{JSON, ListOfJSON, ListOfJSON, NotJSON}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("JSON kinds %v, want %v", kinds, want)
	}
}

// TestParams reads JSON and list element types of parameters from the C
// prepared statement.
func TestParams(t *testing.T) {
	conn := duckdbtest.Conn(t)
	var params []Param
	var ok bool
	err := conn.Raw(func(dc any) error {
		ds, err := dc.(*duckdb.Conn).PrepareContext(context.Background(), `SELECT $1::JSON, $2::INTEGER[][], $3::JSON[], $4::VARCHAR, $5 IS NULL`)
		if err != nil {
			return err
		}
		defer ds.Close()
		params, ok = Params(ds.(*duckdb.Stmt), 5)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("duckdb-go's Stmt no longer has the expected C prepared statement field: update rawPrepared")
	}
	want := []Param{{JSON: true}, {Elem: duckdb.TYPE_INTEGER, Depth: 2}, {Elem: duckdb.TYPE_VARCHAR, Depth: 1, ElemJSON: true}, {}, {}}
	if !reflect.DeepEqual(params, want) {
		t.Errorf("params %+v, want %+v", params, want)
	}
}

// TestChunksRead guards the lookup of the C result behind duckdb-go's rows
// and reads values of each vector layout from its chunks.
func TestChunksRead(t *testing.T) {
	EnableStreamingResults()
	conn := duckdbtest.Conn(t)
	const q = `SELECT i::BIGINT AS n, CASE WHEN i % 2 = 0 THEN NULL ELSE 'value number ' || i::VARCHAR END AS s,
		[i::VARCHAR, NULL] AS l FROM range(5000) t(i)`
	readChunks(t, conn, q, func(c *Chunks) error {
		want := []Column{
			{Type: duckdb.TYPE_BIGINT, Shape: Shape{Type: duckdb.TYPE_BIGINT}},
			{Type: duckdb.TYPE_VARCHAR, Shape: Shape{Type: duckdb.TYPE_VARCHAR}},
			{Type: duckdb.TYPE_LIST, Elem: duckdb.TYPE_VARCHAR, Shape: Shape{Type: duckdb.TYPE_LIST, Parts: []Shape{{Type: duckdb.TYPE_VARCHAR}}}},
		}
		if !reflect.DeepEqual(c.Columns(), want) {
			return fmt.Errorf("columns %+v, want %+v", c.Columns(), want)
		}
		next := int64(0)
		for ch := c.Next(); ch != nil; ch = c.Next() {
			for i := range ch.Size {
				n := Get[int64](&ch.Cols[0], i)
				if n != next {
					return fmt.Errorf("row %d: n = %d", next, n)
				}
				s := &ch.Cols[1]
				if s.Valid(i) != (n%2 == 1) || (s.Valid(i) && string(s.Bytes(i)) != fmt.Sprintf("value number %d", n)) {
					return fmt.Errorf("row %d: s valid %v %q", n, s.Valid(i), s.Bytes(i))
				}
				off, length := ch.Cols[2].List(i)
				child := ch.Cols[2].Child
				if length != 2 || string(child.Bytes(off)) != fmt.Sprint(n) || child.Valid(off+1) {
					return fmt.Errorf("row %d: list of %d", n, length)
				}
				next++
			}
		}
		if next != 5000 {
			return fmt.Errorf("read %d rows, want 5000", next)
		}
		return c.Err()
	})
}

// TestChunksError checks that an error raised after the first chunks is
// reported by Err.
func TestChunksError(t *testing.T) {
	EnableStreamingResults()
	conn := duckdbtest.Conn(t)
	ctx := context.Background()
	// On several threads, under load, DuckDB sometimes ends the stream with
	// the interruption of its other tasks instead of the query's error; one
	// thread makes the reported error deterministic.
	if _, err := conn.ExecContext(ctx, "SET threads = 1"); err != nil {
		t.Fatal(err)
	}
	var got error
	readChunks(t, conn, "SELECT CASE WHEN i = 300000 THEN error('boom') ELSE i END FROM range(400000) t(i)", func(c *Chunks) error {
		for c.Next() != nil {
		}
		got = c.Err()
		return nil
	})
	var de *duckdb.Error
	if !errors.As(got, &de) || !strings.Contains(de.Msg, "boom") {
		t.Fatalf("error after the last chunk: %v, want DuckDB's boom", got)
	}
}

// TestChunksReadNested reads the shapes and the vectors of STRUCT, MAP and
// LIST-of-STRUCT columns, with NULLs at each level.
func TestChunksReadNested(t *testing.T) {
	EnableStreamingResults()
	conn := duckdbtest.Conn(t)
	const q = `SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE {'n': i, 'j': CASE WHEN i % 2 = 0 THEN NULL ELSE '[1]'::JSON END} END AS s,
		MAP {'k' || i::VARCHAR: i * 10} AS m, [{'a': i}, NULL] AS l FROM range(3000) t(i)`
	readChunks(t, conn, q, func(c *Chunks) error {
		bigint := Shape{Type: duckdb.TYPE_BIGINT}
		want := []Shape{
			{Type: duckdb.TYPE_STRUCT, Parts: []Shape{{Type: duckdb.TYPE_BIGINT, Name: "n"}, {Type: duckdb.TYPE_VARCHAR, JSON: true, Name: "j"}}},
			{Type: duckdb.TYPE_MAP, Parts: []Shape{{Type: duckdb.TYPE_VARCHAR, Name: "key"}, {Type: duckdb.TYPE_BIGINT, Name: "value"}}},
			{Type: duckdb.TYPE_LIST, Parts: []Shape{{Type: duckdb.TYPE_STRUCT, Parts: []Shape{{Type: bigint.Type, Name: "a"}}}}},
		}
		for k, col := range c.Columns() {
			if !reflect.DeepEqual(col.Shape, want[k]) {
				return fmt.Errorf("column %d: shape %+v, want %+v", k, col.Shape, want[k])
			}
		}
		next := int64(0)
		for ch := c.Next(); ch != nil; ch = c.Next() {
			for i := range ch.Size {
				s, m, l := &ch.Cols[0], &ch.Cols[1], &ch.Cols[2]
				if s.Valid(i) != (next%3 != 0) {
					return fmt.Errorf("row %d: struct valid %v", next, s.Valid(i))
				}
				if s.Valid(i) && (Get[int64](&s.Fields[0], i) != next || s.Fields[1].Valid(i) != (next%2 == 1) ||
					(s.Fields[1].Valid(i) && string(s.Fields[1].Bytes(i)) != "[1]")) {
					return fmt.Errorf("row %d: struct fields", next)
				}
				off, n := m.List(i)
				if n != 1 || string(m.Child.Fields[0].Bytes(off)) != fmt.Sprintf("k%d", next) || Get[int64](&m.Child.Fields[1], off) != next*10 {
					return fmt.Errorf("row %d: map of %d", next, n)
				}
				off, n = l.List(i)
				if n != 2 || !l.Child.Valid(off) || l.Child.Valid(off+1) || Get[int64](&l.Child.Fields[0], off) != next {
					return fmt.Errorf("row %d: list of structs", next)
				}
				next++
			}
		}
		if next != 3000 {
			return fmt.Errorf("read %d rows, want 3000", next)
		}
		return c.Err()
	})
}

// readChunks runs q on conn and hands its chunks to read; a failure of
// either fails the test.
func readChunks(t *testing.T, conn *sql.Conn, q string, read func(*Chunks) error) {
	t.Helper()
	err := conn.Raw(func(dc any) error {
		dr, err := dc.(*duckdb.Conn).QueryContext(context.Background(), q, nil)
		if err != nil {
			return err
		}
		c, ok := NewChunks(dr)
		if !ok {
			_ = dr.Close()
			return fmt.Errorf("duckdb-go's rows no longer have the expected C result field: update rawResult")
		}
		defer c.Close()
		return read(c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestChunksPreviousStaysValid fetches each chunk on another goroutine
// while the one before is read: the one before keeps its values.
func TestChunksPreviousStaysValid(t *testing.T) {
	EnableStreamingResults()
	conn := duckdbtest.Conn(t)
	readChunks(t, conn, "SELECT i, 'value number ' || i AS s FROM range(10000) t(i)", func(c *Chunks) error {
		next := int64(0)
		cur := c.Next()
		for cur != nil {
			ahead := make(chan *Chunk, 1)
			go func() { ahead <- c.Next() }()
			for i := range cur.Size {
				if n, s := Get[int64](&cur.Cols[0], i), string(cur.Cols[1].Bytes(i)); n != next || s != fmt.Sprintf("value number %d", n) {
					return fmt.Errorf("row %d while the next chunk is fetched: %d %q", next, n, s)
				}
				next++
			}
			cur = <-ahead
		}
		if next != 10000 {
			return fmt.Errorf("read %d rows, want 10000", next)
		}
		return c.Err()
	})
}
