package catalog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// The emulated catalog reads snapshot tables of DuckDB's schemas, relations
// and columns rather than DuckDB's catalog functions: computing PostgreSQL's
// view of a relation (oids, type mapping, row types) from duckdb_columns()
// on every client catalog query made psql's \d+ and pgjdbc's getColumns
// take a tenth of a second or more. The snapshot is rebuilt, lazily, before
// the first catalog query after the schema changed.

// snapshotTables are the snapshot tables in PGCatalogSchema, each a copy of
// the view named like it with the suffix _live, in the order they are
// built: a view may read the snapshot tables before it.
var snapshotTables = []string{"tp_schemas", "tp_relations", "tp_columns", "tp_constraints", "tp_indexes", "tp_attrdef",
	"pg_namespace", "pg_class", "pg_type", "pg_attribute", "pg_description"}

// schemaSnapshot tracks how current the snapshot tables are.
type schemaSnapshot struct {
	// changes counts reported schema changes; synced is the value of
	// changes that the snapshot tables reflect.
	changes, synced atomic.Uint64
	mu              sync.Mutex // serialises rebuilds
}

// SchemaChanged records that the schema may have changed (a committed DDL
// statement): the emulated catalog and the column-origin cache are brought
// up to date before they are next read. It implements pgwire.SchemaWatcher.
func (c *Catalog) SchemaChanged() { c.snapshot.changes.Add(1) }

// schemaGeneration identifies the current state of the schema as reported
// through SchemaChanged.
func (c *Catalog) schemaGeneration() uint64 { return c.snapshot.changes.Load() }

// SyncSchema brings the emulated catalog up to date when sql reads it and
// the schema changed since it was last rebuilt. It implements
// pgwire.SchemaWatcher.
func (c *Catalog) SyncSchema(ctx context.Context, sql string) error {
	if c.snapshot.synced.Load() == c.snapshot.changes.Load() {
		return nil
	}
	if !strings.Contains(sql, PGCatalogSchema) && !strings.Contains(sql, PGInformationSchema) {
		return nil
	}
	return c.syncSnapshot(ctx)
}

// syncSnapshot rebuilds the snapshot tables from DuckDB's catalog in one
// transaction, so readers see either the former snapshot or the new one.
func (c *Catalog) syncSnapshot(ctx context.Context) error {
	s := &c.snapshot
	s.mu.Lock()
	defer s.mu.Unlock()
	want := s.changes.Load()
	if s.synced.Load() == want {
		return nil
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	defer conn.Close()
	var script strings.Builder
	script.WriteString("BEGIN;\n")
	for _, t := range snapshotTables {
		fmt.Fprintf(&script, "DELETE FROM %[1]s.%[2]s;\nINSERT INTO %[1]s.%[2]s SELECT * FROM %[1]s.%[2]s_live;\n", PGCatalogSchema, t)
	}
	script.WriteString("COMMIT;\n")
	if _, err := conn.ExecContext(ctx, script.String()); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	s.synced.Store(want)
	return nil
}
