package pgwire

import (
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
// text, or reuses what preparing it told the server before (stmtCache).
// Errors refer to the client's text: an error in a translation carries no
// position (it would point into text the client never sent).
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
