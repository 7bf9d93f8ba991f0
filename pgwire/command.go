package pgwire

import (
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgproto3"
)

// itoa formats n in decimal.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// textColumn is a text result column of a utility statement.
func textColumn(name string) column {
	ct := &colType{duck: duckdb.TYPE_VARCHAR}
	ct.resolve()
	return column{name: name, typ: ct}
}

// utilityStatement wraps a parsed utility as a statement.
func utilityStatement(name, text string, u *utility) *statement {
	st := &statement{name: name, sql: text, execSQL: text, util: u, paramOIDs: []uint32{}}
	if u.kind == utilShow {
		st.returnsRows = true
		if u.name == "all" {
			st.cols = []column{textColumn("name"), textColumn("setting"), textColumn("description")}
		} else {
			st.cols = []column{textColumn(showLabel(u.name))}
		}
	}
	return st
}

// showLabel is the column name SHOW uses for a parameter.
func showLabel(name string) string {
	if d, ok := knownParams[strings.ToLower(name)]; ok {
		return d.name
	}
	return strings.ToLower(name)
}

// runUtility executes a pgwire-handled statement and sends its results and
// CommandComplete.
func (s *session) runUtility(p *portal) error {
	u := p.stmt.util
	complete := func(tag string) error {
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	}
	switch u.kind {
	case utilSet:
		if u.local && s.tx.status == txIdle {
			if err := s.notice("WARNING", codeNoActiveTx, "SET LOCAL can only be used in transaction blocks"); err != nil {
				return err
			}
			return complete("SET")
		}
		if err := s.setParam(u.name, u.value, u.isDefault, u.local); err != nil {
			return err
		}
		return complete("SET")
	case utilReset:
		if u.name == "all" {
			if err := s.resetAll(); err != nil {
				return err
			}
		} else if err := s.setParam(u.name, "", true, false); err != nil {
			return err
		}
		return complete("RESET")
	case utilShow:
		return s.runShow(p)
	case utilDiscard:
		if u.name == "ALL" {
			if s.tx.status != txIdle {
				return newError(codeActiveTx, "DISCARD ALL cannot run inside a transaction block")
			}
			for name, c := range s.cursors {
				c.close()
				delete(s.cursors, name)
			}
			for name, q := range s.portals {
				if q != p {
					q.close()
					delete(s.portals, name)
				}
			}
			for name := range s.stmts {
				delete(s.stmts, name)
			}
			if err := s.resetAll(); err != nil {
				return err
			}
		}
		return complete(u.tag)
	case utilBegin:
		return s.runBegin(u)
	case utilCommit, utilRollback:
		return s.runEnd(u.kind == utilCommit)
	case utilSetTx:
		if s.tx.status == txIdle {
			if err := s.notice("WARNING", codeNoActiveTx, "SET TRANSACTION can only be used in transaction blocks"); err != nil {
				return err
			}
			return complete("SET")
		}
		if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
			return err
		}
		return complete("SET")
	case utilSessionChars:
		if err := s.applyTxOptions(u.tx, "default_transaction_isolation", "default_transaction_read_only"); err != nil {
			return err
		}
		return complete("SET")
	case utilDeclare:
		return s.runDeclare(u)
	case utilFetch, utilMove:
		return s.runFetch(p, u)
	case utilClose:
		return s.runCloseCursor(u)
	case utilCopyOut:
		return s.runCopyOut(u)
	case utilCopyIn:
		return s.runCopyIn()
	case utilUnsupported:
		return newError(codeFeatureNotSupported, "%s", u.msg)
	}
	return newError(codeInternal, "unhandled utility statement")
}
