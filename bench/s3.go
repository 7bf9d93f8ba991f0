package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/internal/testsupport"
)

// s3DownloadCmd is the hidden first argument that makes the bench binary
// download every object of a bucket and discard it (the S3 baseline).
const s3DownloadCmd = "__s3_download"

// VersityInstall says how to install the local S3 server.
const versityInstall = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// versityNotInstalled is the report line when versitygw is missing.
const versityNotInstalled = "versitygw not installed: not measured"

// The S3 section's bucket and credentials (a throwaway local server).
const (
	s3Bucket = "trail"
	s3Access = "bench-access"
	s3Secret = "bench-secret-0123456789"
)

// s3Downloads is the collector's number of objects downloaded at once
// (collector.s3Downloads); the download-only baseline uses the same.
const s3Downloads = 16

// s3Section collects -s3-objects CloudTrail objects from versitygw with
// tpserver and compares it with downloading them only.
func s3Section(e *env) error {
	e.r.section("S3 collection from a local S3 server")
	vgw, err := exec.LookPath("versitygw")
	if err != nil {
		e.r.line(versityNotInstalled + " (" + versityInstall + ").")
		return nil
	}
	bin, err := e.binary()
	if err != nil {
		return err
	}
	root := filepath.Join(e.dir, "s3")
	fmt.Fprintf(os.Stderr, "bench: generating %d S3 objects\n", e.c.s3Objects)
	objs, err := generateObjects(filepath.Join(root, s3Bucket), e.c.s3Objects)
	if err != nil {
		return err
	}
	endpoint, stop, err := startVersity(vgw, root)
	if err != nil {
		return err
	}
	defer stop()

	cfgDir := filepath.Join(e.dir, "s3-config")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		return fmt.Errorf("s3 config: %w", err)
	}
	tpc := fmt.Sprintf(s3CollectConfig, s3Access, s3Secret, endpoint, s3Bucket)
	if err := os.WriteFile(filepath.Join(cfgDir, "bench.tpc"), []byte(tpc), 0o644); err != nil {
		return fmt.Errorf("s3 config: %w", err)
	}
	fmt.Fprintln(os.Stderr, "bench: tpserver collect from S3")
	tp, err := timedCollect(bin, cfgDir, filepath.Join(e.dir, "s3-data"), objs.events)
	if err != nil {
		return fmt.Errorf("collect from S3: %w", err)
	}
	fmt.Fprintln(os.Stderr, "bench: S3 download only")
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("own executable: %w", err)
	}
	dl, err := runMeasured(exec.Command(self, s3DownloadCmd, endpoint, s3Bucket, strconv.Itoa(objs.files), strconv.FormatInt(objs.bytes, 10)))
	if err != nil {
		return fmt.Errorf("S3 download baseline: %w", err)
	}
	fmt.Fprintln(os.Stderr, "bench: tpserver collect of the same files on local disk")
	localCfg := filepath.Join(e.dir, "s3-local-config")
	if err := os.MkdirAll(localCfg, 0o755); err != nil {
		return fmt.Errorf("s3 local config: %w", err)
	}
	if err := os.WriteFile(filepath.Join(localCfg, "bench.tpc"), []byte(fmt.Sprintf(collectConfig, filepath.Join(root, s3Bucket))), 0o644); err != nil {
		return fmt.Errorf("s3 local config: %w", err)
	}
	local, err := timedCollect(bin, localCfg, filepath.Join(e.dir, "s3-local-data"), objs.events)
	if err != nil {
		return fmt.Errorf("collect the S3 files locally: %w", err)
	}
	reportS3(e.r, objs, tp, dl, local)
	return nil
}

func reportS3(r *report, objs generatedObjects, tp, dl, local measured) {
	r.line(fmt.Sprintf("%d objects (%d events, %.1f MB gzipped, %.1f KB/object) in the S3 delivery layout, served by versitygw (posix backend) on 127.0.0.1. "+
		"tpserver collect: an aws_s3_bucket partition (endpoint_url, path style; the collector lists by folder, 8 LISTs and %d downloads at a time). "+
		"Download only: a child process with the same AWS SDK client settings listing the bucket (ListObjectsV2, 1000 keys a page) "+
		"and fetching every object with %d GETs at a time, bodies discarded. Local disk: tpserver collect of the same files from the server's directory. "+
		"Ratios = tpserver from S3 throughput / this throughput (below 1 = tpserver slower), and RSS likewise tpserver / this.\n",
		objs.files, objs.events, mb(objs.bytes), float64(objs.bytes)/float64(objs.files)/1024, s3Downloads, s3Downloads))
	row := func(name string, m measured, base bool) []string {
		s := m.took.Seconds()
		cells := []string{name, m.took.Round(time.Millisecond).String(), fmt.Sprintf("%.0f", float64(objs.files)/s),
			fmt.Sprintf("%.0f", float64(objs.events)/s), fmt.Sprintf("%.2f", mb(objs.bytes)/s), fmt.Sprintf("%.0f MiB", mib(m.maxRSS))}
		if !base {
			return append(cells, "", "")
		}
		return append(cells, fmt.Sprintf("%.2f", m.took.Seconds()/tp.took.Seconds()), fmt.Sprintf("%.2f", float64(tp.maxRSS)/float64(max(m.maxRSS, 1))))
	}
	r.table([]string{"run", "time", "objects/s", "events/s", "MB/s", "peak RSS", "tpserver/this throughput", "tpserver/this RSS"},
		[][]string{
			row("tpserver collect from S3", tp, false),
			row("download only (same client, 16 at a time)", dl, true),
			row("tpserver collect from local disk", local, true),
		})
}

// s3CollectConfig is the .tpc file of the S3 partition.
const s3CollectConfig = `connection "aws" "bench" {
  access_key          = %q
  secret_key          = %q
  region              = "us-east-1"
  endpoint_url        = %q
  s3_force_path_style = true
}

partition "aws_cloudtrail_log" "s3bench" {
  source "aws_s3_bucket" {
    connection = connection.aws.bench
    bucket     = %q
  }
}
`

// timedCollect runs tpserver collect and checks it collected events rows.
func timedCollect(bin, cfgDir, dataDir string, events int) (measured, error) {
	m, err := runMeasured(exec.Command(bin, "collect", "--config-path", cfgDir, "--data-dir", dataDir,
		"--from", "2000-01-01", "--progress=false"))
	if err != nil {
		return m, err
	}
	out, err := exec.Command(bin, "query", "--config-path", cfgDir, "--data-dir", dataDir, "-o", "csv",
		"select count(*) from aws_cloudtrail_log").Output()
	if err != nil {
		return m, fmt.Errorf("count the collected rows: %w", err)
	}
	if got := lastLines(strings.TrimSpace(string(out)), 1); got != strconv.Itoa(events) {
		return m, fmt.Errorf("collected %s rows, want %d", got, events)
	}
	return m, nil
}

// generatedObjects describes the objects of the S3 section.
type generatedObjects struct {
	files, events int
	bytes         int64
}

// generateObjects writes at least n CloudTrail files under dir with
// collector/demo, a day at a time going back from genEnd, seeded per day.
func generateObjects(dir string, n int) (generatedObjects, error) {
	var g generatedObjects
	end := genEnd()
	for day := 0; g.files < n; day++ {
		sum, err := demo.Generate(dir, demo.Options{End: end.AddDate(0, 0, -day), Days: 1, Seed: demo.DefaultSeed + int64(day)})
		if err != nil {
			return g, fmt.Errorf("generate S3 objects: %w", err)
		}
		g.files += sum.Files
		g.events += sum.Events
	}
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			g.bytes += info.Size()
		}
		return err
	})
	if err != nil {
		return g, fmt.Errorf("generate S3 objects: %w", err)
	}
	return g, nil
}

// startVersity starts versitygw serving root (one directory per bucket)
// on a free port of 127.0.0.1 and returns its endpoint.
func startVersity(bin, root string) (string, func(), error) {
	port, err := testsupport.FreePort()
	if err != nil {
		return "", nil, fmt.Errorf("free port: %w", err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := testsupport.StartProcess(exec.Command(bin, "--access", s3Access, "--secret", s3Secret, "--port", addr, "--quiet", "posix", root))
	if err != nil {
		return "", nil, fmt.Errorf("start versitygw: %w", err)
	}
	if err := p.WaitListening(port, time.Minute); err != nil {
		p.Stop()
		return "", nil, fmt.Errorf("versitygw: %w\n%s", err, lastLines(p.Logs.String(), 20))
	}
	return "http://" + addr, p.Stop, nil
}

// s3DownloadMain is the download-only baseline: args are the endpoint, the
// bucket and the object count and bytes to expect. It lists the bucket and
// downloads every object, s3Downloads at a time, discarding the bodies.
func s3DownloadMain(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: %s <endpoint> <bucket> <objects> <bytes>", s3DownloadCmd)
	}
	ctx := context.Background()
	client, err := benchS3Client(ctx, args[0])
	if err != nil {
		return err
	}
	var keys []string
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(args[1])})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list %s: %w", args[1], err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	var total atomic.Int64
	var firstErr error
	var errOnce sync.Once
	next := make(chan string)
	var wg sync.WaitGroup
	for range s3Downloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				n, err := downloadObject(ctx, client, args[1], k)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
				}
				total.Add(n)
			}
		}()
	}
	for _, k := range keys {
		next <- k
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if strconv.Itoa(len(keys)) != args[2] || strconv.FormatInt(total.Load(), 10) != args[3] {
		return fmt.Errorf("downloaded %d objects, %d bytes; want %s, %s", len(keys), total.Load(), args[2], args[3])
	}
	return nil
}

func downloadObject(ctx context.Context, client *s3.Client, bucket, key string) (int64, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", key, err)
	}
	defer out.Body.Close()
	n, err := io.Copy(io.Discard, out.Body)
	if err != nil {
		return n, fmt.Errorf("read %s: %w", key, err)
	}
	return n, nil
}

// benchS3Client is an S3 client set up as the collector's for an
// endpoint_url connection with static keys (collector/s3client.go): the
// same HTTP transport limits and checksum settings.
func benchS3Client(ctx context.Context, endpoint string) (*s3.Client, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx,
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(s3Access, s3Secret, "")),
		awsconfig.WithRegion("us-east-1"),
		awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns = 256
			t.MaxIdleConnsPerHost = 64
			t.ResponseHeaderTimeout = 2 * time.Minute
		})),
		awsconfig.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		awsconfig.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	}), nil
}
