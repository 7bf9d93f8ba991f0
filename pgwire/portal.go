package pgwire

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5/pgproto3"
)

// portal is a bound statement ready to execute; a row-returning portal keeps
// its open result so that Execute with a row limit can resume it.
type portal struct {
	name    string
	simple  bool // simple protocol: utilities send their own RowDescription
	hold    bool // cursor WITH HOLD
	inTx    bool // cursor declared inside the current transaction block
	ctx     context.Context
	cancel  context.CancelCauseFunc
	stmt    *statement
	args    []any
	formats []int16 // per result column
	rows    resultRows
	started bool
	done    bool
	pending bool // rows.Next returned true but the row was not sent yet
	// encodeDirect: the result is read chunk by chunk and sendRow encodes
	// from DuckDB's vectors, not from vals.
	encodeDirect bool
	sent         int64
	vals         []any
	ptrs         []any
}

// resultRows is what a portal reads its rows from: a live *sql.Rows, a
// result read from the driver (chunkRows, driverRows), or the rest of one
// read into memory by materialize.
type resultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// materialize reads the rest of a live, suspended result into memory. DuckDB
// keeps one live result per connection and silently ends it when another
// statement runs, so a suspended portal is read out before that happens.
func (p *portal) materialize() {
	live := p.rows
	if _, buffered := live.(*bufferedRows); buffered || live == nil || p.done {
		return
	}
	buf := &bufferedRows{}
	keep := func() {
		row := make([]any, len(p.vals))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := live.Scan(ptrs...); err != nil {
			buf.err = err
			return
		}
		buf.rows = append(buf.rows, row)
	}
	if p.pending {
		keep()
	}
	for buf.err == nil && live.Next() {
		keep()
	}
	if buf.err == nil {
		buf.err = live.Err()
	}
	_ = live.Close()
	p.rows = buf
	p.pending, p.encodeDirect = false, false
}

func (p *portal) close() {
	if p.rows != nil {
		_ = p.rows.Close()
		p.rows = nil
	}
	if p.cancel != nil {
		p.cancel(nil)
	}
	p.done = true
}

// bufferedRows replays rows held in memory.
type bufferedRows struct {
	rows [][]any
	next int
	cur  []any
	err  error
}

func (b *bufferedRows) Next() bool {
	if b.next >= len(b.rows) {
		return false
	}
	b.cur = b.rows[b.next]
	b.rows[b.next] = nil
	b.next++
	return true
}

func (b *bufferedRows) Scan(dest ...any) error {
	for i, d := range dest {
		*(d.(*any)) = b.cur[i]
	}
	return nil
}

func (b *bufferedRows) Err() error { return b.err }

func (b *bufferedRows) Close() error { b.rows = nil; return nil }

// materializePortals reads every suspended portal's and cursor's live
// result into memory before the connection runs another statement.
func (s *session) materializePortals(except *portal) {
	for _, p := range s.portals {
		if p != except {
			p.materialize()
		}
	}
	for _, p := range s.cursors {
		if p != except {
			p.materialize()
		}
	}
}

// execute runs or resumes a portal, sending DataRows and CommandComplete, or
// PortalSuspended after maxRows rows (0 = no limit). Errors of type *pgError
// are SQL errors to report; others are connection failures.
func (s *session) execute(p *portal, maxRows int64) (suspended bool, err error) {
	st := p.stmt
	if st.empty {
		return false, s.send(&pgproto3.EmptyQueryResponse{})
	}
	if err := s.checkAborted(st.util); err != nil {
		return false, err
	}
	if st.util != nil {
		if p.done {
			return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.util.tag)})
		}
		p.done = true
		return false, s.runUtility(p)
	}
	if p.done {
		return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(p.sent))})
	}
	if !p.started {
		if err := s.checkReadOnly(st); err != nil {
			p.done = true
			return false, err
		}
	}
	if !st.returnsRows {
		p.started, p.done = true, true
		s.materializePortals(p)
		ctx, cancel := context.WithCancelCause(s.ctx)
		defer cancel(nil)
		if err := s.beforeStatement(ctx, st.execSQL); err != nil {
			return false, err
		}
		stop := s.track(cancel)
		var res sql.Result
		err := s.srv.active.do(ctx, func() (err error) { res, err = s.conn.ExecContext(ctx, st.execSQL, p.args...); return err })
		stop()
		if err != nil {
			return false, queryErr(ctx, err, st.errSQL())
		}
		s.noteSchemaChange(st)
		if err := s.applyParamChanges(st); err != nil {
			return false, err
		}
		n, _ := res.RowsAffected()
		p.sent = n
		return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(n))})
	}
	if !p.started {
		if err := s.startPortal(p); err != nil {
			return false, err
		}
	}
	limit := maxRows
	if limit <= 0 {
		limit = -1
	}
	if _, err := s.pump(p, limit, true, s.sendRow); err != nil {
		return false, err
	}
	if !p.done {
		return true, s.send(&pgproto3.PortalSuspended{})
	}
	if err := s.applyParamChanges(st); err != nil {
		return false, err
	}
	return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(p.sent))})
}

// startPortal runs a row-returning portal's query. The result lives as
// long as the portal (its context is the portal's).
func (s *session) startPortal(p *portal) error {
	st := p.stmt
	p.started = true
	s.materializePortals(p)
	p.ctx, p.cancel = context.WithCancelCause(s.ctx)
	rows, err := s.runQuery(p)
	if err != nil {
		p.close()
		return err
	}
	p.rows = rows
	_, p.encodeDirect = rows.(*chunkRows)
	ncol := len(st.cols)
	p.vals = make([]any, ncol)
	p.ptrs = make([]any, ncol)
	for i := range p.vals {
		p.ptrs[i] = &p.vals[i]
	}
	return nil
}

// pump reads up to max rows (-1: all) of a started portal, calling emit for
// each (nil emit: skip them). With peek, a portal stopped by max checks
// whether rows remain so that the last page ends with CommandComplete.
// The portal is closed once its result is exhausted or fails.
func (s *session) pump(p *portal, max int64, peek bool, emit func(*portal) error) (n int64, err error) {
	if p.done || p.rows == nil {
		p.done = true
		return 0, nil
	}
	if p.cancel == nil {
		p.ctx, p.cancel = context.WithCancelCause(s.ctx)
	}
	stop := s.track(p.cancel)
	defer stop()
	if cr, ok := p.rows.(*chunkRows); ok {
		defer cr.settle() // nothing fetches ahead while the portal waits
	}
	for max < 0 || n < max {
		if !p.pending && !p.rows.Next() {
			p.done = true
			break
		}
		p.pending = false
		if !p.encodeDirect { // else sendRow encodes the row from the chunk
			if err := p.rows.Scan(p.ptrs...); err != nil {
				err = queryErr(p.ctx, err, p.stmt.errSQL()) // before close cancels p.ctx
				p.close()
				return n, err
			}
		}
		if emit != nil {
			if err := emit(p); err != nil {
				if cr, ok := p.rows.(*chunkRows); ok && cr.ahead != nil {
					s.interrupt() // close need not wait for the chunk being fetched
				}
				p.close()
				return n, err
			}
		}
		n++
		p.sent++
	}
	if !p.done && peek {
		if p.rows.Next() {
			p.pending = true
			return n, nil
		}
		p.done = true
	}
	if p.done {
		rerr := p.rows.Err()
		ctx := p.ctx
		if rerr == nil && ctx != nil && context.Cause(ctx) != nil {
			// DuckDB interrupted between running the query and handing out
			// its rows ends the stream as if it were complete: a statement
			// cancelled before its end has not answered in full.
			rerr = context.Cause(ctx)
		}
		if rerr != nil {
			// Converted before close, which cancels the portal's context:
			// whether anybody cancelled the statement is read from it.
			rerr = queryErr(ctx, rerr, p.stmt.errSQL())
		}
		p.close()
		return n, rerr
	}
	return n, nil
}

// sendRow encodes the current row of p as a DataRow straight into the
// session's pending rows (values are appended in place, their lengths
// patched afterwards), which go to the buffered writer whenever they
// reach Options.FlushBytes (writeRows): memory per session stays about
// twice that plus one row, whatever the result size.
func (s *session) sendRow(p *portal) error {
	st := p.stmt
	start := len(s.out.rows)
	buf := append(s.out.rows, 'D', 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(st.cols)))
	var err error
	if cr, ok := p.rows.(*chunkRows); ok && p.encodeDirect {
		buf, err = cr.appendRow(s.enc, buf, st)
	} else {
		buf, err = s.appendValues(buf, p)
	}
	if err == nil && len(buf)-start-1 > math.MaxInt32 {
		err = newError(codeInternal, "row of %d bytes is too large for a DataRow", len(buf)-start-1)
	}
	if err != nil {
		s.out.rows = buf[:start] // the rows before stay pending
		return err
	}
	binary.BigEndian.PutUint32(buf[start+1:], uint32(len(buf)-start-1))
	s.out.rows = buf
	if len(buf) >= s.out.rowsFlushAt {
		return s.writeRows()
	}
	return nil
}

// writeRows hands the pending DataRows to the buffered writer.
func (s *session) writeRows() error {
	if len(s.out.rows) == 0 {
		return nil
	}
	_, err := s.out.w.Write(s.out.rows)
	s.out.rows = s.out.rows[:0]
	if cap(s.out.rows) > s.out.rowsFlushAt+maxKeptRowBuf {
		s.out.rows = nil // one huge row does not pin its buffer
	}
	if err != nil {
		return fmt.Errorf("write DataRow: %w", err)
	}
	return nil
}

// appendValues appends the values of p's current row, as scanned into
// p.vals, to a DataRow being built in buf.
func (s *session) appendValues(buf []byte, p *portal) ([]byte, error) {
	st := p.stmt
	var err error
	for i, v := range p.vals {
		if v == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1: NULL
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		ct := st.cols[i].typ
		if p.formats[i] == 1 {
			buf, err = s.enc.appendBinary(buf, ct, v)
		} else {
			buf, err = s.enc.appendText(buf, ct, v)
		}
		if err != nil {
			return buf, newError(codeInternal, "encode column %q: %v", st.cols[i].name, err)
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

// maxKeptRowBuf is how much larger than Options.FlushBytes the pending
// rows' buffer a session keeps for the next rows may be.
const maxKeptRowBuf = 1 << 20
