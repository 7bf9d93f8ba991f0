package pgwire

import (
	"strconv"
	"strings"

	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// utilKind is a statement pgwire answers itself instead of DuckDB.
type utilKind int

const (
	utilSet          utilKind = iota + 1
	utilReset                 // RESET name | ALL
	utilShow                  // SHOW name | ALL
	utilDiscard               // DISCARD ALL | PLANS | SEQUENCES | TEMP
	utilBegin                 // BEGIN / START TRANSACTION
	utilCommit                // COMMIT / END
	utilRollback              // ROLLBACK / ABORT
	utilSetTx                 // SET TRANSACTION ...
	utilSessionChars          // SET SESSION CHARACTERISTICS AS TRANSACTION ...
	utilDeclare               // DECLARE name CURSOR FOR query
	utilFetch                 // FETCH [n] name
	utilMove                  // MOVE [n] name
	utilClose                 // CLOSE name | ALL
	utilCopyOut               // COPY ... TO STDOUT
	utilCopyIn                // COPY ... FROM STDIN
	utilUnsupported           // recognised but not supported (0A000)
)

// txOptions are BEGIN / SET TRANSACTION options.
type txOptions struct {
	isolation string // "" if not given
	readOnly  string // "on", "off" or "" if not given
}

// utility is a parsed pgwire-handled statement.
type utility struct {
	kind      utilKind
	tag       string // command tag
	name      string // parameter name (as written) or cursor name
	value     string // SET value
	isDefault bool   // SET x TO DEFAULT
	local     bool   // SET LOCAL
	tx        txOptions
	binary    bool   // DECLARE ... BINARY
	hold      bool   // DECLARE ... WITH HOLD
	query     string // DECLARE / COPY query
	count     int64  // FETCH / MOVE count; -1 = ALL
	copy      copyOptions
	msg       string // utilUnsupported message
}

// utilityFor returns how pgwire runs a classified statement itself, or nil
// for a statement DuckDB runs (DuckDB's own syntax among them).
func utilityFor(st *sqlclass.Statement) (*utility, error) {
	if st.Syntax == sqlclass.DuckDB {
		switch {
		case st.Setting != nil && st.Setting.Global:
			return nil, refuse("%s GLOBAL is not allowed: it would change the engine for every session", strings.ToUpper(st.Kind.String()))
		case pgwireOwned[st.Kind]:
			pe := newError(codeSyntaxError, "%s", st.ParseError.Message)
			pe.Position = int32(st.ParseError.Position)
			return nil, pe
		}
		return nil, nil
	}
	switch st.Kind {
	case sqlclass.Set:
		return setUtility(st.Setting)
	case sqlclass.Reset:
		return &utility{kind: utilReset, tag: "RESET", name: st.Setting.Name}, nil
	case sqlclass.Show:
		return &utility{kind: utilShow, tag: "SHOW", name: st.Setting.Name}, nil
	case sqlclass.SetTransaction:
		if st.Tx == nil {
			return unsupported("SET TRANSACTION SNAPSHOT is not supported"), nil
		}
		return &utility{kind: utilSetTx, tag: "SET", tx: txOptionsOf(st.Tx)}, nil
	case sqlclass.SessionCharacteristics:
		return &utility{kind: utilSessionChars, tag: "SET", tx: txOptionsOf(st.Tx)}, nil
	case sqlclass.Discard:
		return &utility{kind: utilDiscard, name: st.Discard, tag: "DISCARD " + st.Discard}, nil
	case sqlclass.Declare:
		return declareUtility(st.Cursor)
	case sqlclass.Fetch, sqlclass.Move:
		return fetchUtility(st.Kind, st.Cursor)
	case sqlclass.Close:
		if st.Cursor.Name == "" {
			return &utility{kind: utilClose, tag: "CLOSE CURSOR ALL"}, nil
		}
		return &utility{kind: utilClose, tag: "CLOSE CURSOR", name: st.Cursor.Name}, nil
	case sqlclass.Copy:
		return copyUtility(st.Copy)
	}
	return transactionUtility(st), nil
}

// pgwireOwned are the statements pgwire runs itself whatever DuckDB would
// make of them: written in a syntax PostgreSQL rejects, they get
// PostgreSQL's syntax error rather than reaching DuckDB (where a SET could
// change an engine-wide setting, or a BEGIN the transaction behind
// pgwire's back).
var pgwireOwned = map[sqlclass.Kind]bool{
	sqlclass.Set: true, sqlclass.Reset: true, sqlclass.Begin: true, sqlclass.Commit: true, sqlclass.Rollback: true,
	sqlclass.Savepoint: true, sqlclass.Release: true, sqlclass.Declare: true, sqlclass.Fetch: true,
	sqlclass.Move: true, sqlclass.Close: true, sqlclass.Discard: true,
}

// unsupported is a statement refused with 0A000.
func unsupported(msg string) *utility { return &utility{kind: utilUnsupported, msg: msg} }

// transactionUtility returns the utility of a transaction statement, or
// nil for other statements.
func transactionUtility(st *sqlclass.Statement) *utility {
	switch st.Kind {
	case sqlclass.Begin:
		return &utility{kind: utilBegin, tag: st.TxTag, tx: txOptionsOf(st.Tx)}
	case sqlclass.Commit:
		return &utility{kind: utilCommit, tag: "COMMIT"}
	case sqlclass.Rollback:
		return &utility{kind: utilRollback, tag: "ROLLBACK"}
	case sqlclass.Savepoint, sqlclass.Release, sqlclass.RollbackTo:
		return unsupported("savepoints are not supported")
	case sqlclass.PrepareTransaction:
		return unsupported("PREPARE TRANSACTION is not supported")
	case sqlclass.CommitPrepared:
		return unsupported("COMMIT PREPARED is not supported")
	case sqlclass.RollbackPrepared:
		return unsupported("ROLLBACK PREPARED is not supported")
	}
	return nil
}

// txOptionsOf converts the classifier's transaction modes.
func txOptionsOf(t *sqlclass.TxOptions) txOptions {
	var o txOptions
	if t == nil {
		return o
	}
	o.isolation = t.Isolation
	if t.ReadOnly != nil {
		o.readOnly = "off"
		if *t.ReadOnly {
			o.readOnly = "on"
		}
	}
	return o
}

// setUtility returns the utility of SET, SET LOCAL and their special forms.
// Values keep the spelling of bare words; search_path keeps the quotes of
// quoted identifiers.
func setUtility(set *sqlclass.Setting) (*utility, error) {
	switch {
	case set.FromCurrent:
		return unsupported("SET FROM CURRENT is not supported"), nil
	case set.Interval:
		return unsupported("SET TIME ZONE INTERVAL is not supported"), nil
	}
	u := &utility{kind: utilSet, tag: "SET", name: set.Name, local: set.Local, isDefault: set.Default}
	if set.Default {
		return u, nil
	}
	if set.Form == "TIME ZONE" && len(set.Values) == 1 && set.Values[0].Kind == sqlclass.NumberValue {
		if n, err := strconv.ParseFloat(set.Values[0].Text, 64); err == nil && n == float64(int(n)) {
			u.value = hoursZone(int(n))
			return u, nil
		}
	}
	items := make([]string, 0, len(set.Values))
	for _, v := range set.Values {
		switch {
		case v.Kind == sqlclass.WordValue || v.Kind == sqlclass.NumberValue:
			items = append(items, v.Raw)
		case v.Kind == sqlclass.QuotedValue && strings.EqualFold(set.Name, "search_path"):
			items = append(items, v.Raw)
		default:
			items = append(items, v.Text)
		}
	}
	u.value = strings.Join(items, ", ")
	return u, nil
}

// hoursZone names the zone of a numeric SET TIME ZONE: hours east of UTC
// (POSIX Etc/GMT signs are inverted).
func hoursZone(h int) string {
	switch {
	case h == 0:
		return "UTC"
	case h > 0:
		return "Etc/GMT-" + strconv.Itoa(h)
	}
	return "Etc/GMT+" + strconv.Itoa(-h)
}

// declareUtility returns the utility of DECLARE name CURSOR FOR query.
func declareUtility(c *sqlclass.Cursor) (*utility, error) {
	if c.Query == "" {
		return nil, newError(codeSyntaxError, "syntax error in DECLARE: expected FOR query")
	}
	return &utility{kind: utilDeclare, tag: "DECLARE CURSOR", name: c.Name, binary: c.Binary, hold: c.Hold, query: c.Query}, nil
}

// errBackward refuses a backward FETCH or MOVE: cursors scan forward only.
func errBackward() error {
	e := newError("55000", "cursor can only scan forward")
	return e.withHint("Declare it with SCROLL option to enable backward scan.")
}

// fetchUtility returns the utility of FETCH or MOVE: forward moves only.
func fetchUtility(kind sqlclass.Kind, c *sqlclass.Cursor) (*utility, error) {
	u := &utility{kind: utilFetch, tag: "FETCH", count: 1, name: c.Name}
	if kind == sqlclass.Move {
		u.kind, u.tag = utilMove, "MOVE"
	}
	switch c.Direction {
	case sqlclass.Forward:
		switch {
		case c.All:
			u.count = -1
		case c.Count < 0:
			return nil, errBackward()
		default:
			u.count = c.Count
		}
	case sqlclass.Relative:
		if c.Count < 1 {
			return nil, errBackward()
		}
		// RELATIVE n skips n-1 rows and returns the n-th: not worth it.
		return unsupported("FETCH RELATIVE is not supported"), nil
	default:
		return nil, errBackward()
	}
	if u.count == 0 {
		return unsupported("FETCH 0 (re-fetching the current row) is not supported"), nil
	}
	return u, nil
}
