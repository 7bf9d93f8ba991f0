package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

const (
	s3TestAccess = "tpserver-test-access"
	s3TestSecret = "tpserver-test-secret-0123456789"
	s3TestConn   = "aws.minis3"
)

// startVersity starts versitygw with a posix backend on a temporary
// directory and returns its endpoint URL. It skips the test when versitygw
// is missing, unless TPSERVER_TEST_STRICT=1.
func startVersity(tb testing.TB) string {
	tb.Helper()
	bin := testsupport.Tool(tb, "versitygw", "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0")
	addr := fmt.Sprintf("127.0.0.1:%d", testsupport.MustFreePort(tb))
	dir := tb.TempDir()
	var out bytes.Buffer
	cmd := exec.Command(bin, "--access", s3TestAccess, "--secret", s3TestSecret,
		"--port", addr, "--quiet", "posix", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			tb.Fatalf("versitygw exited: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw did not listen on %s: %s", addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + addr
}

// testS3Client is a plain client for preparing buckets.
func testS3Client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s3TestAccess, s3TestSecret, ""),
	})
}

func createBucket(tb testing.TB, c *s3.Client, bucket string) {
	tb.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		tb.Fatalf("create bucket %s: %v", bucket, err)
	}
}

// trailBody is a gzipped CloudTrail file with n events on day; event ids
// derive from name so every file has its own.
func trailBody(tb testing.TB, name string, day time.Time, n int, account string) []byte {
	tb.Helper()
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{
			"eventVersion": "1.08",
			"eventID":      fmt.Sprintf("%s-%d", name, i),
			"eventTime":    day.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"eventSource":  "s3.amazonaws.com", "eventName": "GetObject",
			"awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1", "recipientAccountId": account,
			"userIdentity": map[string]any{"type": "IAMUser", "arn": "arn:aws:iam::" + account + ":user/u", "userName": "u"},
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(map[string]any{"Records": recs}); err != nil {
		tb.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

func putObject(tb testing.TB, c *s3.Client, bucket, key string, body []byte) {
	tb.Helper()
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		tb.Fatalf("put %s: %v", key, err)
	}
}

// trailKey is the CloudTrail delivery key of a file; org "" = account trail.
func trailKey(org, account, region string, day time.Time, name string) string {
	p := "AWSLogs/"
	if org != "" {
		p += org + "/"
	}
	return fmt.Sprintf("%s%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%sT0000Z_%s.json.gz",
		p, account, region, day.Format("2006/01/02"), account, region, day.Format("20060102"), name)
}

// s3Fixture describes the uploaded trail files.
type s3Fixture struct {
	events map[string]int // key -> events
}

func (f s3Fixture) count(keep func(key string) bool) (files, events int) {
	for k, n := range f.events {
		if keep == nil || keep(k) {
			files++
			events += n
		}
	}
	return files, events
}

var (
	s3Day0     = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	s3Accounts = []string{"111111111111", "222222222222"}
	s3Regions  = []string{"us-east-1", "eu-west-1"}
)

const s3Days = 4

// uploadFixture puts 2 accounts x 2 regions x 4 days of account trails,
// 4 days of an org trail and junk into bucket.
func uploadFixture(tb testing.TB, c *s3.Client, bucket string) s3Fixture {
	tb.Helper()
	f := s3Fixture{events: map[string]int{}}
	put := func(org, account, region string, d int) {
		day := s3Day0.AddDate(0, 0, d)
		n := 2 + d
		key := trailKey(org, account, region, day, "f")
		putObject(tb, c, bucket, key, trailBody(tb, key, day, n, account))
		f.events[key] = n
	}
	for _, a := range s3Accounts {
		for _, r := range s3Regions {
			for d := range s3Days {
				put("", a, r, d)
			}
		}
	}
	for d := range s3Days {
		put("o-abc123", "333333333333", "us-east-1", d)
	}
	junk := trailBody(tb, "junk", s3Day0, 1, "999999999999")
	for _, k := range []string{
		"README.txt",
		"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/notes.txt",
		"AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2024/03/01/digest.json.gz",
		"AWSLogs/111111111111/CloudTrail/us-east-1/2024/13/01/bad-month.json.gz",
		"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/deeper/x.json.gz",
		"AWSLogs/not-a-number/CloudTrail/us-east-1/2024/03/01/x.json.gz",
		"elsewhere/AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/x.json.gz",
	} {
		putObject(tb, c, bucket, k, junk)
	}
	return f
}

func s3Connection(endpoint, secret string) *config.Connection {
	return &config.Connection{Type: "aws", Name: "minis3", AccessKey: s3TestAccess, SecretKey: secret,
		Region: "us-east-1", EndpointURL: endpoint, S3ForcePathStyle: true,
		MinErrorRetryDelay: 5}
}

func s3Partition(tb testing.TB, bucket, prefix string) *config.Partition {
	tb.Helper()
	l, err := layout.Compile(layout.DefaultCloudTrailLayout, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &config.Partition{Table: lake.CloudTrailTableName, Name: "s3test",
		Source: config.Source{Type: "aws_s3_bucket", Bucket: bucket, Prefix: prefix, Connection: s3TestConn, Layout: l}}
}

func s3Collector(tb testing.TB, conn *config.Connection) *Collector {
	return &Collector{DataDir: tb.TempDir(), Logger: zaptest.NewLogger(tb, zaptest.Level(zap.WarnLevel)),
		Connections: map[string]*config.Connection{s3TestConn: conn}}
}

// requestLog records the S3 requests a client makes.
type requestLog struct {
	mu    sync.Mutex
	lists []string // prefix of each ListObjectsV2 call
	gets  int
}

func (r *requestLog) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		r.mu.Lock()
		if q.Get("list-type") == "2" {
			r.lists = append(r.lists, q.Get("prefix"))
		} else if req.Method == http.MethodGet {
			r.gets++
		}
		r.mu.Unlock()
		return next.RoundTrip(req)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// lakeSources returns tp_source_type and tp_source_location of every row.
func lakeSources(t *testing.T, dataDir string) (types map[string]int, locations map[string]int) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := lake.LiveFiles(dataDir, lake.CloudTrailTableName)
	if err != nil || len(files) == 0 {
		t.Fatalf("no live files in the lake: %v", err)
	}
	q := "SELECT tp_source_type, tp_source_location, count(*) FROM (" +
		lake.CloudTrailLog().ScanSQL(files) + ") GROUP BY ALL"
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, locations = map[string]int{}, map[string]int{}
	for rows.Next() {
		var typ, loc string
		var n int
		if err := rows.Scan(&typ, &loc, &n); err != nil {
			t.Fatal(err)
		}
		types[typ] += n
		locations[loc] += n
	}
	return types, locations
}

func TestS3CollectEverythingOnce(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	fx := uploadFixture(t, cli, "trails")
	wantFiles, wantEvents := fx.count(nil)

	c := s3Collector(t, s3Connection(endpoint, s3TestSecret))
	var reqs requestLog
	ctx := withS3Options(context.Background(), s3Options{wrapTransport: reqs.wrap})
	res, err := c.Collect(ctx, s3Partition(t, "trails", ""), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Discovered != wantFiles || res.Collected != wantFiles || res.FailedFiles != 0 || res.Rows != int64(wantEvents) {
		t.Fatalf("want %d files, %d rows: %+v", wantFiles, wantEvents, res)
	}
	if rows, ids := lakeRows(t, c.DataDir); rows != int64(wantEvents) || ids != int64(wantEvents) {
		t.Fatalf("lake has %d rows, %d distinct ids; want %d", rows, ids, wantEvents)
	}
	types, locs := lakeSources(t, c.DataDir)
	if len(types) != 1 || types["aws_s3_bucket"] != wantEvents {
		t.Errorf("tp_source_type: %v", types)
	}
	if len(locs) != len(fx.events) {
		t.Errorf("%d source locations, want %d: %v", len(locs), len(fx.events), locs)
	}
	for k, n := range fx.events {
		if locs[k] != n {
			t.Errorf("tp_source_location %s: %d rows, want %d", k, locs[k], n)
		}
	}
	// Junk directories are never listed.
	for _, p := range reqs.lists {
		if strings.Contains(p, "Digest") || strings.HasPrefix(p, "elsewhere") || strings.Contains(p, "/13/") || strings.Contains(p, "not-a-number/CloudTrail/") {
			t.Errorf("listed pruned prefix %q", p)
		}
	}
	if reqs.gets != wantFiles {
		t.Errorf("%d GETs, want %d", reqs.gets, wantFiles)
	}

	// The same through a prefix that narrows the walk to one account.
	c2 := s3Collector(t, s3Connection(endpoint, s3TestSecret))
	res, err = c2.Collect(context.Background(), s3Partition(t, "trails", "AWSLogs/222222222222/"), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	files, events := fx.count(func(k string) bool { return strings.HasPrefix(k, "AWSLogs/222222222222/") })
	if res.Collected != files || res.Rows != int64(events) {
		t.Fatalf("prefix run: want %d files, %d rows: %+v", files, events, res)
	}
}

func TestS3FromPrunesListing(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	fx := uploadFixture(t, cli, "trails")
	from := s3Day0.AddDate(0, 0, 2) // days 3 and 4
	wantFiles, wantEvents := fx.count(func(k string) bool {
		return strings.Contains(k, "/2024/03/03/") || strings.Contains(k, "/2024/03/04/")
	})
	dayLists := func(r *requestLog) map[string]int {
		days := map[string]int{}
		for _, p := range r.lists {
			if i := strings.Index(p, "/2024/03/"); i >= 0 && len(p) == i+len("/2024/03/00/") {
				days[p[i+len("/2024/03/"):i+len("/2024/03/00")]]++
			}
		}
		return days
	}

	var all requestLog
	c := s3Collector(t, s3Connection(endpoint, s3TestSecret))
	if _, err := c.Collect(withS3Options(context.Background(), s3Options{wrapTransport: all.wrap}),
		s3Partition(t, "trails", ""), Options{From: epoch}); err != nil {
		t.Fatal(err)
	}
	prefixes := len(s3Accounts)*len(s3Regions) + 1
	if got := dayLists(&all); len(got) != s3Days || got["01"] != prefixes || got["04"] != prefixes {
		t.Fatalf("full run listed day prefixes %v; want %d of each of %d days", got, prefixes, s3Days)
	}

	var later requestLog
	c = s3Collector(t, s3Connection(endpoint, s3TestSecret))
	res, err := c.Collect(withS3Options(context.Background(), s3Options{wrapTransport: later.wrap}),
		s3Partition(t, "trails", ""), Options{From: from})
	if err != nil {
		t.Fatal(err)
	}
	if res.Discovered != wantFiles || res.Rows != int64(wantEvents) {
		t.Fatalf("want %d files, %d rows: %+v", wantFiles, wantEvents, res)
	}
	got := dayLists(&later)
	if len(got) != 2 || got["03"] != prefixes || got["04"] != prefixes {
		t.Fatalf("from %s listed day prefixes %v; want only 03 and 04, %d each", from.Format(time.DateOnly), got, prefixes)
	}
	if len(later.lists) >= len(all.lists) {
		t.Fatalf("pruned run made %d LIST calls, full run %d", len(later.lists), len(all.lists))
	}
	t.Logf("LIST calls: full %d, from %s %d", len(all.lists), from.Format(time.DateOnly), len(later.lists))
}

func TestS3Incremental(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	fx := uploadFixture(t, cli, "trails")
	wantFiles, wantEvents := fx.count(nil)
	c := s3Collector(t, s3Connection(endpoint, s3TestSecret))
	p := s3Partition(t, "trails", "")
	ctx := context.Background()
	res, err := c.Collect(ctx, p, Options{From: epoch})
	if err != nil || res.Collected != wantFiles {
		t.Fatalf("first run: %+v, %v", res, err)
	}
	res, err = c.Collect(ctx, p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != 0 || res.Rows != 0 || res.Skipped != wantFiles {
		t.Fatalf("second run collected again: %+v", res)
	}
	day := s3Day0.AddDate(0, 0, 1)
	key := trailKey("", "222222222222", "eu-west-1", day, "late")
	putObject(t, cli, "trails", key, trailBody(t, key, day, 9, "222222222222"))
	res, err = c.Collect(ctx, p, Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != 1 || res.Rows != 9 {
		t.Fatalf("third run: want only %s (9 rows): %+v", key, res)
	}
	if rows, ids := lakeRows(t, c.DataDir); rows != int64(wantEvents+9) || ids != rows {
		t.Fatalf("lake has %d rows, %d ids; want %d", rows, ids, wantEvents+9)
	}
}

func TestS3BadConnections(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	uploadFixture(t, cli, "trails")

	c := s3Collector(t, s3Connection(endpoint, "not-the-secret"))
	_, err := c.Collect(context.Background(), s3Partition(t, "trails", ""), Options{From: epoch})
	if err == nil {
		t.Fatal("a bad secret collected")
	}
	if msg := err.Error(); !strings.Contains(msg, "s3://trails/AWSLogs/") || !strings.Contains(msg, "SignatureDoesNotMatch") {
		t.Fatalf("unclear error for a bad secret: %v", err)
	}
	t.Logf("bad secret: %v", err)

	c = s3Collector(t, s3Connection(endpoint, s3TestSecret))
	p := s3Partition(t, "trails", "")
	p.Source.Connection = "aws.nope"
	_, err = c.Collect(context.Background(), p, Options{From: epoch})
	if err == nil || !strings.Contains(err.Error(), `connection "aws.nope" is not defined`) {
		t.Fatalf("undefined connection: %v", err)
	}

	// A missing bucket fails too.
	_, err = c.Collect(context.Background(), s3Partition(t, "no-such-bucket", ""), Options{From: epoch})
	if err == nil || !strings.Contains(err.Error(), "NoSuchBucket") {
		t.Fatalf("missing bucket: %v", err)
	}
}

// flakyProxy is a reverse proxy to target that answers some requests with
// 503 SlowDown and can cut object downloads short.
type flakyProxy struct {
	failFirst  int64  // answer the first requests with 503
	failEvery  int64  // then every n-th request (0 = never)
	cutGets    int64  // cut the first n object bodies after half their bytes
	denyPrefix string // answer LISTs of this prefix with 403 AccessDenied
	requests   atomic.Int64
	slowDowns  atomic.Int64
	cut        atomic.Int64
	rangedGets atomic.Int64
}

func (f *flakyProxy) start(t *testing.T, target string) string {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1 // send the partial body before aborting
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		req := resp.Request
		if req.Method != http.MethodGet || req.URL.Query().Has("list-type") || resp.StatusCode != http.StatusOK {
			return nil
		}
		if f.cut.Add(1) > f.cutGets {
			return nil
		}
		resp.Body = &cutBody{rc: resp.Body, left: resp.ContentLength / 2}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		if r.Header.Get("Range") != "" {
			f.rangedGets.Add(1)
		}
		if f.denyPrefix != "" && r.URL.Query().Get("prefix") == f.denyPrefix {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		if n <= f.failFirst || (f.failEvery > 0 && n%f.failEvery == 0) {
			f.slowDowns.Add(1)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// cutBody fails after left bytes, so the proxy aborts the response.
type cutBody struct {
	rc   io.ReadCloser
	left int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("cut")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cutBody) Close() error { return c.rc.Close() }

func TestS3RetriesSlowDownAndResumesDownloads(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	fx := uploadFixture(t, cli, "trails")
	wantFiles, wantEvents := fx.count(nil)

	fp := &flakyProxy{failFirst: 5, failEvery: 4, cutGets: 3}
	proxy := fp.start(t, endpoint)
	c := s3Collector(t, s3Connection(proxy, s3TestSecret))
	res, err := c.Collect(context.Background(), s3Partition(t, "trails", ""), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != wantFiles || res.FailedFiles != 0 || res.Rows != int64(wantEvents) {
		t.Fatalf("want %d files, %d rows: %+v", wantFiles, wantEvents, res)
	}
	if rows, ids := lakeRows(t, c.DataDir); rows != int64(wantEvents) || ids != rows {
		t.Fatalf("lake has %d rows, %d ids; want %d", rows, ids, wantEvents)
	}
	if fp.slowDowns.Load() < 10 || fp.rangedGets.Load() < 3 {
		t.Fatalf("proxy answered %d SlowDowns and saw %d ranged GETs; the test did not exercise retries", fp.slowDowns.Load(), fp.rangedGets.Load())
	}
	t.Logf("%d requests, %d answered SlowDown, %d downloads resumed", fp.requests.Load(), fp.slowDowns.Load(), fp.rangedGets.Load())

	// With retries exhausted the failure is reported, not hidden.
	fp2 := &flakyProxy{failFirst: 1 << 30}
	proxy2 := fp2.start(t, endpoint)
	conn := s3Connection(proxy2, s3TestSecret)
	conn.MaxErrorRetryAttempts = 3
	c = s3Collector(t, conn)
	_, err = c.Collect(context.Background(), s3Partition(t, "trails", ""), Options{From: epoch})
	if err == nil || !strings.Contains(err.Error(), "SlowDown") {
		t.Fatalf("want a SlowDown error after retries: %v", err)
	}
	if n := fp2.requests.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3 (max_error_retry_attempts)", n)
	}
}

// TestS3UnlistablePrefixIsSkipped checks that a prefix that cannot be
// listed is skipped while the rest is collected, and that an unlistable
// starting prefix fails the run.
func TestS3UnlistablePrefixIsSkipped(t *testing.T) {
	endpoint := startVersity(t)
	cli := testS3Client(endpoint)
	createBucket(t, cli, "trails")
	fx := uploadFixture(t, cli, "trails")
	denied := "AWSLogs/222222222222/CloudTrail/eu-west-1/"
	wantFiles, wantEvents := fx.count(func(k string) bool { return !strings.HasPrefix(k, denied) })

	fp := &flakyProxy{denyPrefix: denied}
	c := s3Collector(t, s3Connection(fp.start(t, endpoint), s3TestSecret))
	res, err := c.Collect(context.Background(), s3Partition(t, "trails", ""), Options{From: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if res.Collected != wantFiles || res.Rows != int64(wantEvents) {
		t.Fatalf("want %d files, %d rows: %+v", wantFiles, wantEvents, res)
	}

	fp = &flakyProxy{denyPrefix: "AWSLogs/"}
	c = s3Collector(t, s3Connection(fp.start(t, endpoint), s3TestSecret))
	_, err = c.Collect(context.Background(), s3Partition(t, "trails", ""), Options{From: epoch})
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("unlistable root: %v", err)
	}
}

func TestS3Roots(t *testing.T) {
	l, err := layout.Compile(layout.DefaultCloudTrailLayout, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prefix string
		want   string
	}{
		{"", "AWSLogs/"},
		{"AWSLogs/123/", "AWSLogs/123/"},
		{"AWS", "AWS"},
		{"logs/", "logs/AWSLogs/"},
		{"logs", "logs"},
	} {
		s := &s3Source{prefix: c.prefix, layout: l}
		if got := strings.Join(s.roots(), ","); got != c.want {
			t.Errorf("roots(prefix %q) = %s, want %s", c.prefix, got, c.want)
		}
	}
}

// BenchmarkS3Collect lists and collects 2,000 small objects (2 accounts x 2
// regions x 50 days x 10 files) with different download and list
// concurrency, optionally with an added round-trip delay per request to
// mimic a remote S3. Run with -bench S3Collect -benchtime 1x.
func BenchmarkS3Collect(b *testing.B) {
	endpoint := startVersity(b)
	cli := testS3Client(endpoint)
	createBucket(b, cli, "bench")
	type obj struct {
		key  string
		body []byte
	}
	objs := make(chan obj)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range objs {
				putObject(b, cli, "bench", o.key, o.body)
			}
		}()
	}
	total := 0
	for _, a := range s3Accounts {
		for _, r := range s3Regions {
			for d := range 50 {
				day := s3Day0.AddDate(0, 0, d)
				for i := range 10 {
					key := trailKey("", a, r, day, fmt.Sprint(i))
					objs <- obj{key, trailBody(b, key, day, 3, a)}
					total++
				}
			}
		}
	}
	close(objs)
	wg.Wait()

	for _, rtt := range []time.Duration{0, 10 * time.Millisecond} {
		for _, c := range []struct{ downloads, lists int }{{16, 8}, {1, 1}} {
			name := fmt.Sprintf("rtt=%s/downloads=%d/lists=%d", rtt, c.downloads, c.lists)
			delay := func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					time.Sleep(rtt)
					return next.RoundTrip(r)
				})
			}
			opt := s3Options{downloads: c.downloads, lists: c.lists, wrapTransport: delay}
			b.Run("collect/"+name, func(b *testing.B) {
				for b.Loop() {
					col := &Collector{DataDir: b.TempDir(), Connections: map[string]*config.Connection{s3TestConn: s3Connection(endpoint, s3TestSecret)}}
					res, err := col.Collect(withS3Options(context.Background(), opt), s3Partition(b, "bench", ""), Options{From: epoch})
					if err != nil || res.Collected != total {
						b.Fatalf("%+v, %v", res, err)
					}
				}
				b.ReportMetric(float64(total)/b.Elapsed().Seconds()*float64(b.N), "objects/s")
			})
			// Discovery plus download only, with exactly `downloads`
			// readers (the collector runs at least 2 workers).
			b.Run("fetch/"+name, func(b *testing.B) {
				for b.Loop() {
					src, err := newS3Source(withS3Options(context.Background(), opt), s3Partition(b, "bench", "").Source,
						s3Connection(endpoint, s3TestSecret), zap.NewNop())
					if err != nil {
						b.Fatal(err)
					}
					if n := fetchAll(b, src); n != total {
						b.Fatalf("fetched %d objects, want %d", n, total)
					}
				}
				b.ReportMetric(float64(total)/b.Elapsed().Seconds()*float64(b.N), "objects/s")
			})
		}
	}
}

// fetchAll discovers every object and reads it with src.Concurrency()
// readers; it returns the number of objects read.
func fetchAll(b *testing.B, src source) int {
	work := make(chan artifact)
	var n atomic.Int64
	var wg sync.WaitGroup
	for range src.Concurrency() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				rc, err := a.open(context.Background())
				if err != nil {
					b.Error(err)
					continue
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Error(err)
				}
				rc.Close()
				n.Add(1)
			}
		}()
	}
	err := src.Discover(context.Background(), timeWindow{From: epoch}, func(a artifact) error { work <- a; return nil })
	close(work)
	wg.Wait()
	if err != nil {
		b.Fatal(err)
	}
	return int(n.Load())
}
