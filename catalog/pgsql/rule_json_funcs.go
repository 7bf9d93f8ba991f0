package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// jsonFunction rewrites a call of a json function in an expression.
func (r *rewriter) jsonFunction(fc *pg_query.FuncCall) *pg_query.Node {
	fn := r.jsonFuncName(fc)
	if fn == "" || fc.AggStar {
		return nil
	}
	args := fc.Args
	jsonb := len(fn) > 5 && fn[:5] == "jsonb"
	if isAggregate(fn) {
		return r.jsonAggregate(fn, fc)
	}
	if fc.AggOrder != nil || fc.AggFilter != nil || fc.Over != nil || fc.AggDistinct {
		return nil
	}
	switch {
	case macroFuncs[fn]:
		if !r.t.funcs[fn] {
			return nil
		}
		out := make([]*pg_query.Node, len(args))
		copy(out, args)
		switch fn {
		case "jsonb_set", "jsonb_insert":
			if len(out) >= 2 {
				out[1] = textList(out[1])
			}
		case "json_object", "jsonb_object":
			for i := range out {
				out[i] = textList(out[i])
			}
		case "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query_first", "jsonb_path_query_array":
			if len(out) > 2 {
				out = out[:2] // vars and silent: not supported, ignored
			}
		}
		return r.call(fn, out...)
	}
	switch fn {
	case "to_json", "row_to_json":
		if len(args) == 0 {
			return nil
		}
		if r.jsonKind(args[0]) != kindOther {
			return castNode(args[0], "json", false)
		}
		return castNode(r.call("tp_to_json", args[0]), "json", false)
	case "to_jsonb":
		if len(args) != 1 {
			return nil
		}
		if r.jsonKind(args[0]) != kindOther {
			return r.asJSONB(args[0])
		}
		return r.call("tp_jsonb", r.call("tp_to_json", args[0]))
	case "json_extract_path", "json_extract_path_text", "jsonb_extract_path", "jsonb_extract_path_text":
		if len(args) < 1 {
			return nil
		}
		var path *pg_query.Node
		if fc.FuncVariadic && len(args) == 2 {
			path = textList(args[1])
		} else {
			path = arrayOf(args[1:]...)
			if len(args) == 1 {
				path = castNode(path, "varchar", true)
			}
		}
		return r.jsonPath(jsonb || r.jsonKind(args[0]) == kindJSONB, fn[len(fn)-5:] == "_text", args[0], path)
	case "json_build_object", "jsonb_build_object":
		if len(args)%2 != 0 || fc.FuncVariadic {
			return nil
		}
		parts := []*pg_query.Node{strConst("{")}
		for i := 0; i < len(args); i += 2 {
			if i > 0 {
				parts = append(parts, strConst(", "))
			}
			parts = append(parts, r.jsonKey(args[i]), strConst(" : "), r.jsonElem(args[i+1]))
		}
		parts = append(parts, strConst("}"))
		return r.jsonResult(funcCall([]string{"concat"}, parts...), jsonb)
	case "json_build_array", "jsonb_build_array":
		if fc.FuncVariadic {
			return nil
		}
		parts := []*pg_query.Node{strConst("[")}
		for i, a := range args {
			if i > 0 {
				parts = append(parts, strConst(", "))
			}
			parts = append(parts, r.jsonElem(a))
		}
		parts = append(parts, strConst("]"))
		return r.jsonResult(funcCall([]string{"concat"}, parts...), jsonb)
	}
	// Set-returning functions in a select list: unnest a list.
	if list := r.jsonSRFList(fn, args); list != nil {
		return funcCall([]string{"unnest"}, list)
	}
	return nil
}

// jsonResult casts built JSON text to json, or to canonical jsonb.
func (r *rewriter) jsonResult(text *pg_query.Node, jsonb bool) *pg_query.Node {
	if jsonb {
		return r.call("tp_jsonb", text)
	}
	return castNode(text, "json", false)
}

// jsonKey is an object key being built: the JSON string of its text.
func (r *rewriter) jsonKey(k *pg_query.Node) *pg_query.Node {
	return castNode(funcCall([]string{"to_json"}, castNode(k, "varchar", false)), "varchar", false)
}

// jsonElem is a value being built into an array or object: json and jsonb
// as their text, others through to_json.
func (r *rewriter) jsonElem(v *pg_query.Node) *pg_query.Node {
	if r.jsonKind(v) != kindOther {
		return &pg_query.Node{Node: &pg_query.Node_CoalesceExpr{CoalesceExpr: &pg_query.CoalesceExpr{
			Args: []*pg_query.Node{castNode(v, "varchar", false), strConst("null")}, Location: -1}}}
	}
	return r.call("tp_json_elem", v)
}

func isAggregate(fn string) bool {
	switch fn {
	case "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg":
		return true
	}
	return false
}

// jsonAggregate builds json_agg and json_object_agg from string_agg,
// keeping ORDER BY, FILTER, DISTINCT and OVER.
func (r *rewriter) jsonAggregate(fn string, fc *pg_query.FuncCall) *pg_query.Node {
	jsonb := fn[:5] == "jsonb"
	var elem *pg_query.Node
	open, close := "[", "]"
	switch fn {
	case "json_agg", "jsonb_agg":
		if len(fc.Args) != 1 {
			return nil
		}
		elem = r.jsonElem(fc.Args[0])
	default:
		if len(fc.Args) != 2 {
			return nil
		}
		open, close = "{ ", " }"
		elem = funcCall([]string{"concat"}, r.jsonKey(fc.Args[0]), strConst(" : "), r.jsonElem(fc.Args[1]))
	}
	sep := ", "
	if fn == "json_agg" && r.composite(fc.Args[0]) {
		sep = ", \n " // json_agg's whitespace between rows and arrays
	}
	agg := &pg_query.FuncCall{
		Funcname: strNodes("string_agg"), Args: []*pg_query.Node{elem, strConst(sep)},
		AggOrder: fc.AggOrder, AggFilter: fc.AggFilter, AggDistinct: fc.AggDistinct, Over: fc.Over,
		Funcformat: pg_query.CoercionForm_COERCE_EXPLICIT_CALL, Location: -1,
	}
	aggNode := &pg_query.Node{Node: &pg_query.Node_FuncCall{FuncCall: agg}}
	if fc.AggDistinct && len(fc.AggOrder) > 0 && (fn == "json_agg" || fn == "jsonb_agg") && r.jsonKind(fc.Args[0]) == kindOther {
		// DuckDB orders a DISTINCT aggregate only by its argument: the
		// values are listed, then printed.
		agg.Funcname, agg.Args = strNodes("list"), []*pg_query.Node{fc.Args[0]}
		aggNode = r.call("tp_json_list_text", aggNode)
	}
	// '[' || agg || ']': NULL for no rows, as PostgreSQL's.
	text := concatOp(concatOp(strConst(open), aggNode), strConst(close))
	return r.jsonResult(text, jsonb)
}

func concatOp(a, b *pg_query.Node) *pg_query.Node {
	return op("||", a, b)
}

// jsonSRFList returns the list a single-column json set-returning
// function's rows are the elements of, or nil.
func (r *rewriter) jsonSRFList(fn string, args []*pg_query.Node) *pg_query.Node {
	if len(args) < 1 {
		return nil
	}
	doc := r.jsonDoc(args[0])
	switch fn {
	case "json_array_elements":
		return r.call("tp_json_elements", doc)
	case "jsonb_array_elements":
		return r.call("tp_jsonb_elements", doc)
	case "json_array_elements_text":
		return r.call("tp_json_elements_text", doc)
	case "jsonb_array_elements_text":
		return r.call("tp_jsonb_elements_text", doc)
	case "json_object_keys":
		return r.call("tp_json_keys", doc)
	case "jsonb_object_keys":
		return r.call("tp_json_keys", r.asJSONB(args[0]))
	case "json_each", "jsonb_each", "json_each_text", "jsonb_each_text":
		return r.call("tp_"+fn, doc)
	case "jsonb_path_query":
		if len(args) < 2 {
			return nil
		}
		return r.call("tp_jsonb_path_query", doc, args[1])
	}
	return nil
}

// srfItem is a json set-returning function in FROM, which jsonFunction
// already made an unnest(list) call of (a FROM item's function is
// rewritten before the item): fn is its PostgreSQL name, fc a call of
// json_each's family on the document, list the list whose elements are
// the rows of the others.
type srfItem struct {
	fn   string
	fc   *pg_query.FuncCall
	list *pg_query.Node
}

// listFuncs maps the emulation's list functions jsonSRFList calls to the
// set-returning functions they stand for.
var listFuncs = map[string]string{
	"tp_json_elements": "json_array_elements", "tp_jsonb_elements": "jsonb_array_elements",
	"tp_json_elements_text": "json_array_elements_text", "tp_jsonb_elements_text": "jsonb_array_elements_text",
	"tp_json_keys": "json_object_keys", "tp_jsonb_path_query": "jsonb_path_query",
}

// jsonSRF returns the json set-returning function that is a FROM item, or
// nil.
func (r *rewriter) jsonSRF(rf *pg_query.RangeFunction) *srfItem {
	if len(rf.Functions) != 1 || rf.IsRowsfrom {
		return nil
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 {
		return nil
	}
	fc := pair.Items[0].GetFuncCall()
	if fc == nil {
		return nil
	}
	if name, ok := nodeStrings(fc.Funcname); ok && len(name) == 1 && name[0] == "unnest" && len(fc.Args) == 1 {
		lf, lc := r.catFunc(fc.Args[0])
		switch lf {
		case "tp_json_each", "tp_jsonb_each", "tp_json_each_text", "tp_jsonb_each_text":
			if rf.Ordinality || len(lc.Args) != 1 {
				return nil
			}
			return &srfItem{fn: lf[3:], fc: &pg_query.FuncCall{Funcname: strNodes(lf[3:]), Args: lc.Args}}
		}
		if listFuncs[lf] != "" {
			return &srfItem{fn: listFuncs[lf], list: fc.Args[0]}
		}
	}
	return nil
}

// jsonFrom turns a json set-returning function in FROM into a LATERAL
// subquery with PostgreSQL's column names: value for the elements, key and
// value for json_each, the alias (or the function's name) otherwise.
func (r *rewriter) jsonFrom(rf *pg_query.RangeFunction) *pg_query.Node {
	if len(rf.Functions) == 1 && len(rf.Functions[0].GetList().GetItems()) > 0 {
		if fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall(); fc != nil && recordFuncs[r.jsonFuncName(fc)] {
			return r.jsonRecordFrom(rf, r.jsonFuncName(fc), fc)
		}
	}
	item := r.jsonSRF(rf)
	if item == nil {
		return nil
	}
	fn := item.fn
	alias := fn
	var colnames []string
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
		colnames, _ = nodeStrings(rf.Alias.Colnames)
	}
	sel := &pg_query.SelectStmt{LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg_query.SetOperation_SETOP_NONE}
	var cols []string
	if item.fc != nil {
		doc := r.jsonDoc(item.fc.Args[0])
		if fn[:5] == "jsonb" {
			doc = r.asJSONB(item.fc.Args[0])
		}
		value := pg_query.MakeColumnRefNode([]*pg_query.Node{strNode("value")}, -1)
		switch fn {
		case "jsonb_each":
			value = r.call("tp_jsonb_out", value)
		case "json_each_text":
			value = r.call("tp_json_text", value)
		case "jsonb_each_text":
			value = r.call("tp_jsonb_text", value)
		}
		cols = []string{"key", "value"}
		sel.TargetList = []*pg_query.Node{
			pg_query.MakeResTargetNodeWithNameAndVal("key", pg_query.MakeColumnRefNode([]*pg_query.Node{strNode("key")}, -1), -1),
			pg_query.MakeResTargetNodeWithNameAndVal("value", value, -1),
		}
		from := &pg_query.RangeFunction{Functions: []*pg_query.Node{{Node: &pg_query.Node_List{List: &pg_query.List{
			Items: []*pg_query.Node{funcCall([]string{"json_each"}, doc), nil}}}}}}
		sel.FromClause = []*pg_query.Node{{Node: &pg_query.Node_RangeFunction{RangeFunction: from}}}
	} else {
		col := alias
		switch fn {
		case "json_array_elements", "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text":
			col = "value"
			if len(colnames) == 0 && r.bareReference(alias) {
				// SELECT r FROM jsonb_array_elements(x) r: r is the value.
				col = alias
				r.renameValueColumn(alias)
			}
		}
		cols = []string{col}
		sel.TargetList = []*pg_query.Node{pg_query.MakeResTargetNodeWithNameAndVal(col, funcCall([]string{"unnest"}, item.list), -1)}
		if rf.Ordinality {
			// WITH ORDINALITY: the element's position, unnested alongside.
			n := funcCall([]string{"unnest"}, funcCall([]string{"range"}, intConst(1),
				op("+", funcCall([]string{"len"}, item.list), intConst(1))))
			cols = append(cols, "ordinality")
			sel.TargetList = append(sel.TargetList, pg_query.MakeResTargetNodeWithNameAndVal("ordinality", n, -1))
		}
	}
	for i := range min(len(colnames), len(cols)) {
		cols[i] = colnames[i]
	}
	return &pg_query.Node{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
		Lateral:  true,
		Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}},
		Alias:    &pg_query.Alias{Aliasname: alias, Colnames: strNodes(cols...)},
	}}}
}

// bareReference reports whether the statement names alias as a column
// (a whole-row reference of a function's alias).
func (r *rewriter) bareReference(alias string) bool {
	found := false
	for _, raw := range r.tree.Stmts {
		walkNode(raw.Stmt, nil, func(m protoreflect.Message) {
			if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && len(cr.Fields) == 1 && cr.Fields[0].GetString_().GetSval() == alias {
				found = true
			}
		})
	}
	return found
}

// renameValueColumn makes alias.value references name the column alias.
func (r *rewriter) renameValueColumn(alias string) {
	for _, raw := range r.tree.Stmts {
		walkNode(raw.Stmt, nil, func(m protoreflect.Message) {
			if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && len(cr.Fields) == 2 &&
				cr.Fields[0].GetString_().GetSval() == alias && cr.Fields[1].GetString_().GetSval() == "value" {
				cr.Fields[1] = strNode(alias)
			}
		})
	}
}

// composite reports a row or array value: a ROW(...) or ARRAY[...]
// expression, or a relation's name used as a column (a whole row).
func (r *rewriter) composite(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_RowExpr, *pg_query.Node_AArrayExpr:
		return true
	case *pg_query.Node_ColumnRef:
		if len(x.ColumnRef.Fields) != 1 {
			return false
		}
		name := x.ColumnRef.Fields[0].GetString_().GetSval()
		found := false
		for _, raw := range r.tree.Stmts {
			walkNode(raw.Stmt, nil, func(m protoreflect.Message) {
				switch y := m.Interface().(type) {
				case *pg_query.RangeVar:
					found = found || y.Alias == nil && y.Relname == name
				case *pg_query.Alias:
					found = found || y.Aliasname == name
				}
			})
		}
		return found
	}
	return false
}
