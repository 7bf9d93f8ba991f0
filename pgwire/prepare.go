package pgwire

import (
	"context"
	"strings"

	"go.uber.org/zap"
)

// prepare builds a statement: pgwire's own utility statements, or one
// prepared by DuckDB. In a failed transaction only COMMIT/ROLLBACK pass.
func (s *session) prepare(name, text string, oids []uint32) (*statement, error) {
	u, err := s.utilityOf(text)
	if err != nil {
		return nil, err
	}
	return s.prepareUtility(name, text, u, oids, true)
}

// utilityOf classifies a one-statement text and returns its utility, or nil
// when DuckDB runs it (or when the text is not one statement).
func (s *session) utilityOf(text string) (*utility, error) {
	stmts := s.srv.classes.Classify(text)
	if len(stmts) != 1 {
		return nil, nil
	}
	return utilityFor(&stmts[0])
}

// prepareUtility builds a statement from its utility, or has DuckDB
// prepare it when u is nil. With keep, the statement is expected to run
// next (a simple Query's, or one the client just parsed): see
// prepareDescribed.
func (s *session) prepareUtility(name, text string, u *utility, oids []uint32, keep bool) (*statement, error) {
	if err := s.checkAborted(u); err != nil {
		return nil, err
	}
	if err := s.authorize(text); err != nil {
		return nil, err
	}
	if u != nil {
		return utilityStatement(name, text, u), nil
	}
	s.materializePortals(nil)
	return s.prepareTranslated(name, text, oids, keep)
}

// prepareQuery prepares the query of a DECLARE or COPY.
func (s *session) prepareQuery(q string) (*statement, error) {
	if u, _ := s.utilityOf(q); u != nil {
		return nil, newError(codeSyntaxError, "cannot use %s here", strings.ToUpper(strings.Fields(q)[0]))
	}
	s.materializePortals(nil)
	st, err := s.prepareTranslated("", q, nil, false)
	if err != nil {
		return nil, err
	}
	if len(st.paramOIDs) > 0 {
		return nil, newError(codeIndeterminateType, "could not determine data type of parameter $1")
	}
	return st, nil
}

// prepareTranslated prepares the translation of the client's statement
// text, or reuses what preparing it told the server before (stmtCache).
// Errors refer to the client's text: an error in a translation carries no
// position (it would point into text the client never sent).
// When DuckDB rejects a translation but accepts the original, the original
// is used.
func (s *session) prepareTranslated(name, text string, oids []uint32, keep bool) (*statement, error) {
	key, cacheable := s.stmtCacheKey(text, oids)
	resolved := &resolution{private: s.privateNames(), path: s.pathSetting(), text: text, oids: oids}
	if cacheable {
		if st, ok := s.srv.stmts.get(key, name); ok {
			st.resolved = resolved
			return st, nil
		}
	}
	gen := s.srv.stmts.generation.Load()
	st, err := s.prepareDescribed(name, text, oids, keep)
	if err != nil {
		return nil, err
	}
	st.resolved = resolved
	if cacheable {
		s.srv.stmts.put(key, gen, st)
	}
	if st.prepared != nil {
		s.keep(st, gen)
	}
	return st, nil
}

// prepareDescribed prepares the client's statement text with DuckDB. With
// keep, DuckDB's prepared statement is kept for the statement's first run
// (prepared.go), so the backend's state is brought up to date before DuckDB
// binds it rather than before it runs.
func (s *session) prepareDescribed(name, text string, oids []uint32, keep bool) (*statement, error) {
	exec := s.translateSQL(text)
	if keep {
		if err := s.beforeStatement(s.ctx, exec); err != nil {
			return nil, err
		}
	}
	st, err := s.prepareAdmitted(name, exec, oids, keep)
	if pe, ours := err.(*pgError); ours && pe.Code == codeQueryCanceled {
		return nil, err // cancelled while waiting its turn
	}
	if exec == text {
		if err != nil {
			return nil, sqlErr(err, text)
		}
		s.describeColumns(st, text)
		return st, nil
	}
	if err == nil {
		st.clientSQL = text
		s.describeColumns(st, text)
		return st, nil
	}
	s.log.Debug("translated statement failed", zap.String("sql", text), zap.String("translated", exec), zap.Error(err))
	if orig, oerr := s.prepareAdmitted(name, text, oids, false); oerr == nil {
		return orig, nil
	}
	pe := toPgError(err, exec)
	cp := *pe
	cp.Position = 0
	return nil, &cp
}

// errSQL is the text error positions refer to: the client's.
func (st *statement) errSQL() string {
	if st.clientSQL != "" {
		return st.clientSQL
	}
	return st.sql
}

// prepareAdmitted has DuckDB prepare query (prepareStatement) once the
// statement's turn comes (admit.go). While it waits its turn it can be
// cancelled, and statement_timeout counts, as for a running statement; a
// statement cancelled while waiting fails with 57014.
func (s *session) prepareAdmitted(name, query string, oids []uint32, keep bool) (*statement, error) {
	if s.srv.active == nil {
		return prepareStatement(s.ctx, s.conn, s.log, name, query, oids, keep, s.chunked())
	}
	ctx, cancel := context.WithCancelCause(s.ctx)
	defer cancel(nil)
	stop := s.track(cancel)
	err := s.srv.active.acquire(ctx)
	stop()
	if err != nil {
		return nil, queryErr(ctx, err, query)
	}
	defer s.srv.active.release()
	return prepareStatement(s.ctx, s.conn, s.log, name, query, oids, keep, s.chunked())
}

// chunked says the session reads results chunk by chunk from DuckDB's
// vectors (prepareStatement), not value by value through database/sql.
func (s *session) chunked() bool {
	return !s.srv.valueRows && s.cancel.interrupter != nil
}
