package catalog

import "github.com/tpserver/tpserver/catalog/pgsql"

// JSONBColumns reports which result columns of a SELECT PostgreSQL types
// jsonb (DuckDB has one JSON type for json and jsonb). It implements
// pgwire.JSONBColumner.
func (c *Catalog) JSONBColumns(sql string) ([]bool, bool) {
	return pgsql.JSONBColumns(sql)
}
