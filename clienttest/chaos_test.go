package clienttest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestChaosSessions ends client sessions in every abrupt way we know of, in
// random order and from several clients at once (raw protocol, pgx, psql,
// psycopg2, pgjdbc), while healthy sessions keep checking their answers.
// Afterwards, and every few rounds meanwhile, a fresh session must see the
// default settings, none of the objects the others left behind, and the
// exact row counts. The same rounds run against PostgreSQL 15, which shows
// that the checks are what PostgreSQL does.
//
// TPSERVER_CHAOS_ROUNDS (default 300) sets the number of rounds against
// tpserver, TPSERVER_CHAOS_SEED replays an order; for a long local run:
//
//	TPSERVER_CHAOS_ROUNDS=5000 go test ./clienttest -run TestChaosSessions -v
func TestChaosSessions(t *testing.T) {
	fx := setup(t)
	rounds := 300
	if v := os.Getenv("TPSERVER_CHAOS_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("TPSERVER_CHAOS_ROUNDS=%q: want a positive number", v)
		}
		rounds = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("TPSERVER_CHAOS_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("TPSERVER_CHAOS_SEED=%q: %v", v, err)
		}
		seed = n
	}
	t.Logf("seed %d (TPSERVER_CHAOS_SEED replays this order)", seed)
	kinds := chaosKinds(t)
	t.Run("tpserver", func(t *testing.T) {
		runChaos(t, fx.tp, kinds, rounds, seed)
		if logs := fx.tpLogs.String(); strings.Contains(logs, "panic") {
			t.Errorf("tpserver logged a panic:\n%s", logs)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		if fx.pgErr != nil {
			testsupport.Missing(t, "PostgreSQL 15 ("+fx.pgErr.Error()+")", "apt-get install -y postgresql")
		}
		runChaos(t, fx.pg, kinds, max(rounds/3, 40), seed)
	})
}

// chaosKind is one way for a session to end badly. run returns an error
// only when the session could not be brought into the state to leave.
type chaosKind struct {
	name   string
	weight int  // relative frequency in a run
	tpOnly bool // DuckDB-only syntax
	run    func(ctx context.Context, tg target, rng *rand.Rand) error
}

// chaosKinds lists every kind whose client is installed (in strict mode a
// missing client fails the test).
func chaosKinds(t *testing.T) []chaosKind {
	kinds := rawChaosKinds()
	if _, err := exec.LookPath("psql"); err != nil {
		testsupport.LeftOut(t, "psql", "apt-get install -y postgresql-client", "its kinds")
	} else {
		kinds = append(kinds, psqlChaosKinds()...)
	}
	if err := exec.Command(debianPython, "-c", "import psycopg2").Run(); err != nil {
		testsupport.LeftOut(t, "psycopg2 for "+debianPython, "apt-get install -y python3-psycopg2", "its kinds")
	} else {
		kinds = append(kinds, chaosKind{name: "psycopg2 sessions left behind", weight: 3, run: runPythonChaos})
	}
	if dir, err := compileChaosJava(); err != nil {
		testsupport.LeftOut(t, "pgjdbc ("+err.Error()+")", "apt-get install -y default-jdk-headless libpostgresql-jdbc-java", "its kinds")
	} else {
		kinds = append(kinds, chaosKind{name: "pgjdbc sessions left behind", weight: 1, run: func(ctx context.Context, tg target, rng *rand.Rand) error {
			return runJavaChaos(ctx, tg, rng, dir)
		}})
	}
	return kinds
}

// chaosState is what a fresh session must find; captured before the chaos.
type chaosState struct {
	settings   string // pg_settings, name=value lines
	searchPath string
	lakeRows   int64 // tpserver's aws_cloudtrail_log
}

func runChaos(t *testing.T, tg target, all []chaosKind, rounds int, seed uint64) {
	var kinds []chaosKind
	for _, k := range all {
		if !k.tpOnly || tg.name == "tpserver" {
			kinds = append(kinds, k)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	want, err := captureState(ctx, tg)
	if err != nil {
		t.Fatalf("state before the chaos: %v", err)
	}

	// Healthy sessions answer throughout.
	healthyCtx, stopHealthy := context.WithCancel(ctx)
	var healthy sync.WaitGroup
	var healthyChecks atomic.Int64
	healthyErrs := make(chan error, 100)
	for i, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec} {
		healthy.Add(1)
		go func() {
			defer healthy.Done()
			if err := healthySession(healthyCtx, tg, mode, want, &healthyChecks); err != nil {
				healthyErrs <- fmt.Errorf("healthy session %d (%v): %w", i, mode, err)
			}
		}()
	}

	// The deck: every kind once, then kinds drawn by weight, shuffled and
	// dealt to three workers.
	rng := rand.New(rand.NewPCG(seed, 1))
	var weighted []int
	for i, k := range kinds {
		for range k.weight {
			weighted = append(weighted, i)
		}
	}
	deck := make([]int, len(kinds), max(rounds, len(kinds)))
	for i := range kinds {
		deck[i] = i
	}
	for len(deck) < rounds {
		deck = append(deck, weighted[rng.IntN(len(weighted))])
	}
	rng.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
	rounds = len(deck)
	counts := make([]atomic.Int64, len(kinds))
	var next atomic.Int64
	var workers sync.WaitGroup
	setupErrs := make(chan error, rounds)
	var freshMu sync.Mutex
	var freshChecks int
	start := time.Now()
	for w := range 3 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			wrng := rand.New(rand.NewPCG(seed, uint64(w)+2))
			for {
				i := int(next.Add(1)) - 1
				if i >= len(deck) || ctx.Err() != nil {
					return
				}
				k := kinds[deck[i]]
				counts[deck[i]].Add(1)
				if err := k.run(ctx, tg, wrng); err != nil {
					setupErrs <- fmt.Errorf("%s round %d, %s: %w", tg.name, i, k.name, err)
				}
				if i%25 == 24 {
					freshMu.Lock()
					err := checkFreshSession(ctx, tg, want)
					freshChecks++
					freshMu.Unlock()
					if err != nil {
						setupErrs <- fmt.Errorf("%s: fresh session after round %d: %w", tg.name, i, err)
					}
				}
			}
		}()
	}
	workers.Wait()
	elapsed := time.Since(start)
	stopHealthy()
	healthy.Wait()
	close(healthyErrs)
	close(setupErrs)
	for err := range healthyErrs {
		t.Error(err)
	}
	n := 0
	for err := range setupErrs {
		if n++; n <= 20 {
			t.Error(err)
		}
	}
	if err := checkFreshSession(ctx, tg, want); err != nil {
		t.Errorf("fresh session after the chaos: %v", err)
	}
	var summary []string
	for i, k := range kinds {
		summary = append(summary, fmt.Sprintf("%s ×%d", k.name, counts[i].Load()))
	}
	t.Logf("%s: %d rounds of %d kinds in %v, %d healthy checks, %d fresh-session checks; %s",
		tg.name, rounds, len(kinds), elapsed.Round(time.Millisecond), healthyChecks.Load(), freshChecks+1, strings.Join(summary, ", "))
	if healthyChecks.Load() == 0 {
		t.Error("the healthy sessions checked nothing")
	}
}

func captureState(ctx context.Context, tg target) (*chaosState, error) {
	conn, err := pgx.Connect(ctx, tg.dsn())
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	st := &chaosState{}
	if st.settings, err = settingsText(ctx, conn); err != nil {
		return nil, err
	}
	if err := conn.QueryRow(ctx, "SHOW search_path").Scan(&st.searchPath); err != nil {
		return nil, err
	}
	if tg.name == "tpserver" {
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM aws_cloudtrail_log").Scan(&st.lakeRows); err != nil {
			return nil, err
		}
		if st.lakeRows == 0 {
			return nil, errors.New("aws_cloudtrail_log is empty: nothing to count")
		}
	}
	return st, nil
}

func settingsText(ctx context.Context, conn *pgx.Conn) (string, error) {
	rows, err := conn.Query(ctx, "SELECT name, setting FROM pg_settings ORDER BY name", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for rows.Next() {
		var name string
		var setting *string
		if err := rows.Scan(&name, &setting); err != nil {
			return "", err
		}
		v := "<NULL>"
		if setting != nil {
			v = *setting
		}
		b.WriteString(name + "=" + v + "\n")
	}
	return b.String(), rows.Err()
}

// healthySession runs the same checks on one connection until ctx ends.
func healthySession(ctx context.Context, tg target, mode pgx.QueryExecMode, want *chaosState, checks *atomic.Int64) error {
	cfg, err := pgx.ParseConfig(tg.dsn())
	if err != nil {
		return err
	}
	cfg.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	qctx := context.WithoutCancel(ctx) // a check is never cut short
	for i := 0; ctx.Err() == nil; i++ {
		var n int64
		if err := conn.QueryRow(qctx, "SELECT count(*) FROM tenk WHERE i >= $1", int64(i%100)).Scan(&n); err != nil || n != 10000-int64(i%100) {
			return fmt.Errorf("count: %d, %v", n, err)
		}
		var timeout, path string
		if err := conn.QueryRow(qctx, "SHOW statement_timeout").Scan(&timeout); err != nil || timeout != "0" {
			return fmt.Errorf("statement_timeout %q, %v", timeout, err)
		}
		if err := conn.QueryRow(qctx, "SHOW search_path").Scan(&path); err != nil || path != want.searchPath {
			return fmt.Errorf("search_path %q, %v", path, err)
		}
		tx, err := conn.Begin(qctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		var sum int64
		if err := tx.QueryRow(qctx, "SELECT $1::bigint + 1", int64(i)).Scan(&sum); err != nil || sum != int64(i)+1 {
			return fmt.Errorf("in a transaction: %d, %v", sum, err)
		}
		if err := tx.Commit(qctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		if want.lakeRows > 0 && i%5 == 0 {
			if err := conn.QueryRow(qctx, "SELECT count(*) FROM aws_cloudtrail_log").Scan(&n); err != nil || n != want.lakeRows {
				return fmt.Errorf("aws_cloudtrail_log count %d, want %d, %v", n, want.lakeRows, err)
			}
		}
		checks.Add(1)
	}
	return nil
}

// checkFreshSession opens a new session and checks it finds nothing that
// another session left behind.
func checkFreshSession(ctx context.Context, tg target, want *chaosState) error {
	conn, err := pgx.Connect(ctx, tg.dsn())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	if s := conn.PgConn().TxStatus(); s != 'I' {
		return fmt.Errorf("starts in transaction status %c", s)
	}
	got, err := settingsText(ctx, conn)
	if err != nil {
		return fmt.Errorf("pg_settings: %w", err)
	}
	if got != want.settings {
		return fmt.Errorf("settings differ from a fresh session's before the chaos:\n%s", lineDiff(want.settings, got))
	}
	simple := pgx.QueryExecModeSimpleProtocol
	for _, q := range []string{"BEGIN", "SELECT count(*) FROM tenk", "COMMIT"} {
		if _, err := conn.Exec(ctx, q, simple); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	// Objects other sessions made and never committed, or made for
	// themselves only, do not exist here.
	var tables int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'chaos%'").Scan(&tables); err != nil || tables != 0 {
		return fmt.Errorf("%d tables named chaos… in information_schema, %v", tables, err)
	}
	absent := map[string]string{
		"SELECT * FROM chaos_tmp_raw":  "42P01",
		"SELECT * FROM chaos_tmp_psql": "42P01",
		"SELECT * FROM chaos_tmp_py":   "42P01",
		"SELECT * FROM chaos_tmp_jdbc": "42P01",
		"EXECUTE chaos_p":              "",
		"FETCH 1 FROM chaos_cur":       "",
	}
	if tg.name == "tpserver" {
		absent["SELECT chaos_macro()"] = ""
	}
	for q, code := range absent {
		_, err := conn.Exec(ctx, q, simple)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || (code != "" && pe.Code != code) {
			return fmt.Errorf("%s in a fresh session: %v, want an error %s", q, err, code)
		}
	}
	if tg.name == "tpserver" {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM aws_cloudtrail_log").Scan(&n); err != nil || n != want.lakeRows {
			return fmt.Errorf("aws_cloudtrail_log count %d, want %d, %v", n, want.lakeRows, err)
		}
		var vars, order string
		if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM duckdb_variables() WHERE name LIKE 'chaos%')::text, "+
			"(SELECT lower(value) FROM duckdb_settings() WHERE name = 'default_order')", simple).Scan(&vars, &order); err != nil || vars != "0" || order != "ascending" {
			return fmt.Errorf("DuckDB variables %s, default_order %s, %v", vars, order, err)
		}
	}
	return nil
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for _, l := range w {
		if !slices.Contains(g, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// rawSession is one protocol connection driven message by message.
type rawSession struct {
	nc       net.Conn
	fe       *pgproto3.Frontend
	pid      uint32
	secret   []byte
	lastSent time.Time
}

func dialSession(ctx context.Context, tg target) (*rawSession, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", tg.port))
	if err != nil {
		return nil, err
	}
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	rs := &rawSession{nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	rs.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": dbUser, "database": dbName, "application_name": "chaos"}})
	if err := rs.fe.Flush(); err != nil {
		nc.Close()
		return nil, err
	}
	for {
		msg, err := rs.fe.Receive()
		if err != nil {
			nc.Close()
			return nil, fmt.Errorf("startup: %w", err)
		}
		switch m := msg.(type) {
		case *pgproto3.BackendKeyData:
			rs.pid, rs.secret = m.ProcessID, slices.Clone(m.SecretKey)
		case *pgproto3.ErrorResponse:
			nc.Close()
			return nil, fmt.Errorf("startup: %s %s", m.Code, m.Message)
		case *pgproto3.ReadyForQuery:
			return rs, nil
		}
	}
}

func (rs *rawSession) send(msgs ...pgproto3.FrontendMessage) error {
	for _, m := range msgs {
		rs.fe.Send(m)
	}
	return rs.fe.Flush()
}

// until reads up to a message of type T; an ErrorResponse on the way is
// returned when wantErr is false.
func until[T pgproto3.BackendMessage](rs *rawSession, wantErr bool) error {
	var sawErr *pgproto3.ErrorResponse
	for {
		msg, err := rs.fe.Receive()
		if err != nil {
			return err
		}
		if e, ok := msg.(*pgproto3.ErrorResponse); ok {
			sawErr = e
		}
		if _, ok := msg.(T); ok {
			if sawErr != nil && !wantErr {
				return fmt.Errorf("%s %s", sawErr.Code, sawErr.Message)
			}
			if sawErr == nil && wantErr {
				return errors.New("no error where one was expected")
			}
			return nil
		}
	}
}

// query runs a simple query to ReadyForQuery, which must have no error.
func (rs *rawSession) query(sql string) error {
	if err := rs.send(&pgproto3.Query{String: sql}); err != nil {
		return err
	}
	if err := until[*pgproto3.ReadyForQuery](rs, false); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// failingQuery runs a simple query that must fail.
func (rs *rawSession) failingQuery(sql string) error {
	if err := rs.send(&pgproto3.Query{String: sql}); err != nil {
		return err
	}
	return until[*pgproto3.ReadyForQuery](rs, true)
}

func (rs *rawSession) kill() { _ = rs.nc.Close() }

func (rs *rawSession) terminate() {
	_ = rs.send(&pgproto3.Terminate{})
	_ = rs.nc.Close()
}

// cancel sends a CancelRequest for rs and waits until the server has taken
// it (it closes the cancel connection).
func (rs *rawSession) cancel(tg target) error {
	nc, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", tg.port), 5*time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 16)
	binary.BigEndian.PutUint32(b[0:], 16)
	binary.BigEndian.PutUint32(b[4:], 80877102)
	binary.BigEndian.PutUint32(b[8:], rs.pid)
	copy(b[12:], rs.secret)
	if _, err := nc.Write(b); err != nil {
		return err
	}
	_, _ = nc.Read(make([]byte, 1)) // EOF once handled
	return nil
}

// leave is a raw kind: set up state with f, then end the session as end says.
func leave(name string, weight int, tpOnly bool, f func(rs *rawSession, rng *rand.Rand) error) chaosKind {
	return chaosKind{name: name, weight: weight, tpOnly: tpOnly, run: func(ctx context.Context, tg target, rng *rand.Rand) error {
		rs, err := dialSession(ctx, tg)
		if err != nil {
			return err
		}
		err = f(rs, rng)
		if rng.IntN(2) == 0 {
			rs.kill()
		} else {
			rs.terminate()
		}
		return err
	}}
}

const crossJoin = "SELECT a.i, b.i FROM tenk a, tenk b"

func rawChaosKinds() []chaosKind {
	return []chaosKind{
		leave("open transaction", 3, false, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("BEGIN; SELECT count(*) FROM tenk")
		}),
		leave("failed transaction", 3, false, func(rs *rawSession, _ *rand.Rand) error {
			if err := rs.query("BEGIN"); err != nil {
				return err
			}
			return rs.failingQuery("SELECT * FROM chaos_no_such_table")
		}),
		leave("uncommitted table", 2, false, func(rs *rawSession, rng *rand.Rand) error {
			// A name of its own: DuckDB fails a second concurrent CREATE of
			// one name (40001) where PostgreSQL makes it wait.
			name := fmt.Sprintf("chaos_uncommitted_%d", rng.Uint32())
			return rs.query("BEGIN; CREATE TABLE " + name + " (a integer); INSERT INTO " + name + " VALUES (1)")
		}),
		leave("temporary table", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("CREATE TEMP TABLE chaos_tmp_raw AS SELECT 1 AS a")
		}),
		leave("changed settings", 3, false, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("SET statement_timeout = '5s'; SET search_path TO pg_catalog; SET application_name = 'chaos-x'; " +
				"SET TimeZone = 'Asia/Tokyo'; SET extra_float_digits = 1; SET chaos.custom = 'x'")
		}),
		leave("SET LOCAL in an open transaction", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("BEGIN; SET LOCAL statement_timeout = '4s'; SET TimeZone = 'Europe/Paris'")
		}),
		leave("prepared statements", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			if err := rs.query("PREPARE chaos_p AS SELECT 1"); err != nil {
				return err
			}
			if err := rs.send(&pgproto3.Parse{Name: "chaos_s", Query: "SELECT i FROM tenk"}, &pgproto3.Sync{}); err != nil {
				return err
			}
			return until[*pgproto3.ReadyForQuery](rs, false)
		}),
		leave("open cursor", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("BEGIN; DECLARE chaos_cur CURSOR FOR " + crossJoin + "; FETCH 5 FROM chaos_cur")
		}),
		leave("suspended portal", 3, false, func(rs *rawSession, _ *rand.Rand) error {
			if err := rs.send(&pgproto3.Parse{Query: crossJoin}, &pgproto3.Bind{}, &pgproto3.Execute{MaxRows: 3}, &pgproto3.Flush{}); err != nil {
				return err
			}
			return until[*pgproto3.PortalSuspended](rs, false)
		}),
		leave("pipeline without Sync", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			var msgs []pgproto3.FrontendMessage
			for _, q := range []string{"BEGIN", "SELECT count(*) FROM tenk", crossJoin} {
				msgs = append(msgs, &pgproto3.Parse{Query: q}, &pgproto3.Bind{}, &pgproto3.Execute{})
			}
			return rs.send(append(msgs, &pgproto3.Flush{})...)
		}),
		leave("running query", 3, false, func(rs *rawSession, rng *rand.Rand) error {
			if err := rs.send(&pgproto3.Query{String: "SELECT * FROM slow"}); err != nil {
				return err
			}
			time.Sleep(time.Duration(rng.IntN(120)) * time.Millisecond)
			return nil
		}),
		leave("middle of COPY OUT", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			if err := rs.send(&pgproto3.Query{String: "COPY (" + crossJoin + ") TO STDOUT"}); err != nil {
				return err
			}
			return until[*pgproto3.CopyData](rs, false)
		}),
		leave("half a message", 2, false, func(rs *rawSession, rng *rand.Rand) error {
			full := (&pgproto3.Query{String: "SELECT count(*) FROM tenk"})
			b, err := full.Encode(nil)
			if err != nil {
				return err
			}
			_, err = rs.nc.Write(b[:1+rng.IntN(len(b)-1)])
			return err
		}),
		leave("error in the extended protocol", 2, false, func(rs *rawSession, _ *rand.Rand) error {
			if err := rs.send(&pgproto3.Parse{Query: "BEGIN"}, &pgproto3.Bind{}, &pgproto3.Execute{},
				&pgproto3.Parse{Query: "SELECT * FROM chaos_no_such_table"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}); err != nil {
				return err
			}
			return until[*pgproto3.ReadyForQuery](rs, true)
		}),
		leave("DuckDB variables, macros and settings", 2, true, func(rs *rawSession, _ *rand.Rand) error {
			return rs.query("SET VARIABLE chaos_var = 1; CREATE TEMP MACRO chaos_macro() AS 1; SET default_order = 'desc'")
		}),
		{name: "abandoned startup", weight: 2, run: func(ctx context.Context, tg target, rng *rand.Rand) error {
			nc, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", tg.port), 5*time.Second)
			if err != nil {
				return err
			}
			defer nc.Close()
			startup, err := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
				Parameters: map[string]string{"user": dbUser, "database": dbName}}).Encode(nil)
			if err != nil {
				return err
			}
			_, err = nc.Write(startup[:rng.IntN(len(startup))])
			return err
		}},
		{name: "cancel racing the end of a query", weight: 3, run: cancelRace},
		{name: "statement_timeout at the end of a query", weight: 2, run: timeoutEdge},
		{name: "pgx context cancel mid-query", weight: 2, run: pgxCancel},
	}
}

// cancelRace sends a CancelRequest at a random moment around the end of a
// short query; the query either completes correctly or is cancelled, and
// the session then answers the next query correctly.
func cancelRace(ctx context.Context, tg target, rng *rand.Rand) error {
	rs, err := dialSession(ctx, tg)
	if err != nil {
		return err
	}
	defer rs.terminate()
	for range 3 {
		if err := rs.send(&pgproto3.Query{String: "SELECT count(*) FROM tenk a, tenk b WHERE a.i < 20"}); err != nil {
			return err
		}
		time.Sleep(time.Duration(rng.IntN(4000)) * time.Microsecond)
		if err := rs.cancel(tg); err != nil {
			return err
		}
		var rows []string
		var code string
		for {
			msg, err := rs.fe.Receive()
			if err != nil {
				return err
			}
			switch m := msg.(type) {
			case *pgproto3.DataRow:
				rows = append(rows, string(m.Values[0]))
			case *pgproto3.ErrorResponse:
				code = m.Code
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
		if code != "" && code != "57014" {
			return fmt.Errorf("cancelled query failed with %s", code)
		}
		if code == "" && (len(rows) != 1 || rows[0] != "200000") {
			return fmt.Errorf("query under cancel returned %v", rows)
		}
		// PostgreSQL delivers a cancel as a signal: give a late one time to
		// land (and be ignored) before the next query.
		time.Sleep(20 * time.Millisecond)
		if err := rs.send(&pgproto3.Query{String: "SELECT count(*) FROM tenk"}); err != nil {
			return err
		}
		if err := until[*pgproto3.ReadyForQuery](rs, false); err != nil {
			return fmt.Errorf("query after a cancel: %w", err)
		}
	}
	return nil
}

// timeoutEdge runs queries that end around their statement_timeout; the
// statement after each, without a timeout, must never be cancelled.
func timeoutEdge(ctx context.Context, tg target, rng *rand.Rand) error {
	rs, err := dialSession(ctx, tg)
	if err != nil {
		return err
	}
	defer rs.terminate()
	for range 5 {
		if err := rs.query(fmt.Sprintf("SET statement_timeout = '%dms'", 1+rng.IntN(4))); err != nil {
			return err
		}
		if err := rs.send(&pgproto3.Query{String: "SELECT count(*) FROM tenk a, tenk b WHERE a.i < 10"}); err != nil {
			return err
		}
		_ = until[*pgproto3.ReadyForQuery](rs, false) // finished or timed out: both are right
		// Apart: in one simple query PostgreSQL keeps the timer armed for the
		// SET running over the statements after it.
		for _, q := range []string{"SET statement_timeout = 0", "SELECT count(*) FROM tenk a, tenk b WHERE a.i < 3"} {
			err := rs.query(q)
			if err != nil && tg.name == "postgres" && strings.Contains(err.Error(), "57014") {
				// PostgreSQL's timer of the statement before can still go
				// off in this one; tpserver's cannot.
				err = rs.query(q)
			}
			if err != nil {
				return fmt.Errorf("statement after a timed one: %w", err)
			}
		}
	}
	return nil
}

// pgxCancel lets pgx cancel a query through its context at a random
// moment; the connection must keep answering correctly.
func pgxCancel(ctx context.Context, tg target, rng *rand.Rand) error {
	cfg, err := pgx.ParseConfig(tg.dsn())
	if err != nil {
		return err
	}
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, CancelRequestDelay: 0, DeadlineDelay: 10 * time.Second}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	if rng.IntN(2) == 0 {
		defer conn.Close(context.Background())
	} else {
		defer conn.PgConn().Conn().Close() // no Terminate
	}
	qctx, cancel := context.WithTimeout(ctx, time.Duration(rng.IntN(15))*time.Millisecond)
	var n int64
	err = conn.QueryRow(qctx, "SELECT count(*) FROM tenk a, tenk b WHERE a.i < $1", 20).Scan(&n)
	cancel()
	var pe *pgconn.PgError
	switch {
	case err == nil && n != 200000:
		return fmt.Errorf("query under cancel returned %d", n)
	case err != nil && errors.As(err, &pe) && pe.Code != "57014":
		return fmt.Errorf("cancelled query: %w", err)
	case err != nil && conn.IsClosed():
		return nil // pgx gave up on the connection
	}
	// A cancel that arrives after its query ended may still hit the next
	// one (PostgreSQL has the same race); the session must recover.
	for try := 0; ; try++ {
		time.Sleep(20 * time.Millisecond)
		err = conn.QueryRow(ctx, "SELECT count(*) FROM tenk").Scan(&n)
		if err == nil && n == 10000 {
			return nil
		}
		if try == 2 || !errors.As(err, &pe) || pe.Code != "57014" {
			return fmt.Errorf("query after a cancel: %d, %v", n, err)
		}
	}
}

func psqlChaosKinds() []chaosKind {
	script := func(name, sql string) chaosKind {
		return chaosKind{name: name, weight: 2, run: func(ctx context.Context, tg target, _ *rand.Rand) error {
			cmd := exec.CommandContext(ctx, "psql", "-X", "-q")
			cmd.Env = tg.env()
			cmd.Stdin = strings.NewReader(sql)
			out, err := cmd.CombinedOutput()
			if err != nil {
				return fmt.Errorf("psql: %v: %s", err, out)
			}
			return nil
		}}
	}
	killed := func(name, sql string) chaosKind {
		return chaosKind{name: name, weight: 2, run: func(ctx context.Context, tg target, rng *rand.Rand) error {
			cmd := exec.CommandContext(ctx, "psql", "-X", "-q", "-c", sql)
			cmd.Env = tg.env()
			cmd.Stdout = nil
			if err := cmd.Start(); err != nil {
				return err
			}
			time.Sleep(time.Duration(30+rng.IntN(150)) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			return nil
		}}
	}
	return []chaosKind{
		script("psql ends inside a transaction", "begin;\nselect count(*) from tenk;\n"),
		script("psql ends after an error in a transaction", "begin;\nselect * from chaos_no_such_table;\n"),
		script("psql leaves a temporary table and settings", "create temp table chaos_tmp_psql as select 1 as a;\nset statement_timeout = '8s';\nset search_path = pg_catalog;\n"),
		killed("psql killed during a query", "select * from slow"),
		killed("psql killed during COPY OUT", "copy ("+crossJoin+") to stdout"),
	}
}

func runPythonChaos(ctx context.Context, tg target, rng *rand.Rand) error {
	all := []string{"py_no_commit", "py_error_in_tx", "py_named_cursor", "py_temp_and_settings", "py_running_query"}
	return runProgramChaos(ctx, tg, rng, all, debianPython, filepath.Join("python", "chaos.py"))
}

func runJavaChaos(ctx context.Context, tg target, rng *rand.Rand, dir string) error {
	all := []string{"jdbc_autocommit_off", "jdbc_fetchsize_portal", "jdbc_server_prepared", "jdbc_temp_and_settings", "jdbc_error_in_tx", "jdbc_running_query"}
	return runProgramChaos(ctx, tg, rng, all, "java", "-cp", dir+string(os.PathListSeparator)+jdbcJar, "Chaos")
}

// runProgramChaos runs a client program with a random exit mode and a
// random handful of its scenarios; each must report OK.
func runProgramChaos(ctx context.Context, tg target, rng *rand.Rand, all []string, prog string, args ...string) error {
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	picked := all[:1+rng.IntN(len(all))]
	mode := []string{"halt", "exit"}[rng.IntN(2)]
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, prog, append(append(args, mode), picked...)...)
	cmd.Env = tg.env()
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s %v: %v: %s", prog, picked, err, out)
	}
	for _, name := range picked {
		if !strings.Contains(string(out), "OK\t"+name+"\n") {
			return fmt.Errorf("%s %s: %s", prog, name, out)
		}
	}
	return nil
}

// compileChaosJava compiles Chaos.java once per test binary.
var chaosJava struct {
	once sync.Once
	dir  string
	err  error
}

func compileChaosJava() (string, error) {
	for _, tool := range []string{"javac", "java"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", err
		}
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		return "", err
	}
	chaosJava.once.Do(func() {
		dir, err := os.MkdirTemp("", "clienttest-chaos-java-")
		if err != nil {
			chaosJava.err = err
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		out, err := exec.Command("javac", "-d", dir, "-cp", jdbcJar, filepath.Join("java", "Chaos.java")).CombinedOutput()
		if err != nil {
			chaosJava.err = fmt.Errorf("javac: %v\n%s", err, out)
			return
		}
		chaosJava.dir = dir
	})
	return chaosJava.dir, chaosJava.err
}
