package pgsql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// regexOps maps PostgreSQL's regex operators (partial match; DuckDB's ~ is
// a full match) to regexp_matches calls.
var regexOps = map[string]struct {
	negate, icase bool
}{
	"~": {}, "~*": {icase: true}, "!~": {negate: true}, "!~*": {negate: true, icase: true},
}

// likeOps are the operator spellings of LIKE and ILIKE.
var likeOps = map[string]pg_query.A_Expr_Kind{
	"~~": pg_query.A_Expr_Kind_AEXPR_LIKE, "!~~": pg_query.A_Expr_Kind_AEXPR_LIKE,
	"~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE, "!~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE,
}

// aExpr rewrites operators: regex matches, OPERATOR(pg_catalog.op), and
// = ANY(array) / <> ALL(array).
func (r *rewriter) aExpr(e *pg_query.A_Expr) *pg_query.Node {
	name, ok := nodeStrings(e.Name)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	op := name[len(name)-1]
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if e.Lexpr != nil && e.Rexpr != nil {
			if ro, ok := regexOps[op]; ok {
				args := []*pg_query.Node{e.Lexpr, e.Rexpr}
				if ro.icase {
					args = append(args, strConst("i"))
				}
				call := funcCall([]string{"regexp_matches"}, args...)
				if ro.negate {
					return notExpr(call)
				}
				return call
			}
			if kind, ok := likeOps[op]; ok {
				e.Kind, e.Name = kind, strNodes(op)
				r.changed = true
				return nil
			}
		}
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		return likeEscape(e, op)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
		if op == "=" && e.Rexpr.GetSubLink() == nil {
			return funcCall([]string{"list_contains"}, e.Rexpr, e.Lexpr)
		}
	case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		if op == "<>" && e.Rexpr.GetSubLink() == nil {
			return notExpr(funcCall([]string{"list_contains"}, e.Rexpr, e.Lexpr))
		}
	}
	if len(name) == 2 {
		e.Name = strNodes(op)
		r.changed = true
	}
	return nil
}

// likeEscape rewrites x [NOT] [I]LIKE p ESCAPE e, which PostgreSQL parses
// as x LIKE pg_catalog.like_escape(p, e), into DuckDB's
// [NOT] [i]like_escape(x, p, e).
func likeEscape(e *pg_query.A_Expr, op string) *pg_query.Node {
	fc := e.Rexpr.GetFuncCall()
	if fc == nil {
		// PostgreSQL's LIKE escapes with a backslash by default; DuckDB's
		// has no escape character unless told.
		if c := e.Rexpr.GetAConst(); c != nil && strings.Contains(c.GetSval().GetSval(), `\`) {
			fn := "like_escape"
			if e.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
				fn = "ilike_escape"
			}
			call := funcCall([]string{fn}, e.Lexpr, e.Rexpr, strConst(`\`))
			if strings.HasPrefix(op, "!") {
				return notExpr(call)
			}
			return call
		}
		return nil
	}
	if len(fc.Args) != 2 {
		return nil
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || name[len(name)-1] != "like_escape" || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	fn := "like_escape"
	if e.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
		fn = "ilike_escape"
	}
	call := funcCall([]string{fn}, e.Lexpr, fc.Args[0], fc.Args[1])
	if strings.HasPrefix(op, "!") {
		return notExpr(call)
	}
	return call
}

// droppedCollations are collations DuckDB does not know whose removal does
// not change the meaning for the catalog's ASCII names.
var droppedCollations = map[string]bool{"default": true, "C": true, "POSIX": true, "c": true, "posix": true, "ucs_basic": true}

// collate drops COLLATE pg_catalog.default, "C" and "POSIX".
func (r *rewriter) collate(c *pg_query.CollateClause) *pg_query.Node {
	name, ok := nodeStrings(c.Collname)
	if !ok || c.Arg == nil || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	if !droppedCollations[name[len(name)-1]] {
		return nil
	}
	return c.Arg
}
