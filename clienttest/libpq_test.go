package clienttest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lib/pq"
)

func TestLibPQ(t *testing.T) {
	runMatrix(t, "libpq", runLibPQ)
}

func pqState(err error) string {
	if err == nil {
		return "none"
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return "not a server error: " + err.Error()
}

func runLibPQ(t *testing.T, tg target) (*result, error) {
	r := newResult("libpq") // lib/pq decodes bool, float and time text: no wire text to compare
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := sql.Open("postgres", tg.dsn())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one session, so "the connection is usable after" means something
	if err := db.PingContext(ctx); err != nil {
		return nil, err
	}

	// Parameters (extended protocol, text parameters).
	var sum int64
	var cat string
	var num string
	err = db.QueryRowContext(ctx, "select $1::bigint + 1, $2::text || 'x', $3::numeric(10,2)", 41, "ab'c", "12.5").Scan(&sum, &cat, &num)
	r.set("params/basic", fmt.Sprintf("%d %s %s err=%s", sum, cat, num, pqState(err)))
	var ts time.Time
	err = db.QueryRowContext(ctx, "select $1::timestamptz", time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))).Scan(&ts)
	r.set("params/timestamptz", ts.UTC().Format(time.RFC3339Nano)+" err="+pqState(err))

	// Every column as text, and as the driver's native values.
	rows, err := db.QueryContext(ctx, "select * from alltypes order by id")
	if err == nil {
		cols, _ := rows.Columns()
		cts, _ := rows.ColumnTypes()
		for i, ct := range cts {
			p, s, ok := ct.DecimalSize()
			r.set("meta/"+cols[i], fmt.Sprintf("%s decimal=%d,%d,%v", ct.DatabaseTypeName(), p, s, ok))
		}
		raw := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		for rows.Next() {
			if err = rows.Scan(ptrs...); err != nil {
				break
			}
			id := string(raw[0])
			for i, c := range cols {
				r.set("alltypes/"+c+"/"+id, textOf(raw[i], raw[i] == nil))
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	r.ok("alltypes_text", err == nil, "select * from alltypes: %v", err)
	rows, err = db.QueryContext(ctx, "select * from alltypes order by id")
	if err == nil {
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err = rows.Scan(ptrs...); err != nil {
				break
			}
			id := fmt.Sprint(vals[0])
			for i, c := range cols {
				r.set("alltypes/"+c+"/"+id+"/native", render(vals[i]))
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	r.ok("alltypes_native", err == nil, "select * from alltypes into any: %v", err)

	// 10,000 rows.
	var count, total int64
	rows, err = db.QueryContext(ctx, "select i from tenk order by i")
	if err == nil {
		for rows.Next() {
			var i int64
			if err = rows.Scan(&i); err != nil {
				break
			}
			count++
			total += i
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	r.ok("tenk", err == nil && count == 10000 && total == 49995000, "rows=%d sum=%d err=%v", count, total, err)
	if tg.name == "tpserver" {
		count = 0
		rows, err = db.QueryContext(ctx, "select * from aws_cloudtrail_log order by tp_id limit 50")
		if err == nil {
			cols, _ := rows.Columns()
			raw := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range raw {
				ptrs[i] = &raw[i]
			}
			for rows.Next() {
				if err = rows.Scan(ptrs...); err != nil {
					break
				}
				count++
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		r.ok("cloudtrail50", err == nil && count == 50, "rows=%d err=%v", count, err)
	}

	// Error then recovery, inside and outside a transaction.
	_, err = db.ExecContext(ctx, "select * from no_such_table")
	r.set("error/sqlstate", pqState(err))
	var one int
	err = db.QueryRowContext(ctx, "select 1").Scan(&one)
	r.ok("error_recovery", err == nil && one == 1, "select 1 after an error: %v", err)
	func() {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			r.fail("tx_error", "begin: %v", err)
			return
		}
		defer tx.Rollback()
		_, err1 := tx.ExecContext(ctx, "select * from no_such_table")
		_, err2 := tx.ExecContext(ctx, "select 1")
		r.set("error/in_tx", pqState(err1)+" then "+pqState(err2))
	}()
	err = db.QueryRowContext(ctx, "select 1").Scan(&one)
	r.ok("tx_error_recovery", err == nil && one == 1, "select 1 after a failed transaction was rolled back: %v", err)

	// Cancel through the context.
	cctx, ccancel := context.WithTimeout(ctx, 500*time.Millisecond)
	start := time.Now()
	var cnt int64
	err = db.QueryRowContext(cctx, "select c from slow").Scan(&cnt)
	elapsed := time.Since(start)
	ccancel()
	r.ok("cancel_stops", err != nil && elapsed < 1500*time.Millisecond, "query cancelled at 0.5s returned after %v: %v", elapsed.Round(time.Millisecond), err)
	r.ok("cancel_sqlstate", pqState(err) == "57014", "error: %v (sqlstate %s)", err, pqState(err))
	qctx, qcancel := context.WithTimeout(ctx, 10*time.Second)
	start = time.Now()
	err = db.QueryRowContext(qctx, "select 1").Scan(&one)
	qcancel()
	r.ok("cancel_usable", err == nil && one == 1 && time.Since(start) < 2*time.Second, "select 1 after cancel took %v: %v", time.Since(start).Round(time.Millisecond), err)
	return r, nil
}
