package pgwire

import (
	"context"
	"database/sql"
	"maps"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
)

// SQLTranslator is implemented by backends that rewrite client SQL before
// DuckDB sees it (PostgreSQL catalog queries, operators and casts DuckDB
// spells differently). TranslateSQL gets the text of one statement and
// returns the text to prepare, or its argument unchanged. It must be safe
// for concurrent use. Statements pgwire runs itself (SET, SHOW, BEGIN,
// COPY, DECLARE, ...) are not passed to it; the queries inside COPY and
// DECLARE are.
type SQLTranslator interface {
	TranslateSQL(sql string) string
}

// ColumnNamer is implemented by backends that know the result column names
// PostgreSQL would give a statement (count(*) is "count" there, where DuckDB
// says count_star()). ok is false when it cannot tell.
type ColumnNamer interface {
	ColumnNames(sql string) (names []string, ok bool)
}

// ColumnOriginer is implemented by backends that know which table column
// each result column of a statement comes from, as PostgreSQL reports it
// in RowDescription (table oid and attribute number; clients such as
// pgjdbc derive ResultSetMetaData.isNullable, getTableName and
// getSchemaName from them). A column that does not come from a table has
// the zero ColumnOrigin; ok is false when it cannot tell. The origins are
// used only when there are as many as the statement has columns.
type ColumnOriginer interface {
	ColumnOrigins(sql string) (origins []catalog.ColumnOrigin, ok bool)
}

// describeColumns gives a statement's result columns PostgreSQL's names and
// table origins.
func (s *session) describeColumns(st *statement, clientText string) {
	s.renameColumns(st, clientText)
	s.originColumns(st, clientText)
	if c, ok := s.srv.backend.(ParameterChanger); ok {
		st.paramChanges = c.ParameterChanges(clientText)
	}
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

// translateSQL returns the text DuckDB prepares for the client's statement
// text.
func (s *session) translateSQL(text string) string {
	if t, ok := s.srv.backend.(SQLTranslator); ok {
		return t.TranslateSQL(text)
	}
	return text
}

// prepareTranslated prepares the translation of the client's statement
// text, or reuses what preparing it told the server before (stmtCache). Errors refer to the client's text: an error in a translation
// carries no position (it would point into text the client never sent).
// When DuckDB rejects a translation but accepts the original, the original
// is used.
func (s *session) prepareTranslated(name, text string, oids []uint32) (*statement, error) {
	key, cacheable := s.stmtCacheKey(text, oids)
	if cacheable {
		if st, ok := s.srv.stmts.get(key, name); ok {
			return st, nil
		}
	}
	gen := s.srv.stmts.generation.Load()
	st, err := s.prepareDescribed(name, text, oids)
	if err == nil && cacheable {
		s.srv.stmts.put(key, gen, st)
	}
	return st, err
}

// prepareDescribed prepares the client's statement text with DuckDB.
func (s *session) prepareDescribed(name, text string, oids []uint32) (*statement, error) {
	exec := s.translateSQL(text)
	st, err := prepareStatement(s.ctx, s.conn, s.log, name, exec, oids)
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
	if orig, oerr := prepareStatement(s.ctx, s.conn, s.log, name, text, oids); oerr == nil {
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
