package pgwire

import (
	"net"
	"sync"

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
