package pgwire

import (
	"errors"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// simpleQuery runs a Query message: each statement gets its own result;
// execution stops at the first error.
func (s *session) simpleQuery(q string) error {
	s.dropKept()
	stmts := s.srv.classes.Classify(q)
	if len(stmts) == 0 {
		if err := s.send(&pgproto3.EmptyQueryResponse{}); err != nil {
			return err
		}
		return s.readyForQuery()
	}
	for i := range stmts {
		err := s.runSimpleStatement(&stmts[i])
		if err == nil {
			continue
		}
		var pe *pgError
		if !errors.As(err, &pe) {
			return err
		}
		if pe.Position > 0 {
			cp := *pe
			cp.Position += int32(len([]rune(q[:stmts[i].Offset])))
			pe = &cp
		}
		if err := s.sendError(pe); err != nil {
			return err
		}
		break
	}
	return s.readyForQuery()
}

// runSimpleStatement runs one classified statement of a Query message.
func (s *session) runSimpleStatement(cs *sqlclass.Statement) error {
	u, err := utilityFor(cs)
	if err != nil {
		return err
	}
	st, err := s.prepareUtility("", cs.Text, u, nil, true)
	if err != nil {
		return err
	}
	defer s.dropKept() // when it did not run
	if len(st.paramOIDs) > 0 {
		return newError("08P01", "bind message supplies 0 parameters, but prepared statement requires %d", len(st.paramOIDs))
	}
	p := &portal{stmt: st, formats: make([]int16, len(st.cols)), simple: true}
	defer p.close()
	if st.returnsRows && st.util == nil {
		if err := s.send(st.rowDescription(nil)); err != nil {
			return err
		}
	}
	_, err = s.execute(p, 0)
	return err
}
