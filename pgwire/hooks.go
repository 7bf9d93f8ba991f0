package pgwire

import (
	"context"
	"database/sql"
	"maps"

	duckdb "github.com/duckdb/duckdb-go/v2"

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
		s.txSchemaChanged = true
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
// (ParameterMirror) and state derived from the schema (SchemaWatcher).
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
	return nil
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
