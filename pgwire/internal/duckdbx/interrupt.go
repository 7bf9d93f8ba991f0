package duckdbx

import (
	"database/sql"
	"reflect"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Interrupter stops whatever runs on one DuckDB connection
// (duckdb_interrupt), including a streaming fetch that the context
// cancellation of database/sql cannot reach.
type Interrupter struct {
	conn bindings.Connection
}

// NewInterrupter digs the C connection handle out of duckdb-go's Conn,
// which does not export it. It returns nil when conn is not a DuckDB
// connection or the driver's layout changed.
func NewInterrupter(conn *sql.Conn) *Interrupter {
	var out *Interrupter
	_ = conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return nil
		}
		f := reflect.ValueOf(c).Elem().FieldByName("conn")
		if !f.IsValid() || f.Type() != reflect.TypeOf(bindings.Connection{}) {
			return nil
		}
		out = &Interrupter{conn: *(*bindings.Connection)(unsafe.Pointer(f.UnsafeAddr()))}
		return nil
	})
	return out
}

// Interrupt interrupts the connection's running query, if any. A nil
// Interrupter does nothing.
func (i *Interrupter) Interrupt() {
	if i != nil {
		bindings.Interrupt(i.conn)
	}
}
