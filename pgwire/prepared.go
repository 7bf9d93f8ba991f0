package pgwire

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// A statement of a simple Query is prepared and run at once. Describing it
// already had DuckDB bind and plan it, so its first run executes that
// prepared statement instead of having DuckDB parse, bind and plan the
// text a second time (the lake view's files included).
//
// DuckDB binds session variables and views when it prepares, and does not
// rebind a prepared statement when another connection redefines a view, so
// a kept statement is run only when nothing can have changed in between:
// the session brings its backend state up to date (beforeStatement) before
// preparing such a statement, and runs it right after, on the same
// connection. Statements prepared for later (Parse, DECLARE, COPY) and
// those taken from the statement cache are prepared again when they run.

// keepPrepared makes ds the statement's kept prepared statement, closing
// the one it replaces.
func (st *statement) keepPrepared(ds driver.Stmt) {
	st.closePrepared()
	st.prepared = ds
}

// closePrepared closes the kept prepared statement, if any.
func (st *statement) closePrepared() {
	if st.prepared != nil {
		_ = st.prepared.Close()
		st.prepared = nil
	}
}

// takePrepared hands the kept prepared statement over to the caller, who
// closes it; nil when there is none.
func (st *statement) takePrepared() driver.Stmt {
	ds := st.prepared
	st.prepared = nil
	return ds
}

// queryPrepared runs the kept prepared statement ds (no parameters) on the
// session's connection; the rows close ds when they are closed.
func (s *session) queryPrepared(ctx context.Context, ds driver.Stmt) (*preparedRows, error) {
	q, ok := ds.(driver.StmtQueryContext)
	if !ok {
		ds.Close()
		return nil, fmt.Errorf("prepared statement %T cannot run with a context", ds)
	}
	var rows driver.Rows
	err := s.conn.Raw(func(any) error {
		var err error
		rows, err = q.QueryContext(ctx, nil)
		return err
	})
	if err != nil {
		ds.Close()
		return nil, err
	}
	return &preparedRows{rows: rows, stmt: ds, vals: make([]driver.Value, len(rows.Columns()))}, nil
}

// preparedRows reads the result of a kept prepared statement as a portal
// reads *sql.Rows.
type preparedRows struct {
	rows driver.Rows
	stmt driver.Stmt
	vals []driver.Value
	err  error
	done bool
}

func (r *preparedRows) Next() bool {
	if r.done {
		return false
	}
	if err := r.rows.Next(r.vals); err != nil {
		if !errors.Is(err, io.EOF) {
			r.err = err
		}
		r.done = true
		return false
	}
	return true
}

// Scan stores the current row's values in dest (each an *any), copying
// byte slices as database/sql does.
func (r *preparedRows) Scan(dest ...any) error {
	if len(dest) != len(r.vals) {
		return fmt.Errorf("scan %d values into %d destinations", len(r.vals), len(dest))
	}
	for i, d := range dest {
		v := r.vals[i]
		if b, ok := v.([]byte); ok {
			v = bytes.Clone(b)
		}
		*(d.(*any)) = v
	}
	return nil
}

func (r *preparedRows) Err() error { return r.err }

// Columns returns the result's column names.
func (r *preparedRows) Columns() ([]string, error) { return r.rows.Columns(), nil }

// Close ends the result and closes the prepared statement; closing twice
// does nothing.
func (r *preparedRows) Close() error {
	if r.stmt == nil {
		return nil
	}
	r.done = true
	err := r.rows.Close()
	if cerr := r.stmt.Close(); err == nil {
		err = cerr
	}
	r.stmt = nil
	return err
}

// queryRows is a live result of a portal's query.
type queryRows interface {
	resultRows
	Columns() ([]string, error)
}

// runQuery runs a row-returning portal's query: the statement's kept
// prepared statement when it has one, or else its text, prepared anew once
// the backend's state is brought up to date.
func (s *session) runQuery(p *portal) (queryRows, error) {
	st := p.stmt
	if ds := st.takePrepared(); ds != nil {
		if len(p.args) == 0 {
			stop := s.track(p.cancel)
			rows, err := s.queryPrepared(p.ctx, ds)
			stop()
			if err != nil {
				return nil, queryErr(p.ctx, err, st.errSQL())
			}
			return rows, nil
		}
		ds.Close()
	}
	if err := s.beforeStatement(p.ctx, st.execSQL); err != nil {
		return nil, err
	}
	stop := s.track(p.cancel)
	rows, err := s.conn.QueryContext(p.ctx, st.execSQL, p.args...)
	stop()
	if err != nil {
		return nil, queryErr(p.ctx, err, st.errSQL())
	}
	return rows, nil
}
