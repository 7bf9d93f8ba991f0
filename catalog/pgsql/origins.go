package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Origin is where a result column of a SELECT comes from, as far as the
// statement's text tells: a column of a relation named in FROM, every
// column of such a relation (Star), or nothing known (the zero Origin).
// Names are as PostgreSQL parses them (unquoted identifiers folded to lower
// case); Schema is "" when the relation was not schema-qualified. Which
// relation and column the names denote is for the catalog to resolve.
type Origin struct {
	Schema string
	Table  string
	Column string
	// Star: the entry stands for all columns of Schema.Table, in order.
	Star bool
}

// Known reports whether o names a relation.
func (o Origin) Known() bool { return o.Table != "" }

// fromItem is one relation-like item of a FROM clause, flattened out of
// its joins.
type fromItem struct {
	schema, table string // set for a relation (RangeVar); "" otherwise
	alias         string // the name the item is referred to by, "" for none
	aliased       bool   // the relation has an alias (which hides its own name)
	relation      bool   // a table or view, not a subquery, function, CTE or aliased join
	viaUsing      bool   // joined with USING or NATURAL (star expansion merges columns)
}

// ColumnOrigins returns the origins of the result columns of a plain SELECT
// (PostgreSQL syntax, no set operation, not VALUES): one entry per target
// in order, except that `*` and `alias.*` give one Star entry per relation
// they expand to, in FROM order. A target that is a bare column reference
// (col, alias.col, schema.table.col) gets the relation in FROM it refers
// to; an unqualified column does so only when FROM has exactly one item.
// Any other target (an expression, a function call, a column of a
// subquery, function or CTE) gets the zero Origin. ok is false when sql is
// not such a SELECT or a star expands over something other than tables and
// views (whose columns only the engine knows).
func ColumnOrigins(sql string) (origins []Origin, ok bool) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, false
	}
	return columnOrigins(tree)
}

func columnOrigins(tree *pg_query.ParseResult) (origins []Origin, ok bool) {
	if len(tree.Stmts) != 1 {
		return nil, false
	}
	sel := tree.Stmts[0].GetStmt().GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE || len(sel.ValuesLists) > 0 || len(sel.TargetList) == 0 {
		return nil, false
	}
	if sel.IntoClause != nil {
		return nil, false // SELECT INTO returns no rows
	}
	ctes := map[string]bool{}
	if w := sel.WithClause; w != nil {
		for _, n := range w.Ctes {
			if c := n.GetCommonTableExpr(); c != nil {
				ctes[c.Ctename] = true
			}
		}
	}
	var items []fromItem
	for _, n := range sel.FromClause {
		items = flattenFrom(n, ctes, false, items)
	}

	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil || rt.Val == nil {
			return nil, false
		}
		cr := rt.Val.GetColumnRef()
		if cr == nil {
			origins = append(origins, Origin{})
			continue
		}
		names, star, good := columnRefNames(cr)
		if !good {
			if star {
				return nil, false
			}
			origins = append(origins, Origin{})
			continue
		}
		if star {
			var matched []fromItem
			if len(names) == 0 {
				matched = items
			} else if it, found := lookupQualifier(items, names); found {
				matched = []fromItem{it}
			}
			if len(matched) == 0 {
				return nil, false
			}
			for _, it := range matched {
				// An unqualified star merges the columns of USING and
				// NATURAL joins; alias.* does not.
				if !it.relation || (len(names) == 0 && it.viaUsing) {
					return nil, false
				}
				origins = append(origins, Origin{Schema: it.schema, Table: it.table, Star: true})
			}
			continue
		}
		col := names[len(names)-1]
		var it fromItem
		var found bool
		if len(names) == 1 {
			if len(items) == 1 {
				it, found = items[0], true
			}
		} else {
			it, found = lookupQualifier(items, names[:len(names)-1])
		}
		if !found || !it.relation {
			origins = append(origins, Origin{})
			continue
		}
		origins = append(origins, Origin{Schema: it.schema, Table: it.table, Column: col})
	}
	return origins, true
}

// columnRefNames returns the String fields of a column reference and
// whether it ends in `*`. good is false for anything else (subscripts,
// more than schema.table.column).
func columnRefNames(cr *pg_query.ColumnRef) (names []string, star, good bool) {
	for i, f := range cr.Fields {
		if f.GetAStar() != nil {
			if i != len(cr.Fields)-1 {
				return nil, false, false
			}
			star = true
			break
		}
		s := f.GetString_()
		if s == nil {
			return nil, star, false
		}
		names = append(names, s.Sval)
	}
	if star {
		return names, true, len(names) <= 2
	}
	return names, false, len(names) >= 1 && len(names) <= 3
}

// lookupQualifier finds the FROM item a qualifier (table or schema.table)
// refers to. found is false when none or several match.
func lookupQualifier(items []fromItem, qual []string) (fromItem, bool) {
	var out fromItem
	n := 0
	for _, it := range items {
		var match bool
		switch len(qual) {
		case 1:
			match = it.alias != "" && it.alias == qual[0]
		case 2:
			// schema.table matches only an unaliased relation (an alias
			// hides the relation's own name, as in PostgreSQL).
			match = it.relation && !it.aliased && it.schema == qual[0] && it.table == qual[1]
		}
		if match {
			out = it
			n++
		}
	}
	return out, n == 1
}

// flattenFrom appends the items of one FROM clause entry to items. A join
// without an alias contributes its sides; anything that is not a plain
// relation becomes an item that resolves nothing.
func flattenFrom(n *pg_query.Node, ctes map[string]bool, using bool, items []fromItem) []fromItem {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_RangeVar:
		rv := x.RangeVar
		it := fromItem{schema: rv.Schemaname, table: rv.Relname, alias: rv.Relname, viaUsing: using}
		if rv.Alias != nil {
			it.alias, it.aliased = rv.Alias.Aliasname, true
		}
		// A column alias list renames the columns: the names the query
		// uses are no longer the relation's.
		it.relation = rv.Catalogname == "" && !(rv.Schemaname == "" && ctes[rv.Relname]) &&
			(rv.Alias == nil || len(rv.Alias.Colnames) == 0)
		if !it.relation {
			it.schema, it.table = "", ""
		}
		return append(items, it)
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		if j.Alias != nil {
			return append(items, fromItem{alias: j.Alias.Aliasname})
		}
		u := using || j.IsNatural || len(j.UsingClause) > 0
		items = flattenFrom(j.Larg, ctes, u, items)
		return flattenFrom(j.Rarg, ctes, u, items)
	case *pg_query.Node_RangeSubselect:
		it := fromItem{}
		if a := x.RangeSubselect.Alias; a != nil {
			it.alias = a.Aliasname
		}
		return append(items, it)
	case *pg_query.Node_RangeFunction:
		it := fromItem{}
		if a := x.RangeFunction.Alias; a != nil {
			it.alias = a.Aliasname
		}
		return append(items, it)
	}
	return append(items, fromItem{})
}
