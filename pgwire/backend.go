package pgwire

import (
	"context"
	"database/sql"
)

// This file is the contract between pgwire and the database behind it:
// the one interface a backend must implement (Backend), the optional hooks
// it may implement to take part in a session's life, and the values they
// exchange. pgwire depends on nothing else of its backend; a backend states
// which hooks it implements with compile-time assertions such as
//
//	var _ pgwire.SchemaWatcher = (*Catalog)(nil)
//
// so that a signature that drifts fails to build instead of silently
// switching a feature off (pgwire finds the hooks by type assertion).
//
// A session calls the hooks around the statements it runs, in this order:
//
//   - before a statement is prepared: ObjectGuard.ProtectedRelation and
//     ProtectedVariable for what it would change (authorize.go);
//   - when a statement is prepared: SQLTranslator.TranslateSQL (or
//     PrivateSQLTranslator.TranslatePrivateSQL in a private session), then
//     ColumnNamer.ColumnNames, ColumnOriginer.ColumnOrigins,
//     ColumnTyper.ColumnTypes and ParameterChanger.ParameterChanges on the
//     client's text;
//   - before it runs: ParameterMirror.MirrorParameters (if any parameter
//     changed), SchemaWatcher.SyncSchema, then TxSchemaWatcher.SyncTxSchema
//     (inside a transaction block with schema changes);
//   - after it ran: SchemaWatcher.SchemaChanged (if it may have changed the
//     schema), and the ParameterChanges it announced are applied;
//   - when a transaction block ends: TxSchemaWatcher.EndTxSchema, and
//     SchemaWatcher.SchemaChanged again if the block changed the schema.
//
// Hooks that see SQL text (TranslateSQL, ColumnNames, ColumnOrigins,
// ColumnTypes, ParameterChanges) are called by every session at once and must be safe
// for concurrent use; what preparing a text told the server is cached by
// text (see stmtcache.go), so they must answer the same for the same text
// until the schema changes.

// Backend gives each client session its own DuckDB connection. The session
// owns it until it ends and then closes it for good (it never goes back to
// the pool), so nothing a client leaves behind reaches another session.
// OpenSession's error is shown to the client that could not connect; the
// server goes on serving the others.
type Backend interface {
	OpenSession(ctx context.Context) (*sql.Conn, error)
}

// SQLTranslator is implemented by backends that rewrite client SQL before
// DuckDB sees it (PostgreSQL catalog queries, operators and casts DuckDB
// spells differently). TranslateSQL gets the text of one statement and
// returns the text to prepare, or its argument unchanged. It must be safe
// for concurrent use. Statements pgwire runs itself (SET, SHOW, BEGIN,
// COPY, DECLARE, ...) are not passed to it; the queries inside COPY and
// DECLARE are. When DuckDB rejects a translation but accepts the original
// text, the original is used.
type SQLTranslator interface {
	TranslateSQL(sql string) string
}

// PrivateSQLTranslator is implemented by SQLTranslators some of whose
// rewrites assume that an unqualified relation name means what it means in
// a new session. A session whose names may resolve otherwise (its
// search_path puts another schema before public, or it made temporary
// objects, switched DuckDB's default schema or changed a DuckDB setting:
// see stmtCacheKey) has its statements translated by TranslatePrivateSQL
// instead, which must not assume it. Same contract as TranslateSQL.
type PrivateSQLTranslator interface {
	TranslatePrivateSQL(sql string) string
}

// ColumnNamer is implemented by backends that know the result column names
// PostgreSQL would give a statement (count(*) is "count" there, where DuckDB
// says count_star()). ok is false when it cannot tell; the names are used
// only when there are as many as the statement has columns.
type ColumnNamer interface {
	ColumnNames(sql string) (names []string, ok bool)
}

// ColumnOriginer is implemented by backends that know which table column
// each result column of a statement comes from, as PostgreSQL reports it
// in RowDescription (table oid and attribute number; clients such as
// pgjdbc derive ResultSetMetaData.isNullable, getTableName and
// getSchemaName from them). A column that does not come from a table has
// the zero ColumnOrigin; ok is false when it cannot tell. The origins are
// used only when there are as many as the statement has columns.
type ColumnOriginer interface {
	ColumnOrigins(sql string) (origins []ColumnOrigin, ok bool)
}

// ColumnTyper is implemented by backends that know the PostgreSQL type of
// result columns DuckDB cannot type as PostgreSQL does: reg* values such
// as pg_typeof(x) and x::regclass, computed as text that prints as names,
// and jsonb values, which DuckDB holds as its one JSON type. ColumnTypes
// gives, per result column, the PostgreSQL type oid of such a column and 0
// for the others; ok is false when it cannot tell. pgwire describes a
// VARCHAR column with a reg* oid (sending it in text format only) and a
// JSON column with jsonb's, and leaves other columns alone; the oids are
// used only when there are as many as the statement has columns.
type ColumnTyper interface {
	ColumnTypes(sql string) (oids []uint32, ok bool)
}

// ColumnOrigin is the table column a result column comes from, as
// PostgreSQL reports it in RowDescription: the relation's pg_class oid and
// the column's pg_attribute attnum. The zero value means the column is not
// a plain column of a table or view.
type ColumnOrigin struct {
	TableOID uint32
	Attnum   int16
}

// ParameterChanger is implemented by backends that know which session
// parameters a statement changes when it runs (set_config(name, value,
// is_local) in a query). pgwire applies them as SET and SET LOCAL would,
// once the statement has run.
type ParameterChanger interface {
	ParameterChanges(sql string) []ParameterChange
}

// ParameterChange is a session parameter a statement changes when it runs.
type ParameterChange struct {
	Name, Value string
	// Local changes last until the end of the transaction (SET LOCAL).
	Local bool
}

// ParameterMirror is implemented by backends that let SQL read the
// session's parameters (current_setting(), pg_settings, current_user,
// current_schemas()). Before a statement runs, pgwire passes every
// parameter of the session (lower-cased names; session_authorization is the
// user who connected) whenever any changed since it last did, and under
// DatabaseParameter the database the client named at startup. The backend
// must not keep params.
type ParameterMirror interface {
	MirrorParameters(ctx context.Context, conn *sql.Conn, params map[string]string) error
}

// DatabaseParameter is the key of the database name in the parameters a
// ParameterMirror gets: the startup packet's database, or the user name
// when the client named none (as PostgreSQL). pgwire accepts any name; a
// backend shows it as the session's database (current_database()).
const DatabaseParameter = "pgwire.database"

// SchemaWatcher is implemented by backends that keep state derived from the
// database schema, such as a snapshot of the catalog that clients' catalog
// queries read. pgwire reports each statement that may have changed the
// schema once it has taken effect (at once outside a transaction block,
// again when the block ends), and lets the backend bring that state up to
// date before each statement runs.
type SchemaWatcher interface {
	SchemaChanged()
	SyncSchema(ctx context.Context, sql string) error
}

// TxSchemaWatcher is implemented by backends whose emulated catalog can
// show a session the schema changes of its own open transaction block, as
// PostgreSQL's transactional catalog does, while other sessions see them
// only once the block commits. While a block has statements that may have
// changed the schema, pgwire calls SyncTxSchema before each statement (after
// SchemaWatcher.SyncSchema) with the session's connection and the number of
// such statements so far; state is what the previous call of the block
// returned, nil at first. When the block ends after a call, EndTxSchema gets
// the last state: with commit, in the transaction before it commits;
// otherwise after the rollback.
type TxSchemaWatcher interface {
	SyncTxSchema(ctx context.Context, conn *sql.Conn, sql string, changes uint64, state any) (any, error)
	EndTxSchema(ctx context.Context, conn *sql.Conn, state any, commit bool) error
}

// Role is what a session's user may do. Authentication sets it before any
// of the session's SQL runs.
type Role string

// The roles.
const (
	// RoleReader reads: SELECT, EXPLAIN, SHOW, SET and RESET of session
	// parameters, cursors, prepared statements, COPY TO STDOUT,
	// transactions.
	RoleReader Role = "reader"
	// RoleAnalyst also creates, changes and drops tables and views of its
	// own next to the lake.
	RoleAnalyst Role = "analyst"
)

// User is someone who may connect (Options.Users): what the user may do,
// and how to check the password without knowing it.
type User struct {
	Role        Role
	Credentials SCRAMCredentials
}

// SCRAMCredentials are a SCRAM-SHA-256 password verifier (RFC 5802), the
// values PostgreSQL keeps in pg_authid as
// SCRAM-SHA-256$<Iterations>:<Salt>$<StoredKey>:<ServerKey>, decoded.
type SCRAMCredentials struct {
	Iterations int
	Salt       []byte
	StoredKey  []byte
	ServerKey  []byte
}

// ObjectGuard is implemented by backends with objects that no client may
// create, change or drop, whatever its role (the collected data, the
// backend's own bookkeeping, an emulated catalog, DuckDB variables the
// backend keeps session state in). Before a statement is prepared, pgwire
// asks ProtectedRelation about each relation or schema it would create,
// change or drop (an unqualified name as written and in each schema of the
// session's search_path), and ProtectedVariable about the DuckDB variable
// a SET VARIABLE or RESET VARIABLE names. reason names the protected
// object for the client ("the lake view aws_cloudtrail_log"). It must be
// safe for concurrent use.
type ObjectGuard interface {
	ProtectedRelation(rel Relation) (reason string, protected bool)
	ProtectedVariable(name string) (reason string, protected bool)
}

// Relation is a relation or schema a statement creates, changes or drops,
// as the client named it: unquoted parts lower-cased, empty parts not
// given. Name is empty when the schema itself is meant.
type Relation struct {
	Catalog, Schema, Name string
}
