package catalog

import (
	"context"
	"fmt"

	"github.com/tpserver/tpserver/catalog/pgsql"
	"github.com/tpserver/tpserver/lake"
)

// newTranslators builds the SQL translators from the objects the emulated
// catalog actually has, so every rewrite points at something that exists:
// one for all sessions, and one for private sessions (TranslatePrivateSQL).
func (c *Catalog) newTranslators(ctx context.Context) (shared, private *pgsql.Translator, err error) {
	o, err := c.translatorObjects(ctx)
	if err != nil {
		return nil, nil, err
	}
	shared = pgsql.New(o)
	o.DayLimits, o.Heads = nil, nil
	return shared, pgsql.New(o), nil
}

// translatorObjects lists the objects the translators rewrite onto.
func (c *Catalog) translatorObjects(ctx context.Context) (pgsql.Objects, error) {
	set := func(q string, args ...any) (map[string]bool, error) {
		rows, err := c.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return nil, err
			}
			out[name] = true
		}
		return out, rows.Err()
	}
	const relations = "SELECT view_name FROM duckdb_views() WHERE schema_name = ? UNION SELECT table_name FROM duckdb_tables() WHERE schema_name = ?"
	const functions = "SELECT DISTINCT function_name FROM duckdb_functions() WHERE schema_name = ?"
	o := pgsql.Objects{CatalogSchema: PGCatalogSchema, InfoSchema: PGInformationSchema}
	var err error
	if o.CatalogRelations, err = set(relations, PGCatalogSchema, PGCatalogSchema); err != nil {
		return o, fmt.Errorf("list emulated catalog relations: %w", err)
	}
	if o.InfoRelations, err = set(relations, PGInformationSchema, PGInformationSchema); err != nil {
		return o, fmt.Errorf("list emulated information_schema relations: %w", err)
	}
	if o.Functions, err = set(functions, PGCatalogSchema); err != nil {
		return o, fmt.Errorf("list emulated catalog functions: %w", err)
	}
	if o.InfoFunctions, err = set(functions, PGInformationSchema); err != nil {
		return o, fmt.Errorf("list emulated information_schema functions: %w", err)
	}
	// Oids are BIGINT in the emulation; a name that is BIGINT in every
	// catalog relation having it is an oid column (or a count nobody casts
	// to regclass).
	const oidColumns = "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? GROUP BY column_name HAVING bool_and(data_type = 'BIGINT')"
	if o.OIDColumns, err = set(oidColumns, PGCatalogSchema); err != nil {
		return o, fmt.Errorf("list emulated catalog oid columns: %w", err)
	}
	// The lake views are in main; the translator bounds their day key
	// when a query bounds a column that determines it.
	o.DayKey, o.DayColumns, o.DayLimits = lake.KeyDate, map[string][]string{}, map[string]pgsql.DayLimit{}
	for _, t := range c.tables {
		if len(t.DayColumns) > 0 {
			o.DayColumns[t.Name] = t.DayColumns
			o.DayLimits[t.Name] = dayLimitNames(t.Name) // defined with the view (defineView)
		}
	}
	o.Heads = c.translatorHeads()
	return o, nil
}

// TranslatePrivateSQL is TranslateSQL for a session whose names may not
// resolve as in other sessions (a temporary relation may take a lake
// view's name): it leaves out the rewrites that hold only for the lake
// views (the day limits and heads of latest-N queries, which come from the
// lake's files). It implements pgwire.PrivateSQLTranslator.
func (c *Catalog) TranslatePrivateSQL(sql string) string {
	return c.privateTranslator.TranslateDescribing(sql, func(r pgsql.Result) { c.rememberResult(sql, r) })
}

// TranslateSQL rewrites one PostgreSQL statement into SQL DuckDB runs over
// the emulated catalog; anything else (DuckDB's own dialect) comes back
// unchanged. A text it has to parse is described (describeResult) from the
// same parse: pgwire asks for the description right after. It implements
// pgwire.SQLTranslator.
func (c *Catalog) TranslateSQL(sql string) string {
	return c.translator.TranslateDescribing(sql, func(r pgsql.Result) { c.rememberResult(sql, r) })
}

// ColumnNames returns the result column names PostgreSQL would give a
// SELECT (count(*) is "count"), when sql is PostgreSQL syntax.
func (c *Catalog) ColumnNames(sql string) ([]string, bool) {
	r := c.describeResult(sql)
	return r.Names, r.NamesOK
}

// describeCacheSize bounds the parsed result descriptions kept by SQL text;
// clients send the same statements again and again.
const describeCacheSize = 2048

// describeResult parses a statement's result description once per SQL text.
func (c *Catalog) describeResult(sql string) pgsql.Result {
	c.describeMu.Lock()
	r, ok := c.described[sql]
	c.describeMu.Unlock()
	if ok {
		return r
	}
	r = pgsql.DescribeResult(sql)
	c.rememberResult(sql, r)
	return r
}

// rememberResult caches the result description of sql.
func (c *Catalog) rememberResult(sql string, r pgsql.Result) {
	c.describeMu.Lock()
	defer c.describeMu.Unlock()
	if len(c.described) >= describeCacheSize {
		clear(c.described)
	}
	c.described[sql] = r
}

// ColumnTypes returns the PostgreSQL type oids of the result columns the
// emulation computes as reg* names (pg_typeof(x), x::regclass), 0 for the
// others. It implements pgwire.ColumnTyper.
func (c *Catalog) ColumnTypes(sql string) ([]uint32, bool) {
	r := c.describeResult(sql)
	return r.Types, r.TypesOK
}
