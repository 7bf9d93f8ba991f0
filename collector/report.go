package collector

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Limits of the problem details a Result keeps. Counts are always exact; only
// the details are capped, so a file full of bad events costs a few errors of
// memory, not one per event.
const (
	// MaxEventDetails is how many event problems are kept, and logged, per file.
	MaxEventDetails = 10
	// MaxProblemFiles is how many files with problems a Result describes.
	MaxProblemFiles = 1000
)

// EventProblem is an event of a collected file that was skipped, or that was
// kept with a value that could not be read stored as NULL.
type EventProblem struct {
	// Skipped is true when the event was left out, false for a warning.
	Skipped bool
	// Err names the record, the event and what was wrong.
	Err error
}

// FileProblems is what went wrong with one source file in a run.
type FileProblems struct {
	Location string
	// Err is why the file was not collected; nil when it was collected
	// apart from the events counted below.
	Err error
	// SkippedEvents were left out; Warnings were collected with a value
	// stored as NULL. Both are exact.
	SkippedEvents, Warnings int64
	// Events holds the first MaxEventDetails of them.
	Events []EventProblem
}

// eventProblems gathers the event problems of one file with bounded memory.
type eventProblems struct {
	skipped, warned int64
	first           []EventProblem
}

func (p *eventProblems) add(skipped bool, err error) {
	if skipped {
		p.skipped++
	} else {
		p.warned++
	}
	if len(p.first) < MaxEventDetails {
		p.first = append(p.first, EventProblem{Skipped: skipped, Err: err})
	}
}

// report records the problems of one run in its Result and Progress and
// logs them, at most MaxEventDetails lines per file; a file failing again
// for a reason its partition's Failures already knows is logged at debug
// level only.
type report struct {
	res      *Result
	prog     *Progress
	log      *zap.Logger
	failures *Failures // nil: every failure is news
	now      time.Time
}

func (r *report) addProblems(p FileProblems) {
	if len(r.res.Problems) < MaxProblemFiles {
		r.res.Problems = append(r.res.Problems, p)
	} else {
		r.res.ProblemsOmitted++
	}
}

// digest counts a CloudTrail digest file, which holds no events.
func (r *report) digest(loc string) {
	r.res.Digests++
	r.prog.Digests.Add(1)
	r.log.Debug("digest file skipped", zap.String("file", loc))
}

// fileFailed records a file that could not be collected.
func (r *report) fileFailed(loc string, err error) {
	r.res.FailedFiles++
	r.prog.Failed.Add(1)
	r.addProblems(FileProblems{Location: loc, Err: err})
	switch prev, news := r.failures.record(loc, err, r.now); {
	case !news:
		r.log.Debug("file still not collected", zap.String("file", loc), zap.Error(err), zap.Time("failing_since", prev.Since))
	case prev.Reason != "":
		r.log.Warn("file not collected, for a new reason", zap.String("file", loc), zap.Error(err), zap.String("previous_reason", prev.Reason))
	default:
		r.log.Warn("file not collected", zap.String("file", loc), zap.Error(err))
	}
}

// fileRead records the event problems of a file that was read.
func (r *report) fileRead(loc string, ev eventProblems) {
	if prev, ok := r.failures.resolve(loc); ok {
		r.log.Info("file read after failing before", zap.String("file", loc), zap.String("previous_reason", prev.Reason))
	}
	if ev.skipped == 0 && ev.warned == 0 {
		return
	}
	r.res.RowErrors += ev.skipped
	r.res.RowWarnings += ev.warned
	r.prog.RowErrors.Add(ev.skipped)
	r.prog.RowWarnings.Add(ev.warned)
	r.addProblems(FileProblems{Location: loc, SkippedEvents: ev.skipped, Warnings: ev.warned, Events: ev.first})
	for _, e := range ev.first {
		if e.Skipped {
			r.log.Warn("event skipped", zap.String("file", loc), zap.Error(e.Err))
		} else {
			r.log.Warn("event value not read", zap.String("file", loc), zap.Error(e.Err))
		}
	}
	if more := ev.skipped + ev.warned - int64(len(ev.first)); more > 0 {
		r.log.Warn("more event problems in file, not logged one by one", zap.String("file", loc),
			zap.Int64("not_logged", more), zap.Int64("events_skipped", ev.skipped), zap.Int64("values_not_read", ev.warned))
	}
}

// Failure is a source file that could not be collected.
type Failure struct {
	Location string
	// Reason is the error, without the request ids that differ between
	// attempts of the same failure.
	Reason string
	// Since is the first failure for this reason; Last the latest attempt.
	Since, Last time.Time
	seq         uint64
}

// Failures remembers, across runs, the files of one partition that could
// not be collected and why, so that a file failing again for the same
// reason is not reported as news. A file leaves it once it is read. It is
// safe for concurrent use; the zero value is empty, and a nil *Failures
// remembers nothing.
type Failures struct {
	mu    sync.Mutex
	files map[string]*Failure
	seq   uint64
}

// record notes that loc failed with err at now. It returns the failure known
// before (zero if none) and whether this one is news: a first failure or a
// new reason.
func (f *Failures) record(loc string, err error, now time.Time) (prev Failure, news bool) {
	if f == nil {
		return Failure{}, true
	}
	reason := failureReason(err)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = make(map[string]*Failure)
	}
	f.seq++
	cur, ok := f.files[loc]
	if ok {
		prev = *cur
	}
	if !ok || cur.Reason != reason {
		f.files[loc] = &Failure{Location: loc, Reason: reason, Since: now, Last: now, seq: f.seq}
		return prev, true
	}
	cur.Last, cur.seq = now, f.seq
	return prev, false
}

// resolve forgets loc, which was read; it returns its failure if it had one.
func (f *Failures) resolve(loc string) (Failure, bool) {
	if f == nil {
		return Failure{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cur, ok := f.files[loc]
	if !ok {
		return Failure{}, false
	}
	delete(f.files, loc)
	return *cur, true
}

// Current returns how many files are failing and the most recent failure.
func (f *Failures) Current() (n int, latest Failure) {
	if f == nil {
		return 0, Failure{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.files {
		if x.seq > latest.seq {
			latest = *x
		}
	}
	return len(f.files), latest
}

// volatileDetail matches the parts of an error that differ between attempts
// of the same failure: AWS request and host ids.
var volatileDetail = regexp.MustCompile(`(RequestID|HostID|request id|host id): [^,]*(, )?`)

// failureReason is err's text without volatile details, so that the same
// failure gives the same reason every time.
func failureReason(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimSuffix(volatileDetail.ReplaceAllString(err.Error(), ""), ", ")
}

// isDigestName reports whether a file is named like a CloudTrail digest
// file (AccountID_CloudTrail-Digest_Region_Trail_DigestRegion_Time.json.gz),
// so that it is skipped without being downloaded. A digest with another
// name is still recognised by its content.
func isDigestName(loc string) bool {
	return strings.Contains(path.Base(filepath.ToSlash(loc)), "_CloudTrail-Digest_")
}
