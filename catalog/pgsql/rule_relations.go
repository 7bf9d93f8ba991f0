package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// systemColumn gives `alias.tableoid` of a pg_catalog relation a value:
// the relation's own oid, as PostgreSQL's system column holds.
func (r *rewriter) systemColumn(cr *pg_query.ColumnRef) *pg_query.Node {
	if len(cr.Fields) != 2 || !r.t.funcs["to_regclass"] {
		return nil
	}
	names, ok := nodeStrings(cr.Fields)
	if !ok || names[1] != "tableoid" {
		return nil
	}
	rel, ok := r.catalogAliases[names[0]]
	if !ok {
		return nil
	}
	fn := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "to_regclass")
	oid := pg_query.MakeFuncCallNode(strNodes(fn...), []*pg_query.Node{pg_query.MakeAConstStrNode("pg_catalog."+rel, cr.Location)}, cr.Location)
	// tableoid is an oid, not a regclass: it prints as a number.
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
		Arg: oid, TypeName: &pg_query.TypeName{Names: strNodes("pg_catalog", "int8"), Typemod: -1, Location: -1}, Location: -1}}}
}

// rangeVar points pg_catalog and information_schema relations that the
// emulation provides at the emulation schemas. An unqualified catalog
// relation name resolves to pg_catalog first, as in PostgreSQL.
func (r *rewriter) rangeVar(rv *pg_query.RangeVar) {
	if rv.Schemaname == "public" && rv.Catalogname == "" {
		// PostgreSQL's default schema is DuckDB's main.
		rv.Schemaname = "main"
		r.changed = true
		return
	}
	schema := r.relationSchema(rv.Schemaname, rv.Relname)
	if rv.Schemaname == "" && rv.Catalogname == "" && r.t.catRels[rv.Relname] && !r.ctes[rv.Relname] {
		schema = r.t.catSchema
	}
	if len(schema) == 0 {
		return
	}
	rv.Catalogname, rv.Schemaname = "", schema[len(schema)-1]
	if len(schema) > 1 {
		rv.Catalogname = schema[len(schema)-2]
	}
	r.changed = true
}

// relationSchema returns the emulation schema for relation rel qualified
// with schema, or nil.
func (r *rewriter) relationSchema(schema, rel string) []string {
	switch {
	case schema == "pg_catalog" && r.t.catRels[rel]:
		return r.t.catSchema
	case schema == "information_schema" && r.t.infoRels[rel]:
		return r.t.infoSchema
	}
	return nil
}

// columnRef rewrites schema-qualified column references
// (pg_catalog.pg_class.oid) like the relations they name.
func (r *rewriter) columnRef(cr *pg_query.ColumnRef) {
	if len(cr.Fields) < 3 {
		return
	}
	name, ok := nodeStrings(cr.Fields[:2])
	if !ok {
		return
	}
	if name[0] == "public" {
		// public.table.column: PostgreSQL's default schema is DuckDB's main.
		cr.Fields[0] = pg_query.MakeStrNode("main")
		r.changed = true
		return
	}
	if schema := r.relationSchema(name[0], name[1]); len(schema) > 0 {
		cr.Fields = append(strNodes(schema...), cr.Fields[1:]...)
		r.changed = true
	}
}
