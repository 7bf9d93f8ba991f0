package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// srfAlias names the LATERAL subquery a grouped select list's json
// set-returning function moves to.
const srfAlias = "tp_srf"

// jsonGroupedSRF moves a json set-returning function out of the select
// list of a grouped query (SELECT jsonb_array_elements(x) ->> 't', count(*)
// ... GROUP BY 1): DuckDB cannot group by an unnest, PostgreSQL evaluates
// the function for each row before grouping, as a LATERAL join does.
// Only one distinct such call is moved; several zip in PostgreSQL.
func (r *rewriter) jsonGroupedSRF(sel *pg_query.SelectStmt) {
	if len(sel.GroupClause) == 0 || sel.Op != pg_query.SetOperation_SETOP_NONE {
		return
	}
	var found *pg_query.Node
	several := false
	for _, t := range sel.TargetList {
		walkNode(t, func(m protoreflect.Message) bool {
			_, sub := m.Interface().(*pg_query.SubLink)
			return !sub
		}, func(m protoreflect.Message) {
			n, ok := m.Interface().(*pg_query.Node)
			if !ok || !r.jsonUnnest(n) {
				return
			}
			if found == nil {
				found = n
			} else if !proto.Equal(found, n) {
				several = true
			}
		})
	}
	if found == nil || several {
		return
	}
	call := proto.Clone(found).(*pg_query.Node)
	ref := pg_query.MakeColumnRefNode(strNodes(srfAlias, "value"), -1)
	replace := func(list []*pg_query.Node) {
		for _, n := range list {
			walkNode(n, nil, func(m protoreflect.Message) {
				if x, ok := m.Interface().(*pg_query.Node); ok && proto.Equal(x, call) {
					x.Node = proto.Clone(ref).(*pg_query.Node).Node
				}
			})
		}
	}
	replace(sel.TargetList)
	replace(sel.GroupClause)
	replace(sel.SortClause)
	if sel.HavingClause != nil {
		replace([]*pg_query.Node{sel.HavingClause})
	}
	sub := &pg_query.SelectStmt{
		TargetList:  []*pg_query.Node{pg_query.MakeResTargetNodeWithNameAndVal("value", call, -1)},
		LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg_query.SetOperation_SETOP_NONE,
	}
	sel.FromClause = append(sel.FromClause, &pg_query.Node{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
		Lateral:  true,
		Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sub}},
		Alias:    &pg_query.Alias{Aliasname: srfAlias, Colnames: strNodes("value")},
	}}})
	r.changed = true
}

// jsonUnnest reports an unnest of a list the json rule made for a
// set-returning function in a select list.
func (r *rewriter) jsonUnnest(n *pg_query.Node) bool {
	fc := n.GetFuncCall()
	if fc == nil || len(fc.Args) != 1 || len(fc.Funcname) != 1 || fc.Funcname[0].GetString_().GetSval() != "unnest" {
		return false
	}
	lf, _ := r.catFunc(fc.Args[0])
	switch lf {
	case "tp_json_each", "tp_jsonb_each", "tp_json_each_text", "tp_jsonb_each_text":
		return true
	}
	return listFuncs[lf] != ""
}
