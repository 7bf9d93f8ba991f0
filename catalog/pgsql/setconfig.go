package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// SetConfig is a call set_config(name, value, is_local) whose arguments are
// constants: running the statement changes that session parameter.
type SetConfig struct {
	Name, Value string
	Local       bool
}

// setConfigCalls finds the set_config calls with constant arguments in a
// parsed statement. Calls with other arguments still return their value
// (the emulated set_config) but change nothing.
func setConfigCalls(tree *pg_query.ParseResult) []SetConfig {
	var out []SetConfig
	for _, raw := range tree.Stmts {
		walkNode(raw.Stmt, nil, func(m protoreflect.Message) {
			fc, ok := m.Interface().(*pg_query.FuncCall)
			if !ok || len(fc.Args) != 3 {
				return
			}
			name, ok := nodeStrings(fc.Funcname)
			if !ok || name[len(name)-1] != "set_config" || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
				return
			}
			param, ok1 := constString(fc.Args[0])
			value, ok2 := constString(fc.Args[1])
			local := fc.Args[2].GetAConst().GetBoolval()
			if !ok1 || !ok2 || local == nil {
				return
			}
			out = append(out, SetConfig{Name: param, Value: value, Local: local.Boolval})
		})
	}
	return out
}

// constString is the value of a string constant, also when cast ('x'::text).
func constString(n *pg_query.Node) (string, bool) {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.Arg
	}
	if s := n.GetAConst().GetSval(); s != nil {
		return s.Sval, true
	}
	return "", false
}
