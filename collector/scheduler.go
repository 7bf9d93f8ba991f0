package collector

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/config"
)

// DefaultRefreshInterval is how often a server collects its partitions.
const DefaultRefreshInterval = 5 * time.Minute

// Status is the state of one partition's background collection.
type Status struct {
	Partition  string // table.partition
	Table      string
	Name       string
	SourceType string
	Running    bool
	Runs       int
	LastStart  time.Time
	LastEnd    time.Time
	// Last run's figures.
	Files, FailedFiles           int
	Rows, RowErrors, RowWarnings int64
	// LastError is why the last run failed; empty when it succeeded.
	LastError string
	NextRun   time.Time
	// FailingFiles is how many files failed at their latest attempt and
	// have not been collected since; LastFailure is the most recent of them.
	FailingFiles int
	LastFailure  Failure
}

// Scheduler collects partitions at start and then every Interval, one
// partition at a time, each followed by compaction. Queries are never
// blocked: readers switch to new files only when a commit names them.
//
// It remembers failing files between runs (in memory): a file that fails
// again for the same reason, or a partition run that fails again with the
// same error, is logged at debug level only, so the log shows each failure
// once per reason rather than every interval.
type Scheduler struct {
	Collector  *Collector
	Partitions []*config.Partition
	Interval   time.Duration
	// OnStatus is called whenever a partition's status changes.
	OnStatus func([]Status)
	Logger   *zap.Logger

	mu     sync.Mutex
	status []Status
}

// Status returns a copy of every partition's status.
func (s *Scheduler) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Status(nil), s.status...)
}

func (s *Scheduler) update(i int, f func(*Status)) {
	s.mu.Lock()
	f(&s.status[i])
	snapshot := append([]Status(nil), s.status...)
	s.mu.Unlock()
	if s.OnStatus != nil {
		s.OnStatus(snapshot)
	}
}

// Run collects until ctx ends. It returns ctx's error.
func (s *Scheduler) Run(ctx context.Context) error {
	interval := s.Interval
	if interval <= 0 {
		interval = DefaultRefreshInterval
	}
	log := s.Logger
	if log == nil {
		log = zap.NewNop()
	}
	failures := make([]*Failures, len(s.Partitions))
	lastErr := make([]string, len(s.Partitions)) // the partition error last logged
	for i := range failures {
		failures[i] = &Failures{}
	}
	s.mu.Lock()
	s.status = make([]Status, len(s.Partitions))
	for i, p := range s.Partitions {
		s.status[i] = Status{Partition: p.FullName(), Table: p.Table, Name: p.Name, SourceType: p.Source.Type, NextRun: time.Now()}
	}
	s.mu.Unlock()
	for {
		for i, p := range s.Partitions {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			start := time.Now()
			s.update(i, func(st *Status) { st.Running, st.LastStart = true, start })
			res, err := s.Collector.Collect(ctx, p, Options{Compact: true, Failures: failures[i]})
			end := time.Now()
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				return ctx.Err()
			}
			switch reason := failureReason(err); {
			case err != nil && reason != lastErr[i]:
				log.Error("background collection failed", zap.String("partition", p.FullName()), zap.Error(err))
			case err != nil:
				log.Debug("background collection failed again", zap.String("partition", p.FullName()), zap.Error(err))
			case lastErr[i] != "":
				log.Info("background collection succeeded again", zap.String("partition", p.FullName()))
			}
			lastErr[i] = failureReason(err)
			failing, latest := failures[i].Current()
			s.update(i, func(st *Status) {
				st.Running, st.LastEnd = false, end
				st.Runs++
				st.LastError = ""
				if err != nil {
					st.LastError = err.Error()
				}
				if res != nil {
					st.Files, st.FailedFiles = res.Collected, res.FailedFiles
					st.Rows, st.RowErrors, st.RowWarnings = res.Rows, res.RowErrors, res.RowWarnings
				}
				st.FailingFiles, st.LastFailure = failing, latest
				st.NextRun = start.Add(interval)
			})
		}
		// Sleep until the earliest next run.
		wait := interval
		if st := s.Status(); len(st) > 0 {
			wait = time.Until(st[0].NextRun)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(max(wait, 0)):
		}
	}
}
