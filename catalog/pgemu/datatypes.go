package pgemu

// pgTypeRow is one pg_type row of PostgreSQL's built-in types. Regproc
// columns hold pg_proc oids (0 for none).
type pgTypeRow struct {
	oid       int64
	name      string
	len       int
	byval     bool
	typtype   rune
	category  rune
	preferred bool
	delim     rune
	elem      int64
	array     int64
	input     int64
	output    int64
	receive   int64
	send      int64
	modin     int64
	modout    int64
	analyze   int64
	subscript int64
	align     rune
	storage   rune
	collation int64
}

// pgProcRow is one pg_proc row; argtypes is the space-separated oidvector.
type pgProcRow struct {
	oid      int64
	name     string
	kind     rune
	strict   bool
	retset   bool
	volatile rune
	parallel rune
	nargs    int
	rettype  int64
	argtypes string
	lang     int64
	src      string
}

// pgKeywordRow is one row of pg_get_keywords().
type pgKeywordRow struct {
	word      string
	catcode   rune
	barelabel bool
	catdesc   string
	baredesc  string
}

// pgSettingRow is one pg_settings row; empty strings stand for NULL.
type pgSettingRow struct {
	name, setting, unit, category, shortDesc, context, vartype string
	minVal, maxVal, enumVals, bootVal, resetVal                string
}

// pgSystemRelation is a relation of PostgreSQL's own catalogs.
type pgSystemRelation struct {
	oid    int64
	schema string
	name   string
	kind   rune
}

// pgOperatorRow is one pg_operator row; code is the oprcode function oid.
type pgOperatorRow struct {
	oid      int64
	name     string
	kind     rune
	canMerge bool
	canHash  bool
	left     int64
	right    int64
	result   int64
	com      int64
	negate   int64
	code     int64
}
