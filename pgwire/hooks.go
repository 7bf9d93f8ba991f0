package pgwire

import (
	"context"
	"database/sql"
	"maps"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
)

// Backends that keep state derived from the session or the schema
// implement these optional interfaces; pgwire calls them around the
// statements it runs.

// SchemaWatcher is implemented by backends that keep state derived from the
// database schema, such as a snapshot of the catalog that clients' catalog
// queries read. pgwire reports each statement that may have changed the
// schema once it has taken effect (at once outside a transaction block,
// again when the block ends), and lets the backend bring that state up to
// date before each statement runs.
type SchemaWatcher interface {
	SchemaChanged()
	SyncSchema(ctx context.Context, sql string) error
}

// TxSchemaWatcher is implemented by backends whose emulated catalog can
// show a session the schema changes of its own open transaction block, as
// PostgreSQL's transactional catalog does, while other sessions see them
// only once the block commits. While a block has statements that may have
// changed the schema, pgwire calls SyncTxSchema before each statement (after
// SchemaWatcher.SyncSchema) with the session's connection and the number of
// such statements so far; state is what the previous call of the block
// returned, nil at first. When the block ends after a call, EndTxSchema gets
// the last state: with commit, in the transaction before it commits;
// otherwise after the rollback.
type TxSchemaWatcher interface {
	SyncTxSchema(ctx context.Context, conn *sql.Conn, sql string, changes uint64, state any) (any, error)
	EndTxSchema(ctx context.Context, conn *sql.Conn, state any, commit bool) error
}

// schemaStatements are DuckDB statement types that may change the schema.
var schemaStatements = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_CREATE: true, duckdb.STATEMENT_TYPE_ALTER: true, duckdb.STATEMENT_TYPE_DROP: true,
	duckdb.STATEMENT_TYPE_CREATE_FUNC: true, duckdb.STATEMENT_TYPE_ATTACH: true, duckdb.STATEMENT_TYPE_DETACH: true,
	duckdb.STATEMENT_TYPE_LOAD: true, duckdb.STATEMENT_TYPE_EXTENSION: true,
	// COPY FROM DATABASE and IMPORT DATABASE create objects.
	duckdb.STATEMENT_TYPE_COPY: true, duckdb.STATEMENT_TYPE_MULTI: true,
}

// noteSchemaChange reports a statement that ran and may have changed the
// schema; inside a transaction block it is reported again when the block
// ends, since other connections see it only then.
func (s *session) noteSchemaChange(st *statement) {
	s.noteSessionScope(st)
	if !schemaStatements[st.stmtType] {
		return
	}
	s.schemaChanged()
	if s.txStatus != txIdle {
		s.txSchemaChanges++
	}
}

// schemaChanged tells the statement cache and the backend that the schema
// may have changed.
func (s *session) schemaChanged() {
	s.srv.stmts.schemaChanged()
	if w, ok := s.srv.backend.(SchemaWatcher); ok {
		w.SchemaChanged()
	}
}

// beforeStatement lets the backend bring its state up to date before sql
// runs on the session's connection: the session's parameters
// (ParameterMirror) and state derived from the schema (SchemaWatcher), and
// from the schema changes of the open transaction block (TxSchemaWatcher).
func (s *session) beforeStatement(ctx context.Context, sql string) error {
	if m, ok := s.srv.backend.(ParameterMirror); ok && !maps.Equal(s.mirrored, s.guc.vals) {
		params := maps.Clone(s.guc.vals)
		if err := m.MirrorParameters(ctx, s.conn, params); err != nil {
			return newError(codeInternal, "%v", err)
		}
		s.mirrored = params
	}
	if w, ok := s.srv.backend.(SchemaWatcher); ok {
		if err := w.SyncSchema(ctx, sql); err != nil {
			return newError(codeInternal, "%v", err)
		}
	}
	if w, ok := s.srv.backend.(TxSchemaWatcher); ok && s.txSchemaChanges > 0 {
		state, err := w.SyncTxSchema(ctx, s.conn, sql, s.txSchemaChanges, s.txSchemaState)
		s.txSchemaState = state
		if err != nil {
			return newError(codeInternal, "%v", err)
		}
	}
	return nil
}

// endTxSchema lets the backend end what SyncTxSchema keeps for the block
// that is ending: before its COMMIT (commit) or after its rollback.
func (s *session) endTxSchema(commit bool) {
	state := s.txSchemaState
	if state == nil {
		return
	}
	s.txSchemaState = nil
	if w, ok := s.srv.backend.(TxSchemaWatcher); ok {
		if err := w.EndTxSchema(s.ctx, s.conn, state, commit); err != nil {
			s.log.Warn("end the transaction's view of its schema changes", zap.Error(err))
		}
	}
}

// ParameterMirror is implemented by backends that let SQL read the
// session's parameters (current_setting(), pg_settings, current_user,
// current_schemas()). Before a statement runs, pgwire passes every
// parameter of the session (lower-cased names; session_authorization is the
// user who connected) whenever any changed since it last did. The backend
// must not keep params.
type ParameterMirror interface {
	MirrorParameters(ctx context.Context, conn *sql.Conn, params map[string]string) error
}

// ParameterChanger is implemented by backends that know which session
// parameters a statement changes when it runs (set_config(name, value,
// is_local) in a query). pgwire applies them as SET and SET LOCAL would,
// once the statement has run.
type ParameterChanger interface {
	ParameterChanges(sql string) []catalog.ParameterChange
}

// applyParamChanges applies the parameter changes of a statement that ran.
// A local change outside a transaction block lasts only as long as the
// statement, so it changes nothing.
func (s *session) applyParamChanges(st *statement) error {
	for _, c := range st.paramChanges {
		if c.Local && s.txStatus == txIdle {
			continue
		}
		if err := s.setParam(c.Name, c.Value, false, c.Local); err != nil {
			return err
		}
	}
	return nil
}
