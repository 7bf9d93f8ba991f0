// Package demo generates a realistic, deterministic synthetic CloudTrail
// dataset for tpserver's built-in "demo" partition.
//
// The data describes a small organisation ("examplecorp") with three
// accounts, three regions, IAM users, roles, IAM Identity Center (SSO)
// sessions, CI automation and AWS services. On top of the routine activity a
// set of security scenarios is scripted (root logins, console logins without
// MFA, security groups opened to the world, public bucket policies, CloudTrail
// tampering, an attacker working at night from a suspicious IP, ...) so that
// the usual CloudTrail security questions and detections return rows.
//
// Files are written in the S3 delivery layout used by CloudTrail:
//
//	AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz
//
// Each file is a gzipped {"Records":[...]} document. Options.Scale models
// busy accounts for benchmarks: more machine activity, files every 5
// minutes.
package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultDays is the number of days generated when Options.Days is zero.
const DefaultDays = 21

// DefaultSeed is the seed used when Options.Seed is zero.
const DefaultSeed int64 = 0x7470_6465_6d6f // "tpdemo"

// SuspiciousIP is the source IP of the attacker in the
// off_hours_suspicious_ip scenario. No other event uses it.
const SuspiciousIP = "203.0.113.66"

// Account IDs of the demo organisation.
const (
	AccountProd     = "111122223333"
	AccountDev      = "444455556666"
	AccountSecurity = "777788889999"
)

// Scenario names used as keys of Summary.Scenarios. Every generated event
// belongs to exactly one scenario. When an event would fit several, the first
// one in the order of Scenarios wins (e.g. an AccessDenied call made by the
// attacker counts as off_hours_suspicious_ip, a DeleteTrail as
// cloudtrail_tampering, not as deletions).
const (
	// ScenarioRootConsoleLogin: signin ConsoleLogin with userIdentity.type Root.
	ScenarioRootConsoleLogin = "root_console_login"
	// ScenarioRootAPICall: any other call made by the root user.
	ScenarioRootAPICall = "root_api_call"
	// ScenarioOffHoursSuspiciousIP: everything from SuspiciousIP; all of it at
	// night (hour < 6 or >= 21 UTC) or on a weekend.
	ScenarioOffHoursSuspiciousIP = "off_hours_suspicious_ip"
	// ScenarioConsoleLoginFailed: ConsoleLogin with responseElements.ConsoleLogin
	// "Failure" and errorMessage "Failed authentication" (no errorCode, like
	// real CloudTrail).
	ScenarioConsoleLoginFailed = "console_login_failed"
	// ScenarioConsoleLoginMFA: successful IAM user ConsoleLogin with MFAUsed "Yes".
	ScenarioConsoleLoginMFA = "console_login_mfa"
	// ScenarioConsoleLoginNoMFA: successful IAM user ConsoleLogin with MFAUsed "No".
	ScenarioConsoleLoginNoMFA = "console_login_no_mfa"
	// ScenarioAccessDenied: any other event with an errorCode (AccessDenied,
	// Client.UnauthorizedOperation, NoSuchEntityException, ...).
	ScenarioAccessDenied = "access_denied"
	// ScenarioCloudTrailTampering: cloudtrail StopLogging, UpdateTrail,
	// DeleteTrail and PutEventSelectors.
	ScenarioCloudTrailTampering = "cloudtrail_tampering"
	// ScenarioDeletions: Delete* calls across services and kms ScheduleKeyDeletion.
	ScenarioDeletions = "deletions"
	// ScenarioSGOpenToWorld: ec2 AuthorizeSecurityGroupIngress with a
	// cidrIp 0.0.0.0/0 (or cidrIpv6 ::/0) range.
	ScenarioSGOpenToWorld = "sg_open_to_world"
	// ScenarioSGChange: other non-read-only ec2 *SecurityGroup* calls.
	ScenarioSGChange = "sg_change"
	// ScenarioPublicAccessBlockDisabled: s3 PutBucketPublicAccessBlock with at
	// least one flag false.
	ScenarioPublicAccessBlockDisabled = "public_access_block_disabled"
	// ScenarioBucketPolicyChange: s3 PutBucketPolicy (some with Principal "*").
	ScenarioBucketPolicyChange = "bucket_policy_change"
	// ScenarioPublicResource: EBS snapshot or AMI shared with group "all",
	// bucket ACL granted to AllUsers, instance launched with a public IP.
	ScenarioPublicResource = "public_resource"
	// ScenarioIAMPolicyChange: other iam write calls (AttachUserPolicy,
	// PutRolePolicy, CreatePolicy, CreateUser, CreateAccessKey,
	// DeactivateMFADevice, ...), including AdministratorAccess attachments.
	ScenarioIAMPolicyChange = "iam_policy_change"
	// ScenarioAssumeRole: successful sts AssumeRole.
	ScenarioAssumeRole = "assume_role"
	// ScenarioBackground: routine activity (mostly read-only noise).
	ScenarioBackground = "background"
)

// Scenarios returns all scenario names in precedence order.
func Scenarios() []string {
	return []string{
		ScenarioRootConsoleLogin,
		ScenarioRootAPICall,
		ScenarioOffHoursSuspiciousIP,
		ScenarioConsoleLoginFailed,
		ScenarioConsoleLoginMFA,
		ScenarioConsoleLoginNoMFA,
		ScenarioAccessDenied,
		ScenarioCloudTrailTampering,
		ScenarioDeletions,
		ScenarioSGOpenToWorld,
		ScenarioSGChange,
		ScenarioPublicAccessBlockDisabled,
		ScenarioBucketPolicyChange,
		ScenarioPublicResource,
		ScenarioIAMPolicyChange,
		ScenarioAssumeRole,
		ScenarioBackground,
	}
}

// Options for Generate.
type Options struct {
	// End is the last day covered (converted to UTC and truncated to the
	// day); the data covers Days whole days ending at the end of that day.
	// It is required.
	End time.Time
	// Days is the number of days covered; DefaultDays when zero.
	Days int
	// Seed seeds the generator; DefaultSeed when zero.
	Seed int64
	// Scale multiplies the hourly machine activity (service calls, KMS,
	// Config, application roles) of every account and region, modelling
	// busy accounts; with Scale > 1 files are delivered every 5 minutes, as
	// CloudTrail does for busy trails, instead of every 15. Zero or one
	// gives the demo data set (about 4,500 events a day, 10 per file); 60
	// gives about 150,000 events a day, 55-60 per file.
	Scale int
}

// Summary describes a generated dataset.
type Summary struct {
	// Files is the number of log files written.
	Files int
	// Events is the total number of CloudTrail records.
	Events int
	// Scenarios maps every name returned by Scenarios to its number of
	// events; the counts add up to Events.
	Scenarios map[string]int
}

// Range returns the covered interval [from, to) for the options: from is
// midnight UTC Days-1 days before End's day, to is midnight after End's day.
func (o Options) Range() (from, to time.Time) {
	o = o.withDefaults()
	e := o.End.UTC()
	to = time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return to.AddDate(0, 0, -o.Days), to
}

func (o Options) withDefaults() Options {
	if o.Days == 0 {
		o.Days = DefaultDays
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	return o
}

// Generate writes gzipped CloudTrail log files into dir in the S3 delivery
// layout, each containing {"Records":[...]} like real CloudTrail. It is
// deterministic: the same Options give byte-identical files. Each file is
// written aside (<name>.tmp) and renamed into place; existing files with the
// same names are replaced, other files in dir are left alone.
func Generate(dir string, opt Options) (Summary, error) {
	if opt.End.IsZero() {
		return Summary{}, errors.New("demo: Options.End is required")
	}
	if opt.Days < 0 || opt.Days > 3660 {
		return Summary{}, fmt.Errorf("demo: Options.Days %d out of range 1..3660", opt.Days)
	}
	opt = opt.withDefaults()
	from, to := opt.Range()

	g := newGenerator(opt.Seed, from, opt.Days, opt.Scale)
	g.run()
	if err := g.check(from, to); err != nil {
		return Summary{}, err
	}
	files := g.files()

	sum := Summary{Files: len(files), Events: len(g.evs), Scenarios: make(map[string]int)}
	for _, s := range Scenarios() {
		sum.Scenarios[s] = 0
	}
	for i := range g.evs {
		sum.Scenarios[g.evs[i].scn]++
	}
	if err := writeFiles(dir, files); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// logFile is one CloudTrail delivery file.
type logFile struct {
	rel  string // slash-separated path relative to the output dir
	recs []*record
}

func writeFiles(dir string, files []logFile) error {
	dirs := make(map[string]bool)
	for _, f := range files {
		d := filepath.Join(dir, filepath.FromSlash(f.rel[:lastSlash(f.rel)]))
		if dirs[d] {
			continue
		}
		dirs[d] = true
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("demo: create directory: %w", err)
		}
	}

	workers := 16 // file creation is latency-bound, so more workers than CPUs help
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var raw, gz bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
			for i := range jobs {
				f := files[i]
				if err := encodeFile(&raw, &gz, zw, f.recs); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("demo: encode %s: %w", f.rel, err)
					}
					mu.Unlock()
					continue
				}
				if err := writeAtomic(filepath.Join(dir, filepath.FromSlash(f.rel)), gz.Bytes()); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range files {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return 0
}

// encodeFile renders recs as a gzipped {"Records":[...]} document into gz.
func encodeFile(raw, gz *bytes.Buffer, zw *gzip.Writer, recs []*record) error {
	raw.Reset()
	raw.WriteString(`{"Records":[`)
	enc := json.NewEncoder(raw)
	enc.SetEscapeHTML(false)
	for i, r := range recs {
		if i > 0 {
			raw.WriteByte(',')
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
		raw.Truncate(raw.Len() - 1) // drop the encoder's newline
	}
	raw.WriteString("]}\n")

	gz.Reset()
	zw.Reset(gz)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

// writeAtomic writes data to path.tmp and renames it to path.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("demo: write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("demo: rename %s: %w", tmp, err)
	}
	return nil
}
