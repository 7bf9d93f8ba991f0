package pgemu

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"maps"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/catalog/pgemu/internal/pgjson"
)

// PostgreSQL's json and jsonb operators and functions whose semantics DuckDB
// lacks (jsonb's canonical text, containment, jsonb_set, SQL/JSON path) are
// Go functions registered with DuckDB, like tp_format_type. The macros of
// sql/json.sql wrap them with the JSON casts; the SQL translator (package
// catalog/pgsql, rule_json.go) calls those macros.
//
// DuckDB has one JSON type, so jsonb is JSON text in jsonb's canonical form:
// every expression that makes a jsonb value (a cast to jsonb, a jsonb
// function or operator) goes through tp_go_jsonb, which parses the text
// and prints it again with keys ordered and duplicates resolved. Equality of
// jsonb values is then equality of their text, and the text clients see is
// PostgreSQL's. The Go functions take and return VARCHAR (the JSON text).

// jsonUDF is one Go function registered with DuckDB.
type jsonUDF struct {
	in      []duckdb.Type // duckdb.TYPE_LIST means VARCHAR[]
	out     duckdb.Type
	special bool // handles NULL arguments itself
	fn      func(args []driver.Value) (any, error)
}

func typeInfo(t duckdb.Type) duckdb.TypeInfo {
	if t == duckdb.TYPE_LIST {
		v, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
		l, _ := duckdb.NewListInfo(v)
		return l
	}
	ti, _ := duckdb.NewTypeInfo(t)
	return ti
}

func (u jsonUDF) Config() duckdb.ScalarFuncConfig {
	var in []duckdb.TypeInfo
	for _, t := range u.in {
		in = append(in, typeInfo(t))
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: in, ResultTypeInfo: typeInfo(u.out), SpecialNullHandling: u.special}
}

func (u jsonUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: u.fn}
}

// parseArg parses the JSON text argument i.
func parseArg(args []driver.Value, i int) (*pgjson.Value, error) {
	s, _ := args[i].(string)
	v, err := pgjson.Parse(s)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// textList is the strings of a VARCHAR[] argument; NULL elements are errors in PostgreSQL's
// path arguments, here they match nothing.
func textList(v driver.Value) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

func jsonbText(v *pgjson.Value) string { return string(pgjson.AppendJSONB(nil, v)) }

// canonArg parses argument i into jsonb's form.
func canonArg(args []driver.Value, i int) (*pgjson.Value, error) {
	v, err := parseArg(args, i)
	if err != nil {
		return nil, err
	}
	return pgjson.Canon(v), nil
}

// jsonbEdit makes a function whose first argument is a jsonb value that
// edit changes: the value comes canonical, the result goes out as jsonb text.
func jsonbEdit(edit func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error)) func([]driver.Value) (any, error) {
	return func(args []driver.Value) (any, error) {
		v, err := canonArg(args, 0)
		if err != nil {
			return nil, err
		}
		if v, err = edit(v, args); err != nil {
			return nil, err
		}
		return jsonbText(v), nil
	}
}

// jsonFunctions are the Go functions, by SQL name.
func jsonFunctions() map[string]jsonUDF {
	out := jsonReadFunctions()
	maps.Copy(out, jsonEditFunctions())
	maps.Copy(out, jsonPathFunctions())
	return out
}

// jsonReadFunctions print, read paths of and test jsonb values.
func jsonReadFunctions() map[string]jsonUDF {
	V, B, L := duckdb.TYPE_VARCHAR, duckdb.TYPE_BOOLEAN, duckdb.TYPE_LIST
	path := func(jsonb, text bool) func([]driver.Value) (any, error) {
		return func(args []driver.Value) (any, error) {
			v, err := parseArg(args, 0)
			if err != nil {
				return nil, err
			}
			// Path reads the last of duplicate keys, as jsonb keeps it, so
			// only the result needs jsonb's form.
			r := pgjson.Path(v, textList(args[1]))
			switch {
			case r == nil:
				return nil, nil
			case jsonb:
				pgjson.Canon(r)
			}
			switch {
			case text && jsonb:
				if s, ok := pgjson.Text(r); ok {
					return s, nil
				}
				return nil, nil
			case text:
				if s, ok := pgjson.JSONText(r); ok {
					return s, nil
				}
				return nil, nil
			case jsonb:
				return jsonbText(r), nil
			}
			return pgjson.JSONOut(r), nil
		}
	}
	return map[string]jsonUDF{
		"tp_go_jsonb": {in: []duckdb.Type{V}, out: V, fn: func(args []driver.Value) (any, error) {
			return pgjson.JSONB(args[0].(string))
		}},
		"tp_go_jsonb_pretty": {in: []duckdb.Type{V}, out: V, fn: func(args []driver.Value) (any, error) {
			v, err := canonArg(args, 0)
			if err != nil {
				return nil, err
			}
			return string(pgjson.AppendPretty(nil, v, 0)), nil
		}},
		"tp_go_json_path":       {in: []duckdb.Type{V, L}, out: V, fn: path(false, false)},
		"tp_go_json_path_text":  {in: []duckdb.Type{V, L}, out: V, fn: path(false, true)},
		"tp_go_jsonb_path":      {in: []duckdb.Type{V, L}, out: V, fn: path(true, false)},
		"tp_go_jsonb_path_text": {in: []duckdb.Type{V, L}, out: V, fn: path(true, true)},
		"tp_go_jsonb_contains": {in: []duckdb.Type{V, V}, out: B, fn: func(args []driver.Value) (any, error) {
			a, err := parseArg(args, 0) // Contains reads the last of duplicate keys
			if err != nil {
				return nil, err
			}
			b, err := canonArg(args, 1)
			if err != nil {
				return nil, err
			}
			return pgjson.Contains(a, b), nil
		}},
		"tp_go_jsonb_exists": {in: []duckdb.Type{V, L, B}, out: B, fn: func(args []driver.Value) (any, error) {
			v, err := parseArg(args, 0)
			if err != nil {
				return nil, err
			}
			all := args[2].(bool)
			for _, k := range textList(args[1]) {
				if pgjson.Exists(v, k) != all {
					return !all, nil
				}
			}
			return all, nil
		}},
		"tp_go_json_strip_nulls": {in: []duckdb.Type{V}, out: V, fn: func(args []driver.Value) (any, error) {
			v, err := parseArg(args, 0)
			if err != nil {
				return nil, err
			}
			return string(pgjson.AppendCompact(nil, pgjson.StripNulls(v))), nil
		}},
		"tp_go_jsonb_strip_nulls": {in: []duckdb.Type{V}, out: V, fn: func(args []driver.Value) (any, error) {
			v, err := canonArg(args, 0)
			if err != nil {
				return nil, err
			}
			return jsonbText(pgjson.StripNulls(v)), nil
		}},
	}
}

// jsonEditFunctions make new jsonb values: ||, -, #-, jsonb_set,
// jsonb_insert.
func jsonEditFunctions() map[string]jsonUDF {
	V, B, I, L := duckdb.TYPE_VARCHAR, duckdb.TYPE_BOOLEAN, duckdb.TYPE_BIGINT, duckdb.TYPE_LIST
	return map[string]jsonUDF{
		"tp_go_jsonb_concat": {in: []duckdb.Type{V, V}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			b, err := canonArg(args, 1)
			if err != nil {
				return nil, err
			}
			return pgjson.Concat(v, b), nil
		})},
		"tp_go_jsonb_delete": {in: []duckdb.Type{V, L}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			var err error
			for _, k := range textList(args[1]) {
				if v, err = pgjson.DeleteKey(v, k); err != nil {
					return nil, err
				}
			}
			return v, nil
		})},
		"tp_go_jsonb_delete_index": {in: []duckdb.Type{V, I}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			return pgjson.DeleteIndex(v, int(args[1].(int64)))
		})},
		"tp_go_jsonb_delete_path": {in: []duckdb.Type{V, L}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			return pgjson.DeletePath(v, textList(args[1]))
		})},
		"tp_go_jsonb_set": {in: []duckdb.Type{V, L, V, B}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			nv, err := canonArg(args, 2)
			if err != nil {
				return nil, err
			}
			return pgjson.Set(v, textList(args[1]), nv, args[3].(bool))
		})},
		"tp_go_jsonb_insert": {in: []duckdb.Type{V, L, V, B}, out: V, fn: jsonbEdit(func(v *pgjson.Value, args []driver.Value) (*pgjson.Value, error) {
			nv, err := canonArg(args, 2)
			if err != nil {
				return nil, err
			}
			return pgjson.Insert(v, textList(args[1]), nv, args[3].(bool))
		})},
	}
}

// jsonPathFunctions are jsonb_path_query and friends (SQL/JSON path).
func jsonPathFunctions() map[string]jsonUDF {
	V, B, L := duckdb.TYPE_VARCHAR, duckdb.TYPE_BOOLEAN, duckdb.TYPE_LIST
	pathQuery := func(args []driver.Value) (*pgjson.JSONPath, *pgjson.Value, error) {
		v, err := canonArg(args, 0)
		if err != nil {
			return nil, nil, err
		}
		p, err := pgjson.CompilePath(args[1].(string))
		return p, v, err
	}
	return map[string]jsonUDF{
		"tp_go_jsonb_path_query_array": {in: []duckdb.Type{V, V}, out: V, fn: func(args []driver.Value) (any, error) {
			p, v, err := pathQuery(args)
			if err != nil {
				return nil, err
			}
			items, err := p.Query(v)
			if err != nil {
				return nil, err
			}
			return jsonbText(&pgjson.Value{Kind: pgjson.Array, Elems: items}), nil
		}},
		"tp_go_jsonb_path_query": {in: []duckdb.Type{V, V}, out: L, fn: func(args []driver.Value) (any, error) {
			p, v, err := pathQuery(args)
			if err != nil {
				return nil, err
			}
			items, err := p.Query(v)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(items))
			for i, it := range items {
				out[i] = jsonbText(it)
			}
			return out, nil
		}},
		"tp_go_jsonb_path_first": {in: []duckdb.Type{V, V}, out: V, fn: func(args []driver.Value) (any, error) {
			p, v, err := pathQuery(args)
			if err != nil {
				return nil, err
			}
			items, err := p.Query(v)
			if err != nil || len(items) == 0 {
				return nil, err
			}
			return jsonbText(items[0]), nil
		}},
		"tp_go_jsonb_path_exists": {in: []duckdb.Type{V, V}, out: B, fn: func(args []driver.Value) (any, error) {
			p, v, err := pathQuery(args)
			if err != nil {
				return nil, err
			}
			items, err := p.Query(v)
			if err != nil {
				return nil, err
			}
			return len(items) > 0, nil
		}},
		"tp_go_jsonb_path_match": {in: []duckdb.Type{V, V}, out: B, fn: func(args []driver.Value) (any, error) {
			p, v, err := pathQuery(args)
			if err != nil {
				return nil, err
			}
			r, ok, err := p.Match(v)
			if err != nil || !ok {
				return nil, err
			}
			return r, nil
		}},
	}
}

// registerJSONFunctions registers the Go json functions with the database
// (see registerFormatType for when registrations take effect).
func registerJSONFunctions(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register json functions: %w", err)
	}
	defer conn.Close()
	for name, f := range jsonFunctions() {
		if err := duckdb.RegisterScalarUDF(conn, name, f); err != nil {
			return fmt.Errorf("register %s: %w", name, err)
		}
	}
	return nil
}
