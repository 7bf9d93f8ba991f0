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

	"github.com/tpserver/tpserver/catalog/pgemu"
)

// The emulated catalog reads snapshot tables of DuckDB's schemas, relations
// and columns rather than DuckDB's catalog functions: computing PostgreSQL's
// view of a relation (oids, type mapping, row types) from duckdb_columns()
// on every client catalog query made psql's \d+ and pgjdbc's getColumns
// take a tenth of a second or more. The snapshot is rebuilt, lazily, before
// the first catalog query after the schema changed.
//
// PostgreSQL's catalog is transactional: a session sees the schema changes
// of its own open transaction, others see them once it commits. The shared
// snapshot holds committed state only, so a session whose transaction
// block changed the schema reads a private copy instead, which it appends,
// inside its own transaction, from the _live views: they see that
// transaction's changes. Other transactions never see the uncommitted
// rows, appending never conflicts with the shared rebuild, and the rows go
// with the transaction: ROLLBACK drops them, and they are deleted before
// COMMIT (SyncTxSchema, EndTxSchema).
//
// Each snapshot relation X is therefore a view over the table X_rows,
// whose column tp_owner marks the shared copy (0) and the private copies
// (a number given to one transaction block). The view reads the copy named
// by the connection's DuckDB variable pgemu.OwnerVariable, the shared one
// when it is unset. Package pgemu defines the snapshot relations and
// writes the scripts that refresh them; this file decides when, and on
// which connection.

// schemaSnapshot tracks how current the snapshot tables are.
type schemaSnapshot struct {
	// changes counts reported schema changes; synced is the value of
	// changes that the snapshot tables reflect.
	changes, synced atomic.Uint64
	mu              sync.Mutex // serialises rebuilds
	// owners numbers the private copies (ownSnapshot.owner); 0 is the
	// shared one.
	owners atomic.Int64
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
	if reads, err := c.readsCatalog(ctx, sql); err != nil || !reads {
		return err
	}
	return c.syncSnapshot(ctx)
}

// readsCatalog reports whether sql reads the emulated catalog, directly or
// through users' views over it.
func (c *Catalog) readsCatalog(ctx context.Context, sql string) (bool, error) {
	if readsEmulation(sql) {
		return true, nil
	}
	views, err := c.catalogViews(ctx)
	if err != nil {
		return false, err
	}
	lower := strings.ToLower(sql)
	return slices.ContainsFunc(views, func(v string) bool { return strings.Contains(lower, v) }), nil
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

// ownSnapshot is a transaction block's private copy of the snapshot: the
// rows of the snapshot tables whose tp_owner is owner.
type ownSnapshot struct {
	owner int64
	// synced is the count of the block's schema changes the copy reflects.
	synced uint64
}

// SyncTxSchema makes the catalog queries of a session whose open
// transaction block changed the schema (changes counts the statements that
// may have) show those changes: before a statement that reads the catalog,
// it (re)builds the block's private copy of the snapshot inside the
// transaction, from DuckDB's catalog as the transaction sees it, and points
// the connection's catalog views at it. state is what the previous call for
// the block returned (nil at first); the result is passed back, and to
// EndTxSchema, even with an error. It implements pgwire.TxSchemaWatcher.
func (c *Catalog) SyncTxSchema(ctx context.Context, conn *sql.Conn, sql string, changes uint64, state any) (any, error) {
	own, _ := state.(*ownSnapshot)
	if own != nil && own.synced == changes {
		return state, nil
	}
	if reads, err := c.readsCatalog(ctx, sql); err != nil || !reads {
		return state, err
	}
	if own == nil {
		own = &ownSnapshot{owner: c.snapshot.owners.Add(1)}
	}
	start := time.Now()
	script, err := pgemu.SnapshotScript(ctx, conn, own.owner)
	if err != nil {
		return own, fmt.Errorf("show the transaction's schema changes in the catalog: %w", err)
	}
	// The variable first: a _live view reads the snapshot relations built
	// before it, which must be the private ones.
	script = fmt.Sprintf("SET VARIABLE %s = CAST(%d AS BIGINT);\n%s", pgemu.OwnerVariable, own.owner, script)
	if _, err := conn.ExecContext(ctx, script); err != nil {
		return own, fmt.Errorf("show the transaction's schema changes in the catalog: %w", err)
	}
	own.synced = changes
	c.log.Debug("private catalog snapshot built", zap.Int64("owner", own.owner), zap.Duration("took", time.Since(start)))
	return own, nil
}

// EndTxSchema ends the private copy that SyncTxSchema made for a
// transaction block (state): the connection's catalog views read the shared
// snapshot again, and with commit, called inside the transaction before it
// commits, the copy's rows are deleted so that they are never committed
// (a rollback drops them anyway). It implements pgwire.TxSchemaWatcher.
func (c *Catalog) EndTxSchema(ctx context.Context, conn *sql.Conn, state any, commit bool) error {
	own, ok := state.(*ownSnapshot)
	if !ok {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "RESET VARIABLE "+pgemu.OwnerVariable); err != nil {
		return fmt.Errorf("end the transaction's private catalog: %w", err)
	}
	if !commit {
		return nil
	}
	if _, err := conn.ExecContext(ctx, pgemu.DeleteSnapshotScript(own.owner)); err != nil {
		// Committed, the rows are seen by no one (no block has that owner
		// again) and the rebuild that follows the commit deletes them.
		return fmt.Errorf("end the transaction's private catalog: %w", err)
	}
	return nil
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
	script, err := pgemu.SnapshotScript(ctx, conn, 0)
	if err != nil {
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	script = "BEGIN;\n" + script + "COMMIT;\n"
	if _, err := conn.ExecContext(ctx, script); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("refresh catalog snapshot: %w", err)
	}
	s.synced.Store(want)
	c.log.Debug("catalog snapshot rebuilt", zap.Duration("took", time.Since(start)))
	return nil
}
