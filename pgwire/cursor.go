package pgwire

import (
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// runDeclare creates a cursor.
func (s *session) runDeclare(u *utility) error {
	if _, exists := s.cursors[u.name]; exists {
		return newError("42P03", "cursor %q already exists", u.name)
	}
	if s.tx.status == txIdle && !u.hold {
		return newError(codeNoActiveTx, "DECLARE CURSOR can only be used in transaction blocks")
	}
	st, err := s.prepareQuery(u.query)
	if err != nil {
		return err
	}
	if !st.returnsRows {
		return newError("42P11", "cannot open %s query as cursor", strings.Join(st.keywords[:min(1, len(st.keywords))], ""))
	}
	formats := make([]int16, len(st.cols))
	if u.binary {
		for i, c := range st.cols {
			if !binarySupported(c.typ) {
				return newError(codeFeatureNotSupported, "binary output format is not supported for column %q of type %s", c.name, c.typ.pg.name)
			}
			formats[i] = 1
		}
	}
	c := &portal{name: u.name, stmt: st, formats: formats, hold: u.hold, inTx: s.tx.status != txIdle}
	if s.tx.status == txIdle {
		// WITH HOLD outside a block: run and keep the result now, as the
		// implicit transaction commits.
		if err := s.startPortal(c); err != nil {
			return err
		}
		c.materialize()
	}
	s.cursors[u.name] = c
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
}

// runFetch answers FETCH and MOVE.
func (s *session) runFetch(p *portal, u *utility) error {
	c, ok := s.cursors[u.name]
	if !ok {
		return newError(codeInvalidCursor, "cursor %q does not exist", u.name)
	}
	fetch := u.kind == utilFetch
	if fetch && p.simple {
		if err := s.send(c.stmt.rowDescription(c.formats)); err != nil {
			return err
		}
	}
	if !c.started && !c.done {
		if err := s.startPortal(c); err != nil {
			return err
		}
	}
	var emit func(*portal) error
	if fetch {
		emit = s.sendRow
	}
	n, err := s.pump(c, u.count, false, emit)
	if err != nil {
		return err
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag + " " + itoa(n))})
}

// runCloseCursor answers CLOSE of one cursor, or of all (CLOSE ALL).
func (s *session) runCloseCursor(u *utility) error {
	if u.name != "" {
		c, ok := s.cursors[u.name]
		if !ok {
			return newError(codeInvalidCursor, "cursor %q does not exist", u.name)
		}
		c.close()
		delete(s.cursors, u.name)
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
	}
	for name, c := range s.cursors {
		c.close()
		delete(s.cursors, name)
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
}
