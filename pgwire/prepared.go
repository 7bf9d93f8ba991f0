package pgwire

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// Describing a statement has DuckDB bind and plan it. When the statement
// runs next (a simple Query's, or the one a client just parsed and then
// binds and executes), its first run executes that prepared statement
// instead of having DuckDB parse, bind and plan the text a second time (the
// lake view's files included): one bind and plan per new text, as
// in-process.
//
// DuckDB binds session variables and views when it prepares, and does not
// rebind a prepared statement when another connection redefines a view or a
// variable changes. So the session brings its backend state up to date
// (beforeStatement) before preparing such a statement, keeps at most one
// (session.kept), and drops it as soon as anything else may run first: any
// other Query, Parse or Execute, or a schema change reported to the server.
// The lake's views may still be redefined in between, as they may be while
// any query is planned; the files a plan names stay on disk for the lake's
// grace period (lake/doc.go). Statements taken from the statement cache, and
// later runs, are prepared again when they run.

// keep makes st the session's statement with a kept prepared statement,
// made when the statement cache was at generation gen.
func (s *session) keep(st *statement, gen uint64) {
	if s.kept != st {
		s.dropKept()
	}
	s.kept, st.preparedGen = st, gen
}

// dropKept closes the kept prepared statement, if any.
func (s *session) dropKept() {
	if s.kept != nil {
		s.kept.closePrepared()
		s.kept = nil
	}
}

// keepPrepared makes ds the statement's kept prepared statement, closing
// the one it replaces.
func (st *statement) keepPrepared(ds driver.Stmt) {
	st.closePrepared()
	st.prepared = ds
}

// closePrepared closes the statement's prepared statement, if any.
func (st *statement) closePrepared() {
	if st.prepared != nil {
		_ = st.prepared.Close()
		st.prepared = nil
	}
}

// takeKept hands st's kept prepared statement over to the caller, who
// closes it; nil when it has none or it can no longer be used.
func (s *session) takeKept(st *statement) driver.Stmt {
	ds := st.prepared
	st.prepared = nil
	if s.kept == st {
		s.kept = nil
	}
	if ds == nil {
		return nil
	}
	if st.preparedGen != s.srv.stmts.generation.Load() || s.paramsToMirror() {
		_ = ds.Close()
		return nil
	}
	return ds
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
	if ds := s.takeKept(st); ds != nil {
		stop := s.track(p.cancel)
		rows, err := s.queryPrepared(p.ctx, ds, p.args)
		stop()
		if err != nil {
			return nil, queryErr(p.ctx, err, st.errSQL())
		}
		return rows, nil
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

// queryPrepared runs the prepared statement ds with args on the session's
// connection; the rows close ds when they are closed, and ds is closed at
// once when it fails.
func (s *session) queryPrepared(ctx context.Context, ds driver.Stmt, args []any) (*preparedRows, error) {
	q, ok := ds.(driver.StmtQueryContext)
	if !ok {
		ds.Close()
		return nil, fmt.Errorf("prepared statement %T cannot run with a context", ds)
	}
	var rows driver.Rows
	err := s.conn.Raw(func(dc any) error {
		named, err := namedArgs(dc, args)
		if err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, named)
		return err
	})
	if err != nil {
		ds.Close()
		return nil, err
	}
	return &preparedRows{rows: rows, stmt: ds, vals: make([]driver.Value, len(rows.Columns()))}, nil
}

// namedArgs converts a portal's arguments for the driver connection dc as
// database/sql does: the driver's own check first, then the default
// conversion of the values it leaves to database/sql.
func namedArgs(dc any, args []any) ([]driver.NamedValue, error) {
	if len(args) == 0 {
		return nil, nil
	}
	checker, _ := dc.(driver.NamedValueChecker)
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv := driver.NamedValue{Ordinal: i + 1, Value: a}
		err := driver.ErrSkip
		if checker != nil {
			err = checker.CheckNamedValue(&nv)
		}
		if errors.Is(err, driver.ErrSkip) {
			nv.Value, err = driver.DefaultParameterConverter.ConvertValue(a)
		}
		if err != nil {
			return nil, fmt.Errorf("convert parameter $%d: %w", i+1, err)
		}
		out[i] = nv
	}
	return out, nil
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
