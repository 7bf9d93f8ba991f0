package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// pgColumns are the columns of the PostgreSQL 15 copy of the lake: the ones
// the benchmark's queries read, nested objects as jsonb.
var pgColumns = []struct{ name, pgType string }{
	{"tp_id", "text"}, {"event_time", "timestamptz"}, {"event_source", "text"}, {"event_name", "text"},
	{"aws_region", "text"}, {"source_ip_address", "text"}, {"user_agent", "text"}, {"error_code", "text"},
	{"error_message", "text"}, {"recipient_account_id", "text"}, {"event_id", "text"},
	{"user_identity", "jsonb"}, {"request_parameters", "jsonb"}, {"response_elements", "jsonb"}, {"resources", "jsonb"},
}

// pgNotInstalled is the report line when PostgreSQL 15 is missing.
const pgNotInstalled = "PostgreSQL 15 not installed: not measured"

// startLoadedPostgres starts a throwaway PostgreSQL 15 and copies the rows
// of db's aws_cloudtrail_log into it, with an index on event_time.
func startLoadedPostgres(ctx context.Context, db *sql.DB) (*testsupport.Postgres, *pgx.Conn, error) {
	pg, err := testsupport.StartPostgres("bench", "bench")
	if err != nil {
		return nil, nil, fmt.Errorf("start PostgreSQL 15: %w", err)
	}
	conn, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		pg.Stop()
		return nil, nil, fmt.Errorf("connect to PostgreSQL 15: %w", err)
	}
	if err := loadPostgres(ctx, db, conn); err != nil {
		conn.Close(ctx)
		pg.Stop()
		return nil, nil, err
	}
	return pg, conn, nil
}

func loadPostgres(ctx context.Context, db *sql.DB, conn *pgx.Conn) error {
	var defs, sel, names []string
	for _, c := range pgColumns {
		defs = append(defs, c.name+" "+c.pgType)
		names = append(names, c.name)
		switch c.pgType {
		case "jsonb":
			sel = append(sel, "to_json("+c.name+")::varchar")
		case "timestamptz":
			sel = append(sel, c.name)
		default:
			sel = append(sel, c.name+"::varchar")
		}
	}
	if _, err := conn.Exec(ctx, "create table aws_cloudtrail_log ("+strings.Join(defs, ", ")+")"); err != nil {
		return fmt.Errorf("create PostgreSQL table: %w", err)
	}
	rows, err := db.Query("select " + strings.Join(sel, ", ") + " from aws_cloudtrail_log")
	if err != nil {
		return fmt.Errorf("read the lake for PostgreSQL: %w", err)
	}
	defer rows.Close()
	src := &sqlRowSource{rows: rows, n: len(pgColumns)}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"aws_cloudtrail_log"}, names, src); err != nil {
		return fmt.Errorf("copy rows into PostgreSQL: %w", err)
	}
	for _, q := range []string{"create index on aws_cloudtrail_log (event_time)", "vacuum analyze aws_cloudtrail_log"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("PostgreSQL %q: %w", q, err)
		}
	}
	return nil
}

// sqlRowSource feeds database/sql rows to pgx.CopyFrom, JSON text as raw
// JSON for the jsonb columns.
type sqlRowSource struct {
	rows *sql.Rows
	n    int
	vals []any
	err  error
}

func (s *sqlRowSource) Next() bool {
	if !s.rows.Next() {
		return false
	}
	var t sql.NullTime
	strs := make([]sql.NullString, s.n)
	ptrs := make([]any, s.n)
	for i := range ptrs {
		if pgColumns[i].pgType == "timestamptz" {
			ptrs[i] = &t
		} else {
			ptrs[i] = &strs[i]
		}
	}
	if s.err = s.rows.Scan(ptrs...); s.err != nil {
		return false
	}
	s.vals = make([]any, s.n)
	for i, c := range pgColumns {
		switch {
		case c.pgType == "timestamptz":
			if t.Valid {
				s.vals[i] = t.Time
			}
		case !strs[i].Valid:
		case c.pgType == "jsonb":
			s.vals[i] = json.RawMessage(strs[i].String)
		default:
			s.vals[i] = strs[i].String
		}
	}
	return true
}

func (s *sqlRowSource) Values() ([]any, error) { return s.vals, nil }

func (s *sqlRowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// postgresTimes times each query on PostgreSQL 15 through pgx and through
// psql (nil when psql is missing); it returns nil times when PostgreSQL is
// not installed.
func postgresTimes(ctx context.Context, db *sql.DB, qs []benchQuery) (pgxTimes, psqlDurations []time.Duration, err error) {
	fmt.Fprintln(os.Stderr, "bench: PostgreSQL 15")
	pg, conn, err := startLoadedPostgres(ctx, db)
	if errors.Is(err, testsupport.ErrNoPostgres) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer pg.Stop()
	defer conn.Close(ctx)
	for _, q := range qs {
		d, err := median(func() error { return pgxQuery(ctx, conn, q.pgSQL) })
		if err != nil {
			return nil, nil, fmt.Errorf("%s on PostgreSQL 15: %w", q.name, err)
		}
		pgxTimes = append(pgxTimes, d)
	}
	psqlDurations, err = psqlTimes(pg.DSN(), qs, func(q benchQuery) string { return q.pgSQL })
	if err != nil {
		return nil, nil, fmt.Errorf("PostgreSQL 15: %w", err)
	}
	return pgxTimes, psqlDurations, nil
}
