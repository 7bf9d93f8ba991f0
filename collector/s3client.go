package collector

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/config"
)

// AWS connection defaults, as in Tailpipe's AWS plugin.
const (
	defaultRetryAttempts = 9
	defaultMinRetryDelay = 25 * time.Millisecond
	maxRetryDelay        = 5 * time.Minute
	defaultS3Region      = "us-east-1"
)

// s3Options tune an S3 source; tests carry them in the context given to
// newS3Source (see withS3Options). Zero fields mean the defaults.
type s3Options struct {
	// wrapTransport wraps the HTTP transport of the client, e.g. to count
	// or delay requests.
	wrapTransport func(http.RoundTripper) http.RoundTripper
	// downloads is the source's Concurrency (default s3Downloads).
	downloads int
	// lists is how many LIST calls run at once (default s3Lists).
	lists int
}

type s3OptionsKey struct{}

// withS3Options returns a context whose S3 sources use o.
func withS3Options(ctx context.Context, o s3Options) context.Context {
	return context.WithValue(ctx, s3OptionsKey{}, o)
}

func s3OptionsFrom(ctx context.Context) s3Options {
	o, _ := ctx.Value(s3OptionsKey{}).(s3Options)
	return o
}

// newS3Client builds an S3 client for bucket from an AWS connection:
// the SDK default chain, refined by profile, static keys, region,
// endpoint_url, s3_force_path_style and the retry settings. Without
// endpoint_url the bucket's region is discovered when it differs from the
// configured one.
func newS3Client(ctx context.Context, conn *config.Connection, bucket string, opt s3Options, log *zap.Logger) (*s3.Client, error) {
	name := conn.FullName()
	var lo []func(*awsconfig.LoadOptions) error
	if conn.Profile != "" {
		lo = append(lo, awsconfig.WithSharedConfigProfile(conn.Profile))
	}
	if conn.AccessKey != "" || conn.SecretKey != "" {
		if conn.AccessKey == "" || conn.SecretKey == "" {
			return nil, fmt.Errorf("connection %s: access_key and secret_key must be given together", name)
		}
		lo = append(lo, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(conn.AccessKey, conn.SecretKey, conn.SessionToken)))
	}
	if conn.Region != "" {
		lo = append(lo, awsconfig.WithRegion(conn.Region))
	}
	lo = append(lo, awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		// Room for the parallel downloads and listings on one host.
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 64
		t.ResponseHeaderTimeout = 2 * time.Minute
	})))
	if conn.EndpointURL != "" {
		// S3-compatible stores often lack the newer default checksums.
		lo = append(lo,
			awsconfig.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
			awsconfig.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return nil, fmt.Errorf("connection %s: load AWS configuration: %w", name, err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultS3Region
	}
	if opt.wrapTransport != nil {
		// After loading, so that settings such as AWS_CA_BUNDLE are in the
		// transport being wrapped.
		bc, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
		if !ok {
			return nil, fmt.Errorf("connection %s: unexpected HTTP client %T", name, cfg.HTTPClient)
		}
		cfg.HTTPClient = &http.Client{Transport: opt.wrapTransport(bc.GetTransport())}
	}
	attempts := conn.MaxErrorRetryAttempts
	if attempts <= 0 {
		attempts = cfg.RetryMaxAttempts // AWS_MAX_ATTEMPTS or shared config
	}
	if attempts <= 0 {
		attempts = defaultRetryAttempts
	}
	minDelay := time.Duration(conn.MinErrorRetryDelay) * time.Millisecond
	if minDelay <= 0 {
		minDelay = defaultMinRetryDelay
	}
	cfg.Retryer = func() aws.Retryer { return newRetryer(attempts, minDelay) }
	cfg.RetryMaxAttempts = 0 // the retryer above decides

	s3opts := func(o *s3.Options) {
		if conn.EndpointURL != "" {
			o.BaseEndpoint = aws.String(conn.EndpointURL)
		}
		o.UsePathStyle = conn.S3ForcePathStyle
	}
	client := s3.NewFromConfig(cfg, s3opts)
	if conn.EndpointURL != "" {
		return client, nil
	}
	region, err := manager.GetBucketRegion(ctx, client, bucket)
	if err != nil {
		var nf manager.BucketNotFound
		if errors.As(err, &nf) {
			return nil, fmt.Errorf("connection %s: bucket %q not found", name, bucket)
		}
		log.Warn("could not discover the bucket's region; using the configured one",
			zap.String("bucket", bucket), zap.String("region", cfg.Region), zap.Error(err))
		return client, nil
	}
	if region != "" && region != cfg.Region {
		log.Info("bucket is in another region", zap.String("bucket", bucket),
			zap.String("configured", cfg.Region), zap.String("region", region))
		client = s3.NewFromConfig(cfg, s3opts, func(o *s3.Options) { o.Region = region })
	}
	return client, nil
}

// newRetryer is the SDK's standard retryer (throttling such as SlowDown,
// 5xx and connection errors are retried) with exponential backoff from
// minDelay and no client-side retry quota, so a burst of throttling does
// not exhaust the retry budget of parallel requests.
func newRetryer(attempts int, minDelay time.Duration) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.MaxBackoff = maxRetryDelay
		o.Backoff = expBackoff{min: minDelay, max: maxRetryDelay}
		o.RateLimiter = ratelimit.None
		o.Retryables = append(o.Retryables, retry.RetryableErrorCode{
			Codes: map[string]struct{}{"UnknownError": {}, "InternalError": {}},
		})
	})
}

// expBackoff doubles the delay from min for every attempt, up to max, with
// jitter in [d/2, d].
type expBackoff struct{ min, max time.Duration }

// BackoffDelay implements retry.BackoffDelayer.
func (b expBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	d := b.min
	for i := 1; i < attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1)), nil
}
