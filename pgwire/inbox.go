package pgwire

import (
	"net"
	"sync"
	"time"

	"go.uber.org/zap"
)

// inbox decouples reading the socket from the message loop: a goroutine
// keeps reading so that a client that goes away is noticed (and its query
// cancelled) while the session is busy running a statement.
type inbox struct {
	mu   sync.Mutex
	cond *sync.Cond
	data []byte
	off  int
	err  error
	stop bool

	// deadline, when set, makes Read return deadlineErr once no data
	// arrived before it (the idle timeouts); timer wakes Read then.
	deadline    time.Time
	deadlineErr error
	timer       *time.Timer
}

const maxInbox = 4 << 20

func newInbox() *inbox {
	b := &inbox{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// fill reads nc until it fails; onEOF runs when the client is gone.
func (b *inbox) fill(nc net.Conn, onEOF func(error), log *zap.Logger) {
	buf := make([]byte, 32<<10)
	for {
		n, err := nc.Read(buf)
		b.mu.Lock()
		if b.off > 0 && b.off == len(b.data) {
			b.data, b.off = b.data[:0], 0
		}
		b.data = append(b.data, buf[:n]...)
		if err != nil {
			b.err = err
		}
		b.cond.Broadcast()
		for len(b.data)-b.off > maxInbox && b.err == nil && !b.stop {
			b.cond.Wait()
		}
		stopped := b.stop
		b.mu.Unlock()
		if err != nil {
			if !stopped {
				log.Debug("client connection read ended", zap.Error(err))
				onEOF(err)
			}
			return
		}
		if stopped {
			return
		}
	}
}

// Read implements io.Reader for the session's buffered reader.
func (b *inbox) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.off == len(b.data) && b.err == nil {
		if !b.deadline.IsZero() && !time.Now().Before(b.deadline) {
			return 0, b.deadlineErr
		}
		b.cond.Wait()
	}
	if b.off == len(b.data) {
		return 0, b.err
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	b.cond.Broadcast()
	return n, nil
}

// close stops the reader goroutine once its pending read returns.
func (b *inbox) close() {
	b.mu.Lock()
	b.stop = true
	b.cond.Broadcast()
	b.mu.Unlock()
}

// setDeadline makes Read fail with err when no data is available by t; a
// zero t removes the deadline.
func (b *inbox) setDeadline(t time.Time, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	b.deadline, b.deadlineErr = t, err
	if !t.IsZero() {
		b.timer = time.AfterFunc(time.Until(t), func() {
			b.mu.Lock()
			b.cond.Broadcast()
			b.mu.Unlock()
		})
	}
}
