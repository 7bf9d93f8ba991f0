package testsupport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresInstall says how to install the PostgreSQL server.
const PostgresInstall = "apt-get install -y postgresql"

// ErrNoPostgres is returned (wrapped) by StartPostgres when the PostgreSQL
// server programs are not installed.
var ErrNoPostgres = errors.New("PostgreSQL server (initdb, postgres) not found")

// Postgres is a throwaway PostgreSQL cluster listening on 127.0.0.1, with
// trust authentication, UTC and C messages.
type Postgres struct {
	Port     int
	User     string      // the cluster's superuser
	Database string      // created empty at start
	Logs     *SyncBuffer // the server's output
	proc     *Process
	root     string
}

// Addr returns the server's host:port.
func (pg *Postgres) Addr() string { return fmt.Sprintf("127.0.0.1:%d", pg.Port) }

// DSN returns a pgx/libpq URL for User on Database.
func (pg *Postgres) DSN() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", pg.User, pg.Port, pg.Database)
}

// Stop shuts the server down and deletes the cluster.
func (pg *Postgres) Stop() {
	pg.proc.Stop()
	os.RemoveAll(pg.root)
}

// RequirePostgres starts a cluster with StartPostgres and stops it when tb
// ends. Without PostgreSQL installed it skips tb (fails it under
// TPSERVER_TEST_STRICT=1).
func RequirePostgres(tb testing.TB, userName, database string) *Postgres {
	tb.Helper()
	pg, err := StartPostgres(userName, database)
	if errors.Is(err, ErrNoPostgres) {
		Missing(tb, "PostgreSQL 15 server", PostgresInstall)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pg.Stop)
	return pg
}

// StartPostgres initialises a cluster in a temporary directory whose
// superuser is userName, starts it on a free port and creates database. When
// running as root the server runs as the "postgres" account (created if
// absent), since PostgreSQL refuses to run as root. The caller must Stop it.
func StartPostgres(userName, database string) (*Postgres, error) {
	initdb, err := postgresProgram("initdb")
	if err != nil {
		return nil, err
	}
	server, err := postgresProgram("postgres")
	if err != nil {
		return nil, err
	}
	cred, err := postgresCredential()
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "tpserver-pg-")
	if err != nil {
		return nil, err
	}
	pg := &Postgres{User: userName, Database: database, root: root}
	fail := func(err error) (*Postgres, error) {
		if pg.proc != nil {
			pg.proc.Stop()
		}
		os.RemoveAll(root)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(root, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(err)
		}
	}
	data := filepath.Join(root, "data")
	cmd := exec.Command(initdb, "-D", data, "-U", userName, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Env = append(os.Environ(), "TZ=UTC")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	if pg.Port, err = FreePort(); err != nil {
		return fail(err)
	}
	cmd = exec.Command(server, "-D", data, "-p", strconv.Itoa(pg.Port), "-k", root,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "TimeZone=UTC", "-c", "DateStyle=ISO, MDY",
		"-c", "IntervalStyle=postgres", "-c", "lc_messages=C", "-c", "max_connections=40",
		"-c", "shared_buffers=32MB")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if pg.proc, err = StartProcess(cmd); err != nil {
		return fail(err)
	}
	pg.Logs = pg.proc.Logs
	if err := pg.proc.WaitListening(pg.Port, time.Minute); err != nil {
		return fail(fmt.Errorf("postgres: %v; log:\n%s", err, pg.Logs.String()))
	}
	// Wait until it accepts sessions, then create the database.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var conn *pgx.Conn
	for {
		conn, err = pgx.Connect(ctx, fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", userName, pg.Port))
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fail(fmt.Errorf("connect to postgres: %v; log:\n%s", err, pg.Logs.String()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize()); err != nil {
		return fail(err)
	}
	return pg, nil
}

// postgresProgram finds a PostgreSQL server program on PATH or in Debian's
// layout (/usr/lib/postgresql/<version>/bin).
func postgresProgram(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%w: no %s (%s)", ErrNoPostgres, name, PostgresInstall)
}

// postgresCredential returns the user the server runs as: nil (the current
// user), or when running as root the "postgres" account, created if absent.
func postgresCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("useradd postgres: %v: %s", err, out)
		}
		if u, err = user.Lookup("postgres"); err != nil {
			return nil, err
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// PID is the postmaster's process id; its backends are its children.
func (pg *Postgres) PID() int { return pg.proc.PID() }
