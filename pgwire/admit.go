package pgwire

import (
	"context"
	"sync"
)

// admission bounds the statements working inside DuckDB at once, server
// wide (Options.MaxActiveStatements), and with them the engine memory and
// threads that concurrent statements take. A slot is held while DuckDB
// works for a statement (preparing it, running it, fetching each chunk of
// its result), never while the server waits for a client, so a slow reader
// does not hold one. Waiters are served first come, first
// served, and a waiting statement can be cancelled (CancelRequest,
// statement_timeout) like a running one. A nil *admission admits
// everything at once.
type admission struct {
	mu      sync.Mutex
	free    int
	waiters []chan struct{} // FIFO; a closed channel has been given a slot
}

// newAdmission returns a gate of n slots, or nil (no bound) when n <= 0.
func newAdmission(n int) *admission {
	if n <= 0 {
		return nil
	}
	return &admission{free: n}
}

// acquire waits for a slot, in turn, or until ctx ends (its cause is
// returned; the slot is not taken).
func (a *admission) acquire(ctx context.Context) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	if a.free > 0 && len(a.waiters) == 0 {
		a.free--
		a.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	a.waiters = append(a.waiters, ch)
	a.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
	}
	a.mu.Lock()
	for i, w := range a.waiters {
		if w == ch {
			a.waiters = append(a.waiters[:i], a.waiters[i+1:]...)
			a.mu.Unlock()
			return context.Cause(ctx)
		}
	}
	a.mu.Unlock()
	a.release() // granted while ctx ended: pass the slot on
	return context.Cause(ctx)
}

// release gives the slot to the first waiter, or frees it.
func (a *admission) release() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.waiters) > 0 {
		close(a.waiters[0])
		a.waiters[0] = nil
		a.waiters = a.waiters[1:]
		return
	}
	a.free++
}

// do runs f holding a slot; the error is ctx's cause when it ended while
// waiting, else f's.
func (a *admission) do(ctx context.Context, f func() error) error {
	if err := a.acquire(ctx); err != nil {
		return err
	}
	defer a.release()
	return f()
}

// admittedRows holds a slot while each row of a database/sql result is
// fetched (querySQL's results).
type admittedRows struct {
	resultRows
	gate *admission
	ctx  context.Context
	err  error
}

func (r *admittedRows) Next() bool {
	if err := r.gate.acquire(r.ctx); err != nil {
		r.err = err
		return false
	}
	defer r.gate.release()
	return r.resultRows.Next()
}

func (r *admittedRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.resultRows.Err()
}
