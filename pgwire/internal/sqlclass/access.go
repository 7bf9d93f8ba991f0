package sqlclass

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file finds what a statement changes (its Targets) and what it
// reaches outside the database (External), for authorization: from the
// parse tree for PostgreSQL statements, and from the tokens for DuckDB's
// dialect, where a statement the tokens cannot vouch for is marked Opaque.

// noteExternal records the first external access found.
func (st *Statement) noteExternal(what string) {
	if st.External == "" {
		st.External = what
	}
}

// copyExternal names the file or program of a COPY.
func copyExternal(cp *CopyStmt) string {
	dir := "TO"
	if cp.From {
		dir = "FROM"
	}
	if cp.Program {
		return "COPY " + dir + " PROGRAM"
	}
	return "COPY " + dir + " '" + cp.File + "'"
}

// looksLikeFile reports whether a relation name would be read by DuckDB as
// a file path (a replacement scan: FROM "data.csv", FROM "s3://b/x").
func looksLikeFile(name string) bool {
	return strings.ContainsAny(name, "./\\*?:~")
}

// targetsOf returns what one parse node creates, changes or drops.
func targetsOf(m protoreflect.ProtoMessage) []Name {
	switch x := m.(type) {
	case *pg_query.InsertStmt:
		return rangeVars(x.Relation)
	case *pg_query.UpdateStmt:
		return rangeVars(x.Relation)
	case *pg_query.DeleteStmt:
		return rangeVars(x.Relation)
	case *pg_query.MergeStmt:
		return rangeVars(x.Relation)
	case *pg_query.CreateStmt:
		return rangeVars(x.Relation)
	case *pg_query.IntoClause:
		return rangeVars(x.Rel)
	case *pg_query.ViewStmt:
		return rangeVars(x.View)
	case *pg_query.IndexStmt:
		return rangeVars(x.Relation)
	case *pg_query.AlterTableStmt:
		return rangeVars(x.Relation)
	case *pg_query.CreateSeqStmt:
		return rangeVars(x.Sequence)
	case *pg_query.AlterSeqStmt:
		return rangeVars(x.Sequence)
	case *pg_query.AlterObjectSchemaStmt:
		return rangeVars(x.Relation)
	case *pg_query.CopyStmt:
		if x.IsFrom {
			return rangeVars(x.Relation)
		}
	case *pg_query.TruncateStmt:
		var out []Name
		for _, n := range x.Relations {
			out = append(out, rangeVars(n.GetRangeVar())...)
		}
		return out
	case *pg_query.RenameStmt:
		if x.RenameType == pg_query.ObjectType_OBJECT_SCHEMA {
			return []Name{{Schema: x.Subname}}
		}
		return rangeVars(x.Relation)
	case *pg_query.CreateSchemaStmt:
		return []Name{{Schema: x.Schemaname}}
	case *pg_query.DropStmt:
		return dropTargets(x)
	case *pg_query.CommentStmt:
		return objectName(x.Object, x.Objtype)
	case *pg_query.CreateEnumStmt:
		return []Name{qualified(x.TypeName)}
	}
	return nil
}

func rangeVars(rv *pg_query.RangeVar) []Name {
	if rv == nil {
		return nil
	}
	return []Name{{Catalog: rv.Catalogname, Schema: rv.Schemaname, Name: rv.Relname}}
}

// dropTargets names the objects of a DROP.
func dropTargets(x *pg_query.DropStmt) []Name {
	var out []Name
	for _, obj := range x.Objects {
		out = append(out, objectName(obj, x.RemoveType)...)
	}
	return out
}

// objectName reads the name of an object as DROP and COMMENT ON give it.
func objectName(obj *pg_query.Node, kind pg_query.ObjectType) []Name {
	if obj == nil {
		return nil
	}
	if s := obj.GetString_(); s != nil {
		if kind == pg_query.ObjectType_OBJECT_SCHEMA {
			return []Name{{Schema: s.Sval}}
		}
		return []Name{{Name: s.Sval}}
	}
	var parts []*pg_query.Node
	switch {
	case obj.GetList() != nil:
		parts = obj.GetList().Items
	case obj.GetTypeName() != nil:
		parts = obj.GetTypeName().Names
	case obj.GetObjectWithArgs() != nil:
		parts = obj.GetObjectWithArgs().Objname
	default:
		return nil
	}
	if kind == pg_query.ObjectType_OBJECT_COLUMN && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	return []Name{qualified(parts)}
}

// qualified reads a dotted name from its parts.
func qualified(parts []*pg_query.Node) Name {
	s := make([]string, 0, len(parts))
	for _, p := range parts {
		s = append(s, p.GetString_().GetSval())
	}
	return nameOf(s)
}

func nameOf(s []string) Name {
	switch len(s) {
	case 0:
		return Name{}
	case 1:
		return Name{Name: s[0]}
	case 2:
		return Name{Schema: s[0], Name: s[1]}
	}
	return Name{Catalog: s[len(s)-3], Schema: s[len(s)-2], Name: s[len(s)-1]}
}

// fileSettings are DuckDB settings whose value names a file or directory
// the engine then writes or reads (the profiler's output, the query log,
// spill, extension and secret directories, the allowed paths).
var fileSettings = map[string]bool{
	"profiling_output": true, "log_query_path": true, "temp_directory": true, "extension_directory": true,
	"home_directory": true, "secret_directory": true, "custom_extension_repository": true,
	"autoinstall_extension_repository": true, "allowed_directories": true, "allowed_paths": true,
}

// noteFileSettings marks SET, RESET and set_config() of a file setting as
// external access.
func noteFileSettings(st *Statement) {
	if st.Setting != nil && (st.Kind == Set || st.Kind == Reset) && fileSettings[strings.ToLower(st.Setting.Name)] {
		st.Files = true
		st.noteExternal(strings.ToUpper(st.Kind.String()) + " " + st.Setting.Name)
	}
	for _, c := range st.SetConfigs {
		if fileSettings[strings.ToLower(c.Name)] {
			st.Files = true
			st.noteExternal("set_config('" + c.Name + "')")
		}
	}
}
