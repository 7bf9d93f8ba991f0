package clienttest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// BenchmarkIntrospect times how real clients introspect aws_cloudtrail_log:
// psql \d and \d+, pgjdbc getColumns and the SQLAlchemy Inspector's
// get_columns. Each runs against tpserver and, as the baseline, against
// PostgreSQL 15 on a table with the same columns in the same run. Every
// sub-benchmark reports tp-ms/op and pg-ms/op (one introspection, client
// start-up excluded) and ratio (tp/pg); the driver programs add the first
// call on a fresh connection (tp-cold-ms, pg-cold-ms), psql a whole
// psql -c run (tp-proc-ms, pg-proc-ms) and the count it timed (tp-repeat,
// pg-repeat).
//
//	go test ./clienttest -run XXX -bench Introspect -benchtime 1x -v
func BenchmarkIntrospect(b *testing.B) {
	fx := setup(b)
	if fx.pgErr != nil {
		testsupport.Missing(b, fmt.Sprintf("PostgreSQL 15, the baseline (%v)", fx.pgErr), "apt-get install -y postgresql")
	}
	tbl, cols := mdExpected(b)
	if err := load(fx.pg, mdPGDDL(tbl, cols)); err != nil {
		b.Fatalf("create %s in PostgreSQL: %v", tbl.Name, err)
	}
	for _, cmd := range []struct{ name, meta string }{{"psql_d", `\d`}, {"psql_d_plus", `\d+`}} {
		b.Run(cmd.name, func(b *testing.B) {
			if _, err := exec.LookPath("psql"); err != nil {
				testsupport.Missing(b, "psql", "apt-get install -y postgresql-client")
			}
			benchBoth(b, fx, func(b *testing.B, tg target) (float64, map[string]float64) {
				return benchPsql(b, tg, cmd.meta+" "+tbl.Name, len(cols))
			})
		})
	}
	b.Run("pgjdbc_getColumns", func(b *testing.B) {
		dir := mdCompileJava(b)
		benchBoth(b, fx, func(b *testing.B, tg target) (float64, map[string]float64) {
			return benchClient(b, tg, "bench/getColumns", len(cols),
				"java", "-cp", dir+string(os.PathListSeparator)+jdbcJar, "Metadata")
		})
	})
	b.Run("sqlalchemy_get_columns", func(b *testing.B) {
		if err := exec.Command(debianPython, "-c", "import sqlalchemy, psycopg2").Run(); err != nil {
			testsupport.Missing(b, "SQLAlchemy and psycopg2 for "+debianPython, "apt-get install -y python3-sqlalchemy python3-psycopg2")
		}
		benchBoth(b, fx, func(b *testing.B, tg target) (float64, map[string]float64) {
			return benchClient(b, tg, "bench/get_columns", len(cols),
				debianPython, filepath.Join("python", "inspect_client.py"))
		})
	})
}

// benchRepeat is how many calls the client programs time per target.
const benchRepeat = 20

// benchMeasure times one introspection against tg and returns its
// milliseconds, and extra metrics keyed by unit suffix.
type benchMeasure func(b *testing.B, tg target) (float64, map[string]float64)

// benchBoth measures tpserver and PostgreSQL once per iteration and reports
// the means, tpserver's prefixed tp-, PostgreSQL's pg-, and their ratio.
func benchBoth(b *testing.B, fx *fixture, measure benchMeasure) {
	var tp, pg float64
	extra := map[string]float64{}
	n := 0
	for b.Loop() {
		ms, ex := measure(b, fx.tp)
		tp += ms
		for k, v := range ex {
			extra["tp-"+k] += v
		}
		ms, ex = measure(b, fx.pg)
		pg += ms
		for k, v := range ex {
			extra["pg-"+k] += v
		}
		n++
	}
	tp, pg = tp/float64(n), pg/float64(n)
	b.ReportMetric(tp, "tp-ms/op")
	b.ReportMetric(pg, "pg-ms/op")
	b.ReportMetric(tp/pg, "ratio")
	keys := make([]string, 0, len(extra))
	for k, v := range extra {
		b.ReportMetric(v/float64(n), k)
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := fmt.Sprintf("tpserver %.2f ms, postgres %.2f ms, ratio %.2f", tp, pg, tp/pg)
	for _, k := range keys {
		msg += fmt.Sprintf(", %s %.2f", k, extra[k]/float64(n))
	}
	b.Log(msg)
}

// benchPsql times meta-command cmd in psql: one process runs it N times,
// another once, so (T_N - T_1)/(N - 1) is one describe without psql's
// start-up and connection. N is chosen per target so that the N describes
// take about psqlBudget, well above the start-up's jitter; T_1 and T_N are
// each the fastest of a few runs, as background load only ever adds time.
// It also returns T_1 as "proc-ms", a whole psql -c run. The output is
// checked once to show exactly cols columns.
func benchPsql(b *testing.B, tg target, cmd string, cols int) (float64, map[string]float64) {
	out, stderr, err := runProgram(b, tg, time.Minute, "psql", "-X", "-c", cmd)
	if err != nil || stderr != "" {
		b.Fatalf("%s: psql %s: err=%v stderr=%q", tg.name, cmd, err, stderr)
	}
	if _, rows := mdTable(out); len(rows) != cols {
		b.Fatalf("%s: psql %s shows %d columns, want %d:\n%s", tg.name, cmd, len(rows), cols, out)
	}
	dir := b.TempDir()
	run := func(n int) float64 {
		script := filepath.Join(dir, fmt.Sprintf("%d.sql", n))
		if _, err := os.Stat(script); err != nil {
			if err := os.WriteFile(script, []byte(strings.Repeat(cmd+"\n", n)), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		return benchPsqlFile(b, tg, script)
	}
	t1 := run(1)
	for range 4 {
		t1 = min(t1, run(1))
	}
	// Calibrate: grow the count until the describes clearly outweigh
	// start-up, then scale it to the budget.
	k, dk := 4, 0.0
	for {
		dk = run(k) - t1
		if dk >= psqlBudget/4 || k >= 4096 {
			break
		}
		k *= 4
	}
	n := 1 + int(psqlBudget*float64(k-1)/max(dk, 1))
	n = min(max(n, 5), 5000)
	tn := run(n)
	for range 2 {
		tn = min(tn, run(n))
	}
	return (tn - t1) / float64(n-1), map[string]float64{"proc-ms": t1, "repeat": float64(n)}
}

// psqlBudget is the milliseconds of describes one timed psql run holds.
const psqlBudget = 1000.0

// benchPsqlFile runs psql -f script with output discarded and returns its
// wall time in milliseconds.
func benchPsqlFile(b *testing.B, tg target, script string) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", os.DevNull, "-f", script)
	c.Env = tg.env()
	var errb bytes.Buffer
	c.Stderr = &errb
	start := time.Now()
	err := c.Run()
	elapsed := time.Since(start)
	if err != nil || errb.Len() > 0 {
		b.Fatalf("%s: psql -f %s: err=%v stderr=%q", tg.name, filepath.Base(script), err, strings.TrimSpace(errb.String()))
	}
	return float64(elapsed) / float64(time.Millisecond)
}

// benchClient runs a DATA-printing client program in its benchmark mode
// (CT_BENCH_REPEAT) and returns <prefix>/median_ms, with <prefix>/cold_ms as
// "cold-ms". The program must have seen cols columns.
func benchClient(b *testing.B, tg target, prefix string, cols int, name string, args ...string) (float64, map[string]float64) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, name, args...)
	c.Env = append(tg.env(), "CT_BENCH_REPEAT="+strconv.Itoa(benchRepeat))
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		b.Fatalf("%s: %s: %v\nstderr: %s\nstdout:\n%s", tg.name, name, err, errb.String(), out.String())
	}
	if s := strings.TrimSpace(errb.String()); s != "" {
		b.Logf("%s: %s stderr: %s", tg.name, filepath.Base(name), s)
	}
	d := parseResult(name, out.String()).data
	for k, v := range d {
		if strings.HasSuffix(k, "/error") {
			b.Fatalf("%s: %s %s: %s", tg.name, filepath.Base(name), k, v)
		}
	}
	if d[prefix+"/rows"] != strconv.Itoa(cols) {
		b.Fatalf("%s: %s saw %q columns, want %d\n%s", tg.name, filepath.Base(name), d[prefix+"/rows"], cols, out.String())
	}
	num := func(k string) float64 {
		v, err := strconv.ParseFloat(d[prefix+"/"+k], 64)
		if err != nil {
			b.Fatalf("%s: %s: no %s/%s in output:\n%s", tg.name, filepath.Base(name), prefix, k, out.String())
		}
		return v
	}
	return num("median_ms"), map[string]float64{"cold-ms": num("cold_ms")}
}

// median returns the middle value of v (the mean of the two middle ones for
// an even count).
func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
