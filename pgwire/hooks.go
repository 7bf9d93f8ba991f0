package pgwire

import (
	"context"
	"maps"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"go.uber.org/zap"
)

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
	if s.tx.status != txIdle {
		s.tx.schemaChanges++
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
	if m, ok := s.srv.backend.(ParameterMirror); ok && s.paramsToMirror() {
		params := maps.Clone(s.params.guc.vals)
		params[DatabaseParameter] = s.database()
		if err := m.MirrorParameters(ctx, s.conn, params); err != nil {
			return newError(codeInternal, "%v", err)
		}
		s.params.mirrored = maps.Clone(s.params.guc.vals)
	}
	if w, ok := s.srv.backend.(SchemaWatcher); ok {
		if err := w.SyncSchema(ctx, sql); err != nil {
			return newError(codeInternal, "%v", err)
		}
	}
	if w, ok := s.srv.backend.(TxSchemaWatcher); ok && s.tx.schemaChanges > 0 {
		state, err := w.SyncTxSchema(ctx, s.conn, sql, s.tx.schemaChanges, s.tx.schemaState)
		s.tx.schemaState = state
		if err != nil {
			return newError(codeInternal, "%v", err)
		}
	}
	return nil
}

// paramsToMirror reports whether the backend mirrors the session's
// parameters and some changed since it last did.
func (s *session) paramsToMirror() bool {
	_, ok := s.srv.backend.(ParameterMirror)
	return ok && !maps.Equal(s.params.mirrored, s.params.guc.vals)
}

// endTxSchema lets the backend end what SyncTxSchema keeps for the block
// that is ending: before its COMMIT (commit) or after its rollback.
func (s *session) endTxSchema(commit bool) {
	state := s.tx.schemaState
	if state == nil {
		return
	}
	s.tx.schemaState = nil
	if w, ok := s.srv.backend.(TxSchemaWatcher); ok {
		if err := w.EndTxSchema(s.ctx, s.conn, state, commit); err != nil {
			s.log.Warn("end the transaction's view of its schema changes", zap.Error(err))
		}
	}
}

// applyParamChanges applies the parameter changes of a statement that ran.
// A local change outside a transaction block lasts only as long as the
// statement, so it changes nothing.
func (s *session) applyParamChanges(st *statement) error {
	for _, c := range st.paramChanges {
		if c.Local && s.tx.status == txIdle {
			continue
		}
		if err := s.setParam(c.Name, c.Value, false, c.Local); err != nil {
			return err
		}
	}
	return nil
}

// describeColumns gives a statement's result columns PostgreSQL's names and
// table origins.
func (s *session) describeColumns(st *statement, clientText string) {
	s.renameColumns(st, clientText)
	s.originColumns(st, clientText)
	s.typeColumns(st, clientText)
	if c, ok := s.srv.backend.(ParameterChanger); ok {
		st.paramChanges = c.ParameterChanges(clientText)
	}
}

// originColumns records the table column each result column comes from.
func (s *session) originColumns(st *statement, clientText string) {
	o, ok := s.srv.backend.(ColumnOriginer)
	if !ok || len(st.cols) == 0 {
		return
	}
	origins, ok := o.ColumnOrigins(clientText)
	if !ok || len(origins) != len(st.cols) {
		return
	}
	for i := range st.cols {
		st.cols[i].tableOID = origins[i].TableOID
		st.cols[i].attnum = origins[i].Attnum
	}
}

// typeColumns describes the columns the backend types as a PostgreSQL type
// DuckDB lacks (ColumnTyper) as that type: reg* values computed as text,
// and JSON columns PostgreSQL types jsonb.
func (s *session) typeColumns(st *statement, clientText string) {
	ct, ok := s.srv.backend.(ColumnTyper)
	if !ok || len(st.cols) == 0 {
		return
	}
	oids, ok := ct.ColumnTypes(clientText)
	if !ok || len(oids) != len(st.cols) {
		return
	}
	for i, oid := range oids {
		c := &st.cols[i]
		if info, known := textOnlyTypes[oid]; known && c.typ.kind == kindScalar && c.typ.duck == duckdb.TYPE_VARCHAR {
			c.typ.pg = info
		}
		if oid == jsonbTypeOID && c.typ.kind == kindJSON {
			describeJSONB(c) // jsonb.go
		}
	}
}

// renameColumns gives a statement's result columns PostgreSQL's names.
func (s *session) renameColumns(st *statement, clientText string) {
	n, ok := s.srv.backend.(ColumnNamer)
	if !ok || len(st.cols) == 0 {
		return
	}
	names, ok := n.ColumnNames(clientText)
	if !ok || len(names) != len(st.cols) {
		return
	}
	for i := range st.cols {
		st.cols[i].name = names[i]
	}
}

// namesShared reports whether the session's unqualified names resolve as
// in a new session's: it is not private (stmtCacheKey), and its search
// path, pg_catalog aside, starts with public.
func (s *session) namesShared() bool {
	if s.private {
		return false
	}
	if s.params.guc == nil {
		return true
	}
	for _, schema := range strings.Split(searchPathForDuckDB(s.params.guc.vals["search_path"]), ",") {
		if schema != "pg_catalog" {
			return schema == "main"
		}
	}
	return true
}

// translateSQL returns the text DuckDB prepares for the client's statement
// text.
func (s *session) translateSQL(text string) string {
	if t, ok := s.srv.backend.(PrivateSQLTranslator); ok && s.privateNames() {
		return t.TranslatePrivateSQL(text)
	}
	if t, ok := s.srv.backend.(SQLTranslator); ok {
		return t.TranslateSQL(text)
	}
	return text
}

// database is the database the client connected to: the startup packet's,
// or the user name when it named none, as PostgreSQL.
func (s *session) database() string {
	if db := s.params.startup["database"]; db != "" {
		return db
	}
	return s.params.startup["user"]
}
