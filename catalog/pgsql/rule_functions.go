package pgsql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// pgFormat rewrites PostgreSQL's format('...%s...%I...%L...', args) with a
// constant format string into concat(...): DuckDB's format speaks fmt's {}
// syntax instead. It reports whether it rewrote the call.
func (r *rewriter) pgFormat(fc *pg_query.FuncCall) bool {
	if len(fc.Args) == 0 || fc.AggStar || fc.AggDistinct {
		return false
	}
	c := fc.Args[0].GetAConst()
	if c == nil || c.GetSval() == nil {
		return false
	}
	f := c.GetSval().GetSval()
	if !strings.Contains(f, "%") {
		return false
	}
	var parts []*pg_query.Node
	var lit strings.Builder
	next := 1
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, strConst(lit.String()))
			lit.Reset()
		}
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 >= len(f) {
			return false
		}
		i++
		var conv []string
		switch f[i] {
		case '%':
			lit.WriteByte('%')
			continue
		case 's':
		case 'I':
			conv = []string{"quote_ident"}
		case 'L':
			conv = []string{"quote_literal"}
		default:
			return false // positions and widths: leave it to DuckDB
		}
		if next >= len(fc.Args) {
			return false
		}
		arg := fc.Args[next]
		next++
		flush()
		if conv != nil {
			fn := conv
			if r.t.funcs[conv[0]] {
				fn = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], conv[0])
			}
			arg = funcCall(fn, arg)
		}
		parts = append(parts, arg)
	}
	flush()
	fc.Funcname = strNodes("concat")
	fc.Args = parts
	r.changed = true
	return true
}

// duckFunctions are PostgreSQL functions DuckDB has under another name.
var duckFunctions = map[string]string{
	"json_build_object": "json_object", "jsonb_build_object": "json_object",
	"json_build_array": "json_array", "jsonb_build_array": "json_array",
}

// parserFuncs are pg_catalog functions the PostgreSQL grammar itself
// inserts (x SIMILAR TO p → x ~ pg_catalog.similar_to_escape(p)); the
// deparser needs their qualifier to print the syntax back.
var parserFuncs = map[string]bool{"similar_to_escape": true}

// funcCall points calls of emulated functions at the emulation schema and
// drops the pg_catalog qualifier of the others (DuckDB has many of them
// built in, unqualified).
func (r *rewriter) funcCall(fc *pg_query.FuncCall) {
	if fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
		return // EXTRACT(...), SUBSTRING(... FROM ...), AT TIME ZONE: deparsed as SQL syntax
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) == 2 && parserFuncs[name[1]] {
		return
	}
	if name[len(name)-1] == "format" && (len(name) == 1 || name[0] == "pg_catalog") {
		if r.pgFormat(fc) {
			return
		}
	}
	if dn, ok := duckFunctions[name[len(name)-1]]; ok && (len(name) == 1 || name[0] == "pg_catalog") {
		// Same function, DuckDB's name (variadic, so no macro can stand in).
		fc.Funcname = strNodes(dn)
		r.changed = true
		return
	}
	var repl []string
	switch {
	case len(name) == 1 && r.t.funcs[name[0]]:
		repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[0])
	case len(name) == 2 && name[0] == "pg_catalog":
		if r.t.funcs[name[1]] {
			repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[1])
		} else {
			repl = name[1:]
		}
	case len(name) == 2 && name[0] == "information_schema":
		if r.t.infoFuncs[name[1]] {
			repl = append(r.t.infoSchema[:len(r.t.infoSchema):len(r.t.infoSchema)], name[1])
		} else if r.t.funcs[name[1]] {
			repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[1])
		}
	}
	if repl == nil || len(repl) == 1 && len(name) == 1 {
		return
	}
	fc.Funcname = strNodes(repl...)
	r.changed = true
}

// sqlValueFunctions are the keyword-like functions (current_user, ...) whose
// PostgreSQL answer the emulation gives: the session's user and schema,
// where DuckDB's own answer its internal names.
var sqlValueFunctions = map[pg_query.SQLValueFunctionOp]string{
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:    "current_user",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:    "current_role",
	pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:    "session_user",
	pg_query.SQLValueFunctionOp_SVFOP_USER:            "user",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG: "current_catalog",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:  "current_schema",
}

// sqlValueFunction turns current_user and its kin into calls of the
// emulation's functions of the same names.
func (r *rewriter) sqlValueFunction(f *pg_query.SQLValueFunction) *pg_query.Node {
	name, ok := sqlValueFunctions[f.Op]
	if !ok || !r.t.funcs[name] {
		return nil
	}
	fn := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name)
	return pg_query.MakeFuncCallNode(strNodes(fn...), nil, -1)
}
