package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// singleColumnSRFs are set-returning functions with one output column. In
// PostgreSQL `FROM generate_series(1, 3) s` makes s name that column; in
// DuckDB s names the row, so the alias is given a column list.
var singleColumnSRFs = map[string]bool{
	"generate_series": true, "generate_subscripts": true, "unnest": true,
	"regexp_split_to_table": true, "json_array_elements_text": true, "jsonb_array_elements_text": true,
}

// scalarFunctionsInFrom are scalar functions PostgreSQL lets a FROM clause
// call as a one-row relation; DuckDB only has table functions there.
var scalarFunctionsInFrom = map[string]bool{
	"string_to_array": true, "current_schemas": true, "regexp_split_to_array": true,
}

// functionInFrom turns `FROM generate_series(...) AS i` and
// `FROM string_to_array(...) s` into subqueries, since DuckDB table
// functions take only constant arguments and scalar functions are not
// relations: (SELECT unnest(generate_series(...)) AS i) AS i(i). So are
// PostgreSQL's regexp_matches (a DuckDB boolean) and unnest of several
// arrays (zipped, the shorter ones padded with NULLs).
func (r *rewriter) functionInFrom(rf *pg_query.RangeFunction) *pg_query.Node {
	if len(rf.Functions) != 1 || rf.Ordinality {
		return nil
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 {
		return nil
	}
	fc := pair.Items[0].GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return nil
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	var vals []*pg_query.Node
	switch {
	case name == "regexp_matches" && pgFunction(fc):
		vals = []*pg_query.Node{r.regexpMatches(fc)}
	case name == "string_to_table" && pgFunction(fc):
		vals = []*pg_query.Node{funcCall([]string{"unnest"}, funcCall([]string{"string_to_array"}, fc.Args...))}
	case name == "regexp_split_to_table" && pgFunction(fc):
		vals = []*pg_query.Node{pair.Items[0]} // rows in a select list
	case name == "unnest" && pgFunction(fc) && len(fc.Args) > 1:
		for _, a := range fc.Args {
			vals = append(vals, funcCall([]string{"unnest"}, a))
		}
	case name == "generate_series" && pgFunction(fc) && (numericSeries(fc.Args) || zeroStep(fc.Args)):
		vals = []*pg_query.Node{funcCall([]string{"unnest"}, r.series(fc.Args))}
	case rf.Alias == nil:
		return nil
	case name == "generate_series" && len(fc.Args) == 2:
		vals = []*pg_query.Node{pg_query.MakeFuncCallNode([]*pg_query.Node{pg_query.MakeStrNode("unnest")}, []*pg_query.Node{pair.Items[0]}, fc.Location)}
	case scalarFunctionsInFrom[name]:
		vals = []*pg_query.Node{pair.Items[0]}
	default:
		return nil
	}
	alias := &pg_query.Alias{Aliasname: name}
	if rf.Alias != nil {
		alias.Aliasname = rf.Alias.Aliasname
	}
	var cols []string
	switch {
	case rf.Alias != nil && len(rf.Alias.Colnames) == len(vals):
		for _, c := range rf.Alias.Colnames {
			cols = append(cols, c.GetString_().GetSval())
		}
	case rf.Alias != nil && len(rf.Alias.Colnames) > 0:
		return nil
	case len(vals) == 1:
		cols = []string{alias.Aliasname}
	default:
		for range vals {
			cols = append(cols, name)
		}
	}
	sel := &pg_query.SelectStmt{
		LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg_query.SetOperation_SETOP_NONE,
	}
	for i, v := range vals {
		sel.TargetList = append(sel.TargetList, pg_query.MakeResTargetNodeWithNameAndVal(cols[i], v, fc.Location))
		alias.Colnames = append(alias.Colnames, pg_query.MakeStrNode(cols[i]))
	}
	return &pg_query.Node{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
		Lateral:  rf.Lateral,
		Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}},
		Alias:    alias,
	}}}
}

// pgFunction reports whether fc calls a function by its pg_catalog name.
func pgFunction(fc *pg_query.FuncCall) bool {
	return len(fc.Funcname) == 1 || len(fc.Funcname) == 2 && fc.Funcname[0].GetString_().GetSval() == "pg_catalog"
}

// fromCall reports whether fc is a FROM item rather than an expression.
func (r *rewriter) fromCall(fc *pg_query.FuncCall) bool {
	if r.fromCalls == nil {
		r.fromCalls = map[*pg_query.FuncCall]bool{}
		for _, raw := range r.tree.Stmts {
			walkNode(raw.Stmt, nil, func(m protoreflect.Message) {
				rf, ok := m.Interface().(*pg_query.RangeFunction)
				if !ok {
					return
				}
				for _, f := range rf.Functions {
					if l := f.GetList(); l != nil && len(l.Items) > 0 && l.Items[0].GetFuncCall() != nil {
						r.fromCalls[l.Items[0].GetFuncCall()] = true
					}
				}
			})
		}
	}
	return r.fromCalls[fc]
}

// selectListSRF gives set-returning functions in expressions PostgreSQL's
// rows: DuckDB's generate_series is a list there, and regexp_matches a
// boolean; unnest of the list makes the rows. It reports whether it
// rewrote fc.
func (r *rewriter) selectListSRF(fc *pg_query.FuncCall, name string) bool {
	if r.fromCall(fc) || fc.AggStar || fc.Over != nil {
		return false
	}
	var inner *pg_query.Node
	switch name {
	case "generate_series":
		if len(fc.Args) < 2 {
			return false
		}
		seriesArgs(fc)
		inner = r.series(fc.Args)
	case "string_to_table":
		inner = funcCall([]string{"string_to_array"}, fc.Args...)
	case "regexp_matches":
		m := r.regexpMatches(fc)
		if m.GetFuncCall() == nil || m.GetFuncCall().Funcname[len(m.GetFuncCall().Funcname)-1].GetString_().GetSval() != "unnest" {
			fc.Funcname, fc.Args = m.GetFuncCall().Funcname, m.GetFuncCall().Args
			r.changed = true
			return true
		}
		inner = m.GetFuncCall().Args[0]
	default:
		return false
	}
	fc.Funcname = strNodes("unnest")
	fc.Args = []*pg_query.Node{inner}
	r.changed = true
	return true
}

// rangeFunction gives `FROM srf(...) alias` the column list PostgreSQL implies.
func (r *rewriter) rangeFunction(rf *pg_query.RangeFunction) {
	if rf.Alias == nil || len(rf.Alias.Colnames) > 0 || len(rf.Functions) != 1 || rf.Ordinality {
		return
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 {
		return
	}
	fc := pair.Items[0].GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	if !singleColumnSRFs[name] || (name == "unnest" && len(fc.Args) != 1) {
		return
	}
	rf.Alias.Colnames = []*pg_query.Node{pg_query.MakeStrNode(rf.Alias.Aliasname)}
	r.changed = true
}

// seriesArgs gives generate_series's arguments PostgreSQL's types: a
// series of dates is one of timestamptz, and an untyped step an interval.
func seriesArgs(fc *pg_query.FuncCall) {
	if len(fc.Args) != 3 {
		return
	}
	if _, ok := fc.Args[2].GetAConst().GetVal().(*pg_query.A_Const_Sval); ok {
		fc.Args[2] = typeCast(fc.Args[2], &pg_query.TypeName{Names: strNodes("interval"), Typemod: -1, Location: -1})
	}
	if isDate(fc.Args[0]) || isDate(fc.Args[1]) {
		for i := range fc.Args[:2] {
			fc.Args[i] = typeCast(fc.Args[i], &pg_query.TypeName{Names: strNodes("timestamptz"), Typemod: -1, Location: -1})
		}
	}
}

// numericSeries reports a generate_series of numerics: an argument is a
// numeric constant (1.5).
func numericSeries(args []*pg_query.Node) bool {
	if len(args) < 2 || len(args) > 3 {
		return false
	}
	for _, a := range args {
		if a.GetAConst().GetFval() != nil {
			return true
		}
	}
	return false
}

// series is the list generate_series(args) makes: DuckDB's, or for
// numerics the emulation's tp_numeric_series.
func (r *rewriter) series(args []*pg_query.Node) *pg_query.Node {
	switch {
	case zeroStep(args):
		// PostgreSQL raises 22023; DuckDB's series is empty.
		args = []*pg_query.Node{args[0], args[1], typeCast(raise(zeroStepMsg), &pg_query.TypeName{Names: strNodes("int8"), Typemod: -1, Location: -1})}
	case len(args) == 3 && !nonZeroConst(args[2]) && args[2].GetParamRef() == nil:
		// (A parameter stays bare: DuckDB types it by the function.)
		args = []*pg_query.Node{args[0], args[1], checkedStep(args[2])}
	}
	if !numericSeries(args) || !r.t.funcs["tp_numeric_series"] {
		return funcCall([]string{"generate_series"}, args...)
	}
	step := intConst(1)
	if len(args) == 3 {
		step = args[2]
	}
	return funcCall(r.catalogName("tp_numeric_series"), args[0], args[1], step)
}

// zeroStepMsg is PostgreSQL's message (22023) for generate_series with a
// zero step.
const zeroStepMsg = "step size cannot equal zero"

// zeroStep reports a generate_series whose step is a zero constant.
func zeroStep(args []*pg_query.Node) bool {
	return len(args) == 3 && args[2].GetAConst() != nil && !args[2].GetAConst().Isnull && !nonZeroConst(args[2]) &&
		(args[2].GetAConst().GetIval() != nil || args[2].GetAConst().GetFval() != nil)
}

// checkedStep is CASE WHEN s - s = s THEN error('step size cannot equal
// zero') ELSE s END: s - s = s holds for a zero number or interval alone,
// and the CASE has s's type.
func checkedStep(s *pg_query.Node) *pg_query.Node {
	diff := op("-", s, proto.Clone(s).(*pg_query.Node))
	cond := op("=", diff, proto.Clone(s).(*pg_query.Node))
	c := pg_query.MakeCaseExprNode(nil, []*pg_query.Node{pg_query.MakeCaseWhenNode(cond, raise(zeroStepMsg), -1)}, -1)
	c.GetCaseExpr().Defresult = proto.Clone(s).(*pg_query.Node)
	return c
}
