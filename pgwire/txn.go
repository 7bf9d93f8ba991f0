package pgwire

import (
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
)

// runBegin starts a transaction block.
func (s *session) runBegin(u *utility) error {
	if s.tx.status != txIdle {
		if err := s.notice("WARNING", codeActiveTx, "there is already a transaction in progress"); err != nil {
			return err
		}
		if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
			return err
		}
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
	}
	s.materializePortals(nil)
	s.tx.generation = s.srv.stmts.generation.Load()
	if _, err := s.conn.ExecContext(s.ctx, "BEGIN TRANSACTION"); err != nil {
		return sqlErr(err, "")
	}
	s.tx.saved = s.params.guc.snapshot()
	s.tx.local = nil
	s.tx.status = txActive
	s.params.guc.vals["transaction_isolation"] = s.params.guc.vals["default_transaction_isolation"]
	s.params.guc.vals["transaction_read_only"] = s.params.guc.vals["default_transaction_read_only"]
	if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
		return err
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
}

// applyTxOptions stores isolation level and read-only options. DuckDB is
// snapshot isolated whatever the level; READ ONLY is enforced by pgwire.
func (s *session) applyTxOptions(o txOptions, isoKey, roKey string) error {
	if o.isolation != "" {
		s.params.guc.vals[isoKey] = o.isolation
	}
	if o.readOnly != "" {
		s.params.guc.vals[roKey] = o.readOnly
	}
	return nil
}

// runEnd handles COMMIT (commit=true) and ROLLBACK.
func (s *session) runEnd(commit bool) error {
	tag := "ROLLBACK"
	if commit {
		tag = "COMMIT"
	}
	switch s.tx.status {
	case txIdle:
		if err := s.notice("WARNING", codeNoActiveTx, "there is no transaction in progress"); err != nil {
			return err
		}
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	case txFailed:
		// DuckDB's transaction was rolled back when the error happened.
		s.endTransaction(false)
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte("ROLLBACK")})
	}
	if commit {
		// Holdable cursors outlive the transaction: read them out now.
		for _, c := range s.cursors {
			if c.hold && !c.done {
				if !c.started {
					if err := s.startPortal(c); err != nil {
						return err
					}
				}
				s.materializePortals(nil)
			}
		}
	}
	s.materializePortals(nil)
	var err error
	if commit {
		s.endTxSchema(true)
		_, err = s.conn.ExecContext(s.ctx, "COMMIT")
	} else {
		_, err = s.conn.ExecContext(s.ctx, "ROLLBACK")
	}
	if err != nil {
		pe := toPgError(err, "")
		if commit {
			// A failed COMMIT ends the transaction anyway.
			_, _ = s.conn.ExecContext(s.ctx, "ROLLBACK")
			s.endTransaction(false)
			return pe
		}
		s.log.Debug("rollback", zap.Error(err))
	}
	s.endTransaction(commit && err == nil)
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

// abortTransaction puts the block into the failed state after an error,
// rolling back DuckDB's transaction right away.
func (s *session) abortTransaction() {
	s.tx.status = txFailed
	for name, c := range s.cursors {
		if c.inTx {
			c.close()
			delete(s.cursors, name)
		}
	}
	s.materializePortals(nil)
	if _, err := s.conn.ExecContext(s.ctx, "ROLLBACK"); err != nil {
		s.log.Debug("rollback after error", zap.Error(err))
	}
	s.endTxSchema(false)
}

// endTransaction returns to idle: cursors without HOLD close, SET LOCAL
// values revert, and after a rollback every SET of the block reverts.
func (s *session) endTransaction(committed bool) {
	s.tx.status = txIdle
	s.endTxSchema(false)
	if s.tx.schemaChanges > 0 {
		s.tx.schemaChanges = 0
		s.schemaChanged()
	}
	for name, c := range s.cursors {
		if !c.hold || (!committed && c.inTx) {
			c.close()
			delete(s.cursors, name)
			continue
		}
		c.inTx = false
	}
	target := map[string]string{}
	if !committed && s.tx.saved != nil {
		target = s.tx.saved
	} else {
		for k, v := range s.tx.local {
			target[k] = v
		}
	}
	for k, v := range target {
		if v == "\x00" {
			s.dropParam(k)
			continue
		}
		if s.params.guc.vals[k] != v {
			if err := s.applyParam(k, v); err != nil {
				s.log.Warn("restore parameter", zap.String("name", k), zap.Error(err))
			}
		}
	}
	if !committed && s.tx.saved != nil {
		for k := range s.params.guc.vals {
			if _, ok := s.tx.saved[k]; !ok {
				s.dropParam(k)
			}
		}
	}
	s.params.guc.vals["transaction_isolation"] = s.params.guc.vals["default_transaction_isolation"]
	s.params.guc.vals["transaction_read_only"] = s.params.guc.vals["default_transaction_read_only"]
	s.tx.saved, s.tx.local = nil, nil
}

// writeStatements are DuckDB statement types a read-only transaction rejects.
var writeStatements = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_INSERT: true, duckdb.STATEMENT_TYPE_UPDATE: true, duckdb.STATEMENT_TYPE_DELETE: true,
	duckdb.STATEMENT_TYPE_CREATE: true, duckdb.STATEMENT_TYPE_ALTER: true, duckdb.STATEMENT_TYPE_DROP: true,
	duckdb.STATEMENT_TYPE_COPY: true, duckdb.STATEMENT_TYPE_CREATE_FUNC: true, duckdb.STATEMENT_TYPE_EXPORT: true,
	duckdb.STATEMENT_TYPE_ATTACH: true, duckdb.STATEMENT_TYPE_DETACH: true, duckdb.STATEMENT_TYPE_VACUUM: true,
	duckdb.STATEMENT_TYPE_LOAD: true, duckdb.STATEMENT_TYPE_EXTENSION: true,
}

// checkReadOnly rejects writes in a READ ONLY transaction (25006).
func (s *session) checkReadOnly(st *statement) error {
	ro := s.params.guc.vals["default_transaction_read_only"]
	if s.tx.status != txIdle {
		ro = s.params.guc.vals["transaction_read_only"]
	}
	if ro != "on" || !writeStatements[st.stmtType] {
		return nil
	}
	var words []string
	for _, w := range strings.Fields(st.commandTag(0)) {
		if _, err := strconv.Atoi(w); err != nil {
			words = append(words, w)
		}
	}
	return newError("25006", "cannot execute %s in a read-only transaction", strings.Join(words, " "))
}

// Transaction status bytes for ReadyForQuery.
const (
	txIdle   = 'I'
	txActive = 'T'
	txFailed = 'E'
)

// checkAborted rejects everything but COMMIT/ROLLBACK in a failed transaction.
func (s *session) checkAborted(u *utility) error {
	if s.tx.status != txFailed {
		return nil
	}
	if u != nil && (u.kind == utilCommit || u.kind == utilRollback) {
		return nil
	}
	return newError(codeInFailedTx, "current transaction is aborted, commands ignored until end of transaction block")
}
