package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tpserver/tpserver/catalog/pgemu"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

var _ pgwire.ObjectGuard = (*Catalog)(nil)

// The engine lock is set once the catalog is ready, before any client SQL
// runs, and DuckDB itself refuses to undo it while the database is open:
// external access off ("Cannot enable external access while database is
// running"), file access limited to the data dir (allowed_directories
// cannot change once external access is off), no community extensions
// ("cannot change while database is running"). The catalog's own work
// (lake views over the data dir's Parquet files, statistics, snapshot
// rebuilds, session TimeZone and search_path) runs unchanged.
//
// lock_configuration is not set: DuckDB 1.5.5 then refuses every SET,
// session-scoped ones included ("Cannot change configuration option
// "TimeZone" - the configuration has been locked"), and sessions need
// SET TimeZone. The settings it would protect are guarded instead by
// pgwire, which refuses SET GLOBAL, PRAGMA, CALL and any SET or RESET that
// DuckDB can apply only engine-wide (see pgwire/authorize.go); the
// irreversible ones above need no guard. The collector's DuckDB is a
// separate database instance with its own configuration.

// lockEngine applies the engine lock.
func (c *Catalog) lockEngine(ctx context.Context, inMemory bool) error {
	dirs := []string{filepath.Clean(c.dataDir) + string(filepath.Separator)}
	if abs, err := filepath.Abs(c.dataDir); err == nil {
		dirs = append(dirs, abs+string(filepath.Separator))
	}
	if real, err := filepath.EvalSymlinks(c.dataDir); err == nil {
		dirs = append(dirs, real+string(filepath.Separator))
	}
	quoted := make([]string, len(dirs))
	for i, d := range dirs {
		quoted[i] = lake.QuoteString(d)
	}
	stmts := []string{
		"SET allowed_directories = [" + strings.Join(quoted, ", ") + "]",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET enable_external_access = false",
	}
	if inMemory {
		// An in-memory database spills to ./.tmp by default, outside the
		// allowed directories.
		tmp := filepath.Join(c.dataDir, "tpserver_query.tmp")
		stmts = append([]string{"SET temp_directory = " + lake.QuoteString(tmp)}, stmts...)
	}
	for _, q := range stmts {
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("lock the engine (%s): %w", q, err)
		}
	}
	return nil
}

// protectedSchemas hold what tpserver maintains: no client may change them.
var protectedSchemas = map[string]string{
	SystemSchema:            "tpserver's schema " + SystemSchema,
	PGCatalogSchema:         "the emulated catalog schema " + PGCatalogSchema,
	pgemu.InformationSchema: "the emulated catalog schema " + pgemu.InformationSchema,
	pgemu.HeadSchema:        "tpserver's schema " + pgemu.HeadSchema,
	HeadDatabase:            "tpserver's database " + HeadDatabase,
	"pg_catalog":            "the catalog schema pg_catalog",
	"information_schema":    "the catalog schema information_schema",
}

// ProtectedRelation reports whether a client may not create, change or drop
// rel: the collected lake views, the schemas tpserver maintains and
// everything in them, and the main schema itself. It implements
// pgwire.ObjectGuard.
func (c *Catalog) ProtectedRelation(rel pgwire.Relation) (string, bool) {
	if strings.EqualFold(rel.Catalog, HeadDatabase) {
		return "tpserver's database " + HeadDatabase, true
	}
	schema := strings.ToLower(rel.Schema)
	if reason, ok := protectedSchemas[schema]; ok {
		return reason, true
	}
	if rel.Name == "" {
		return "the schema " + rel.Schema, schema == "main" || schema == "temp"
	}
	if schema != "" && schema != "main" {
		return "", false
	}
	for _, t := range c.tables {
		if strings.EqualFold(t.Name, rel.Name) {
			return "the lake view " + t.Name, true
		}
	}
	return "", false
}

// ProtectedVariable reports whether a client may not set or reset a DuckDB
// variable: the emulated catalog keeps the session's parameters and its
// snapshot copy in its own. It implements pgwire.ObjectGuard.
func (c *Catalog) ProtectedVariable(name string) (string, bool) {
	switch strings.ToLower(name) {
	case sessionVariable, pgemu.OwnerVariable:
		return "the emulated catalog's variable " + name, true
	}
	return "", false
}
