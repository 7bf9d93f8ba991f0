package pgemu

import (
	"fmt"
	"strings"
)

// The rows of the static tables (sql/tables.sql, sql/functions.sql), as SQL
// value lists, from PostgreSQL 15's built-in catalog data (data.go).

// typeRows are tp_builtin_types' rows: pg_type's built-in types.
func typeRows() []string {
	rows := make([]string, 0, len(pgTypeRows))
	for _, t := range pgTypeRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, %d, %s, '%c', '%c', %s, true, '%c', 0, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, '%c', '%c', false, 0, -1, 0, %d, NULL, NULL, NULL)",
			t.oid, quote(t.name), t.len, boolean(t.byval), t.typtype, t.category, boolean(t.preferred), t.delim,
			t.subscript, t.elem, t.array, t.input, t.output, t.receive, t.send, t.modin, t.modout, t.analyze, t.align, t.storage, t.collation))
	}
	return rows
}

// procRows are pg_proc's rows.
func procRows() []string {
	rows := make([]string, 0, len(pgProcRows))
	for _, p := range pgProcRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, %d, 1, 0, 0, 0, '%c', false, false, %s, %s, '%c', '%c', %d, 0, %d, %s, NULL, NULL, NULL, NULL, NULL, %s, NULL, NULL, NULL, NULL)",
			p.oid, quote(p.name), p.lang, p.kind, boolean(p.strict), boolean(p.retset), p.volatile, p.parallel, p.nargs, p.rettype, oidList(p.argtypes), quote(p.src)))
	}
	return rows
}

// procTextRows are tp_proc_text's rows: pg_get_function_result and
// pg_get_function_arguments of each pg_proc row.
func procTextRows() []string {
	rows := make([]string, 0, len(pgProcRows))
	for _, p := range pgProcRows {
		var args []string
		for _, a := range strings.Fields(p.argtypes) {
			var oid int64
			fmt.Sscan(a, &oid)
			args = append(args, formatTypeName(oid))
		}
		result := formatTypeName(p.rettype)
		if p.retset {
			result = "SETOF " + result
		}
		rows = append(rows, fmt.Sprintf("(%d, %s, %s)", p.oid, quote(result), quote(strings.Join(args, ", "))))
	}
	return rows
}

// operatorRows are pg_operator's rows.
func operatorRows() []string {
	rows := make([]string, 0, len(pgOperatorRows))
	for _, o := range pgOperatorRows {
		rows = append(rows, fmt.Sprintf("(%d, %s, 11, 10, '%c', %s, %s, %d, %d, %d, %d, %d, %d, 0, 0)",
			o.oid, quote(o.name), o.kind, boolean(o.canMerge), boolean(o.canHash), o.left, o.right, o.result, o.com, o.negate, o.code))
	}
	return rows
}

// keywordRows are tp_keywords' rows: pg_get_keywords().
func keywordRows() []string {
	rows := make([]string, 0, len(pgKeywordRows))
	for _, k := range pgKeywordRows {
		rows = append(rows, fmt.Sprintf("(%s, '%c', %s, %s, %s)", quote(k.word), k.catcode, boolean(k.barelabel), quote(k.catdesc), quote(k.baredesc)))
	}
	return rows
}

// settingOverrides are pg_settings values that differ from a stock
// PostgreSQL 15: what tpserver's pgwire reports at startup.
func settingOverrides() map[string]string {
	return map[string]string{
		"server_version":     "15.0 (tpserver)",
		"server_version_num": "150000",
		"TimeZone":           "UTC",
		"lc_collate":         "C.UTF-8",
		"lc_ctype":           "C.UTF-8",
		"lc_messages":        "C.UTF-8",
		"lc_monetary":        "C.UTF-8",
		"lc_numeric":         "C.UTF-8",
		"lc_time":            "C.UTF-8",
		"is_superuser":       "on",
		"application_name":   "",
	}
}

// settingRows are pg_settings_static's rows.
func settingRows() []string {
	overrides := settingOverrides()
	rows := make([]string, 0, len(pgSettingRows))
	for _, s := range pgSettingRows {
		setting, reset := s.setting, s.resetVal
		if v, ok := overrides[s.name]; ok {
			setting, reset = v, v
		}
		enum := "NULL"
		if s.enumVals != "" {
			enum = stringList(strings.Split(s.enumVals, ","))
		}
		rows = append(rows, fmt.Sprintf("(%s, %s, %s, %s, %s, NULL, %s, %s, 'default', %s, %s, %s, %s, %s, NULL, NULL, false)",
			quote(s.name), quote(setting), quoteOrNull(s.unit), quote(s.category), quote(s.shortDesc), quote(s.context), quote(s.vartype),
			quoteOrNull(s.minVal), quoteOrNull(s.maxVal), enum, quoteOrNull(s.bootVal), quoteOrNull(reset)))
	}
	return rows
}

// systemRelationRows are tp_system_relations' rows.
func systemRelationRows() []string {
	rows := make([]string, 0, len(pgSystemRelations))
	for _, r := range pgSystemRelations {
		rows = append(rows, fmt.Sprintf("(%d, %s, %s, '%c')", r.oid, quote(r.schema), quote(r.name), r.kind))
	}
	return rows
}

// typeNameRows are tp_type_names' rows: format_type's answer for each
// built-in type without a typmod, for regtype_out.
func typeNameRows() []string {
	rows := make([]string, 0, len(pgTypeRows))
	for _, t := range pgTypeRows {
		rows = append(rows, fmt.Sprintf("(%d, %s)", t.oid, quote(formatTypeName(t.oid))))
	}
	return rows
}

// reservedKeywords are PostgreSQL's keywords that quote_ident quotes: all
// but the unreserved ones.
func reservedKeywords() []string {
	var words []string
	for _, k := range pgKeywordRows {
		if k.catcode != 'U' {
			words = append(words, k.word)
		}
	}
	return words
}

// typeLabels is a MAP literal of each built-in type's format_type name,
// by oid.
func typeLabels() string {
	entries := make([]string, 0, len(pgTypeRows))
	for _, t := range pgTypeRows {
		entries = append(entries, mapEntry(t.oid, quote(formatTypeName(t.oid))))
	}
	return mapLiteral(entries)
}

// typeCollations is a MAP literal of the built-in types' collations, by
// oid, for the types that have one.
func typeCollations() string {
	var entries []string
	for _, t := range pgTypeRows {
		if t.collation != 0 {
			entries = append(entries, mapEntry(t.oid, fmt.Sprint(t.collation)))
		}
	}
	return mapLiteral(entries)
}
