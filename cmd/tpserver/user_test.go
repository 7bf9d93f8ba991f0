package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// hashPassword runs `tpserver user hash` with password on standard input.
func hashPassword(t *testing.T, password string) string {
	t.Helper()
	cmd := exec.Command(tpserverBinary(t), "user", "hash")
	cmd.Stdin = strings.NewReader(password + "\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("user hash: %v: %s", err, errb.String())
	}
	v := strings.TrimSpace(out.String())
	if !strings.HasPrefix(v, "SCRAM-SHA-256$4096:") || strings.Contains(v, password) {
		t.Fatalf("user hash printed %q", v)
	}
	return v
}

// pgxLogin connects as user with password and returns current_user, or
// the error's SQLSTATE (or text when it has none).
func pgxLogin(ctx context.Context, port int, user, password string) (string, error) {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@127.0.0.1:%d/tpserver?sslmode=disable&connect_timeout=10", user, port))
	if err != nil {
		return "", err
	}
	cfg.Password = password
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return "", fmt.Errorf("%s %s", pe.Code, pe.Message)
		}
		return "", err
	}
	defer conn.Close(ctx)
	var who string
	err = conn.QueryRow(ctx, "select current_user").Scan(&who)
	return who, err
}

func TestUserHashIsAcceptedByPostgres(t *testing.T) {
	testsupport.Tool(t, "psql", "apt-get install -y postgresql-client")
	verifier := hashPassword(t, "correct horse")
	pg := testsupport.RequirePostgres(t, "tpadmin", "tpserver")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE ROLE scram_user LOGIN PASSWORD '"+verifier+"'"); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL stores a valid verifier as is (anything else it would hash).
	var stored, hbaFile string
	if err := admin.QueryRow(ctx, "select rolpassword from pg_authid where rolname = 'scram_user'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != verifier {
		t.Fatalf("PostgreSQL stored %q for verifier %q", stored, verifier)
	}
	// Make PostgreSQL check the password of scram_user with SCRAM.
	if err := admin.QueryRow(ctx, "show hba_file").Scan(&hbaFile); err != nil {
		t.Fatal(err)
	}
	hba, err := os.ReadFile(hbaFile)
	if err != nil {
		t.Fatal(err)
	}
	rule := "host all scram_user 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(hbaFile, append([]byte(rule), hba...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "select pg_reload_conf()"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the postmaster rereads pg_hba.conf on SIGHUP
	if got, err := pgxLogin(ctx, pg.Port, "scram_user", "correct horse"); err != nil || got != "scram_user" {
		t.Fatalf("pgx with the password: %q, %v", got, err)
	}
	if _, err := pgxLogin(ctx, pg.Port, "scram_user", "wrong horse"); err == nil || !strings.HasPrefix(err.Error(), "28P01") {
		t.Fatalf("pgx with a wrong password: %v, want 28P01 (is pg_hba.conf applied?)", err)
	}
	out, err := psqlLogin(pg.Port, "scram_user", "correct horse")
	if err != nil || out != "scram_user" {
		t.Fatalf("psql with the password: %q, %v", out, err)
	}
}

// psqlLogin runs select current_user through psql as user with password
// ("" = none, and no prompt).
func psqlLogin(port int, user, password string) (string, error) {
	cmd := exec.Command("psql", "-w", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "-U", user, "-d", "tpserver",
		"-X", "-A", "-t", "-c", "select current_user")
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable", "PGPASSWORD="+password)
	if password == "" {
		cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable", "PGPASSFILE="+noPassFile())
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%v: %s", err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}
