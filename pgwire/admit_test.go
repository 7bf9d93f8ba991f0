package pgwire

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// TestAdmissionBound: never more holders than slots, and all of them at
// once when enough want one.
func TestAdmissionBound(t *testing.T) {
	a := newAdmission(3)
	var in, peak atomic.Int64
	var wg sync.WaitGroup
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				err := a.do(context.Background(), func() error {
					n := in.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					time.Sleep(100 * time.Microsecond)
					in.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != 3 {
		t.Fatalf("peak holders %d, want 3", p)
	}
	if a.free != 3 || len(a.waiters) != 0 {
		t.Fatalf("after all released: free %d, %d waiters", a.free, len(a.waiters))
	}
}

// TestAdmissionFIFO: waiters get the slot in the order they came.
func TestAdmissionFIFO(t *testing.T) {
	a := newAdmission(1)
	ctx := context.Background()
	if err := a.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	order := make(chan int, 5)
	for i := range 5 {
		go func() {
			if err := a.acquire(ctx); err != nil {
				t.Error(err)
				return
			}
			order <- i
			a.release()
		}()
		waitWaiters(t, a, i+1)
	}
	a.release()
	for want := range 5 {
		if got := <-order; got != want {
			t.Fatalf("waiter %d got the slot in turn %d", got, want)
		}
	}
}

// TestAdmissionCancelWhileWaiting: a waiter whose context ends leaves the
// queue with the context's cause and takes no slot.
func TestAdmissionCancelWhileWaiting(t *testing.T) {
	a := newAdmission(1)
	if err := a.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.acquire(ctx) }()
	waitWaiters(t, a, 1)
	cancel(errStatementTimeout)
	if err := <-done; !errors.Is(err, errStatementTimeout) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	a.release()
	if a.free != 1 || len(a.waiters) != 0 {
		t.Fatalf("free %d, %d waiters; want 1, 0", a.free, len(a.waiters))
	}
	if newAdmission(0) != nil || newAdmission(-1) != nil {
		t.Fatal("no bound must mean no gate")
	}
	if err := (*admission)(nil).do(context.Background(), func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func waitWaiters(t *testing.T, a *admission, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		got := len(a.waiters)
		a.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d waiters after 5 s, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestQueuedStatementCancel: with one slot held by a slow query, another
// session's statement waits, and statement_timeout and a CancelRequest
// end it while it waits (57014); once the slow query is cancelled, the
// session runs statements again.
func TestQueuedStatementCancel(t *testing.T) {
	ts := startServerOptions(t, Options{MaxActiveStatements: 1})
	slow := connectCancelable(t, ts)
	slowCtx, stopSlow := context.WithCancel(context.Background())
	slowDone := make(chan error, 1)
	go func() { _, err := slow.Exec(slowCtx, slowQuery); slowDone <- err }()
	waitHeld(t, ts.srv.active)

	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		conn := connectCancelable(t, ts)
		ctx := testCtx(t)
		if _, err := conn.Exec(ctx, "SET statement_timeout = '200ms'"); err != nil {
			t.Fatal(err)
		}
		var pe *pgconn.PgError
		_, err := conn.Exec(ctx, "SELECT 42", mode)
		if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to statement timeout" {
			t.Fatalf("%v: queued statement past its timeout: %v", mode, err)
		}
		if _, err := conn.Exec(ctx, "SET statement_timeout = 0"); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, err = conn.Exec(cctx, "SELECT 43", mode)
		cancel()
		if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
			t.Fatalf("%v: cancelled queued statement: %v", mode, err)
		}
	}
	stopSlow()
	if err := <-slowDone; err == nil {
		t.Fatal("slow query was not cancelled")
	}
	conn := connectPgx(t, ts, pgx.QueryExecModeSimpleProtocol)
	var n int
	if err := conn.QueryRow(testCtx(t), "SELECT 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("after the slot was freed: %d, %v", n, err)
	}
}

// waitHeld waits until a's slots are all taken.
func waitHeld(t *testing.T, a *admission) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		free := a.free
		a.mu.Unlock()
		if free == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no statement took the slot in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSlowReaderHoldsNoSlot: a client that stops reading a large result
// does not keep other sessions from running with a single slot.
func TestSlowReaderHoldsNoSlot(t *testing.T) {
	ts := startServerOptions(t, Options{MaxActiveStatements: 1})
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "SELECT range, repeat('x', 200) FROM range(5000000)"})
	time.Sleep(500 * time.Millisecond) // the server fills the socket and blocks writing
	conn := connectPgx(t, ts, pgx.QueryExecModeSimpleProtocol)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var n int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM range(1000)").Scan(&n); err != nil || n != 1000 {
		t.Fatalf("statement beside a stalled reader: %d, %v", n, err)
	}
	rc.nc.Close()
}
