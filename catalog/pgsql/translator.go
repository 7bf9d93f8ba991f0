// Package pgsql translates the PostgreSQL SQL that clients (psql, pgjdbc,
// pgx, Grafana, Metabase, DBeaver, ...) send into SQL that DuckDB accepts.
//
// The translator parses a statement with the real PostgreSQL parser
// (pg_query), applies a fixed set of small rules to the syntax tree — each
// rule looks at one kind of node — and deparses the tree only when a rule
// changed it. Queries that are not PostgreSQL syntax (DuckDB's own dialect:
// struct access, lambdas, list literals, FROM-first queries) fail to parse and
// are passed through unchanged, as are queries no rule applies to.
//
// The rules point PostgreSQL catalog references at emulation schemas (see
// Objects) and rewrite the constructs DuckDB spells differently: regclass
// and friends, the regex operators, LIKE's default escape, SIMILAR TO
// patterns, division by zero, the errors PostgreSQL raises where DuckDB
// answers (power's domain and overflow, a float8 constant out of range, a
// zero series step, uneven sub-arrays), = ANY(array), COLLATE "C",
// PostgreSQL array literals and PostgreSQL-only types. A bound on a lake
// relation's time column gets the implied bound on its day partition key
// (Objects.DayColumns), so that DuckDB skips other days' files unopened;
// so does a "latest N" query of one (ORDER BY its time column LIMIT N),
// from the days that hold its newest rows (Objects.DayLimits).
// When a statement is rewritten,
// unnamed SELECT targets get the column name PostgreSQL would give them.
// Translations assume a connection set up with SessionSettings (integer
// division, PostgreSQL's NULL order).
package pgsql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Objects tells the translator which emulated relations and functions exist.
// The catalog computes it at startup from duckdb_views() and
// duckdb_functions() of the emulation schemas.
type Objects struct {
	// CatalogSchema emulates pg_catalog, e.g. "tp_pg_catalog". It may be
	// qualified with a database name ("db.tp_pg_catalog").
	CatalogSchema string
	// InfoSchema emulates information_schema, e.g. "tp_information_schema".
	// It may be qualified with a database name.
	InfoSchema string
	// CatalogRelations are the names of the views in CatalogSchema
	// (pg_class, pg_type, ...).
	CatalogRelations map[string]bool
	// InfoRelations are the names of the views in InfoSchema (tables,
	// columns, ...).
	InfoRelations map[string]bool
	// Functions are the names of the macros in CatalogSchema (format_type,
	// pg_get_userbyid, to_regclass, ...).
	Functions map[string]bool
	// InfoFunctions are the names of the macros in InfoSchema
	// (_pg_expandarray, ...). Optional.
	InfoFunctions map[string]bool
	// OIDColumns are the names of catalog relations' columns that hold
	// oids in every catalog relation that has them (oid, relnamespace,
	// conrelid, ...). A reg* cast of such a column of a catalog relation
	// is its value, with no look-up by name; the emulation then provides
	// tp_oid_<regtype>(x) for each reg* type. Optional.
	OIDColumns map[string]bool
	// DayKey is the lake's day partition key (tp_date), a DATE column of
	// every relation in DayColumns. Optional.
	DayKey string
	// DayColumns maps the lake relations (in schema main) to their
	// TIMESTAMP columns whose UTC date is the row's DayKey: a filter on
	// one gets an implied filter on DayKey (rule_timebounds.go), so that
	// DuckDB skips the files of other days. Optional.
	DayColumns map[string][]string
	// DayLimits maps lake relations of DayColumns to the macros that bound
	// the days of their newest and oldest rows: a "latest N" query of one
	// gets a filter on DayKey from them (rule_topndays.go). Optional.
	DayLimits map[string]DayLimit
	// Heads maps lake relations of DayLimits to their head relations: a
	// "latest N" query of one whose N is within the head's rows reads the
	// head instead (rule_topndays.go). Optional.
	Heads map[string]Head
}

// SessionSettings are the DuckDB statements that set a connection's engine
// switches the PostgreSQL way; translations assume a connection they ran
// on. They are SESSION settings (a plain SET of default_null_order is
// engine-wide in DuckDB 1.5.5). DuckDB fixes what / means in a view or
// macro when it is created (the emulated catalog's and the lake views are
// created without the switches: float division), while the NULL order of
// their ORDER BYs follows the session that reads them: such SQL says NULLS
// FIRST/LAST where the place of NULLs matters.
var SessionSettings = []string{
	// integer / integer is an integer truncated toward zero (-7/2 = -3),
	// as PostgreSQL's int4div and int8div; / of a float or decimal stays a
	// float division.
	"SET SESSION integer_division = true",
	// NULL sorts above every value: last ascending, first descending.
	"SET SESSION default_null_order = 'nulls_last_on_asc_first_on_desc'",
}

// Cache bounds: a Translator remembers the translations of up to
// cacheEntries distinct statement texts, holding at most about cacheBytes
// of text. Statements longer than maxCachedLen (bulk INSERTs, generated
// queries) are translated every time.
const (
	cacheEntries = 4096
	cacheBytes   = 16 << 20
	maxCachedLen = 64 << 10
)

// Translator rewrites PostgreSQL client SQL for DuckDB. It is safe for
// concurrent use.
type Translator struct {
	catSchema  []string // CatalogSchema split on '.'
	infoSchema []string // InfoSchema split on '.'
	catRels    map[string]bool
	infoRels   map[string]bool
	funcs      map[string]bool
	infoFuncs  map[string]bool
	oidCols    map[string]bool
	dayKey     string
	dayColumns map[string][]string
	dayLimits  map[string]DayLimit
	heads      map[string]Head
	cache      *lru
}

// New returns a Translator for the emulated objects o. The maps are copied.
func New(o Objects) *Translator {
	t := &Translator{
		catSchema:  splitSchema(o.CatalogSchema),
		infoSchema: splitSchema(o.InfoSchema),
		catRels:    copySet(o.CatalogRelations),
		infoRels:   copySet(o.InfoRelations),
		funcs:      copySet(o.Functions),
		infoFuncs:  copySet(o.InfoFunctions),
		oidCols:    copySet(o.OIDColumns),
		cache:      newLRU(cacheEntries, cacheBytes),
	}
	if o.DayKey != "" {
		t.dayKey = o.DayKey
		t.dayColumns = make(map[string][]string, len(o.DayColumns))
		for rel, cols := range o.DayColumns {
			t.dayColumns[rel] = append([]string(nil), cols...)
		}
		t.dayLimits = make(map[string]DayLimit, len(o.DayLimits))
		for rel, l := range o.DayLimits {
			if _, ok := o.DayColumns[rel]; ok {
				t.dayLimits[rel] = l
			}
		}
		t.heads = make(map[string]Head, len(o.Heads))
		for rel, h := range o.Heads {
			if _, ok := t.dayLimits[rel]; ok && h.Rows > 0 {
				t.heads[rel] = h
			}
		}
	}
	return t
}

func splitSchema(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ".")
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		if v {
			out[k] = true
		}
	}
	return out
}

// CatalogRelation reports whether a client's (schema, name) denotes a
// pg_catalog or information_schema relation: schema is pg_catalog or
// information_schema, or empty with name one of the emulated pg_catalog
// relations (pg_catalog comes first on every search path).
func (t *Translator) CatalogRelation(schema, name string) bool {
	switch strings.ToLower(schema) {
	case "pg_catalog", "information_schema":
		return true
	case "":
		return t.catRels[name]
	}
	return false
}

// Translate returns SQL DuckDB accepts for sql, or sql itself (the same
// string, byte for byte) when no rule applies or sql is not PostgreSQL
// syntax. sql may hold several statements; pgwire passes one at a time.
func (t *Translator) Translate(sql string) string {
	return t.TranslateDescribing(sql, nil)
}

// TranslateDescribing is Translate that, when it has to parse sql (the
// translation is not cached), also passes describe (when not nil) the
// result description of the same parse (DescribeResult), so that a
// statement new to the server is parsed once for both.
func (t *Translator) TranslateDescribing(sql string, describe func(Result)) string {
	if len(sql) > maxCachedLen {
		return t.translateDescribing(sql, describe)
	}
	if out, ok := t.cache.get(sql); ok {
		return out
	}
	out := t.translateDescribing(sql, describe)
	t.cache.put(sql, out)
	return out
}

// translate does the work of Translate, without the cache.
func (t *Translator) translate(sql string) string {
	return t.translateDescribing(sql, nil)
}

// translateDescribing parses sql once, describes its result to describe
// (when not nil) and translates it.
func (t *Translator) translateDescribing(sql string, describe func(Result)) string {
	tree, err := pg_query.Parse(sql)
	if describe != nil {
		if err != nil {
			describe(Result{})
		} else {
			describe(describeTree(tree)) // before the rules change the tree
		}
	}
	if err != nil || len(tree.Stmts) == 0 {
		return sql
	}
	r := newRewriter(t, tree)
	if !r.run() {
		return sql
	}
	out, err := pg_query.Deparse(tree)
	if err != nil {
		return sql
	}
	return out
}
