package testsupport

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// recordingTB records how a helper ended the test instead of ending it.
type recordingTB struct {
	testing.TB
	skipped, failed, logged string
}

func (r *recordingTB) Helper()                   {}
func (r *recordingTB) Skip(args ...any)          { r.skipped = fmt.Sprint(args...) }
func (r *recordingTB) Fatal(args ...any)         { r.failed = fmt.Sprint(args...) }
func (r *recordingTB) Log(args ...any)           { r.logged = fmt.Sprint(args...) }
func (r *recordingTB) Skipf(f string, a ...any)  { r.skipped = fmt.Sprintf(f, a...) }
func (r *recordingTB) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }

func TestMissingSkipsOrFailsWhenStrict(t *testing.T) {
	t.Setenv(StrictEnv, "")
	r := &recordingTB{TB: t}
	Missing(r, "frobnicator", "apt-get install frob")
	if r.failed != "" || !strings.Contains(r.skipped, "frobnicator") || !strings.Contains(r.skipped, "apt-get install frob") {
		t.Fatalf("not strict: skipped %q, failed %q", r.skipped, r.failed)
	}
	t.Setenv(StrictEnv, "1")
	r = &recordingTB{TB: t}
	Missing(r, "frobnicator", "apt-get install frob")
	if r.skipped != "" || !strings.Contains(r.failed, "apt-get install frob") {
		t.Fatalf("strict: skipped %q, failed %q", r.skipped, r.failed)
	}
}

func TestLeftOutLogsOrFailsWhenStrict(t *testing.T) {
	t.Setenv(StrictEnv, "")
	r := &recordingTB{TB: t}
	LeftOut(r, "frobnicator", "apt-get install frob", "its checks")
	if r.failed != "" || r.skipped != "" || !strings.Contains(r.logged, "so its checks are left out") || !strings.Contains(r.logged, "apt-get install frob") {
		t.Fatalf("not strict: logged %q, skipped %q, failed %q", r.logged, r.skipped, r.failed)
	}
	t.Setenv(StrictEnv, "1")
	r = &recordingTB{TB: t}
	LeftOut(r, "frobnicator", "apt-get install frob", "its checks")
	if r.logged != "" || !strings.Contains(r.failed, "apt-get install frob") {
		t.Fatalf("strict: logged %q, failed %q", r.logged, r.failed)
	}
}

func TestToolFindsOrReportsMissing(t *testing.T) {
	t.Setenv(StrictEnv, "")
	r := &recordingTB{TB: t}
	if p := Tool(r, "go", "see go.dev"); p == "" || r.skipped != "" {
		t.Fatalf("go: path %q, skipped %q", p, r.skipped)
	}
	r = &recordingTB{TB: t}
	Tool(r, "no-such-tool-tpserver", "nothing to install")
	if !strings.Contains(r.skipped, "no-such-tool-tpserver is not available; install it with: nothing to install") {
		t.Fatalf("skipped %q", r.skipped)
	}
}

func TestSyncBufferConcurrentWriters(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				fmt.Fprint(&b, "x")
			}
		}()
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("x", 800) {
		t.Fatalf("got %d bytes, want 800", len(got))
	}
}

func TestFreePortCanBeListenedOn(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("port %d is not free: %v", port, err)
	}
	ln.Close()
}

func TestModuleRootAndSharedPath(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(data), "module github.com/tpserver/tpserver") {
		t.Fatalf("%s is not the module root: %v", root, err)
	}
	p, err := SharedPath("testdata", "cloudtrail")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(root), "shared", "testdata", "cloudtrail"); p != want {
		t.Fatalf("SharedPath = %s, want %s", p, want)
	}
}

func TestCloudTrailSamplesFromEnv(t *testing.T) {
	dir := t.TempDir()
	samples := filepath.Join(dir, "cloudtrail")
	if err := os.MkdirAll(samples, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(samples, "FILES.csv"), []byte("path\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{dir, samples} {
		t.Setenv(SharedTestdataEnv, env)
		if got := CloudTrailSamples(t); got != samples {
			t.Fatalf("%s=%s: got %s, want %s", SharedTestdataEnv, env, got, samples)
		}
	}
	t.Setenv(SharedTestdataEnv, t.TempDir())
	r := &recordingTB{TB: t}
	CloudTrailSamples(r)
	if !strings.Contains(r.failed, "no FILES.csv") {
		t.Fatalf("empty folder: failed %q", r.failed)
	}
}

func TestProcessLogsAndStop(t *testing.T) {
	sh := Tool(t, "sh", "apt-get install dash")
	p, err := StartProcess(exec.Command(sh, "-c", "echo started; echo oops >&2; sleep 60"))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.Logs.String(), "oops") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitListening(port, 200*time.Millisecond); err == nil {
		t.Fatal("WaitListening succeeded on a port nothing listens on")
	}
	p.Stop()
	p.Stop()
	select {
	case <-p.Exited:
	default:
		t.Fatal("Stop returned before the process exited")
	}
	if got := p.Logs.String(); got != "started\noops\n" {
		t.Fatalf("logs %q", got)
	}
	if err := p.WaitListening(port, time.Second); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("WaitListening after exit: %v", err)
	}
}

func TestBinaryFromEnv(t *testing.T) {
	t.Setenv(BinaryEnv, "/opt/prebuilt/tpserver")
	var b Binary
	p, err := b.Path()
	if err != nil || p != "/opt/prebuilt/tpserver" {
		t.Fatalf("Path = %q, %v", p, err)
	}
	b.Remove() // never deletes a prebuilt binary
}

func TestBinaryBuildsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tpserver binary")
	}
	t.Setenv(BinaryEnv, "")
	var b Binary
	defer b.Remove()
	p, err := b.Path()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.Path()
	if again != p {
		t.Fatalf("second Path %q, first %q", again, p)
	}
	out, err := exec.Command(p, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "serve") {
		t.Fatalf("%s --help: %v\n%s", p, err, out)
	}
	b.Remove()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("binary still there after Remove: %v", err)
	}
}

func TestPostgres(t *testing.T) {
	pg := RequirePostgres(t, "someone", "somedb")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatalf("%v; log:\n%s", err, pg.Logs.String())
	}
	defer conn.Close(ctx)
	var version, who, db, tz string
	if err := conn.QueryRow(ctx, "select current_setting('server_version_num'), current_user, current_database(), current_setting('TimeZone')").Scan(&version, &who, &db, &tz); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "15") || who != "someone" || db != "somedb" || tz != "UTC" {
		t.Fatalf("server %s, user %s, database %s, TimeZone %s", version, who, db, tz)
	}
	pg.Stop()
	if _, err := os.Stat(pg.root); !os.IsNotExist(err) {
		t.Fatalf("cluster directory still there after Stop: %v", err)
	}
}
