// Package catalog owns tpserver's DuckDB database: one per process, holding
// the users' own tables and views, with a view per lake table over the
// Parquet files the collector publishes, listed newest first so that
// "latest N" reads only the newest row groups (see the lake package's
// "Time order"), and the translator told each lake table's day columns, so
// that a time window's query gets a tp_date filter and DuckDB opens only
// that window's files; with each view, macros that bound the days of a
// table's newest and oldest N rows (daylimits.go) give a "latest N" query
// such a filter too; and with each view, its head (head.go), a small
// in-memory table of its newest rows, which a "latest N" query within the
// head's rows reads instead of any file.
package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"go.uber.org/zap"

	// Registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/catalog/pgsql"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// The pgwire hooks the Catalog implements: a signature that drifts from
// pgwire's contract fails to build here instead of silently switching a
// feature off.
var (
	_ pgwire.Backend              = (*Catalog)(nil)
	_ pgwire.SQLTranslator        = (*Catalog)(nil)
	_ pgwire.PrivateSQLTranslator = (*Catalog)(nil)
	_ pgwire.ColumnNamer          = (*Catalog)(nil)
	_ pgwire.ColumnOriginer       = (*Catalog)(nil)
	_ pgwire.ColumnTyper          = (*Catalog)(nil)
	_ pgwire.ParameterChanger     = (*Catalog)(nil)
	_ pgwire.ParameterMirror      = (*Catalog)(nil)
	_ pgwire.SchemaWatcher        = (*Catalog)(nil)
	_ pgwire.TxSchemaWatcher      = (*Catalog)(nil)
)

// DatabaseFile is the name of the DuckDB file under the data dir that keeps
// users' tables and views across restarts.
const DatabaseFile = "tpserver_catalog.duckdb"

// Options configure Open.
type Options struct {
	// DataDir is the lake root; the database file lives there too.
	DataDir string
	// Tables are the lake tables to expose.
	Tables []lake.Table
	Logger *zap.Logger
	// InMemory opens a private in-memory database instead of the shared
	// file, for a second process while a server holds the file.
	InMemory bool
	// MemoryLimit and Threads, when set, are DuckDB's memory_limit (such
	// as "4GB") and threads for the whole engine.
	MemoryLimit string
	Threads     int
	// HeadRows is how many of each lake table's newest rows its head
	// holds at least (head.go): 0 is DefaultHeadRows, negative no head.
	HeadRows int64
}

// Catalog is the process's DuckDB database.
type Catalog struct {
	db      *sql.DB
	dataDir string
	tables  []lake.Table
	log     *zap.Logger

	mu sync.Mutex
	// signatures identify the manifests each view was defined from.
	signatures map[string]string
	// fileSchemas holds what each table's data files' footers say, by path
	// (see readFooters).
	fileSchemas map[string]map[string]fileFooter
	// live are the files each table's view was last defined over.
	live map[string][]lake.DataFile
	// nullReads reads NULL counts in the background (nullreads.go), of
	// new files past the first syncNullFiles of a view's definition.
	nullReads     background
	syncNullFiles int
	// translator rewrites PostgreSQL client SQL onto the emulated catalog;
	// privateTranslator does for sessions of their own (TranslatePrivateSQL).
	translator, privateTranslator *pgsql.Translator
	// originCache remembers relations' columns for RowDescription origins.
	originCache originCache
	// described caches result descriptions by SQL text.
	describeMu sync.Mutex
	described  map[string]pgsql.Result
	// snapshot is the emulated catalog's copy of DuckDB's schema.
	snapshot schemaSnapshot
	// headRows is the lake heads' size (Options.HeadRows; 0: none);
	// heads are the tables their views read now, by lake table, and
	// headSeq numbers the head tables built; headStatus describes each
	// table's last build.
	headRows   int64
	heads      map[string]string
	headSeq    int
	headStatus map[string]HeadStatus
}

// ErrLocked is returned by Open when another process holds the database file.
var ErrLocked = errors.New("the catalog database is in use by another tpserver process")

// Open opens (creating if needed) the catalog under opt.DataDir and defines
// the lake views.
func Open(ctx context.Context, opt Options) (*Catalog, error) {
	log := opt.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if err := os.MkdirAll(opt.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	dsn := filepath.Join(opt.DataDir, DatabaseFile)
	if opt.InMemory {
		dsn = ""
	}
	db, err := sql.Open("duckdb", dsn)
	if err == nil {
		if err = db.PingContext(ctx); err != nil {
			db.Close()
		}
	}
	if err != nil {
		if strings.Contains(err.Error(), "Could not set lock") || strings.Contains(err.Error(), "Conflicting lock") {
			return nil, fmt.Errorf("%w (%s): %v", ErrLocked, dsn, err)
		}
		return nil, fmt.Errorf("open catalog database %s: %w", dsn, err)
	}
	// A DuckDB connection holds its session's state: transactions,
	// temporary objects, prepared statements, variables and settings. None
	// is ever handed to a second user; a new one costs about 60 µs.
	db.SetMaxIdleConns(0)
	if err := setEngineLimits(ctx, db, opt); err != nil {
		db.Close()
		return nil, err
	}
	c := &Catalog{db: db, dataDir: opt.DataDir, tables: opt.Tables, log: log, signatures: map[string]string{}, fileSchemas: map[string]map[string]fileFooter{}, live: map[string][]lake.DataFile{}, syncNullFiles: syncNullFiles, originCache: originCache{entries: map[string]originEntry{}}, described: map[string]pgsql.Result{}, heads: map[string]string{}, headStatus: map[string]HeadStatus{}}
	switch {
	case opt.HeadRows == 0:
		c.headRows = DefaultHeadRows
	case opt.HeadRows > 0:
		c.headRows = opt.HeadRows
	}
	if err := c.attachHeads(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := c.installPGCatalog(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if c.translator, c.privateTranslator, err = c.newTranslators(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := c.defineViews(ctx, true); err != nil {
		db.Close()
		return nil, err
	}
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT count(*) > 0 FROM duckdb_views() WHERE schema_name = ? AND view_name = 'partitions'", SystemSchema).Scan(&exists); err != nil {
		db.Close()
		return nil, fmt.Errorf("look up %s.partitions: %w", SystemSchema, err)
	}
	if !exists {
		if err := c.SetPartitionStatus(ctx, nil); err != nil {
			db.Close()
			return nil, err
		}
	}
	// Another process (tpserver query) may have changed the schema since
	// the snapshot was taken.
	c.SchemaChanged()
	if err := c.syncSnapshot(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := c.lockEngine(ctx, opt.InMemory); err != nil {
		db.Close()
		return nil, err
	}
	c.startRebuilder()
	c.startNullReads()
	return c, nil
}

// Close closes the database.
func (c *Catalog) Close() error {
	c.stopRebuilder()
	c.nullReads.stopAndWait()
	return c.db.Close()
}

// DB is the underlying database, for in-process use.
func (c *Catalog) DB() *sql.DB { return c.db }

// OpenSession returns a dedicated connection for one client session.
func (c *Catalog) OpenSession(ctx context.Context) (*sql.Conn, error) {
	if err := c.Refresh(ctx); err != nil {
		return nil, err
	}
	// The pool keeps no idle connections (see Open), so this is a new
	// DuckDB connection that no one used before.
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open session connection: %w", err)
	}
	for _, q := range sessionSettings {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, fmt.Errorf("initialise session (%s): %w", q, err)
		}
	}
	return conn, nil
}

// sessionSettings set a client session's connection up: UTC, and the
// engine switches under which translated SQL means what PostgreSQL says.
var sessionSettings = append([]string{"SET TimeZone = 'UTC'"}, pgsql.SessionSettings...)

// Refresh redefines the lake views whose partitions committed changes since
// the views were defined. A view lists its files explicitly, as the
// manifests name them, so a query reads one consistent set of files even
// while collection and compaction go on.
func (c *Catalog) Refresh(ctx context.Context) error {
	return c.defineViews(ctx, false)
}

func (c *Catalog) defineViews(ctx context.Context, force bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.tables {
		sig, err := manifestSignature(c.dataDir, t.Name)
		if err != nil {
			return fmt.Errorf("read %s manifests: %w", t.Name, err)
		}
		if !force && sig == c.signatures[t.Name] {
			continue
		}
		if err := c.defineView(ctx, t); err != nil {
			return err
		}
		c.signatures[t.Name] = sig
	}
	return nil
}

// defineView (re)defines a lake table's view over its live files and, in
// the same transaction, its day-limit macros (daylimits.go) and its head
// view (head.go), so that no statement binds the view of one set of files
// with the macros or head of another.
func (c *Catalog) defineView(ctx context.Context, t lake.Table) error {
	live, err := lake.Live(c.dataDir, t.Name)
	if err != nil {
		return fmt.Errorf("read %s manifests: %w", t.Name, err)
	}
	// Newest first, so that a scan meets the newest rows first (see
	// lake.FileOrder).
	lake.NewestFirst(live)
	files := make([]string, len(live))
	var rows, bytes int64
	for i, f := range live {
		files[i] = f.Path
		rows += f.Rows
		bytes += f.Size
	}
	footers, err := c.readFooters(ctx, t, files)
	if err != nil {
		return fmt.Errorf("define view %s: %w", t.Name, err)
	}
	scan := t.ScanSQL(files)
	if sameSchema(footers, files) {
		scan = t.ScanSameSchemaSQL(files)
	}
	stmts := []string{fmt.Sprintf("CREATE OR REPLACE VIEW main.%s AS %s", lake.QuoteIdent(t.Name), scan)}
	if len(t.DayColumns) > 0 {
		stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+SystemSchema)
		stmts = append(stmts, dayLimitMacros(t, live, footers)...)
	}
	head, err := c.buildHead(ctx, t, live, footers)
	if err != nil {
		return fmt.Errorf("define view %s: %w", t.Name, err)
	}
	if err := c.execInTx(ctx, append(stmts, head.stmts...)); err != nil {
		c.dropHeadTable(ctx, head.table)
		return fmt.Errorf("define view %s: %w", t.Name, err)
	}
	c.dropHeadTable(ctx, c.heads[t.Name])
	c.heads[t.Name] = head.table
	c.live[t.Name] = live
	c.nullReads.wake()
	if err := c.comment(ctx, t); err != nil {
		return err
	}
	if err := c.setLakeStats(ctx, t.Name, rows, bytes); err != nil {
		return err
	}
	c.log.Debug("lake view defined", zap.String("table", t.Name), zap.Int("files", len(files)))
	return nil
}

// execInTx runs statements in one transaction.
func (c *Catalog) execInTx(ctx context.Context, stmts []string) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// setLakeStats records a lake table's row count and size for the emulated
// catalog (pg_class.reltuples, pg_total_relation_size).
func (c *Catalog) setLakeStats(ctx context.Context, table string, rows, bytes int64) error {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("record %s statistics: %w", table, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record %s statistics: %w", table, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+PGCatalogSchema+".tp_lake_stats WHERE relname = ?", table); err != nil {
		return fmt.Errorf("record %s statistics: %w", table, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+PGCatalogSchema+".tp_lake_stats VALUES (?, ?, ?)", table, rows, bytes); err != nil {
		return fmt.Errorf("record %s statistics: %w", table, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record %s statistics: %w", table, err)
	}
	c.SchemaChanged() // pg_class shows the new figures
	return nil
}

func (c *Catalog) comment(ctx context.Context, t lake.Table) error {
	if t.Description != "" {
		q := fmt.Sprintf("COMMENT ON VIEW main.%s IS %s", lake.QuoteIdent(t.Name), lake.QuoteString(t.Description))
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("comment on %s: %w", t.Name, err)
		}
	}
	for _, col := range t.Columns {
		if col.Description == "" {
			continue
		}
		q := fmt.Sprintf("COMMENT ON COLUMN main.%s.%s IS %s", lake.QuoteIdent(t.Name), lake.QuoteIdent(col.Name), lake.QuoteString(col.Description))
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("comment on %s.%s: %w", t.Name, col.Name, err)
		}
	}
	return nil
}

// manifestSignature identifies the current state of a table's manifests by
// their paths, sizes and modification times.
func manifestSignature(dataDir, table string) (string, error) {
	paths, err := lake.TableManifests(dataDir, table)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range paths {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		var ino uint64
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			ino = st.Ino // every atomic replacement is a new inode
		}
		fmt.Fprintf(&b, "%s:%d:%d:%d;", p, ino, info.Size(), info.ModTime().UnixNano())
	}
	return b.String(), nil
}

// lateMaterializationRows is the largest LIMIT for which DuckDB first
// finds the rows of a `select * ... [ORDER BY ...] LIMIT n` by reading only
// the columns it sorts on (and the rows' positions), then reads every
// column of those n rows alone. DuckDB's default, 50, leaves "latest 100"
// and psql's `select * ... limit 100` reading all ~50 columns, nested
// structs included, of every lake file they touch; measured on a
// 1M-event lake (335 files) in-process: latest 100 1.3-1.8x, `limit 100`
// 5-10x, oldest 100 7-10x faster.
const lateMaterializationRows = 1000

// setEngineLimits sets DuckDB's engine-wide settings: the Parquet metadata
// cache, late materialization (lateMaterializationRows), and memory_limit
// and threads when configured.
func setEngineLimits(ctx context.Context, db *sql.DB, opt Options) error {
	if _, err := db.ExecContext(ctx, "SET GLOBAL parquet_metadata_cache = true"); err != nil {
		return fmt.Errorf("set parquet_metadata_cache: %w", err)
	}
	q := fmt.Sprintf("SET GLOBAL late_materialization_max_rows = %d", lateMaterializationRows)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("set late_materialization_max_rows: %w", err)
	}
	if opt.MemoryLimit != "" {
		if _, err := db.ExecContext(ctx, "SET GLOBAL memory_limit = '"+strings.ReplaceAll(opt.MemoryLimit, "'", "''")+"'"); err != nil {
			return fmt.Errorf("set memory_limit %q: %w", opt.MemoryLimit, err)
		}
	}
	if opt.Threads > 0 {
		if _, err := db.ExecContext(ctx, fmt.Sprintf("SET GLOBAL threads = %d", opt.Threads)); err != nil {
			return fmt.Errorf("set threads %d: %w", opt.Threads, err)
		}
	}
	return nil
}
