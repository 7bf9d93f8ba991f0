// Package pgwire serves DuckDB over the PostgreSQL v3 wire protocol so that
// psql, pgx, JDBC and BI tools can query it unchanged.
//
// # Using it
//
// A Server serves a Backend, which opens one DuckDB connection per client
// session:
//
//	srv := pgwire.NewServer(backend, pgwire.Options{Logger: log})
//	err := srv.Serve(ctx, listener)
//
// ServeConn serves one connection of this process instead (the query
// command reads a net.Pipe with pgconn), as a local client.
//
// Each session owns its connection until the client leaves, then closes it
// for good, so nothing one client leaves behind (a transaction, temporary
// objects, settings) reaches another. NewServer makes every DuckDB query of
// the process stream its result chunk by chunk (see internal/duckdbx); a
// session therefore reads a suspended portal's rest into memory before it
// runs another statement on the connection. Portals, cursors and COPY read
// those chunks themselves (duckdbx.Chunks) and encode DataRows straight
// from DuckDB's column vectors, without a Go value per field; a result with
// a type the vector reader does not know is read value by value through
// the driver. With Options.FetchAhead (off by default), once a result has
// shown a full chunk, its next chunk is fetched on another goroutine while
// the current one is encoded (DuckDB decodes on one core while Go encodes
// on the other), never while the portal waits. DataRows are encoded into
// one pending buffer that goes to the connection in pieces of
// Options.FlushBytes, copied once.
// Nested columns (STRUCT, MAP, LIST of them) are sent as json:
// rendered from their child vectors when their leaves are text, JSON,
// booleans or integers and the whole result is read from vectors (the
// query then runs as written), else converted by DuckDB's to_json in a
// rewrite of the query; both give the same text, a JSON leaf excepted,
// which the vector path embeds as stored (as PostgreSQL's json keeps its
// input) and to_json re-minifies.
//
// A backend takes part in more of a session's life by implementing the
// optional hooks of backend.go: translating PostgreSQL SQL (SQLTranslator;
// PrivateSQLTranslator for a session whose names resolve its own way; a
// prepared statement is translated again when the session's names come to
// resolve otherwise, as PostgreSQL re-parses after search_path changes:
// retranslate.go),
// naming result columns and their table origins as PostgreSQL would
// (ColumnNamer, ColumnOriginer), mirroring session parameters into SQL
// (ParameterMirror, ParameterChanger) and keeping state derived from the
// schema, including a transaction block's own uncommitted changes
// (SchemaWatcher, TxSchemaWatcher) and protecting objects no client may
// change (ObjectGuard). pgwire imports nothing of its backends;
// they assert the hooks they implement at compile time.
//
// # What a session does
//
// After the startup handshake, a session reads frontend messages in a loop
// and dispatches on their type. A simple Query is split into statements,
// each prepared and run in turn; the extended protocol prepares with Parse,
// binds a portal with Bind and runs it with Execute, possibly a page of rows
// at a time. Either way, a statement is one of pgwire's own (SET, SHOW,
// RESET, BEGIN/COMMIT/ROLLBACK, DECLARE/FETCH/MOVE/CLOSE, COPY, DISCARD),
// which the session answers itself from its parsed form, or SQL prepared by
// DuckDB after the backend's translation. What preparing a text told the
// server (parameter and result types, column names and origins) is cached
// by text for all sessions until the schema may have changed. A new text
// that runs next (a simple Query's, or the one a client just parsed) runs on
// the prepared statement DuckDB made to describe it, so DuckDB binds and
// plans it once, as in-process.
//
// Transaction blocks follow PostgreSQL: an error fails the block (25P02)
// until ROLLBACK; parameters set in a block revert with it; READ ONLY is
// enforced by pgwire. A CancelRequest, statement_timeout or a client that
// goes away interrupt the running statement (57014).
//
// # Files
//
//	doc.go        this manual
//	backend.go    the contract: Backend, the optional hooks and their values
//	server.go     Server, Options, accepting connections
//	tls.go        SSLRequest: the TLS upgrade, or 'N'; RequireTLS
//	limits.go     MaxConnections, MaxMessageSize, idle timeouts, role defaults
//	admit.go      MaxActiveStatements: the FIFO bound on statements working inside DuckDB
//	session.go    the session's state (grouped by concern), message loop, dispatch
//	startup.go    startup packet, SSL/GSSENC negotiation, authentication, startup parameters
//	auth.go       who a client is: local trust without users, failed logins' growing delays
//	scram.go      SCRAM-SHA-256 login of configured users; unknown users get a mock exchange
//	simple.go     simple query protocol (Query)
//	extended.go   extended query protocol (Parse, Bind, Describe, Execute, Close, Sync)
//	authorize.go  what a session's role may run, checked before a statement is prepared (42501)
//	prepare.go    preparing a statement: pgwire's own or DuckDB's, translated and cached
//	statement.go  a prepared statement: DuckDB's description, JSON columns, command tags
//	prepared.go   the statement run next runs on the DuckDB prepared statement describing it made
//	stmtcache.go  the server's cache of statement descriptions, by text
//	hooks.go      where a session calls the backend's optional hooks
//	portal.go     portals: running a statement, paging its rows, DataRow encoding
//	command.go    running the statements pgwire answers itself
//	txn.go        transaction blocks: BEGIN, COMMIT, ROLLBACK, failed blocks, READ ONLY
//	setshow.go    SET, SHOW, RESET and ParameterStatus reports
//	params.go     the session parameters pgwire knows and their normalization
//	cursor.go     DECLARE, FETCH, MOVE, CLOSE
//	copy.go       COPY TO STDOUT and COPY FROM STDIN
//	utility.go    which statements pgwire answers itself, from their classification
//	cancel.go     CancelRequest, statement_timeout, query errors of cancelled statements
//	inbox.go      reading the socket while a statement runs, to notice a client gone
//	decode.go     parameter values from the client (text and binary)
//	paramcast.go  a parameter typed by its explicit cast ($1::boolean) where DuckDB leaves it untyped
//	decode_array.go array parameters: PostgreSQL's array text and binary forms as DuckDB list text
//	encode.go     result values to the client (text and binary)
//	encode_binary.go numeric and array binary forms byte for byte as PostgreSQL sends them
//	encode_chunk.go  values read from DuckDB's vectors, encoded directly or as the Go values duckdb-go gives
//	encode_chunkjson.go nested values (STRUCT, MAP, LIST of them) rendered as JSON from their child vectors
//	encode_chunkrows.go a portal's result read chunk by chunk (or value by value from the driver)
//	types.go      DuckDB types as PostgreSQL types (oids, formats)
//	errors.go     SQLSTATE errors and DuckDB errors mapped to them
//	audit.go      the audit log: connections, their end, and every statement's outcome
//
// Every query string is split and classified from PostgreSQL's parse tree
// by internal/sqlclass (kind, span, names, files, settings, COPY options,
// cursor moves, transaction modes; DuckDB-only syntax is only split and
// marked); pgwire dispatches on that classification.
//
// DuckDB driver internals that duckdb-go does not export (the streaming
// switch, the C connection for interrupts, the C prepared statement for JSON
// columns and parameters' list element types, the C result of a query for
// reading its chunks) live in internal/duckdbx,
// each with a tripwire test. Package pgtext reads values in PostgreSQL's
// text input forms (booleans, bytea, integers, array literals); the SQL
// translator of a backend may use it too.
//
// Tests: protocol exchanges are written as scripts in testdata/*.script
// (messages sent, messages expected, marked differences) that
// wirescript_test.go runs against this server over the real catalog and
// against PostgreSQL 15 (internal/wirescript reads and runs them);
// isolation_test.go proves that sessions leave nothing behind;
// malformed_test.go sends broken byte sequences, and fuzz_test.go fuzzes a
// session's startup and messages (FuzzStartup, FuzzMessages); the other
// tests drive the server with pgx, psql and raw protocol messages.
package pgwire
