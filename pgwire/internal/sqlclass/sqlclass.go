// Package sqlclass classifies the statements of a query string from
// PostgreSQL's own parse tree (pg_query_go): what each statement is, where
// it is in the text, what it names and reads or writes, whether it touches
// files, and the settings, COPY options, cursor moves and transaction
// options it carries. Statements PostgreSQL's parser rejects are DuckDB's
// own dialect: they are only split and recognised by their leading words,
// and marked so, for DuckDB to run them unchanged.
package sqlclass

// Kind is what a statement does.
type Kind uint8

// Statement kinds. Those after Use are DuckDB statements, recognised by
// their leading words.
const (
	Unknown Kind = iota // not recognised: DuckDB decides
	Select              // SELECT, VALUES, TABLE, WITH ... SELECT
	Insert
	Update
	Delete
	Merge
	DDL // CREATE, ALTER, DROP, COMMENT, GRANT, TRUNCATE...
	Set
	Reset
	Show
	SetTransaction         // SET TRANSACTION ...
	SessionCharacteristics // SET SESSION CHARACTERISTICS AS TRANSACTION ...
	Copy
	Declare
	Fetch
	Move
	Close
	Begin
	Commit
	Rollback
	Savepoint
	Release
	RollbackTo
	PrepareTransaction
	CommitPrepared
	RollbackPrepared
	Prepare
	Execute
	Deallocate
	Discard
	Explain
	Call
	Utility // another PostgreSQL utility statement (VACUUM, LISTEN, LOCK...)
	Use
	Pragma
	Attach
	Detach
	Install
	Load
	ExportDatabase
	ImportDatabase
	Describe // DESCRIBE, SHOW TABLES, SHOW DATABASES
	Summarize
	SetVariable
	ResetVariable
)

var kindNames = [...]string{
	Unknown: "unknown", Select: "select", Insert: "insert", Update: "update", Delete: "delete", Merge: "merge",
	DDL: "ddl", Set: "set", Reset: "reset", Show: "show", SetTransaction: "set transaction",
	SessionCharacteristics: "set session characteristics", Copy: "copy", Declare: "declare", Fetch: "fetch",
	Move: "move", Close: "close", Begin: "begin", Commit: "commit", Rollback: "rollback", Savepoint: "savepoint",
	Release: "release", RollbackTo: "rollback to", PrepareTransaction: "prepare transaction",
	CommitPrepared: "commit prepared", RollbackPrepared: "rollback prepared", Prepare: "prepare",
	Execute: "execute", Deallocate: "deallocate", Discard: "discard", Explain: "explain", Call: "call",
	Utility: "utility", Use: "use", Pragma: "pragma", Attach: "attach", Detach: "detach", Install: "install",
	Load: "load", ExportDatabase: "export database", ImportDatabase: "import database", Describe: "describe",
	Summarize: "summarize", SetVariable: "set variable", ResetVariable: "reset variable",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Syntax says which grammar a statement was read with.
type Syntax uint8

const (
	// Postgres statements were parsed by PostgreSQL's parser.
	Postgres Syntax = iota
	// DuckDB statements were rejected by PostgreSQL's parser: only their
	// span and leading words are known (and a guessed Kind).
	DuckDB
)

// Statement is one classified statement of a query string.
type Statement struct {
	Text   string // statement text without its terminating ';'
	Offset int    // byte offset of Text in the query string
	Kind   Kind
	Syntax Syntax
	// ParseError is PostgreSQL's reason for rejecting a DuckDB statement.
	ParseError *SyntaxError

	Writes    bool   // changes data or schema, or writes a file
	Files     bool   // reads or writes server files (COPY file, read_csv, ATTACH, INSTALL...)
	Relations []Name // tables and views named, in order of appearance
	// Targets are the relations it creates, changes or drops, and the
	// schemas (Name{Schema: s}) it creates, renames or drops.
	Targets []Name
	// External names the first thing that reads or writes server files,
	// the environment or the network ("read_csv()", "FROM 'x.csv'",
	// "COPY TO 'f'"), when Files is set.
	External string
	// Opaque says why a DuckDB statement cannot be checked (an object kind
	// or an embedded write its leading words do not tell); "" otherwise.
	Opaque    string
	Functions []string // functions called (lower-case, schema-qualified as written)
	// SetConfigs are the set_config() calls with constant arguments.
	SetConfigs []SetConfigCall

	Setting  *Setting   // Set, Reset, Show (and DuckDB's SET/RESET GLOBAL and VARIABLE)
	Tx       *TxOptions // Begin, SetTransaction, SessionCharacteristics
	Copy     *CopyStmt  // Copy
	Cursor   *Cursor    // Declare, Fetch, Move, Close
	Discard  string     // Discard: ALL, PLANS, SEQUENCES or TEMP
	TxTag    string     // Begin: BEGIN or START TRANSACTION
	Prepared string     // Prepare, Execute, Deallocate: the statement name ("" for DEALLOCATE ALL)
}

// Name is a possibly qualified relation name as PostgreSQL reads it
// (unquoted parts lower-cased).
type Name struct {
	Catalog, Schema, Name string
}

// SetConfigCall is a set_config(name, value, is_local) call.
type SetConfigCall struct {
	Name, Value string
	Local       bool
}

// ValueKind says how a SET value item was written.
type ValueKind uint8

// Value kinds.
const (
	StringValue ValueKind = iota + 1 // 'x', E'x', $$x$$
	WordValue                        // x: a bare word or keyword
	QuotedValue                      // "x": a quoted identifier
	NumberValue                      // 1, -2.5
)

// Value is one item of a SET value list.
type Value struct {
	Kind ValueKind
	Text string // the value as PostgreSQL reads it (literals unquoted, words lower-cased)
	Raw  string // the item as written
}

// Setting is what a SET, RESET or SHOW names.
type Setting struct {
	// Name is the parameter, lower-cased unless quoted; the special forms
	// give timezone, client_encoding, search_path, role,
	// session_authorization, transaction_isolation, and all for SHOW ALL
	// and RESET ALL.
	Name string
	// Form is the special syntax used: "TIME ZONE", "NAMES", "SCHEMA",
	// "ROLE", "SESSION AUTHORIZATION", or "" for name = value.
	Form        string
	Values      []Value
	Default     bool // SET x TO DEFAULT, SET TIME ZONE LOCAL / DEFAULT
	Local       bool // SET LOCAL
	Global      bool // DuckDB's SET GLOBAL / RESET GLOBAL
	FromCurrent bool // SET x FROM CURRENT
	Interval    bool // SET TIME ZONE INTERVAL '...'
	Snapshot    bool // SET TRANSACTION SNAPSHOT
}

// TxOptions are transaction modes of BEGIN and SET TRANSACTION.
type TxOptions struct {
	Isolation  string // "read committed"...; "" when not given
	ReadOnly   *bool
	Deferrable *bool
	Chain      bool // COMMIT / ROLLBACK AND CHAIN
}

// CopyStmt is a COPY statement.
type CopyStmt struct {
	Relation *Name // COPY table: the table
	Columns  []string
	Query    string // COPY (query): the query text, as written
	// QueryDuckDB is set when the query is DuckDB syntax (PostgreSQL's
	// parser read the COPY around it).
	QueryDuckDB bool
	From        bool   // COPY FROM (else TO)
	Stdio       bool   // STDIN / STDOUT
	Program     bool   // PROGRAM 'command'
	File        string // the file name, unless Stdio
	Options     []CopyOption
}

// CopyOption is one option of COPY, in either syntax: the old keywords
// (CSV, BINARY, HEADER, DELIMITER AS 'x', FORCE QUOTE ...) are read as
// PostgreSQL does, into the names of the new syntax.
type CopyOption struct {
	Name     string // lower-case: format, header, delimiter, null, force_quote...
	Value    string
	HasValue bool
	Star     bool     // name *
	List     []string // name (a, b)
	IsList   bool
}

// FetchDirection is the direction of a FETCH or MOVE.
type FetchDirection uint8

// Fetch directions, as PostgreSQL's grammar reduces them: NEXT is Forward
// 1, PRIOR Backward 1, FIRST Absolute 1, LAST Absolute -1.
const (
	Forward FetchDirection = iota + 1
	Backward
	Absolute
	Relative
)

// Cursor is what DECLARE, FETCH, MOVE and CLOSE say about a cursor.
type Cursor struct {
	Name   string // "" for CLOSE ALL
	Binary bool
	Hold   bool
	Scroll bool
	Query  string // DECLARE: the query text, as written
	// QueryDuckDB is set when the query is DuckDB syntax.
	QueryDuckDB bool
	Direction   FetchDirection
	Count       int64
	All         bool // FETCH ALL, FORWARD ALL, BACKWARD ALL
}
