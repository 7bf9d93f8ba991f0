package pgwire

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
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

// runQuery runs a row-returning portal's query: the statement's kept
// prepared statement when it has one, or else its text, prepared anew once
// the backend's state is brought up to date. Its result is read chunk by
// chunk from DuckDB's vectors when it can be (encode_chunkrows.go).
func (s *session) runQuery(p *portal) (resultRows, error) {
	st := p.stmt
	ds := s.takeKept(st)
	if ds == nil {
		if err := s.beforeStatement(p.ctx, st.execSQL); err != nil {
			return nil, err
		}
	}
	stop := s.track(p.cancel)
	rows, err := s.queryDriver(p, ds)
	stop()
	if err != nil {
		if _, ours := err.(*pgError); !ours {
			err = queryErr(p.ctx, err, st.errSQL())
		}
		return nil, err
	}
	return rows, nil
}

// queryDriver runs p's query on the session's driver connection: the
// prepared statement ds when given (closed with the result, or at once when
// the query fails), else the statement's text. Without a way to interrupt
// DuckDB mid-fetch, a text runs through database/sql instead.
func (s *session) queryDriver(p *portal, ds driver.Stmt) (resultRows, error) {
	st := p.stmt
	if ds == nil && (s.cancel.interrupter == nil || s.srv.valueRows) {
		return s.querySQL(p)
	}
	var rows resultRows
	err := s.conn.Raw(func(dc any) error {
		args, err := namedArgs(dc, p.args)
		if err != nil {
			return err
		}
		var dr driver.Rows
		if ds != nil {
			q, ok := ds.(driver.StmtQueryContext)
			if !ok {
				return fmt.Errorf("prepared statement %T cannot run with a context", ds)
			}
			err = s.srv.active.do(p.ctx, func() (err error) { dr, err = q.QueryContext(p.ctx, args); return err })
		} else {
			q, ok := dc.(driver.QueryerContext)
			if !ok {
				return fmt.Errorf("connection %T cannot query with a context", dc)
			}
			err = s.srv.active.do(p.ctx, func() (err error) { dr, err = q.QueryContext(p.ctx, st.execSQL, args); return err })
		}
		if err != nil {
			return err
		}
		rows, err = s.driverResult(p, dr, ds)
		return err
	})
	if rows == nil && ds != nil {
		_ = ds.Close()
	}
	return rows, err
}

// querySQL runs p's statement text through database/sql.
func (s *session) querySQL(p *portal) (resultRows, error) {
	st := p.stmt
	var rows *sql.Rows
	err := s.srv.active.do(p.ctx, func() (err error) { rows, err = s.conn.QueryContext(p.ctx, st.execSQL, p.args...); return err })
	if err != nil {
		return nil, err
	}
	if cols, err := rows.Columns(); err == nil && len(cols) != len(st.cols) {
		rows.Close()
		return nil, newError(codeInternal, "result has %d columns, expected %d", len(cols), len(st.cols))
	}
	if s.srv.active == nil {
		return rows, nil
	}
	return &admittedRows{resultRows: rows, gate: s.srv.active, ctx: p.ctx}, nil
}

// driverResult wraps a driver's result of p's query (and the prepared
// statement ds it came from, if any, closed with it): chunk by chunk when
// every column can be encoded from DuckDB's vectors, else value by value.
func (s *session) driverResult(p *portal, dr driver.Rows, ds driver.Stmt) (resultRows, error) {
	st := p.stmt
	if n := len(dr.Columns()); n != len(st.cols) {
		_ = dr.Close()
		return nil, newError(codeInternal, "result has %d columns, expected %d", n, len(st.cols))
	}
	if !s.srv.valueRows {
		if src, isDuck := duckdbx.NewChunks(dr); isDuck {
			if cr, fits := newChunkRows(src, st, p.formats); fits {
				cr.stmt, cr.gate, cr.ctx, cr.fetchAhead = ds, s.srv.active, p.ctx, s.srv.opt.FetchAhead
				return cr, nil
			}
		}
	}
	return &driverRows{rows: dr, stmt: ds, vals: make([]driver.Value, len(st.cols)), gate: s.srv.active, ctx: p.ctx}, nil
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
