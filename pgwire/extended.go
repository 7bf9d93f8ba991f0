package pgwire

import (
	"github.com/jackc/pgx/v5/pgproto3"
)

func (s *session) handleParse(m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, exists := s.stmts[m.Name]; exists {
			return newError("42P05", "prepared statement %q already exists", m.Name)
		}
	}
	s.dropKept()
	oids := append([]uint32(nil), m.ParameterOIDs...)
	st, err := s.prepare(m.Name, m.Query, oids)
	if err != nil {
		return err
	}
	s.stmts[m.Name] = st
	return s.send(&pgproto3.ParseComplete{})
}

func (s *session) handleBind(m *pgproto3.Bind) error {
	st, err := s.currentStatement(m.PreparedStatement)
	if err != nil {
		return err
	}
	if err := s.checkAborted(st.util); err != nil {
		return err
	}
	if old, ok := s.portals[m.DestinationPortal]; ok {
		old.close()
		delete(s.portals, m.DestinationPortal)
	}
	formats, err := resolveFormats(st, m.ResultFormatCodes)
	if err != nil {
		return err
	}
	args, err := s.enc.decodeParams(st, m.ParameterFormatCodes, m.Parameters)
	if err != nil {
		return err
	}
	s.portals[m.DestinationPortal] = &portal{name: m.DestinationPortal, stmt: st, args: args, formats: formats}
	return s.send(&pgproto3.BindComplete{})
}

func (s *session) handleDescribe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		st, err := s.currentStatement(m.Name)
		if err != nil {
			return err
		}
		oids := st.paramOIDs
		if oids == nil {
			oids = []uint32{}
		}
		if err := s.send(&pgproto3.ParameterDescription{ParameterOIDs: oids}); err != nil {
			return err
		}
		if rd := s.describeRows(st, nil); rd != nil {
			return s.send(rd)
		}
		return s.send(&pgproto3.NoData{})
	case 'P':
		p, ok := s.portals[m.Name]
		if !ok {
			return newError(codeInvalidCursor, "portal %q does not exist", m.Name)
		}
		if rd := s.describeRows(p.stmt, p.formats); rd != nil {
			return s.send(rd)
		}
		return s.send(&pgproto3.NoData{})
	}
	return newError(codeProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
}

// describeRows returns the RowDescription a statement's result will have,
// or nil when it returns no rows. FETCH describes its cursor's rows.
func (s *session) describeRows(st *statement, formats []int16) *pgproto3.RowDescription {
	if st.util != nil && st.util.kind == utilFetch {
		if c, ok := s.cursors[st.util.name]; ok {
			return c.stmt.rowDescription(c.formats)
		}
		return nil
	}
	if !st.returnsRows {
		return nil
	}
	return st.rowDescription(formats)
}

func (s *session) handleExecute(m *pgproto3.Execute) error {
	p, ok := s.portals[m.Portal]
	if !ok {
		return newError(codeInvalidCursor, "portal %q does not exist", m.Portal)
	}
	if p.stmt != s.kept {
		s.dropKept() // another statement runs first
	}
	_, err := s.execute(p, int64(m.MaxRows))
	return err
}

func (s *session) handleClose(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		if st := s.stmts[m.Name]; st != nil && st == s.kept {
			s.dropKept()
		}
		delete(s.stmts, m.Name)
	case 'P':
		if p, ok := s.portals[m.Name]; ok {
			p.close()
			delete(s.portals, m.Name)
		}
	default:
		return newError(codeProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	return s.send(&pgproto3.CloseComplete{})
}

// handleSync ends an extended-query exchange: messages are read again after
// an error, portals end with the implicit transaction, and the client is
// told the session is ready.
func (s *session) handleSync() error {
	s.ignoreTillSync = false
	if s.tx.status == txIdle {
		for name, p := range s.portals {
			p.close()
			delete(s.portals, name)
		}
	}
	return s.readyForQuery()
}
