package catalog

import (
	"context"

	"github.com/tpserver/tpserver/catalog/pgemu"
)

// The PostgreSQL catalog emulation is package pgemu; the catalog installs
// it (installPGCatalog) and keeps its snapshot current (snapshot.go). These
// names are the emulation's, as the catalog package has always offered
// them.
const (
	// PGCatalogSchema holds the emulated pg_catalog.
	PGCatalogSchema = pgemu.CatalogSchema
	// PGInformationSchema holds the emulated information_schema.
	PGInformationSchema = pgemu.InformationSchema
	// PGDatabaseName is the one database the emulated catalog shows.
	PGDatabaseName = pgemu.DatabaseName
	// PGSuperuserName is the role the emulated catalog shows outside a
	// client session.
	PGSuperuserName = pgemu.SuperuserName
	// PGVersion is what version() returns.
	PGVersion = pgemu.Version
	// sessionVariable is the DuckDB variable holding a connection's
	// session parameters (MirrorParameters).
	sessionVariable = pgemu.SessionVariable
)

// hiddenSchemas are DuckDB schemas never shown as namespaces.
var hiddenSchemas = pgemu.HiddenSchemas()

// RelationOID is the stable oid the emulated catalog gives the relation
// schema.name (see pgemu.RelationOID).
func RelationOID(schema, name string) uint32 { return pgemu.RelationOID(schema, name) }

// installPGCatalog creates or refreshes the emulated catalog in the
// catalog database; the lake tables (views in main) are shown as tables.
// The DDL is skipped when the installed version matches, so an Open of an
// existing database costs one query.
func (c *Catalog) installPGCatalog(ctx context.Context) error {
	lakeTables := make([]string, 0, len(c.tables))
	for _, t := range c.tables {
		lakeTables = append(lakeTables, t.Name)
	}
	return pgemu.Install(ctx, c.db, lakeTables)
}
