package sqlclass

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// Classify splits a query string into statements and classifies each.
// Statements holding only whitespace and comments are dropped. It never
// fails: a statement PostgreSQL's parser rejects is returned with Syntax
// DuckDB and its ParseError.
func Classify(q string) []Statement {
	tree, err := pg_query.Parse(q)
	if err == nil {
		out := make([]Statement, 0, len(tree.Stmts))
		for _, raw := range tree.Stmts {
			start := int(raw.StmtLocation)
			end := len(q)
			if raw.StmtLen > 0 {
				end = start + int(raw.StmtLen)
			}
			out = append(out, classifyParsed(Span{Text: q[start:end], Offset: start}, q, raw.Stmt))
		}
		return out
	}
	spans := Split(q)
	out := make([]Statement, 0, len(spans))
	for _, sp := range spans {
		stmtErr := err
		if sp.Text != q {
			// One statement of DuckDB's dialect must not hide the others,
			// and error positions count from the statement's start.
			one, e := pg_query.Parse(sp.Text)
			if e == nil && len(one.Stmts) == 1 {
				out = append(out, classifyParsed(sp, sp.Text, one.Stmts[0].Stmt))
				continue
			}
			if e != nil {
				stmtErr = e
			}
		}
		out = append(out, classifyDuckDB(sp, syntaxError(stmtErr)))
	}
	return out
}

// SyntaxError is PostgreSQL's parser's reason for rejecting a statement.
type SyntaxError struct {
	Message  string
	Position int // 1-based character position in the statement text; 0 when unknown
}

func (e *SyntaxError) Error() string { return e.Message }

// syntaxError converts pg_query's error.
func syntaxError(err error) *SyntaxError {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return &SyntaxError{Message: pe.Message, Position: pe.Cursorpos}
	}
	return &SyntaxError{Message: err.Error()}
}

// classifyParsed classifies one parsed statement whose span is sp; src is
// the text the parser read (locations in node refer to it).
func classifyParsed(sp Span, src string, node *pg_query.Node) Statement {
	st := Statement{Text: sp.Text, Offset: sp.Offset, Syntax: Postgres}
	r := reader{src: src}
	r.statement(&st, node)
	collect(&st, node)
	noteFileSettings(&st)
	return st
}

// classifyDuckDB classifies a statement PostgreSQL's parser rejected. COPY
// and DECLARE around a DuckDB query are read with PostgreSQL's parser, the
// query being kept as text; others are recognised by their leading words.
func classifyDuckDB(sp Span, parseErr *SyntaxError) Statement {
	words := LeadingWords(sp.Text, 3)
	if len(words) > 0 && (words[0] == "COPY" || words[0] == "DECLARE") {
		if st, ok := classifyWrapped(sp, words[0]); ok {
			return st
		}
	}
	st := Statement{Text: sp.Text, Offset: sp.Offset, Syntax: DuckDB, ParseError: parseErr}
	st.Kind, st.Writes, st.Files = duckdbKind(words)
	scanDuckDB(&st)
	switch st.Kind {
	case Set, Reset:
		if len(words) > 1 && words[1] == "GLOBAL" {
			st.Setting = &Setting{Global: true, Name: globalName(sp.Text)}
		}
	case SetVariable, ResetVariable:
		st.Setting = &Setting{Name: globalName(sp.Text)}
	}
	noteFileSettings(&st)
	return st
}

// globalName returns the parameter of SET GLOBAL name / RESET GLOBAL name.
func globalName(text string) string {
	lx := NewLexer(text)
	for i := 0; i < 2; i++ {
		lx.Next()
	}
	t, _ := lx.Next()
	return identName(t)
}

// duckdbKind guesses a DuckDB statement's kind from its leading words.
func duckdbKind(words []string) (kind Kind, writes, files bool) {
	if len(words) == 0 {
		return Unknown, false, false
	}
	second := ""
	if len(words) > 1 {
		second = words[1]
	}
	switch words[0] {
	case "SELECT", "FROM", "WITH", "VALUES", "TABLE":
		return Select, false, false
	case "INSERT":
		return Insert, true, false
	case "UPDATE":
		if second == "EXTENSIONS" {
			return Install, true, true
		}
		return Update, true, false
	case "DELETE":
		return Delete, true, false
	case "MERGE":
		return Merge, true, false
	case "CREATE", "ALTER", "DROP", "COMMENT", "TRUNCATE":
		return DDL, true, false
	case "SET", "RESET":
		if second == "VARIABLE" {
			if words[0] == "SET" {
				return SetVariable, false, false
			}
			return ResetVariable, false, false
		}
		if words[0] == "SET" {
			return Set, false, false
		}
		return Reset, false, false
	case "SHOW", "DESCRIBE":
		return Describe, false, false
	case "SUMMARIZE":
		return Summarize, false, false
	case "PIVOT", "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER":
		return Select, false, false
	case "PRAGMA":
		return Pragma, false, false
	case "ATTACH":
		return Attach, true, true
	case "DETACH":
		return Detach, false, false
	case "INSTALL", "FORCE":
		return Install, true, true
	case "LOAD":
		return Load, false, true
	case "EXPORT":
		return ExportDatabase, true, true
	case "IMPORT":
		return ImportDatabase, true, true
	case "USE":
		return Use, false, false
	case "COPY":
		return Copy, true, true
	}
	if k, ok := leadingKinds[words[0]]; ok {
		return k, false, false
	}
	return Unknown, false, false
}

// leadingKinds are the kinds recognised by a first word alone.
var leadingKinds = map[string]Kind{
	"DECLARE": Declare, "FETCH": Fetch, "MOVE": Move, "CLOSE": Close, "BEGIN": Begin, "START": Begin,
	"COMMIT": Commit, "END": Commit, "ROLLBACK": Rollback, "ABORT": Rollback, "SAVEPOINT": Savepoint,
	"RELEASE": Release, "PREPARE": Prepare, "EXECUTE": Execute, "DEALLOCATE": Deallocate, "DISCARD": Discard,
	"EXPLAIN": Explain, "CALL": Call, "CHECKPOINT": Utility, "VACUUM": Utility, "ANALYZE": Utility,
}

// classifyWrapped reads COPY (query) ... or DECLARE ... FOR query whose
// query is DuckDB syntax: the query is replaced by an empty SELECT for
// PostgreSQL's parser and kept as text.
func classifyWrapped(sp Span, word string) (Statement, bool) {
	var start, end int
	var ok bool
	if word == "COPY" {
		start, end, ok = copyQuerySpan(sp.Text)
	} else {
		start, end, ok = declareQuerySpan(sp.Text)
	}
	if !ok {
		return Statement{}, false
	}
	stand := sp.Text[:start] + "SELECT" + sp.Text[end:]
	tree, err := pg_query.Parse(stand)
	if err != nil || len(tree.Stmts) != 1 {
		return Statement{}, false
	}
	st := Statement{Text: sp.Text, Offset: sp.Offset, Syntax: Postgres}
	r := reader{src: stand}
	r.statement(&st, tree.Stmts[0].Stmt)
	query := strings.TrimSpace(sp.Text[start:end])
	switch {
	case st.Copy != nil:
		st.Copy.Query, st.Copy.QueryDuckDB = query, true
		st.Files = st.Files || !st.Copy.Stdio
	case st.Cursor != nil:
		st.Cursor.Query, st.Cursor.QueryDuckDB = query, true
	default:
		return Statement{}, false
	}
	return st, true
}

// copyQuerySpan finds the query of COPY (query): the text between the
// parentheses that follow COPY.
func copyQuerySpan(text string) (start, end int, ok bool) {
	lx := NewLexer(text)
	if t, ok := lx.Next(); !ok || !strings.EqualFold(t.Text, "COPY") {
		return 0, 0, false
	}
	open, ok := lx.Next()
	if !ok || open.Text != "(" {
		return 0, 0, false
	}
	depth := 1
	for t, ok := lx.Next(); ok; t, ok = lx.Next() {
		switch t.Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return open.Pos + 1, t.Pos, true
			}
		}
	}
	return 0, 0, false
}

// declareQuerySpan finds the query of DECLARE name ... CURSOR ... FOR
// query: from the token after FOR to the end.
func declareQuerySpan(text string) (start, end int, ok bool) {
	lx := NewLexer(text)
	cursor := false
	for t, ok := lx.Next(); ok; t, ok = lx.Next() {
		switch {
		case t.Kind != Word:
		case strings.EqualFold(t.Text, "CURSOR"):
			cursor = true
		case cursor && strings.EqualFold(t.Text, "FOR"):
			next, ok := lx.Next()
			if !ok {
				return 0, 0, false
			}
			return next.Pos, len(text), true
		}
	}
	return 0, 0, false
}

// identName returns an identifier token's name: quoted names keep case,
// others are lower-cased.
func identName(t Token) string {
	if t.Kind == QuotedIdent && len(t.Text) >= 2 {
		return strings.ReplaceAll(t.Text[1:len(t.Text)-1], `""`, `"`)
	}
	return strings.ToLower(t.Text)
}
