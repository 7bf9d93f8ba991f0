package catalog

import (
	"context"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog/internal/pqfooter"
	"github.com/tpserver/tpserver/lake"
)

// syncNullFiles is the most new files whose NULL counts a view's
// definition reads itself (Catalog.syncNullFiles). Reading them walks every column chunk of a
// footer (tens of µs a file), which at start-up over thousands of files
// would delay serving by a good part of a second; past this many, the
// view is defined at once, its day-limit macros counting those files'
// NULLs as unknown (no bound where NULLs sort first), and readNulls
// defines them again once the counts are read.
const syncNullFiles = 256

// background is one goroutine that does a job each time it is woken,
// until stopped.
type background struct {
	kick chan struct{}
	stop context.CancelFunc
	done chan struct{}
}

// start runs job in the background, once now and again after each wake.
func (b *background) start(job func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	b.kick, b.stop, b.done = make(chan struct{}, 1), cancel, make(chan struct{})
	b.kick <- struct{}{}
	go func() {
		defer close(b.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-b.kick:
			}
			job(ctx)
		}
	}()
}

// wake has the job run again (once, however many wakes come meanwhile).
func (b *background) wake() {
	select {
	case b.kick <- struct{}{}:
	default: // not started, or a run is already due
	}
}

// stopAndWait stops the goroutine and waits for it.
func (b *background) stopAndWait() {
	if b.stop != nil {
		b.stop()
		<-b.done
	}
}

// startNullReads starts reading in the background the NULL counts that
// defineView left unread (see syncNullFiles).
func (c *Catalog) startNullReads() {
	c.nullReads.start(func(ctx context.Context) {
		for _, t := range c.tables {
			if err := c.readNulls(ctx, t); err != nil && ctx.Err() == nil {
				c.log.Warn("reading NULL counts of data files failed; latest-N queries read more files than needed", zap.String("table", t.Name), zap.Error(err))
			}
		}
	})
}

// readNulls reads the NULL counts of the table's files that have none yet
// and defines its day-limit macros and builds its head again with them.
func (c *Catalog) readNulls(ctx context.Context, t lake.Table) error {
	if len(t.DayColumns) == 0 {
		return nil
	}
	c.mu.Lock()
	var unread []string
	for p, f := range c.fileSchemas[t.Name] {
		if !f.nullsRead {
			unread = append(unread, p)
		}
	}
	c.mu.Unlock()
	if len(unread) == 0 {
		return nil
	}
	nulls := make([]map[string]int64, len(unread))
	err := eachFile(ctx, len(unread), func(i int) {
		nulls[i], _ = pqfooter.NullCounts(unread[i], t.DayColumns) // unreadable: unknown
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	known := c.fileSchemas[t.Name]
	for i, p := range unread {
		if f, ok := known[p]; ok { // still live
			f.nulls, f.nullsRead = nulls[i], true
			known[p] = f
		}
	}
	head, err := c.buildHead(ctx, t, c.live[t.Name], known)
	if err != nil {
		return err
	}
	if err := c.execInTx(ctx, append(dayLimitMacros(t, c.live[t.Name], known), head.stmts...)); err != nil {
		c.dropHeadTable(ctx, head.table)
		return err
	}
	c.dropHeadTable(ctx, c.heads[t.Name])
	c.heads[t.Name] = head.table
	return nil
}
