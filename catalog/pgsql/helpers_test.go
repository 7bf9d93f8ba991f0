package pgsql

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// testObjects is a small emulation: a few catalog views and macros.
func testObjects() Objects {
	return Objects{
		CatalogSchema:    "tp_pg_catalog",
		InfoSchema:       "tp_information_schema",
		CatalogRelations: set("pg_constraint", "pg_class", "pg_namespace", "pg_type", "pg_attribute", "pg_description", "pg_proc", "pg_database", "pg_settings", "pg_index", "pg_am", "pg_roles"),
		InfoRelations:    set("tables", "columns", "schemata"),
		Functions: set("format_type", "pg_get_userbyid", "to_regclass", "to_regtype", "to_regproc", "to_regprocedure", "to_regnamespace", "to_regrole", "to_regoper", "pg_table_is_visible", "_pg_expandarray",
			"current_user", "session_user", "user", "current_schema",
			"regclass_out", "regtype_out", "tp_oid_regclass"),
		InfoFunctions: set("_pg_expandarray"),
		OIDColumns:    set("conrelid"),
	}
}
