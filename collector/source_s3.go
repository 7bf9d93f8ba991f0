package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
)

const (
	// s3Downloads is how many objects are downloaded (streamed) at once, as
	// Tailpipe's ArtifactSourceMaxConcurrency.
	s3Downloads = 16
	// s3Lists is how many ListObjectsV2 calls run at once.
	s3Lists = 8
	// s3Resumes is how many times a broken object download is resumed with
	// a ranged GET before the file fails.
	s3Resumes = 3
)

// s3Source discovers and streams the objects of an aws_s3_bucket source.
//
// Discovery walks the bucket with ListObjectsV2 and delimiter "/", one
// "directory" per call, s3Lists calls in parallel. A directory is listed
// only if the layout can match below it (layout.MatchDir) and, once its
// year/month/day/... are known (layout.DirTime), only if that period
// overlaps the collection window, so a --from or incremental run never
// lists the days before it.
//
// Keys are matched relative to the prefix and, when a prefix is set, also
// as full keys (as Tailpipe does, so a prefix may narrow the walk inside
// the layout, e.g. "AWSLogs/123456789012/").
//
// Errors: if a starting prefix cannot be listed (bad credentials, missing
// bucket, ...) Discover fails. A deeper prefix that still fails after the
// client's retries is logged and skipped, and the walk goes on with the
// others, so one unreadable account folder does not block the rest; the
// files below it are not collected by that run (collect again with --from
// to pick them up).
type s3Source struct {
	client    *s3.Client
	bucket    string
	prefix    string
	layout    *layout.Layout
	downloads int
	lists     int
	log       *zap.Logger
}

// newS3Source creates the source of an aws_s3_bucket block with a client
// for its connection.
func newS3Source(ctx context.Context, src config.Source, conn *config.Connection, log *zap.Logger) (source, error) {
	if src.Bucket == "" {
		return nil, fmt.Errorf("%s: aws_s3_bucket source: bucket is required", src.Pos)
	}
	l := src.Layout
	if l == nil {
		fl := src.FileLayout
		if fl == "" {
			fl = layout.DefaultCloudTrailLayout
		}
		var err error
		if l, err = layout.Compile(fl, src.Patterns); err != nil {
			return nil, fmt.Errorf("%s: file_layout: %w", src.Pos, err)
		}
	}
	opt := s3OptionsFrom(ctx)
	log = log.With(zap.String("bucket", src.Bucket))
	client, err := newS3Client(ctx, conn, src.Bucket, opt, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Pos, err)
	}
	s := &s3Source{client: client, bucket: src.Bucket, prefix: src.Prefix, layout: l,
		downloads: s3Downloads, lists: s3Lists, log: log}
	if opt.downloads > 0 {
		s.downloads = opt.downloads
	}
	if opt.lists > 0 {
		s.lists = opt.lists
	}
	return s, nil
}

func (s *s3Source) Type() string { return "aws_s3_bucket" }

func (s *s3Source) Concurrency() int { return s.downloads }

// Discover lists the bucket in parallel and calls fn, from the calling
// goroutine only, for every object that matches the layout and whose
// layout time can overlap w.
func (s *s3Source) Discover(ctx context.Context, w timeWindow, fn func(artifact) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make(chan artifact, 256)
	walked := make(chan error, 1)
	go func() {
		defer close(found)
		walked <- s.walk(ctx, w, found)
	}()
	var fnErr error
	for a := range found {
		if fnErr != nil {
			continue // drain until the walkers stop
		}
		if err := fn(a); err != nil {
			fnErr = err
			cancel()
		}
	}
	err := <-walked
	if fnErr != nil {
		return fnErr
	}
	return err
}

// walkStats counts the work of one discovery.
type walkStats struct {
	lists, pages, pruned, objects, matched, failed atomic.Int64
}

// walk lists every admitted prefix with a pool of s.lists workers and sends
// matching objects to found.
func (s *s3Source) walk(ctx context.Context, w timeWindow, found chan<- artifact) error {
	start := time.Now()
	roots := s.roots()
	q := &prefixQueue{stack: append([]string(nil), roots...)}
	q.cond = sync.NewCond(&q.mu)
	stop := context.AfterFunc(ctx, q.wake)
	defer stop()

	isRoot := map[string]bool{}
	for _, r := range roots {
		isRoot[r] = true
	}
	var (
		st       walkStats
		errMu    sync.Mutex
		rootErrs []error
	)
	var wg sync.WaitGroup
	for range max(1, s.lists) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				p, ok := q.next(ctx)
				if !ok {
					return
				}
				err := s.listPrefix(ctx, p, w, found, q, &st)
				if err != nil && ctx.Err() == nil {
					st.failed.Add(1)
					if isRoot[p] {
						errMu.Lock()
						rootErrs = append(rootErrs, err)
						errMu.Unlock()
					} else {
						s.log.Error("listing failed; skipping this prefix",
							zap.String("prefix", p), zap.Error(err))
					}
				}
				q.done()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	s.log.Info("listed bucket",
		zap.Strings("roots", roots), zap.Int64("list_calls", st.pages.Load()),
		zap.Int64("prefixes", st.lists.Load()), zap.Int64("pruned_prefixes", st.pruned.Load()),
		zap.Int64("objects", st.objects.Load()), zap.Int64("matched", st.matched.Load()),
		zap.Int64("failed_prefixes", st.failed.Load()), zap.Duration("took", time.Since(start)))
	if len(rootErrs) == len(roots) {
		return errors.Join(rootErrs...)
	}
	for _, err := range rootErrs {
		s.log.Error("listing failed; skipping this prefix", zap.Error(err))
	}
	return nil
}

// roots are the prefixes the walk starts from: the prefix, narrowed by the
// layout's literal directory prefix.
func (s *s3Source) roots() []string {
	lit := s.layout.LiteralPrefix()
	litDir := lit[:strings.LastIndex(lit, "/")+1]
	var roots []string
	// Keys relative to the prefix.
	if s.prefix == "" || strings.HasSuffix(s.prefix, "/") {
		roots = append(roots, s.prefix+litDir)
	} else {
		roots = append(roots, s.prefix)
	}
	// Full keys, when a prefix is set.
	if s.prefix != "" {
		switch {
		case strings.HasPrefix(lit, s.prefix):
			if len(litDir) >= len(s.prefix) {
				roots = append(roots, litDir)
			} else {
				roots = append(roots, s.prefix)
			}
		case strings.HasPrefix(s.prefix, lit):
			roots = append(roots, s.prefix)
		}
	}
	sort.Strings(roots)
	var out []string
	for _, r := range roots {
		if len(out) > 0 && strings.HasPrefix(r, out[len(out)-1]) {
			continue // covered by a shorter root
		}
		out = append(out, r)
	}
	return out
}

// listPrefix lists one prefix (all pages), queues the subprefixes worth
// descending and sends the matching objects.
func (s *s3Source) listPrefix(ctx context.Context, prefix string, w timeWindow, found chan<- artifact, q *prefixQueue, st *walkStats) error {
	st.lists.Add(1)
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket:    aws.String(s.bucket),
		Prefix:    aws.String(prefix),
		Delimiter: aws.String("/"),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list s3://%s/%s: %w", s.bucket, prefix, err)
		}
		st.pages.Add(1)
		var subs []string
		for _, cp := range page.CommonPrefixes {
			p := aws.ToString(cp.Prefix)
			if p == "" || p == prefix {
				continue
			}
			if s.admitDir(p, w) {
				subs = append(subs, p)
			} else {
				st.pruned.Add(1)
			}
		}
		q.push(subs)
		for _, obj := range page.Contents {
			st.objects.Add(1)
			a, ok := s.matchObject(aws.ToString(obj.Key), w)
			if !ok {
				continue
			}
			a.Size = aws.ToInt64(obj.Size)
			st.matched.Add(1)
			select {
			case found <- a:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

// rel is key relative to the prefix.
func (s *s3Source) rel(key string) string {
	r := strings.TrimPrefix(key, s.prefix)
	if s.prefix != "" && !strings.HasSuffix(s.prefix, "/") {
		r = strings.TrimPrefix(r, "/")
	}
	return r
}

// admitDir reports whether the common prefix p (ending in "/") may hold
// matching objects inside the window.
func (s *s3Source) admitDir(p string, w timeWindow) bool {
	dirs := []string{s.rel(p)}
	if s.prefix != "" {
		dirs = append(dirs, p)
	}
	for _, d := range dirs {
		d = strings.TrimSuffix(d, "/")
		if !s.layout.MatchDir(d) {
			continue
		}
		start, end, ok := s.layout.DirTime(d)
		if !ok || w.overlaps(start, end) {
			return true
		}
	}
	return false
}

// matchObject matches a key against the layout and the window.
func (s *s3Source) matchObject(key string, w timeWindow) (artifact, bool) {
	m, ok := s.layout.Match(s.rel(key))
	if !ok && s.prefix != "" {
		m, ok = s.layout.Match(key)
	}
	if !ok {
		return artifact{}, false
	}
	if m.HasTime && !w.overlaps(m.Time, layout.PeriodEnd(m.Time, s.layout.Granularity())) {
		return artifact{}, false
	}
	return artifact{Location: key, Time: m.Time, HasTime: m.HasTime, open: s.opener(key)}, true
}

// overlaps reports whether the period [start, end) can hold events inside
// the window (both window bounds inclusive, as admits).
func (w timeWindow) overlaps(start, end time.Time) bool {
	if !w.From.IsZero() && !end.After(w.From) {
		return false
	}
	if !w.To.IsZero() && start.After(w.To) {
		return false
	}
	return true
}

// prefixQueue is the walk's work list: a stack (depth first, so files
// start flowing early and the list stays short) plus the number of
// prefixes being listed; the walk ends when both are empty.
type prefixQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	stack  []string
	active int
}

// next pops a prefix, waiting while other workers may still add some; ok is
// false when the walk is over or ctx is done.
func (q *prefixQueue) next(ctx context.Context) (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.stack) == 0 && q.active > 0 && ctx.Err() == nil {
		q.cond.Wait()
	}
	if len(q.stack) == 0 || ctx.Err() != nil {
		q.cond.Broadcast()
		return "", false
	}
	p := q.stack[len(q.stack)-1]
	q.stack = q.stack[:len(q.stack)-1]
	q.active++
	return p, true
}

func (q *prefixQueue) push(ps []string) {
	if len(ps) == 0 {
		return
	}
	q.mu.Lock()
	// Reversed, so the first prefix is listed first.
	for i := len(ps) - 1; i >= 0; i-- {
		q.stack = append(q.stack, ps[i])
	}
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *prefixQueue) done() {
	q.mu.Lock()
	q.active--
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *prefixQueue) wake() {
	q.mu.Lock()
	q.mu.Unlock()
	q.cond.Broadcast()
}

// opener returns the artifact's open function: a streaming GetObject.
func (s *s3Source) opener(key string) func(context.Context) (io.ReadCloser, error) {
	return func(ctx context.Context) (io.ReadCloser, error) {
		out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
		if err != nil {
			return nil, fmt.Errorf("get s3://%s/%s: %w", s.bucket, key, err)
		}
		return &s3Body{ctx: ctx, s: s, key: key, body: out.Body, etag: aws.ToString(out.ETag)}, nil
	}
}

// s3Body is an object's body stream. A read error mid-stream is retried
// by resuming with a ranged GET of the same object version (If-Match on the
// ETag) up to s3Resumes times; a final error names the key and offset.
type s3Body struct {
	ctx     context.Context
	s       *s3Source
	key     string
	body    io.ReadCloser
	etag    string
	off     int64
	resumes int
	err     error // sticky failure
}

func (b *s3Body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	for {
		n, err := b.body.Read(p)
		b.off += int64(n)
		if err == nil || err == io.EOF {
			return n, err
		}
		if b.resumes >= s3Resumes || b.ctx.Err() != nil || b.etag == "" {
			b.err = fmt.Errorf("read s3://%s/%s at byte %d: %w", b.s.bucket, b.key, b.off, err)
			return n, b.err
		}
		b.resumes++
		b.s.log.Warn("object download broke; resuming",
			zap.String("key", b.key), zap.Int64("offset", b.off), zap.Error(err))
		b.body.Close()
		out, rerr := b.s.client.GetObject(b.ctx, &s3.GetObjectInput{
			Bucket:  aws.String(b.s.bucket),
			Key:     aws.String(b.key),
			Range:   aws.String(fmt.Sprintf("bytes=%d-", b.off)),
			IfMatch: aws.String(b.etag),
		})
		if rerr != nil {
			b.body = io.NopCloser(strings.NewReader(""))
			b.err = fmt.Errorf("read s3://%s/%s at byte %d: %w (resuming failed: %w)", b.s.bucket, b.key, b.off, err, rerr)
			return n, b.err
		}
		b.body = out.Body
		if n > 0 {
			return n, nil
		}
	}
}

func (b *s3Body) Close() error { return b.body.Close() }
