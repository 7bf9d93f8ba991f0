package pgwire

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// column is one result column of a prepared statement.
type column struct {
	name string
	typ  *colType
	// shape is DuckDB's logical type of a STRUCT, MAP, UNION or LIST
	// column, read when the result has one (duckdbx.PreparedShapes); nil
	// otherwise or when unknown.
	shape *duckdbx.Shape
	// tableOID and attnum identify the table column the result column comes
	// from (ColumnOriginer); 0 when it is not a plain table column.
	tableOID uint32
	attnum   int16
}

// statement is a parsed (prepared) statement: the metadata DuckDB reports for
// it and the SQL actually executed.
type statement struct {
	name      string
	sql       string
	clientSQL string // the client's text when sql is its translation (SQLTranslator)
	empty     bool   // only whitespace/comments: EmptyQueryResponse
	stmtType  duckdb.StmtType
	paramOIDs []uint32      // per parameter: client-given OID, else inferred
	paramDuck []duckdb.Type // DuckDB's inferred parameter types
	// paramInfo is what the parameters' DuckDB logical types tell beyond
	// paramDuck (JSON, list element types); nil when unknown.
	paramInfo   []duckdbx.Param
	cols        []column
	returnsRows bool
	execSQL     string // sql, or the JSON/STRUCT-preserving rewrite of it
	// fromVectors says the result is read from DuckDB's vectors
	// (chunkRows), every column of it: execSQL then leaves JSON columns
	// as they are (their vectors hold the text) and nested columns that
	// can be rendered as JSON from vectors (encode_chunkjson.go).
	fromVectors bool
	keywords    []string // leading keywords, for the command tag
	util        *utility // set for statements pgwire runs itself
	jsonKnown   bool     // JSON columns were marked from the prepared statement (duckdbx.ColumnJSONKinds)
	// paramChanges are the session parameters the statement changes when
	// it runs (ParameterChanger).
	paramChanges []ParameterChange
	// prepared is DuckDB's prepared statement of execSQL on the session's
	// connection, kept from describing it for the statement's first run
	// (prepared.go); nil otherwise. It is never shared (clone drops it).
	prepared driver.Stmt
	// preparedGen is the statement cache's generation when prepared was
	// made: a schema change since makes it unusable.
	preparedGen uint64
	// resolved is how the statement's names were resolved when it was
	// translated (retranslate.go); nil for statements pgwire runs itself.
	resolved *resolution
}

// rowStatementTypes are DuckDB statement types that produce result rows.
var rowStatementTypes = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_SELECT:       true,
	duckdb.STATEMENT_TYPE_EXPLAIN:      true,
	duckdb.STATEMENT_TYPE_PRAGMA:       true,
	duckdb.STATEMENT_TYPE_CALL:         true,
	duckdb.STATEMENT_TYPE_EXECUTE:      true,
	duckdb.STATEMENT_TYPE_RELATION:     true,
	duckdb.STATEMENT_TYPE_LOGICAL_PLAN: true,
}

// prepareStatement asks DuckDB to prepare query and collects its parameter and
// result metadata without executing it. With keep, a statement that returns
// rows keeps DuckDB's prepared statement for its first run (prepared).
// chunked says the session reads results from DuckDB's vectors
// (chunkRows): JSON and nested columns then need no conversion in SQL
// when every column can be read so (fromVectors).
func prepareStatement(ctx context.Context, conn *sql.Conn, log *zap.Logger, name, query string, clientOIDs []uint32, keep, chunked bool) (*statement, error) {
	st := &statement{name: name, sql: query, execSQL: query}
	switch len(sqlclass.Split(query)) {
	case 0:
		st.empty = true
		st.paramOIDs = clientOIDs
		return st, nil
	case 1:
	default:
		return nil, newError(codeSyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	st.keywords = sqlclass.LeadingWords(query, 4)

	if err := st.describe(ctx, conn, query, keep); err != nil {
		return nil, err
	}
	// PostgreSQL infers a parameter's type from the client's OID when the
	// query alone does not tell it (`$2 || 'x'`); DuckDB cannot, so such
	// parameters are cast to the client's type and the statement prepared
	// again.
	clientOIDs = withCastTypes(query, st.paramDuck, clientOIDs)
	if typed := castUntypedParams(query, st.paramDuck, clientOIDs); typed != query {
		if err := st.describe(ctx, conn, typed, keep); err == nil {
			st.sql, st.execSQL = typed, typed
		} else if err := st.describe(ctx, conn, query, keep); err != nil {
			return nil, err
		}
	}

	if st.unknownResult() {
		st.describeResultWithNulls(ctx, conn, st.sql)
	}

	st.paramOIDs = make([]uint32, len(st.paramDuck))
	for i, t := range st.paramDuck {
		if i < len(clientOIDs) && clientOIDs[i] != 0 {
			st.paramOIDs[i] = clientOIDs[i]
		} else {
			var info duckdbx.Param
			if i < len(st.paramInfo) {
				info = st.paramInfo[i]
			}
			st.paramOIDs[i] = paramOIDForDuck(t, info)
		}
	}

	switch st.stmtType {
	case duckdb.STATEMENT_TYPE_INSERT, duckdb.STATEMENT_TYPE_UPDATE, duckdb.STATEMENT_TYPE_DELETE:
		st.returnsRows = len(st.cols) > 0 && sqlclass.HasWord(query, "RETURNING")
	default:
		st.returnsRows = rowStatementTypes[st.stmtType] && len(st.cols) > 0
	}
	if !st.returnsRows {
		st.cols = nil
		st.closePrepared()
	}
	if st.returnsRows && st.stmtType == duckdb.STATEMENT_TYPE_SELECT {
		st.detectJSON(ctx, conn, log)
		st.fromVectors = chunked && st.readableFromVectors()
		st.rewrite(ctx, conn, log, keep)
	}
	return st, nil
}

// detectJSON marks JSON-typed columns, using DESCRIBE (which binds but does
// not run the query) because duckdb-go's TypeInfo drops the JSON alias.
func (st *statement) detectJSON(ctx context.Context, conn *sql.Conn, log *zap.Logger) {
	if st.jsonKnown {
		return // describe read the JSON alias from the prepared statement
	}
	need := false
	for _, c := range st.cols {
		if c.typ.mightBeJSON() {
			need = true
		}
	}
	if !need {
		return
	}
	args := make([]any, len(st.paramDuck))
	rows, err := conn.QueryContext(ctx, "DESCRIBE "+st.sql+"\n", args...)
	if err != nil {
		log.Debug("describe for JSON detection failed", zap.Error(err))
		return
	}
	defer rows.Close()
	ncols, err := rows.Columns()
	if err != nil || len(ncols) < 2 {
		return
	}
	vals := make([]any, len(ncols))
	ptrs := make([]any, len(ncols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for i := 0; rows.Next() && i < len(st.cols); i++ {
		if err := rows.Scan(ptrs...); err != nil {
			return
		}
		if s, ok := vals[1].(string); ok {
			st.cols[i].typ.applyDescribeType(s)
		}
	}
}

// readShapes reads the logical types of the nested result columns, if
// any, for readableFromVectors.
func (st *statement) readShapes(s *duckdb.Stmt) {
	nested := false
	for _, c := range st.cols {
		nested = nested || c.typ.kind == kindNested
	}
	if !nested {
		return
	}
	shapes, ok := duckdbx.PreparedShapes(s, len(st.cols))
	if !ok {
		return
	}
	for i := range st.cols {
		if st.cols[i].typ.kind == kindNested {
			st.cols[i].shape = &shapes[i]
		}
	}
}

// readableFromVectors reports whether every column of the result can be
// read from DuckDB's vectors (newChunkColumn) once the columns that need
// it are converted in SQL (rewriteExpr); only then may JSON and nested
// columns skip that conversion (fromVectors), as no value of theirs then
// reaches the Go-value encoder, which would render a JSON column's parsed
// value, not its text.
func (st *statement) readableFromVectors() bool {
	for _, c := range st.cols {
		if _, converted := c.typ.rewriteExpr(""); converted && !c.typ.vectorJSON(c.shape) {
			continue // text after to_json or a cast
		}
		col := duckdbx.Column{Type: c.typ.duck}
		if c.shape != nil {
			col.Shape = *c.shape
		}
		if c.typ.isList() && c.typ.elem != nil {
			col.Elem = c.typ.elem.duck
		}
		if _, ok := newChunkColumn(c.typ, col, false); !ok {
			return false
		}
	}
	return true
}

// rewrite wraps the query so that DuckDB renders JSON columns as their
// original text and STRUCT/MAP/UNION/nested LIST columns with to_json (which
// keeps field order). Without a usable rewrite the values are encoded in Go.
// With keep, the rewrite's prepared statement replaces the kept one.
func (st *statement) rewrite(ctx context.Context, conn *sql.Conn, log *zap.Logger, keep bool) {
	var repl []string
	seen := map[string]bool{}
	dup := false
	for _, c := range st.cols {
		key := strings.ToLower(c.name)
		dup = dup || seen[key]
		seen[key] = true
		q := quoteIdent(c.name)
		if st.fromVectors && c.typ.vectorJSON(c.shape) {
			continue
		}
		if expr, ok := c.typ.rewriteExpr(q); ok {
			repl = append(repl, expr+" AS "+q)
		}
	}
	if len(repl) == 0 {
		return
	}
	rewritten := "SELECT * REPLACE (" + strings.Join(repl, ", ") + ") FROM (" + st.sql + "\n) AS _pgwire_q"
	if dup {
		rewritten = st.positionalRewrite() // duplicate names: REPLACE cannot address the right column
	}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("backend connection is %T, not a DuckDB connection", dc)
		}
		ds, err := c.PrepareContext(ctx, rewritten)
		if err != nil {
			return err
		}
		if keep {
			st.keepPrepared(ds)
			return nil
		}
		return ds.Close()
	})
	if err != nil {
		log.Debug("JSON-preserving rewrite not usable; encoding nested values in Go", zap.Error(err))
		return
	}
	st.execSQL = rewritten
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// rowDescription builds the RowDescription for the statement with the given
// per-column format codes (nil: all text).
func (st *statement) rowDescription(formats []int16) *pgproto3.RowDescription {
	fields := make([]pgproto3.FieldDescription, len(st.cols))
	for i, c := range st.cols {
		var f int16
		if formats != nil {
			f = formats[i]
		}
		fields[i] = pgproto3.FieldDescription{
			Name:                 []byte(c.name),
			TableOID:             c.tableOID,
			TableAttributeNumber: uint16(c.attnum),
			DataTypeOID:          c.typ.pg.oid,
			DataTypeSize:         c.typ.pg.size,
			TypeModifier:         c.typ.typmod,
			Format:               f,
		}
	}
	return &pgproto3.RowDescription{Fields: fields}
}

// commandTag builds the PostgreSQL CommandComplete tag.
func (st *statement) commandTag(n int64) string {
	kw := st.keywords
	word := func(i int) string {
		if i < len(kw) {
			return kw[i]
		}
		return ""
	}
	num := strconv.FormatInt(n, 10)
	switch st.stmtType {
	case duckdb.STATEMENT_TYPE_INSERT:
		return "INSERT 0 " + num
	case duckdb.STATEMENT_TYPE_UPDATE:
		return "UPDATE " + num
	case duckdb.STATEMENT_TYPE_DELETE:
		return "DELETE " + num
	}
	switch word(0) {
	case "SELECT", "WITH", "VALUES", "TABLE", "FROM", "DESCRIBE", "SUMMARIZE", "PIVOT", "UNPIVOT":
		return "SELECT " + num
	case "MERGE", "COPY", "FETCH", "MOVE":
		return word(0) + " " + num
	case "BEGIN", "START":
		if word(0) == "START" {
			return "START TRANSACTION"
		}
		return "BEGIN"
	case "COMMIT", "END":
		return "COMMIT"
	case "ROLLBACK", "ABORT":
		return "ROLLBACK"
	case "CREATE", "DROP", "ALTER":
		i := 1
		for {
			switch word(i) {
			case "OR", "REPLACE", "TEMP", "TEMPORARY", "UNIQUE", "PERSISTENT", "MATERIALIZED":
				i++
				continue
			}
			break
		}
		obj := word(i)
		switch obj {
		case "MACRO":
			obj = "FUNCTION"
		case "":
			return word(0)
		}
		if word(0) == "CREATE" && obj == "TABLE" && st.stmtType == duckdb.STATEMENT_TYPE_CREATE && sqlclass.HasWord(st.sql, "AS") {
			return "SELECT " + num
		}
		return word(0) + " " + obj
	case "TRUNCATE":
		return "TRUNCATE TABLE"
	case "":
		if st.returnsRows {
			return "SELECT " + num
		}
		return "OK"
	}
	if st.returnsRows && st.stmtType == duckdb.STATEMENT_TYPE_SELECT {
		if word(0) == "SHOW" {
			return "SHOW"
		}
		return "SELECT " + num
	}
	return word(0)
}

// describe prepares query in DuckDB and records its statement type,
// parameter types and result columns. With keep, DuckDB's prepared
// statement is kept (prepared) instead of closed.
func (st *statement) describe(ctx context.Context, conn *sql.Conn, query string, keep bool) error {
	st.cols, st.paramDuck, st.paramInfo = nil, nil, nil
	st.closePrepared()
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("backend connection is %T, not a DuckDB connection", dc)
		}
		ds, err := c.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		kept := false
		defer func() {
			if !kept {
				ds.Close()
			}
		}()
		s, ok := ds.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("prepared statement is %T, not a DuckDB statement", ds)
		}
		if st.stmtType, err = s.StatementType(); err != nil {
			return fmt.Errorf("statement type: %w", err)
		}
		n := s.NumInput()
		st.paramDuck = make([]duckdb.Type, n)
		for i := range n {
			t, err := s.ParamType(i + 1)
			if err != nil {
				return fmt.Errorf("parameter %d type: %w", i+1, err)
			}
			st.paramDuck[i] = t
		}
		if info, ok := duckdbx.Params(s, n); ok {
			st.paramInfo = info
		}
		ncol, err := s.ColumnCount()
		if err != nil {
			return fmt.Errorf("column count: %w", err)
		}
		for i := range ncol {
			cname, err := s.ColumnName(i)
			if err != nil {
				return fmt.Errorf("column %d name: %w", i, err)
			}
			ti, err := s.ColumnTypeInfo(i)
			if err != nil {
				ti = nil // unresolved type (e.g. untyped parameter): sent as text
			}
			st.cols = append(st.cols, column{name: cname, typ: newColType(ti)})
		}
		st.jsonKnown = false
		if kinds, ok := duckdbx.ColumnJSONKinds(s, len(st.cols)); ok {
			for i, kind := range kinds {
				switch kind {
				case duckdbx.JSON:
					st.cols[i].typ.applyDescribeType("JSON")
				case duckdbx.ListOfJSON:
					st.cols[i].typ.applyDescribeType("JSON[]")
				}
			}
			st.jsonKnown = true
		}
		st.readShapes(s)
		if keep {
			st.keepPrepared(ds)
			kept = true
		}
		return nil
	})
	return err
}

// duckTypeForOID is the DuckDB type a parameter of a PostgreSQL type is cast
// to when DuckDB cannot infer it.
var duckTypeForOID = map[uint32]string{
	oidBool: "BOOLEAN", oidInt2: "SMALLINT", oidInt4: "INTEGER", oidInt8: "BIGINT",
	oidFloat4: "FLOAT", oidFloat8: "DOUBLE", oidNumeric: "DECIMAL(38,10)",
	oidText: "VARCHAR", 1043: "VARCHAR", 1042: "VARCHAR", 19: "VARCHAR",
	oidBytea: "BLOB", oidDate: "DATE", oidTime: "TIME", oidTimestamp: "TIMESTAMP",
	oidTimestampTZ: "TIMESTAMPTZ", oidInterval: "INTERVAL", oidUUID: "UUID", oidJSON: "JSON", 3802: "JSON",
}

// unknownResult reports DuckDB's placeholder for the result of a statement
// whose result types depend on how its list parameters are bound: one
// column of no type.
func (st *statement) unknownResult() bool {
	return len(st.paramDuck) > 0 && len(st.cols) == 1 && st.cols[0].typ.duck == duckdb.TYPE_INVALID
}

// describeResultWithNulls describes the result of query with each
// parameter replaced by a NULL of the parameter's type, which DuckDB
// types where it cannot type the parameterized statement: a parameter of
// no type is text, as it is announced. The statement itself still runs
// with its parameters.
func (st *statement) describeResultWithNulls(ctx context.Context, conn *sql.Conn, query string) {
	nulls := map[string]string{}
	for i, t := range st.paramDuck {
		var info duckdbx.Param
		if i < len(st.paramInfo) {
			info = st.paramInfo[i]
		}
		name, ok := duckTypeName(t, info)
		switch {
		case !ok && unresolvedParam(t):
			name = "VARCHAR" // announced as text (paramOIDForDuck)
		case !ok:
			return // an untyped NULL would type the result its own way
		}
		// A NULL DuckDB cannot fold into a constant (whose type it then
		// loses: CAST(NULL AS VARCHAR) || 'x' would be INTEGER).
		nulls[fmt.Sprintf("$%d", i+1)] = "CAST(CASE WHEN random() < 0 THEN NULL END AS " + name + ")"
	}
	var b strings.Builder
	last := 0
	lx := sqlclass.NewLexer(query)
	for tok, ok := lx.Next(); ok; tok, ok = lx.Next() {
		if repl, isParam := nulls[tok.Text]; isParam && tok.Kind == sqlclass.Param {
			b.WriteString(query[last:tok.Pos])
			b.WriteString(repl)
			last = tok.Pos + len(tok.Text)
		}
	}
	b.WriteString(query[last:])
	tmp := &statement{}
	if err := tmp.describe(ctx, conn, b.String(), false); err != nil || len(tmp.paramDuck) > 0 || tmp.unknownResult() {
		return
	}
	// DuckDB names unnamed columns by their expression: as written, with
	// the parameters (where a NULL stands for one parameter only).
	uses := map[string]int{}
	for _, repl := range nulls {
		uses[repl]++
	}
	for i := range tmp.cols {
		for param, repl := range nulls {
			if uses[repl] == 1 {
				tmp.cols[i].name = strings.ReplaceAll(tmp.cols[i].name, repl, param)
			}
		}
	}
	st.cols, st.jsonKnown = tmp.cols, tmp.jsonKnown
}

// duckTypeNames spell DuckDB's scalar types in SQL.
var duckTypeNames = map[duckdb.Type]string{
	duckdb.TYPE_BOOLEAN: "BOOLEAN", duckdb.TYPE_TINYINT: "TINYINT", duckdb.TYPE_SMALLINT: "SMALLINT",
	duckdb.TYPE_INTEGER: "INTEGER", duckdb.TYPE_BIGINT: "BIGINT", duckdb.TYPE_HUGEINT: "HUGEINT",
	duckdb.TYPE_UTINYINT: "UTINYINT", duckdb.TYPE_USMALLINT: "USMALLINT", duckdb.TYPE_UINTEGER: "UINTEGER",
	duckdb.TYPE_UBIGINT: "UBIGINT", duckdb.TYPE_FLOAT: "FLOAT", duckdb.TYPE_DOUBLE: "DOUBLE",
	duckdb.TYPE_VARCHAR: "VARCHAR", duckdb.TYPE_BLOB: "BLOB", duckdb.TYPE_DATE: "DATE", duckdb.TYPE_TIME: "TIME",
	duckdb.TYPE_TIMESTAMP: "TIMESTAMP", duckdb.TYPE_TIMESTAMP_TZ: "TIMESTAMPTZ", duckdb.TYPE_INTERVAL: "INTERVAL",
	duckdb.TYPE_UUID: "UUID",
}

// duckTypeName spells a parameter's DuckDB type in SQL; ok is false when
// it is not known (or has parameters, like DECIMAL, that are not known).
func duckTypeName(t duckdb.Type, info duckdbx.Param) (string, bool) {
	if info.JSON {
		return "JSON", true
	}
	if info.Depth == 0 {
		name, ok := duckTypeNames[t]
		return name, ok
	}
	name, ok := duckTypeNames[info.Elem]
	if info.ElemJSON {
		name, ok = "JSON", true
	}
	return name + strings.Repeat("[]", info.Depth), ok
}

// duckTypeForParamOID is duckTypeForOID for scalars and arrays of them.
func duckTypeForParamOID(oid uint32) (string, bool) {
	if typ, ok := duckTypeForOID[oid]; ok {
		return typ, true
	}
	if elem, ok := arrayElemOIDs[oid]; ok {
		if typ, ok := duckTypeForOID[elem]; ok {
			return typ + "[]", true
		}
	}
	return "", false
}

// withCastTypes adds to the client's parameter types, for each parameter
// DuckDB left untyped and the client did not type, the type an explicit
// cast in the query names (explicitCastOIDs).
func withCastTypes(query string, duck []duckdb.Type, clientOIDs []uint32) []uint32 {
	var casts []uint32
	out := clientOIDs
	for i, t := range duck {
		if !unresolvedParam(t) || i < len(clientOIDs) && clientOIDs[i] != 0 {
			continue
		}
		if casts == nil {
			casts = explicitCastOIDs(query, len(duck))
			out = make([]uint32, len(duck))
			copy(out, clientOIDs)
		}
		out[i] = casts[i]
	}
	return out
}

// castUntypedParams wraps each $n whose type DuckDB left unresolved, and for
// which the client named a type, in a cast to that type.
func castUntypedParams(query string, duck []duckdb.Type, clientOIDs []uint32) string {
	casts := map[string]string{}
	for i, t := range duck {
		if t != duckdb.TYPE_INVALID && t != duckdb.TYPE_ANY && t != duckdb.TYPE_SQLNULL {
			continue
		}
		if i >= len(clientOIDs) {
			continue
		}
		if typ, ok := duckTypeForParamOID(clientOIDs[i]); ok {
			casts[fmt.Sprintf("$%d", i+1)] = typ
		}
	}
	if len(casts) == 0 {
		return query
	}
	var b strings.Builder
	last := 0
	lx := sqlclass.NewLexer(query)
	for tok, ok := lx.Next(); ok; tok, ok = lx.Next() {
		typ, ok := casts[tok.Text]
		if !ok || tok.Kind != sqlclass.Param {
			continue
		}
		b.WriteString(query[last:tok.Pos])
		fmt.Fprintf(&b, "CAST(%s AS %s)", tok.Text, typ)
		last = tok.Pos + len(tok.Text)
	}
	b.WriteString(query[last:])
	return b.String()
}
