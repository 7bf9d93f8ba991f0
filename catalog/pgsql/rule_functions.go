package pgsql

// PostgreSQL's functions that DuckDB lacks or answers otherwise are
// rewritten so that a statement PostgreSQL parses means what PostgreSQL
// says it means: calls of the emulation's macros (catalog/pgemu, among
// them sql/report_functions.sql) go to the emulation schema (funcCall),
// and the calls DuckDB must spell as other expressions are replaced
// (functionNode): to_char and its kin (rule_tochar.go, rule_numformat.go),
// extract and date_part (rule_datetime.go), regular expressions
// (rule_regexp.go) and set-returning functions in the select list
// (rule_srf.go). A call that needs a constant argument it lacks (a to_char
// format, a regexp_matches pattern) fails with DuckDB's error() rather than
// answer with DuckDB's meaning.

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// pgFormat rewrites PostgreSQL's format('...%s...%I...%L...', args) with a
// constant format string into concat(...): DuckDB's format speaks fmt's {}
// syntax instead. Positions (%2$s) and widths (%-10s) are supported; a
// width taken from an argument (*) leaves the call alone. It reports
// whether it rewrote the call.
func (r *rewriter) pgFormat(fc *pg_query.FuncCall) bool {
	if len(fc.Args) == 0 || fc.AggStar || fc.AggDistinct {
		return false
	}
	f, ok := constString(fc.Args[0])
	if !ok || fc.Args[0].GetAConst() == nil || !strings.Contains(f, "%") {
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
	digits := func(i int) (int, int) {
		n, j := 0, i
		for ; j < len(f) && f[j] >= '0' && f[j] <= '9'; j++ {
			n = n*10 + int(f[j]-'0')
		}
		return n, j
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return false
		}
		if f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		argNo := next
		if n, j := digits(i); j > i && j < len(f) && f[j] == '$' {
			argNo, i = n, j+1
		}
		left := false
		for i < len(f) && f[i] == '-' {
			left, i = true, i+1
		}
		width, j := digits(i)
		i = j
		if i >= len(f) {
			return false
		}
		var conv []string
		switch f[i] {
		case 's':
		case 'I':
			conv = []string{"quote_ident"}
		case 'L':
			conv = []string{"quote_nullable"}
		default:
			return false // a width argument (*) or an unknown conversion: leave it to DuckDB
		}
		if argNo < 1 || argNo >= len(fc.Args) {
			return false
		}
		arg := fc.Args[argNo]
		next = argNo + 1
		flush()
		if conv != nil {
			fn := conv
			if r.t.funcs[conv[0]] {
				fn = r.catalogName(conv[0])
			}
			arg = funcCall(fn, arg)
		} else {
			arg = r.text(arg)
		}
		if width > 0 {
			text := &pg_query.Node{Node: &pg_query.Node_CoalesceExpr{CoalesceExpr: &pg_query.CoalesceExpr{
				Args: []*pg_query.Node{typeCast(arg, varcharType()), strConst("")}, Location: -1}}}
			pad := "lpad"
			if left {
				pad = "rpad"
			}
			w := funcCall([]string{"greatest"}, intConst(width), typeCast(funcCall([]string{"length"}, text), &pg_query.TypeName{Names: strNodes("integer"), Typemod: -1}))
			arg = funcCall([]string{pad}, text, w, strConst(" "))
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
	if pgFunction(fc) && r.selectListSRF(fc, name[len(name)-1]) {
		return
	}
	if pgFunction(fc) && name[len(name)-1] == "generate_series" && len(fc.Args) == 3 {
		seriesArgs(fc) // in FROM
		r.changed = true
	}
	if fn := name[len(name)-1]; (fn == "power" || fn == "pow") && pgFunction(fc) && r.t.funcs[fn] {
		float8Params(fc.Args)
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
	if n := timeWithPrecision(f); n != nil {
		return n
	}
	name, ok := sqlValueFunctions[f.Op]
	if !ok || !r.t.funcs[name] {
		return nil
	}
	fn := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name)
	return pg_query.MakeFuncCallNode(strNodes(fn...), nil, -1)
}

// functionNode replaces calls of PostgreSQL functions whose answer DuckDB
// spells as another expression; nil leaves the call alone.
func (r *rewriter) functionNode(fc *pg_query.FuncCall) *pg_query.Node {
	if !pgFunction(fc) || fc.AggStar || fc.AggDistinct || fc.Over != nil || len(fc.AggOrder) > 0 || fc.AggFilter != nil {
		return nil
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	switch name {
	case "extract":
		if fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
			return r.extract(fc)
		}
	case "date_part":
		return r.datePart(fc)
	case "substring", "substr":
		if n := r.substring(fc); n != nil || !r.t.funcs["substr"] || len(fc.Args) < 2 {
			return n
		}
		// Positions: PostgreSQL's substr leaves out the characters before 1.
		return funcCall(r.catalogName("substr"), fc.Args...)
	case "date_trunc":
		return r.dateTrunc(fc)
	case "concat", "concat_ws":
		r.textArgs(fc, name == "concat_ws")
		return nil
	case "regexp_like":
		if len(fc.Args) == 2 || len(fc.Args) == 3 {
			// PostgreSQL's regexp_like is DuckDB's regexp_matches.
			return funcCall([]string{"regexp_matches"}, fc.Args...)
		}
	case "regexp_replace":
		r.regexpReplacement(fc)
		return nil
	case "overlaps":
		return r.overlaps(fc)
	case "to_char":
		return r.toChar(fc)
	case "to_date":
		return r.toTimestamp(fc, true)
	case "to_timestamp":
		return r.toTimestamp(fc, false)
	case "to_number":
		return r.toNumber(fc)
	}
	return nil
}

// text is x as concat and format print it (a boolean as t or f), for an
// argument that is not a constant.
func (r *rewriter) text(x *pg_query.Node) *pg_query.Node {
	if c := x.GetAConst(); c != nil && (c.GetSval() != nil || c.GetIval() != nil || c.GetFval() != nil || c.Isnull) || !r.t.funcs["tp_text"] {
		return x
	}
	return funcCall(r.catalogName("tp_text"), x)
}

// textArgs prints concat's and concat_ws's arguments as PostgreSQL does;
// skipFirst leaves concat_ws's separator alone.
func (r *rewriter) textArgs(fc *pg_query.FuncCall, skipFirst bool) {
	for i, a := range fc.Args {
		if i == 0 && skipFirst {
			continue
		}
		if t := r.text(a); t != a {
			fc.Args[i] = t
			r.changed = true
		}
	}
}

// timeWithPrecision is current_timestamp(p), current_time(p),
// localtimestamp(p) and localtime(p): the transaction's start rounded to p
// decimals of a second, which DuckDB's keywords do not take.
func timeWithPrecision(f *pg_query.SQLValueFunction) *pg_query.Node {
	var typ string
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		typ = "timestamptz"
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		typ = "timestamp"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		typ = "timetz"
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		typ = "time"
	default:
		return nil
	}
	p := int(f.Typmod)
	if p < 0 || p > 6 {
		p = 6
	}
	unit := int64(1)
	for range 6 - p {
		unit *= 10
	}
	// (epoch_us(now()) + unit / 2) // unit * unit microseconds after the epoch.
	us := op("*", op("//", op("+", funcCall([]string{"epoch_us"}, funcCall([]string{"now"})), pg_query.MakeAConstIntNode(unit/2, -1)),
		pg_query.MakeAConstIntNode(unit, -1)), pg_query.MakeAConstIntNode(unit, -1))
	ts := op("+", funcCall([]string{"to_timestamp"}, intConst(0)), funcCall([]string{"to_microseconds"}, us))
	return typeCast(ts, &pg_query.TypeName{Names: strNodes(typ), Typemod: -1, Location: -1})
}
