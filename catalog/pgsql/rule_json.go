package pgsql

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The json rule gives PostgreSQL's json and jsonb operators and functions
// their PostgreSQL meaning on DuckDB's single JSON type. Every operator
// becomes a function call (so DuckDB's own precedence of ->, ->> and the
// rest never matters) and every function a call of DuckDB's JSON functions
// or of the emulation's macros (pgemu's sql/json.sql and jsonfuncs.go).
//
// jsonb values are JSON text in jsonb's canonical form: a cast to jsonb and
// every jsonb function or operator wraps its result in tp_jsonb (any JSON)
// or tp_jsonb_out (a part of a canonical value, reprinted with jsonb's
// spacing), so the text clients see and the equality of two jsonb values
// are PostgreSQL's. The rule knows an expression is jsonb or json only from
// its own output and casts (jsonKind); a column of DuckDB type JSON counts
// as json.
//
// The rule runs before the others (jsonPost is the first thing post does):
// it must see jsonb casts before the cast rule maps jsonb to json, and the
// json functions before the function rules rename them.
//
// Cost: json's -> and ->> of a key are DuckDB's json_type and json_extract
// (about 0.4 µs a row for a CloudTrail requestParameters document; a
// non-integer number, which json_extract would reprint, comes from Go);
// jsonb's operators go through Go functions, about 1 µs a row of call
// overhead plus parsing (4-6 µs a row for the same document).
//
// Known differences from PostgreSQL: objects and arrays DuckDB extracts
// from json (not jsonb) values are reprinted, so their inner whitespace
// goes and numbers in them are DuckDB's (1.50 becomes 1.5), and of
// duplicate keys the first wins (PostgreSQL's text is as written, the last
// wins); json_each, json_array_elements and json_to_record reprint numbers
// too; jsonb equality and
// order compare the canonical text (1.0 and 1 differ); jsonb_path_* know
// the subset pgjson.CompilePath documents; rows of a json set-returning
// function joined LATERAL come in DuckDB's order; operators PostgreSQL
// has only for jsonb (@>, ?) also take json and text; a jsonb column of a
// table a client creates holds the text as inserted; row_to_json of a row
// with timestamps also gives a T to string fields that look exactly like
// DuckDB's timestamp text.

// jsonKind is what the rule knows of an expression's type.
type jsonKind uint8

const (
	kindOther jsonKind = iota // not known to be json
	kindJSON
	kindJSONB
)

// jsonFuncs are the PostgreSQL functions the rule rewrites.
var jsonFuncs = map[string]bool{
	"json_typeof": true, "jsonb_typeof": true, "json_array_length": true, "jsonb_array_length": true,
	"jsonb_pretty": true, "jsonb_strip_nulls": true, "jsonb_set": true, "jsonb_path_exists": true,
	"jsonb_path_match": true, "jsonb_path_query_first": true, "jsonb_path_query": true,
	"json_object": true, "jsonb_object": true, "to_json": true, "to_jsonb": true, "row_to_json": true,
	"json_extract_path": true, "json_extract_path_text": true, "jsonb_extract_path": true, "jsonb_extract_path_text": true,
	"json_build_object": true, "jsonb_build_object": true, "json_build_array": true, "jsonb_build_array": true,
	"json_agg": true, "jsonb_agg": true, "json_object_agg": true, "jsonb_object_agg": true,
	"json_array_elements": true, "jsonb_array_elements": true, "json_array_elements_text": true, "jsonb_array_elements_text": true,
	"json_object_keys": true, "jsonb_object_keys": true, "json_each": true, "jsonb_each": true,
	"json_each_text": true, "jsonb_each_text": true, "jsonb_insert": true, "jsonb_path_query_array": true,
	"json_to_record": true, "jsonb_to_record": true, "json_to_recordset": true, "jsonb_to_recordset": true,
	"json_strip_nulls": true, "json_populate_record": true, "jsonb_populate_record": true,
	"json_populate_recordset": true, "jsonb_populate_recordset": true,
}

// macroFuncs are the json functions the emulation has macros of the same
// name for; the rule calls them, converting text[] literal arguments.
var macroFuncs = map[string]bool{
	"json_typeof": true, "jsonb_typeof": true, "json_array_length": true, "jsonb_array_length": true,
	"jsonb_pretty": true, "jsonb_strip_nulls": true, "jsonb_set": true, "jsonb_path_exists": true,
	"jsonb_path_match": true, "jsonb_path_query_first": true, "json_object": true, "jsonb_object": true,
	"jsonb_insert": true, "jsonb_path_query_array": true, "json_strip_nulls": true,
}

// jsonbResults and jsonResults are the emulation's functions whose results
// are jsonb and json.
var (
	jsonbResults = map[string]bool{
		"tp_jsonb": true, "tp_jsonb_out": true, "tp_jsonb_path": true, "tp_jsonb_concat": true, "tp_jsonb_delete": true,
		"tp_jsonb_delete_index": true, "tp_jsonb_delete_path": true, "jsonb_strip_nulls": true, "jsonb_set": true,
		"jsonb_path_query_first": true, "jsonb_object": true, "jsonb_insert": true, "jsonb_path_query_array": true,
	}
	jsonResults = map[string]bool{"tp_json_path": true, "tp_json_field": true, "json_object": true, "json_strip_nulls": true}
)

// jsonPost applies the json rule to m; it reports whether the other rules
// must leave m alone.
func (r *rewriter) jsonPost(m protoreflect.Message) bool {
	if !r.t.funcs["tp_jsonb"] {
		return false // an emulation without json support
	}
	switch x := m.Interface().(type) {
	case *pg_query.SelectStmt:
		r.jsonGroupedSRF(x)
	case *pg_query.FuncCall:
		return r.jsonFuncName(x) != "" // rewritten with its node
	case *pg_query.RangeFunction:
		return r.jsonSRF(x) != nil
	case *pg_query.Node:
		if repl := r.jsonNode(x); repl != nil {
			x.Node = repl.Node
			r.changed = true
			return true
		}
		// Not rewritten after all: give the other rules their turn.
		if fc := x.GetFuncCall(); fc != nil && r.jsonFuncName(fc) != "" {
			r.funcCall(fc)
		}
		if rf := x.GetRangeFunction(); rf != nil && r.jsonSRF(rf) != nil {
			r.rangeFunction(rf)
		}
	}
	return false
}

// jsonFuncName returns the name of a json function call the rule
// rewrites, or "".
func (r *rewriter) jsonFuncName(fc *pg_query.FuncCall) string {
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return ""
	}
	if n := name[len(name)-1]; jsonFuncs[n] && fc.Funcformat != pg_query.CoercionForm_COERCE_SQL_SYNTAX {
		return n
	}
	return ""
}

// jsonNode rewrites one expression or FROM item, or returns nil.
func (r *rewriter) jsonNode(n *pg_query.Node) *pg_query.Node {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		return r.jsonCast(x.TypeCast)
	case *pg_query.Node_AExpr:
		return r.jsonOperator(x.AExpr)
	case *pg_query.Node_FuncCall:
		if name, _ := nodeStrings(x.FuncCall.Funcname); len(name) > 0 && name[len(name)-1] == "pg_typeof" &&
			len(x.FuncCall.Args) == 1 && r.jsonKind(x.FuncCall.Args[0]) == kindJSONB {
			return strConst("jsonb") // DuckDB's type is JSON
		}
		return r.jsonFunction(x.FuncCall)
	case *pg_query.Node_RangeFunction:
		return r.jsonFrom(x.RangeFunction)
	case *pg_query.Node_AIndirection:
		return r.jsonSubscript(x.AIndirection)
	}
	return nil
}

// jsonSubscript rewrites jsonb subscripting, x['a'][0], into one path.
func (r *rewriter) jsonSubscript(ind *pg_query.A_Indirection) *pg_query.Node {
	if r.jsonKind(ind.Arg) != kindJSONB {
		return nil
	}
	var steps []*pg_query.Node
	for _, n := range ind.Indirection {
		ix := n.GetAIndices()
		if ix == nil || ix.IsSlice || ix.Uidx == nil {
			return nil
		}
		steps = append(steps, castNode(ix.Uidx, "varchar", false))
	}
	return r.call("tp_jsonb_path", r.jsonbDoc(ind.Arg), arrayOf(steps...))
}

// cat returns the emulation schema's name for fn.
func (r *rewriter) cat(fn string) []string {
	return append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], fn)
}

// call calls the emulation's fn.
func (r *rewriter) call(fn string, args ...*pg_query.Node) *pg_query.Node {
	return funcCall(r.cat(fn), args...)
}

// catFunc returns the name of the emulation function n calls, or "".
func (r *rewriter) catFunc(n *pg_query.Node) (string, *pg_query.FuncCall) {
	fc := n.GetFuncCall()
	if fc == nil {
		return "", nil
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) != len(r.t.catSchema)+1 {
		return "", nil
	}
	for i, s := range r.t.catSchema {
		if name[i] != s {
			return "", nil
		}
	}
	return name[len(name)-1], fc
}

// castNode is CAST(arg AS typ), typ[] when array is set.
func castNode(arg *pg_query.Node, typ string, array bool) *pg_query.Node {
	tn := &pg_query.TypeName{Names: strNodes(typ), Typemod: -1, Location: -1}
	if array {
		tn.ArrayBounds = []*pg_query.Node{pg_query.MakeIntNode(-1)}
	}
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: arg, TypeName: tn, Location: -1}}}
}

// jsonKind tells json and jsonb expressions the rule made or cast.
func (r *rewriter) jsonKind(n *pg_query.Node) jsonKind {
	if tc := n.GetTypeCast(); tc != nil && tc.TypeName != nil && len(tc.TypeName.ArrayBounds) == 0 {
		if names, ok := nodeStrings(tc.TypeName.Names); ok && len(names) > 0 && names[len(names)-1] == "json" {
			return kindJSON
		}
		return kindOther
	}
	if fn, _ := r.catFunc(n); fn != "" {
		switch {
		case jsonbResults[fn]:
			return kindJSONB
		case jsonResults[fn]:
			return kindJSON
		}
		return kindOther
	}
	if fc := n.GetFuncCall(); fc != nil && len(fc.Funcname) == 1 {
		switch fc.Funcname[0].GetString_().GetSval() {
		case "json_extract", "to_json":
			return kindJSON
		case "unnest":
			if len(fc.Args) == 1 {
				if fn, _ := r.catFunc(fc.Args[0]); fn == "tp_jsonb_elements" || fn == "tp_jsonb_path_query" {
					return kindJSONB
				}
				if tc := fc.Args[0].GetTypeCast(); tc != nil && len(tc.TypeName.ArrayBounds) == 1 && lastString(tc.TypeName.Names) == "json" {
					return kindJSON
				}
			}
		}
	}
	return kindOther
}

// jsonDoc returns the JSON operand of an operator: a value tp_jsonb_out
// only reprinted is used as it is, a parameter is json.
func (r *rewriter) jsonDoc(n *pg_query.Node) *pg_query.Node {
	if fn, fc := r.catFunc(n); fn == "tp_jsonb_out" && len(fc.Args) == 1 {
		return fc.Args[0]
	}
	return paramAs(n, "json", false)
}

// paramAs casts a parameter ($1) to typ (typ[] when array), so that DuckDB
// infers its type as PostgreSQL does from the operator; other expressions
// are returned as they are.
func paramAs(n *pg_query.Node, typ string, array bool) *pg_query.Node {
	cast := n
	switch {
	case n.GetParamRef() != nil:
		cast = castNode(n, typ, array)
	case typ == "json" && n.GetTypeCast() != nil && n.GetTypeCast().Arg.GetParamRef() != nil &&
		lastString(n.GetTypeCast().TypeName.Names) == "json" && len(n.GetTypeCast().TypeName.ArrayBounds) == 0:
		// $1::json already
	default:
		return n
	}
	if typ != "json" {
		return cast
	}
	// (SELECT $1::json): DuckDB leaves a parameter untyped when its JSON
	// cast is read as text by a Go function, but types it in a subquery.
	sel := &pg_query.SelectStmt{
		TargetList:  []*pg_query.Node{pg_query.MakeResTargetNodeWithVal(cast, -1)},
		LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg_query.SetOperation_SETOP_NONE,
	}
	return &pg_query.Node{Node: &pg_query.Node_SubLink{SubLink: &pg_query.SubLink{
		SubLinkType: pg_query.SubLinkType_EXPR_SUBLINK,
		Subselect:   &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, Location: -1}}}
}

// jsonbDoc returns the operand of a Go jsonb function, which reads its
// arguments as jsonb itself: tp_jsonb and tp_jsonb_out are left out.
func (r *rewriter) jsonbDoc(n *pg_query.Node) *pg_query.Node {
	if fn, fc := r.catFunc(n); (fn == "tp_jsonb_out" || fn == "tp_jsonb") && len(fc.Args) == 1 {
		return fc.Args[0]
	}
	return paramAs(n, "json", false)
}

// jsonbStep is jsonb's -> (->> when text) as a Go path call; a step after
// a path of constants joins it (x -> 'a' -> 'b' is one call).
func (r *rewriter) jsonbStep(text bool, doc, key *pg_query.Node) *pg_query.Node {
	step := castNode(key, "varchar", false)
	constant := false
	if s, ok := stringConst(key); ok {
		if _, err := strconv.Atoi(strings.TrimSpace(s)); err != nil {
			step, constant = strConst(s), true
		}
	} else if c := key.GetAConst(); c != nil && c.GetIval() != nil {
		step, constant = strConst(strconv.Itoa(int(c.GetIval().Ival))), true
	}
	fn := "tp_jsonb_path"
	if text {
		fn = "tp_jsonb_path_text"
	}
	if pf, fc := r.catFunc(doc); constant && pf == "tp_jsonb_path" && len(fc.Args) == 2 && constantList(fc.Args[1]) {
		steps := append(append([]*pg_query.Node{}, fc.Args[1].GetAArrayExpr().Elements...), step)
		return r.call(fn, fc.Args[0], arrayOf(steps...))
	}
	return r.call(fn, r.jsonbDoc(doc), arrayOf(step))
}

// jsonPath is #> (#>> when text) of doc with the list path: DuckDB's
// json_extract for json and a path of constant keys, Go's exact path
// otherwise (a step that looks like an integer indexes arrays).
func (r *rewriter) jsonPath(jsonb, text bool, doc, path *pg_query.Node) *pg_query.Node {
	if !jsonb && constantList(path) {
		var b strings.Builder
		b.WriteString("$")
		keys := true
		for _, e := range path.GetAArrayExpr().Elements {
			s, _ := stringConst(e)
			if _, err := strconv.Atoi(strings.TrimSpace(s)); err == nil || s == "" {
				keys = false
				break
			}
			b.WriteString(`."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`)
		}
		if keys {
			fn := "tp_json_field"
			if text {
				fn = "tp_json_field_text"
			}
			return r.call(fn, r.jsonDoc(doc), strConst(b.String()), path)
		}
	}
	fn := "tp_json_path"
	if jsonb {
		fn = "tp_jsonb_path"
		doc = r.jsonbDoc(doc)
	} else {
		doc = r.jsonDoc(doc)
	}
	if text {
		fn += "_text"
	}
	return r.call(fn, doc, path)
}

// constantList reports ARRAY['a', ...] of string constants.
func constantList(n *pg_query.Node) bool {
	a := n.GetAArrayExpr()
	if a == nil {
		return false
	}
	for _, e := range a.Elements {
		if _, ok := stringConst(e); !ok {
			return false
		}
	}
	return true
}

// asJSONB returns n as a jsonb value.
func (r *rewriter) asJSONB(n *pg_query.Node) *pg_query.Node {
	if r.jsonKind(n) == kindJSONB {
		return n
	}
	return r.call("tp_jsonb", paramAs(n, "json", false))
}

// jsonCast rewrites casts to jsonb.
func (r *rewriter) jsonCast(tc *pg_query.TypeCast) *pg_query.Node {
	if tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 {
		return nil
	}
	names, ok := nodeStrings(tc.TypeName.Names)
	if !ok || len(names) == 0 || len(names) > 2 || len(names) == 2 && names[0] != "pg_catalog" || names[len(names)-1] != "jsonb" {
		return nil
	}
	return r.asJSONB(tc.Arg)
}

// stringConst returns the value of a string literal.
func stringConst(n *pg_query.Node) (string, bool) {
	if c := n.GetAConst(); c != nil && c.GetSval() != nil {
		return c.GetSval().Sval, true
	}
	return "", false
}

// jsonLiteral reports a string literal holding a JSON object or array.
func jsonLiteral(n *pg_query.Node) bool {
	s, ok := stringConst(n)
	s = strings.TrimSpace(s)
	if !ok || s == "" || s[0] != '{' && s[0] != '[' {
		return false
	}
	if s[0] == '[' {
		return true
	}
	// '{a,b}' is an array literal (and '{}' an empty one); a JSON object
	// has a quoted key.
	return strings.HasPrefix(strings.TrimSpace(s[1:]), `"`)
}

// textList returns a text[] operand as a list expression: a '{a,b}'
// literal becomes ARRAY['a', 'b'].
func textList(n *pg_query.Node) *pg_query.Node {
	s, ok := stringConst(n)
	if !ok {
		return n
	}
	elems, ok := textArrayLiteral(s)
	if !ok {
		return n
	}
	arr := &pg_query.A_ArrayExpr{Location: -1}
	for _, e := range elems {
		if e == nil {
			arr.Elements = append(arr.Elements, nullConst())
		} else {
			arr.Elements = append(arr.Elements, strConst(*e))
		}
	}
	if len(elems) == 0 {
		return castNode(&pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: arr}}, "varchar", true)
	}
	return &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: arr}}
}

// textArrayLiteral parses a one-dimensional text[] literal ('{a,"b c",NULL}');
// a nil element is NULL.
func textArrayLiteral(s string) ([]*string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	out := []*string{}
	if strings.TrimSpace(body) == "" {
		return out, true
	}
	for i := 0; ; i++ {
		for i < len(body) && body[i] == ' ' {
			i++
		}
		var b strings.Builder
		quoted := i < len(body) && body[i] == '"'
		if quoted {
			for i++; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, false
			}
			for i++; i < len(body) && body[i] == ' '; i++ {
			}
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				if strings.IndexByte(`{}"`, body[i]) >= 0 {
					return nil, false // nested or malformed
				}
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
			}
		}
		v := b.String()
		if !quoted {
			v = strings.TrimRight(v, " ")
		}
		if !quoted && strings.EqualFold(v, "null") {
			out = append(out, nil)
		} else {
			out = append(out, &v)
		}
		if i >= len(body) {
			return out, true
		}
		if body[i] != ',' {
			return nil, false
		}
	}
}

// arrayOf is ARRAY[n...].
func arrayOf(n ...*pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: &pg_query.A_ArrayExpr{Elements: n, Location: -1}}}
}

// keyPath returns json_extract's path for the right operand of -> and ->>:
// an object key as a quoted JSONPath member, an integer as it is.
func (r *rewriter) keyPath(n *pg_query.Node) *pg_query.Node {
	if s, ok := stringConst(n); ok {
		if s == "" {
			return nil // DuckDB's paths have no empty key
		}
		return strConst(`$."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`)
	}
	if n.GetParamRef() != nil {
		return r.call("tp_json_key", castNode(n, "varchar", false)) // a key, as PostgreSQL reads an untyped parameter
	}
	return n // an index, or an expression: DuckDB picks the key or index function by its type
}

// jsonOperator rewrites the json and jsonb operators.
func (r *rewriter) jsonOperator(e *pg_query.A_Expr) *pg_query.Node {
	if e.Kind != pg_query.A_Expr_Kind_AEXPR_OP || e.Lexpr == nil || e.Rexpr == nil {
		return nil
	}
	name, ok := nodeStrings(e.Name)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	lk, rk := r.jsonKind(e.Lexpr), r.jsonKind(e.Rexpr)
	left := r.jsonDoc(e.Lexpr)
	if lk == kindJSONB {
		left = r.jsonbDoc(e.Lexpr)
	}
	switch op := name[len(name)-1]; op {
	case "->", "->>":
		if op == "->" && duckLambda(e) {
			return nil // DuckDB's lambda, x -> x + 1
		}
		if lk == kindJSONB {
			// jsonb: Go's exact path (json_extract reprints numbers).
			return r.jsonbStep(op == "->>", e.Lexpr, e.Rexpr)
		}
		path := r.keyPath(e.Rexpr)
		if path == nil {
			fn := map[bool]string{true: "tp_json_path", false: "tp_json_path_text"}[op == "->"]
			return r.call(fn, left, arrayOf(castNode(e.Rexpr, "varchar", false)))
		}
		key := e.Rexpr
		if c := e.Rexpr.GetAConst(); c != nil && c.GetIval() != nil {
			// An index: $[i], or $[#-i] from the end.
			i := int(c.GetIval().Ival)
			key = strConst(strconv.Itoa(i))
			if i < 0 {
				path = strConst("$[#" + strconv.Itoa(i) + "]")
			} else {
				path = strConst("$[" + strconv.Itoa(i) + "]")
			}
		}
		if _, ok := stringConst(key); ok {
			fn := map[bool]string{true: "tp_json_field", false: "tp_json_field_text"}[op == "->"]
			keys := arrayOf(key)
			if lf, lc := r.catFunc(e.Lexpr); lf == "tp_json_field" && len(lc.Args) == 3 {
				// x -> 'a' -> 'b' is one path: the document is read once.
				lp, _ := stringConst(lc.Args[1])
				kp, _ := stringConst(path)
				if lk := lc.Args[2].GetAArrayExpr(); lk != nil && lp != "" {
					left, path = lc.Args[0], strConst(lp+strings.TrimPrefix(kp, "$"))
					keys = arrayOf(append(append([]*pg_query.Node{}, lk.Elements...), key)...)
				}
			}
			return r.call(fn, left, path, keys)
		}
		if op == "->" {
			return funcCall([]string{"json_extract"}, left, path)
		}
		return funcCall([]string{"json_extract_string"}, left, path)
	case "#>", "#>>":
		return r.jsonPath(lk == kindJSONB, op == "#>>", e.Lexpr, textList(e.Rexpr))
	case "@>", "<@":
		if lk == kindOther && rk == kindOther && !jsonLiteral(e.Lexpr) && !jsonLiteral(e.Rexpr) {
			return nil // array or range containment
		}
		a, b := r.jsonbDoc(e.Lexpr), r.jsonbDoc(e.Rexpr)
		if op == "<@" {
			a, b = b, a
		}
		return r.call("tp_jsonb_contains", a, b)
	case "?":
		return r.call("tp_jsonb_exists", left, arrayOf(paramAs(e.Rexpr, "varchar", false)), jsonBool(false))
	case "?|", "?&":
		return r.call("tp_jsonb_exists", left, paramAs(textList(e.Rexpr), "varchar", true), jsonBool(op == "?&"))
	case "||":
		if lk != kindJSONB && rk != kindJSONB {
			return nil // text concatenation
		}
		return r.call("tp_jsonb_concat", r.jsonbDoc(e.Lexpr), r.jsonbDoc(e.Rexpr))
	case "-":
		if lk != kindJSONB {
			return nil
		}
		if c := e.Rexpr.GetAConst(); c != nil && c.GetIval() != nil {
			return r.call("tp_jsonb_delete_index", left, e.Rexpr)
		}
		if _, ok := stringConst(e.Rexpr); ok {
			return r.call("tp_jsonb_delete", left, arrayOf(e.Rexpr))
		}
		if e.Rexpr.GetAArrayExpr() != nil || e.Rexpr.GetTypeCast() != nil && len(e.Rexpr.GetTypeCast().TypeName.ArrayBounds) > 0 {
			return r.call("tp_jsonb_delete", left, e.Rexpr)
		}
		return r.call("tp_jsonb_delete", left, arrayOf(e.Rexpr))
	case "#-":
		return r.call("tp_jsonb_delete_path", left, textList(e.Rexpr))
	case "=", "<>", "!=", "<", ">", "<=", ">=":
		if lk == kindJSON && rk != kindJSONB || rk == kindJSON && lk != kindJSONB {
			// json has no comparison operators: PostgreSQL fails with
			// 42883, and so does the call of a function that is not there.
			return funcCall([]string{"json " + op + " json"}, e.Lexpr, e.Rexpr)
		}
		// A literal compared with jsonb is jsonb.
		if op != "=" && op != "<>" && op != "!=" {
			return nil
		}
		if lk == kindJSONB && rk == kindOther && jsonLiteralAny(e.Rexpr) {
			e.Rexpr = r.call("tp_jsonb", e.Rexpr)
			r.changed = true
		} else if rk == kindJSONB && lk == kindOther && jsonLiteralAny(e.Lexpr) {
			e.Lexpr = r.call("tp_jsonb", e.Lexpr)
			r.changed = true
		}
	}
	return nil
}

// duckLambda reports a DuckDB lambda that PostgreSQL parses as the ->
// operator: a parameter list (a name or a row of names) the body uses.
func duckLambda(e *pg_query.A_Expr) bool {
	var params []string
	switch x := e.Lexpr.GetNode().(type) {
	case *pg_query.Node_ColumnRef:
		names, ok := nodeStrings(x.ColumnRef.Fields)
		if !ok || len(names) != 1 {
			return false
		}
		params = names
	case *pg_query.Node_RowExpr:
		for _, a := range x.RowExpr.Args {
			names, ok := nodeStrings(a.GetColumnRef().GetFields())
			if !ok || len(names) != 1 {
				return false
			}
			params = append(params, names[0])
		}
	default:
		return false
	}
	used := false
	walkNode(e.Rexpr, nil, func(m protoreflect.Message) {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && len(cr.Fields) > 0 {
			for _, p := range params {
				used = used || cr.Fields[0].GetString_().GetSval() == p
			}
		}
	})
	return used
}

// jsonLiteralAny reports any string literal (the text of a JSON value).
func jsonLiteralAny(n *pg_query.Node) bool {
	_, ok := stringConst(n)
	return ok
}

// jsonBool is a boolean constant.
func jsonBool(b bool) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{
		Val: &pg_query.A_Const_Boolval{Boolval: &pg_query.Boolean{Boolval: b}}, Location: -1}}}
}
