package clienttest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

func TestPsql(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		testsupport.Missing(t, "psql", "apt-get install -y postgresql-client")
	}
	runMatrix(t, "psql", runPsql)
}

func runPsql(t *testing.T, tg target) (*result, error) {
	r := newResult("psql")
	r.textKeys = true
	psql := func(stdin string, args ...string) (string, string, error) {
		cmd := exec.Command("psql", append([]string{"-X", "-q", "-P", "null=" + nullText}, args...)...)
		cmd.Env = tg.env()
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), strings.TrimSpace(errb.String()), err
	}

	// Types as text, unaligned.
	out, stderr, err := psql("", "-A", "-t", "-F", "|", "-c", "select * from alltypes order by id")
	if err != nil {
		r.fail("alltypes", "psql: %v: %s", err, stderr)
	} else {
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			f := strings.Split(line, "|")
			if len(f) != len(allCols) {
				r.fail("alltypes_shape", "line %q has %d fields, want %d", line, len(f), len(allCols))
				continue
			}
			for i, c := range allCols {
				r.set("alltypes/"+c+"/"+f[0], f[i])
			}
		}
	}

	// Expanded output keeps column names and values.
	out, stderr, err = psql("", "-c", `\x on`, "-c", "select * from alltypes where id in (1, 2) order by id")
	r.set("expanded/rows", out+stderr)

	// \copy to a file, CSV with header.
	dir, err := os.MkdirTemp("", "clienttest-psql-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "out.csv")
	_, stderr, err = psql("", "-v", "ON_ERROR_STOP=1", "-c",
		`\copy (select id, s, blob, ai, av, j, st from alltypes order by id) to '`+file+`' csv header`)
	content, _ := os.ReadFile(file)
	r.ok("copy_csv", err == nil && len(content) > 0, "\\copy: err=%v stderr=%q, %d bytes written", err, stderr, len(content))
	r.set("copy/csv", string(content))

	// An error mid-script with ON_ERROR_STOP off leaves the session usable.
	out, stderr, err = psql("select 1 as a;\nselect * from no_such_table;\nselect 2 as b;\n",
		"-A", "-t", "-v", "ON_ERROR_STOP=0", "-v", "VERBOSITY=verbose")
	r.ok("error_mid_script", err == nil && out == "1\n2\n" && strings.Contains(stderr, "42P01"),
		"err=%v stdout=%q stderr=%q", err, out, stderr)

	// 10,000 rows, plain and through FETCH_COUNT (a cursor in a transaction).
	for _, v := range []struct{ name, fetch string }{{"tenk", "0"}, {"tenk_fetch_count", "1000"}} {
		out, stderr, err = psql("", "-A", "-t", "-v", "FETCH_COUNT="+v.fetch, "-c", "select i from tenk order by i")
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		r.ok(v.name, err == nil && len(lines) == 10000 && lines[9999] == "9999",
			"err=%v rows=%d last=%q stderr=%q", err, len(lines), lines[len(lines)-1], stderr)
	}

	if tg.name == "tpserver" {
		out, stderr, err = psql("", "-A", "-t", "-c", "select * from aws_cloudtrail_log order by tp_id limit 50")
		n := strings.Count(out, "\n")
		r.ok("cloudtrail50", err == nil && n >= 50, "err=%v lines=%d stderr=%q", err, n, stderr)
	}

	// Ctrl-C cancels the running query.
	cmd := exec.Command("psql", "-X", "-v", "VERBOSITY=verbose", "-c", "select c from slow")
	cmd.Env = tg.env()
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(500 * time.Millisecond)
	_ = cmd.Process.Signal(os.Interrupt)
	start := time.Now()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		err = <-done
	}
	elapsed := time.Since(start)
	r.ok("cancel_stops", elapsed < time.Second, "psql exited %v after SIGINT: %v", elapsed.Round(time.Millisecond), err)
	r.ok("cancel_sqlstate", strings.Contains(e.String(), "57014"), "stderr=%q", strings.TrimSpace(e.String()))
	return r, nil
}
