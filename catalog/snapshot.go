package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/lake"
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

// snapshotSources count, cheaply, what some snapshot tables are built
// from: when there is nothing, the table stays empty without its view,
// whose long text-rewriting expressions take DuckDB tens of milliseconds
// to plan even for no rows. Most catalogs have no keys or indexes.
var snapshotSources = map[string]string{
	"tp_constraints": "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') AND " + shownSQL,
	"tp_indexes": "SELECT (SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND " + shownSQL +
		") + (SELECT count(*) FROM duckdb_indexes() WHERE " + shownSQL + ")",
}

// shownSQL filters duckdb_constraints() and duckdb_indexes() rows to the
// schemas the catalog shows.
const shownSQL = PGCatalogSchema + ".tp_shown(database_name, schema_name)"

// schemaSnapshot tracks how current the snapshot tables are.
type schemaSnapshot struct {
	// changes counts reported schema changes; synced is the value of
	// changes that the snapshot tables reflect.
	changes, synced atomic.Uint64
	mu              sync.Mutex // serialises rebuilds
	// kick wakes the background rebuilder; stop ends it and done says it
	// has ended.
	kick chan struct{}
	stop context.CancelFunc
	done chan struct{}
	// dependents caches catalogViews.
	dependents atomic.Pointer[dependentViews]
}

// rebuildDelay lets a burst of DDL (a script creating many views) settle
// before the background rebuild starts.
const rebuildDelay = 25 * time.Millisecond

// SchemaChanged records that the schema may have changed (a committed DDL
// statement): the emulated catalog and the column-origin cache are brought
// up to date before they are next read, and the catalog is rebuilt in the
// background meanwhile, so the next client to browse it rarely waits. It
// implements pgwire.SchemaWatcher.
func (c *Catalog) SchemaChanged() {
	c.snapshot.changes.Add(1)
	select {
	case c.snapshot.kick <- struct{}{}:
	default: // a rebuild is already due
	}
}

// startRebuilder runs the background rebuilds until stopRebuilder.
func (c *Catalog) startRebuilder() {
	s := &c.snapshot
	ctx, cancel := context.WithCancel(context.Background())
	s.kick, s.stop, s.done = make(chan struct{}, 1), cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.kick:
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(rebuildDelay):
			}
			if err := c.syncSnapshot(ctx); err != nil && ctx.Err() == nil {
				c.log.Warn("background catalog rebuild failed; the next catalog query retries", zap.Error(err))
			}
		}
	}()
}

// stopRebuilder ends the background rebuilds and waits for them.
func (c *Catalog) stopRebuilder() {
	if s := &c.snapshot; s.stop != nil {
		s.stop()
		<-s.done
	}
}

// schemaGeneration identifies the current state of the schema as reported
// through SchemaChanged.
func (c *Catalog) schemaGeneration() uint64 { return c.snapshot.changes.Load() }

// SyncSchema brings the emulated catalog up to date when sql reads it,
// directly or through users' views over it, and the schema changed since
// it was last rebuilt. It implements pgwire.SchemaWatcher.
func (c *Catalog) SyncSchema(ctx context.Context, sql string) error {
	if c.snapshot.synced.Load() == c.snapshot.changes.Load() {
		return nil
	}
	if !readsEmulation(sql) {
		views, err := c.catalogViews(ctx)
		if err != nil {
			return err
		}
		lower := strings.ToLower(sql)
		if !slices.ContainsFunc(views, func(v string) bool { return strings.Contains(lower, v) }) {
			return nil
		}
	}
	return c.syncSnapshot(ctx)
}

// readsEmulation reports whether sql names the emulated catalog.
func readsEmulation(sql string) bool {
	return strings.Contains(sql, PGCatalogSchema) || strings.Contains(sql, PGInformationSchema)
}

// dependentViews are the names (lower case) of users' views that read the
// emulated catalog, directly or through each other, as of one schema
// generation.
type dependentViews struct {
	generation uint64
	names      []string
}

// catalogViews returns the users' views that read the emulated catalog,
// looked up once per schema generation: a query of such a view needs the
// snapshot as current as a catalog query does.
func (c *Catalog) catalogViews(ctx context.Context) ([]string, error) {
	gen := c.schemaGeneration()
	if d := c.snapshot.dependents.Load(); d != nil && d.generation == gen {
		return d.names, nil
	}
	rows, err := c.db.QueryContext(ctx, "SELECT lower(view_name), lower(sql) FROM duckdb_views() WHERE NOT internal AND schema_name NOT IN (?, ?)",
		PGCatalogSchema, PGInformationSchema)
	if err != nil {
		return nil, fmt.Errorf("list views over the catalog: %w", err)
	}
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list views over the catalog: %w", err)
		}
		defs[name] = def
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list views over the catalog: %w", err)
	}
	var names []string
	for grew := true; grew; {
		grew = false
		for name, def := range defs {
			if readsEmulation(def) || slices.ContainsFunc(names, func(n string) bool { return strings.Contains(def, n) }) {
				names = append(names, name)
				delete(defs, name)
				grew = true
			}
		}
	}
	c.snapshot.dependents.Store(&dependentViews{generation: gen, names: names})
	return names, nil
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
	start := time.Now()
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	defer conn.Close()
	exprTypes, err := indexExprTypes(ctx, conn)
	if err != nil {
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	var script strings.Builder
	script.WriteString("BEGIN;\n")
	fmt.Fprintf(&script, "DELETE FROM %s.tp_index_expr_types;\n", PGCatalogSchema)
	if len(exprTypes) > 0 {
		fmt.Fprintf(&script, "INSERT INTO %s.tp_index_expr_types VALUES\n%s;\n", PGCatalogSchema, strings.Join(exprTypes, ",\n"))
	}
	for _, t := range snapshotTables {
		fmt.Fprintf(&script, "DELETE FROM %s.%s;\n", PGCatalogSchema, t)
		if probe, ok := snapshotSources[t]; ok {
			var n int64
			if err := conn.QueryRowContext(ctx, probe).Scan(&n); err != nil {
				return fmt.Errorf("refresh catalog snapshot: %w", err)
			}
			if n == 0 {
				continue // nothing to show: skip planning the view
			}
		}
		fmt.Fprintf(&script, "INSERT INTO %[1]s.%[2]s SELECT * FROM %[1]s.%[2]s_live;\n", PGCatalogSchema, t)
	}
	script.WriteString("COMMIT;\n")
	if _, err := conn.ExecContext(ctx, script.String()); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	s.synced.Store(want)
	c.log.Debug("catalog snapshot rebuilt", zap.Duration("took", time.Since(start)))
	return nil
}

// indexExprTypes types the expressions of users' CREATE INDEX indexes,
// which DuckDB's catalog leaves untyped, by describing each as a query
// over its table. It returns the rows of tp_index_expr_types as SQL
// values; an expression DuckDB cannot describe is left out (and shown as
// text).
func indexExprTypes(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT duck_schema, relname, expr FROM "+PGCatalogSchema+".tp_index_exprs_live")
	if err != nil {
		return nil, err
	}
	var exprs [][3]string
	for rows.Next() {
		var e [3]string
		if err := rows.Scan(&e[0], &e[1], &e[2]); err != nil {
			rows.Close()
			return nil, err
		}
		exprs = append(exprs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var values []string
	for _, e := range exprs {
		var typ string
		q := fmt.Sprintf("SELECT column_type FROM (DESCRIBE SELECT %s FROM %s.%s)", e[2], lake.QuoteIdent(e[0]), lake.QuoteIdent(e[1]))
		if err := conn.QueryRowContext(ctx, q).Scan(&typ); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		values = append(values, fmt.Sprintf("(%s, %s, %s, %s)", sqlStr(e[0]), sqlStr(e[1]), sqlStr(e[2]), sqlStr(typ)))
	}
	return values, nil
}
