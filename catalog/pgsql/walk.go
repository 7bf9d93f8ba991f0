package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// walk visits every message below m (not m itself) depth first. pre is
// called before a message's children are visited and may return false to
// skip them; post is called after. Either may be nil.
func walk(m protoreflect.Message, pre func(protoreflect.Message) bool, post func(protoreflect.Message)) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.GroupKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				visit(l.Get(i).Message(), pre, post)
			}
			return true
		}
		if fd.IsMap() {
			return true // pg_query's AST has no maps
		}
		visit(v.Message(), pre, post)
		return true
	})
}

func visit(m protoreflect.Message, pre func(protoreflect.Message) bool, post func(protoreflect.Message)) {
	if pre == nil || pre(m) {
		walk(m, pre, post)
	}
	if post != nil {
		post(m)
	}
}

// walkNode is walk for a *pg_query.Node, including the node itself.
func walkNode(n *pg_query.Node, pre func(protoreflect.Message) bool, post func(protoreflect.Message)) {
	if n != nil {
		visit(n.ProtoReflect(), pre, post)
	}
}

// Node constructors. The locations are -1: rewritten nodes have no place
// in the client's text.

func strNode(s string) *pg_query.Node { return pg_query.MakeStrNode(s) }

func strNodes(ss ...string) []*pg_query.Node {
	out := make([]*pg_query.Node, len(ss))
	for i, s := range ss {
		out[i] = strNode(s)
	}
	return out
}

// nodeStrings returns the String values of a name list (funcname, names,
// collname, operator name); ok is false when an element is not a String.
func nodeStrings(list []*pg_query.Node) (out []string, ok bool) {
	out = make([]string, 0, len(list))
	for _, n := range list {
		s := n.GetString_()
		if s == nil {
			return nil, false
		}
		out = append(out, s.Sval)
	}
	return out, true
}

func funcCall(name []string, args ...*pg_query.Node) *pg_query.Node {
	return pg_query.MakeFuncCallNode(strNodes(name...), args, -1)
}

func notExpr(arg *pg_query.Node) *pg_query.Node {
	return pg_query.MakeBoolExprNode(pg_query.BoolExprType_NOT_EXPR, []*pg_query.Node{arg}, -1)
}

func strConst(s string) *pg_query.Node { return pg_query.MakeAConstStrNode(s, -1) }

func intConst(i int) *pg_query.Node { return pg_query.MakeAConstIntNode(int64(i), -1) }

// op is the binary operator expression a name b.
func op(name string, a, b *pg_query.Node) *pg_query.Node {
	return pg_query.MakeAExprNode(pg_query.A_Expr_Kind_AEXPR_OP, strNodes(name), a, b, -1)
}

func nullConst() *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Isnull: true, Location: -1}}}
}
