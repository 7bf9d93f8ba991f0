package catalog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/pgwire"
)

// originQueryTimeout bounds the duckdb_columns() look-up.
const originQueryTimeout = 5 * time.Second

// ColumnOrigins returns, for each result column of a plain PostgreSQL
// SELECT, the table column it comes from: `*` and `alias.*` are expanded
// into the relations' columns, bare column references are resolved against
// the relations in FROM, and everything else is the zero ColumnOrigin.
// Relations are looked up as clients see them: public is DuckDB's main, an
// unqualified name is looked up in main and then in the other shown
// schemas. ok is false when sql is not such a SELECT or a star cannot be
// expanded. It implements pgwire.ColumnOriginer.
func (c *Catalog) ColumnOrigins(sql string) ([]pgwire.ColumnOrigin, bool) {
	r := c.describeResult(sql)
	origins, ok := r.Origins, r.OriginsOK
	if !ok {
		return nil, false
	}
	out := make([]pgwire.ColumnOrigin, 0, len(origins))
	for _, o := range origins {
		if !o.Known() || c.translator.CatalogRelation(o.Schema, o.Table) {
			// Not a table's column, or a catalog relation's, which has no
			// user table's oid to report.
			if o.Star {
				return nil, false
			}
			out = append(out, pgwire.ColumnOrigin{})
			continue
		}
		rel, found, err := c.originRelation(o.Schema, o.Table)
		if err != nil {
			c.log.Debug("column origins: relation look-up failed", zap.String("relation", o.Table), zap.Error(err))
			return nil, false
		}
		if o.Star {
			if !found {
				return nil, false
			}
			for i := range rel.cols {
				out = append(out, pgwire.ColumnOrigin{TableOID: rel.oid, Attnum: rel.attnums[i]})
			}
			continue
		}
		if !found {
			out = append(out, pgwire.ColumnOrigin{})
			continue
		}
		if i := matchName(rel.cols, o.Column); i >= 0 {
			out = append(out, pgwire.ColumnOrigin{TableOID: rel.oid, Attnum: rel.attnums[i]})
		} else {
			out = append(out, pgwire.ColumnOrigin{})
		}
	}
	return out, true
}

// originRel is one relation's columns, in order.
type originRel struct {
	schema, name string // DuckDB's spelling
	oid          uint32
	cols         []string
	attnums      []int16
}

// originEntry is every shown relation with one (case-insensitive) name.
type originEntry struct {
	rels []*originRel // sorted by schema, main first
	// generation is the schema generation the columns were read in; a
	// reported schema change (SchemaChanged) makes the entry stale.
	generation uint64
}

// originCache remembers relations' columns by lower-cased relation name.
type originCache struct {
	mu      sync.Mutex
	entries map[string]originEntry
}

// origins is the catalog's cache of relation columns.
func (c *Catalog) origins() *originCache { return &c.originCache }

// originRelation finds the relation a client's (schema, name) denotes.
func (c *Catalog) originRelation(schema, name string) (*originRel, bool, error) {
	rels, err := c.relationsNamed(name)
	if err != nil {
		return nil, false, err
	}
	var candidates []*originRel
	switch {
	case schema == "":
		candidates = rels // main first
	case strings.EqualFold(schema, "public"):
		schema = "main"
		fallthrough
	default:
		for _, r := range rels {
			if strings.EqualFold(r.schema, schema) {
				candidates = append(candidates, r)
			}
		}
	}
	// Prefer the exact spelling of both names, then the first match.
	for _, r := range candidates {
		if r.name == name && (schema == "" || r.schema == schema) {
			return r, true, nil
		}
	}
	if len(candidates) > 0 {
		return candidates[0], true, nil
	}
	return nil, false, nil
}

// relationsNamed returns the shown relations (tables and views, in every
// shown schema) whose name is name ignoring case, as DuckDB matches
// identifiers.
func (c *Catalog) relationsNamed(name string) ([]*originRel, error) {
	key := strings.ToLower(name)
	cache := c.origins()
	cache.mu.Lock()
	e, ok := cache.entries[key]
	cache.mu.Unlock()
	generation := c.schemaGeneration()
	if ok && e.generation == generation {
		return e.rels, nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), originQueryTimeout)
	defer cancel()
	args := []any{key}
	marks := make([]string, len(hiddenSchemas))
	for i, s := range hiddenSchemas {
		marks[i] = "?"
		args = append(args, s)
	}
	q := fmt.Sprintf(`SELECT schema_name, table_name, column_name, column_index FROM duckdb_columns()
WHERE NOT internal AND database_name = current_database() AND lower(table_name) = ? AND schema_name NOT IN (%s)
ORDER BY schema_name <> 'main', schema_name, table_name, column_index`, strings.Join(marks, ", "))
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rels []*originRel
	for rows.Next() {
		var schema, table, column string
		var index int64
		if err := rows.Scan(&schema, &table, &column, &index); err != nil {
			return nil, err
		}
		if n := len(rels); n == 0 || rels[n-1].schema != schema || rels[n-1].name != table {
			rels = append(rels, &originRel{schema: schema, name: table, oid: RelationOID(schema, table)})
		}
		r := rels[len(rels)-1]
		r.cols = append(r.cols, column)
		r.attnums = append(r.attnums, int16(index))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	cache.mu.Lock()
	if len(cache.entries) > 4096 {
		clear(cache.entries)
	}
	cache.entries[key] = originEntry{rels: rels, generation: generation}
	cache.mu.Unlock()
	return rels, nil
}

// matchName returns the index of name in names, preferring the exact
// spelling to a case-insensitive match; -1 when absent.
func matchName(names []string, name string) int {
	fold := -1
	for i, n := range names {
		if n == name {
			return i
		}
		if fold < 0 && strings.EqualFold(n, name) {
			fold = i
		}
	}
	return fold
}
