// Package pgemu is tpserver's emulation of PostgreSQL 15's system catalogs
// in DuckDB.
//
// PostgreSQL clients (psql, pgjdbc, SQLAlchemy, Grafana, Metabase, DBeaver)
// read pg_catalog and information_schema before anything else. DuckDB's own
// pg_catalog uses DuckDB type ids and lacks most of what they read, so the
// catalog database holds two schemas of its own, CatalogSchema and
// InformationSchema, whose tables, views and macros behave like PostgreSQL
// 15's for tpserver's objects. The SQL translator (package catalog/pgsql)
// rewrites pg_catalog.X to CatalogSchema.X and information_schema.X to
// InformationSchema.X; the schemas themselves are never shown to clients.
//
// # Installing
//
// Install creates the schemas in a DuckDB database, or replaces them whole
// when the emulation changed: the script's fingerprint is stored with it.
// The script is the embedded files sql/*.sql, run in the order ddlFiles
// lists; they are text/template templates whose data (scriptData) carries
// PostgreSQL's built-in rows and the generated lists, and they write the two
// schemas as $pg and $is. PostgreSQL's built-in types, functions, operators,
// keywords and settings come from data.go, generated from a PostgreSQL 15
// server by internal/gendata (go generate).
//
// format_type, which clients call for every column, is a Go function
// registered with DuckDB (formattype.go), and so is clock_timestamp's clock
// (clock.go). sql/report_functions.sql holds PostgreSQL's functions that
// reports call where DuckDB's differ (initcap, div, justify_*, encode, ...).
//
// json and jsonb: sql/json.sql has the macros the translator's json rule
// calls; what DuckDB's JSON functions cannot do (jsonb's canonical text,
// containment, jsonb_set, SQL/JSON path) are Go functions, tp_go_*
// (jsonfuncs.go over internal/pgjson). A jsonb value is JSON text in
// jsonb's canonical form.
//
// # The snapshot
//
// The emulated catalogs do not read DuckDB's catalog functions when a
// client queries them: planning PostgreSQL's view of every relation on each
// query was too slow. They read snapshot relations, each a copy of a _live
// view over DuckDB's catalog. SnapshotScript refreshes the copies; the
// catalog package decides when (after DDL) and on which connection. Each
// snapshot relation X is a view over the table X_rows, whose column
// tp_owner tells the shared copy (0) from a transaction's private copy,
// which shows a session its own uncommitted DDL; the connection's DuckDB
// variable OwnerVariable chooses the copy it reads.
//
// # Conventions
//
// As PostgreSQL types map to DuckDB: oid, regproc, regclass, regtype and
// xid columns are BIGINT; name, text and "char" are VARCHAR; arrays are
// lists; int2vector and oidvector are lists too (1-based, unlike
// PostgreSQL's 0-based vectors). Oids of tpserver's objects are hashes of
// their names (HashOID), stable across restarts.
package pgemu

const (
	// CatalogSchema holds the emulated pg_catalog.
	CatalogSchema = "tp_pg_catalog"
	// InformationSchema holds the emulated information_schema.
	InformationSchema = "tp_information_schema"
	// HeadSchema holds the catalog's head views of the lake tables (their
	// newest rows, which latest-N queries read instead of the files).
	HeadSchema = "tp_lake_head"
	// DatabaseName is the one database the emulated catalog shows outside
	// a client session; in a session it is the database the client named
	// (the session parameter DatabaseKey).
	DatabaseName = "tpserver"
	// DatabaseKey is the key of the session's database name in
	// SessionVariable.
	DatabaseKey = "tp.database"
	// SuperuserName is the name of the one role the emulated catalog shows
	// (oid 10) outside a client session; in a session the role is the user
	// who connected.
	SuperuserName = "tpserver"
	// SessionVariable is the DuckDB variable (per connection) holding the
	// session's parameters as a MAP(VARCHAR, VARCHAR), keys in lower case:
	// current_setting(), pg_settings and current_user read it.
	SessionVariable = "tp_pg_session"
	// OwnerVariable is the DuckDB variable (per connection) naming the
	// private copy of the snapshot that the connection's catalog queries
	// read; unset, they read the shared one.
	OwnerVariable = "tp_pg_owner"
	// Version is what version() returns: a PostgreSQL banner that
	// SQLAlchemy's and other clients' version regexes accept.
	Version = "PostgreSQL 15.0 (tpserver) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"
)

// HiddenSchemas are the DuckDB schemas never shown as namespaces: the
// emulation's own, the lake heads' and DuckDB's built-in catalogs (the emulated pg_catalog
// and information_schema stand in for the latter two).
func HiddenSchemas() []string {
	return []string{CatalogSchema, InformationSchema, HeadSchema, "pg_catalog", "information_schema"}
}
