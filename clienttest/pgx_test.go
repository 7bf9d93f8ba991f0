package clienttest

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
)

var pgxModes = []struct {
	name string
	mode pgx.QueryExecMode
}{
	{"cache_statement", pgx.QueryExecModeCacheStatement},
	{"cache_describe", pgx.QueryExecModeCacheDescribe},
	{"describe_exec", pgx.QueryExecModeDescribeExec},
	{"exec", pgx.QueryExecModeExec},
	{"simple_protocol", pgx.QueryExecModeSimpleProtocol},
}

func TestPgx(t *testing.T) {
	runMatrix(t, "pgx", runPgx)
}

// sqlState returns the SQLSTATE of a server error, or "none"/the error text.
func sqlState(err error) string {
	if err == nil {
		return "none"
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return "not a server error: " + err.Error()
}

// render turns a value decoded by pgx into a stable string.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return nullText
	case time.Time:
		return "time:" + x.Format("2006-01-02 15:04:05.999999999 -0700 MST")
	case []byte:
		return "bytes:" + hex.EncodeToString(x)
	case pgtype.Numeric:
		if !x.Valid {
			return nullText
		}
		v, _ := x.Value()
		return fmt.Sprintf("numeric:%v", v)
	case *big.Int:
		return "bigint:" + x.String()
	case [16]byte:
		return fmt.Sprintf("uuid:%x", x)
	case pgtype.Interval:
		return fmt.Sprintf("interval:%+v", x)
	case pgtype.Time:
		return fmt.Sprintf("time:%+v", x)
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		return fmt.Sprintf("%T:%s", x, b)
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			return fmt.Sprintf("%T:error %v", x, err)
		}
		return fmt.Sprintf("%T:%s", x, render(dv))
	}
	return fmt.Sprintf("%T:%v", v, v)
}

func runPgx(t *testing.T, tg target) (*result, error) {
	r := newResult("pgx")
	r.textKeys = true
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	connect := func(mode pgx.QueryExecMode) (*pgx.Conn, error) {
		cfg, err := pgx.ParseConfig(tg.dsn())
		if err != nil {
			return nil, err
		}
		cfg.DefaultQueryExecMode = mode
		// On a cancelled context send a CancelRequest and give the server
		// 2 s to answer before the socket is closed.
		cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
			return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 2 * time.Second}
		}
		return pgx.ConnectConfig(ctx, cfg)
	}

	// Wire text of every alltypes value (extended protocol, text results).
	conn, err := connect(pgx.QueryExecModeCacheStatement)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rr := conn.PgConn().ExecParams(ctx, "select * from alltypes order by id", nil, nil, nil, []int16{0})
	for rr.NextRow() {
		vals := rr.Values()
		id := string(vals[0])
		for i, fd := range rr.FieldDescriptions() {
			r.set("alltypes/"+fd.Name+"/"+id, textOf(vals[i], vals[i] == nil))
		}
	}
	if _, err := rr.Close(); err != nil {
		r.fail("text_results", "select * from alltypes with text results: %v", err)
	}
	for _, fd := range rr.FieldDescriptions() {
		r.set("meta/"+fd.Name, fmt.Sprintf("oid=%d typmod=%d size=%d", fd.DataTypeOID, fd.TypeModifier, fd.DataTypeSize))
	}

	// Every exec mode: decoded values of alltypes, typed scans, cloudtrail.
	var ctRef []string
	for _, m := range pgxModes {
		c, err := connect(m.mode)
		if err != nil {
			return nil, fmt.Errorf("connect %s: %w", m.name, err)
		}
		rows, err := c.Query(ctx, "select * from alltypes order by id")
		if err == nil {
			for rows.Next() {
				vals, verr := rows.Values()
				if verr != nil {
					err = verr
					break
				}
				id := fmt.Sprint(vals[0])
				for i, fd := range rows.FieldDescriptions() {
					r.set("alltypes/"+fd.Name+"/"+id+"/"+m.name, render(vals[i]))
				}
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		r.ok("alltypes_values/"+m.name, err == nil, "select * from alltypes, rows.Values(): %v", err)

		// Typed scans of row 1 into Go types.
		var (
			b                          bool
			i1, i2, u1                 int16
			i4, u2                     int32
			i8, u4                     int64
			hi, u8, dc                 pgtype.Numeric
			f4                         float32
			f8                         float64
			s                          string
			blob                       []byte
			d, ts, tstz                time.Time
			tm                         pgtype.Time
			iv                         pgtype.Interval
			u                          pgtype.UUID
			j, st, mp, ls              map[string]any
			ai                         []int32
			av                         []*string
			n                          *int32
			lsRaw                      []any
			jText, stText, lsText, mpT string
		)
		_ = lsRaw
		err = c.QueryRow(ctx, "select b, i1, i2, i4, i8, hi, u1, u2, u4, u8, f4, f8, dc, s, blob, d, t, ts, tstz, iv, u, j, ai, av, st, m, n from alltypes where id = 1").
			Scan(&b, &i1, &i2, &i4, &i8, &hi, &u1, &u2, &u4, &u8, &f4, &f8, &dc, &s, &blob, &d, &tm, &ts, &tstz, &iv, &u, &j, &ai, &av, &st, &mp, &n)
		if err == nil {
			got := fmt.Sprintf("%v %d %d %d %d %s %d %d %d %s %v %v %s %s %x %s %d %s %s %+v %x %v %v %d %v %v %v",
				b, i1, i2, i4, i8, render(hi), u1, u2, u4, render(u8), f4, f8, render(dc), s, blob,
				d.Format("2006-01-02"), tm.Microseconds, ts.Format(time.RFC3339Nano), tstz.UTC().Format(time.RFC3339Nano),
				iv, u.Bytes, j, ai, len(av), st, mp, n)
			want := "true 1 2 3 4 numeric:5 6 7 8 numeric:9 1.5 2.25 numeric:123.45 text deadbeef 2024-02-29 45296789000 " +
				"2024-01-02T03:04:05.123456Z 2024-01-02T03:04:05Z {Microseconds:14706000000 Days:3 Months:14 Valid:true} " +
				"5b6f3a2e9d5c4b1e8f3a2c1d0e9f8a7b map[a:[true <nil>] b:1] [1 2 3] 3 map[x:1 y:z] map[k:1] <nil>"
			r.ok("typed_scan/"+m.name, got == want, "got  %s\nwant %s", got, want)
		} else {
			r.fail("typed_scan/"+m.name, "scan row 1: %v", err)
		}
		// JSON-ish columns scanned as text keep the server's text.
		err = c.QueryRow(ctx, "select j, st, ls, m from alltypes where id = 1").Scan(&jText, &stText, &lsText, &mpT)
		r.ok("json_as_string/"+m.name, err == nil && stText == `{"x":1,"y":"z"}` && lsText == `[{"a":1}]`,
			"err=%v j=%s st=%s ls=%s m=%s", err, jText, stText, lsText, mpT)
		_ = ls

		// CloudTrail rows decode the same in every mode (binary vs text).
		if tg.name == "tpserver" {
			var got []string
			rows, err := c.Query(ctx, "select * from aws_cloudtrail_log order by tp_id limit 50")
			if err == nil {
				for rows.Next() {
					vals, verr := rows.Values()
					if verr != nil {
						err = verr
						break
					}
					var sb strings.Builder
					for i, v := range vals {
						fmt.Fprintf(&sb, "%s=%s;", rows.FieldDescriptions()[i].Name, render(v))
					}
					got = append(got, sb.String())
				}
				rows.Close()
				if err == nil {
					err = rows.Err()
				}
			}
			switch {
			case err != nil:
				r.fail("cloudtrail50/"+m.name, "select * from aws_cloudtrail_log limit 50: %v", err)
			case len(got) != 50:
				r.fail("cloudtrail50/"+m.name, "got %d rows, want 50", len(got))
			case ctRef == nil:
				ctRef = got
				r.ok("cloudtrail50/"+m.name, true, "")
			default:
				diff := ""
				for i := range got {
					if got[i] != ctRef[i] {
						diff = fmt.Sprintf("row %d differs from %s mode:\n%s\n%s", i, pgxModes[0].name, got[i], ctRef[i])
						break
					}
				}
				r.ok("cloudtrail50/"+m.name, diff == "", "%s", diff)
			}
		}

		// Parameters.
		var sum int64
		var cat string
		var num pgtype.Numeric
		err = c.QueryRow(ctx, "select $1::bigint + 1, $2::text || 'x', $3::numeric(10,2)", int64(41), "ab'c", "12.5").Scan(&sum, &cat, &num)
		r.set("params/"+m.name, fmt.Sprintf("%d %s %s err=%s", sum, cat, render(num), sqlState(err)))
		pgxParamTypes(ctx, r, c, m.name)
		c.Close(ctx)
	}

	// 10,000 rows read at once, and through a cursor in a transaction.
	var count, total int64
	rows, err := conn.Query(ctx, "select i from tenk order by i")
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
	r.ok("tenk_all", err == nil && count == 10000 && total == 49995000, "rows=%d sum=%d err=%v", count, total, err)

	func() {
		tx, err := conn.Begin(ctx)
		if err != nil {
			r.fail("tenk_cursor", "begin: %v", err)
			return
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, "declare c no scroll cursor for select i from tenk order by i"); err != nil {
			r.fail("tenk_cursor", "declare: %v", err)
			return
		}
		var n, fetches int
		for {
			rows, err := tx.Query(ctx, "fetch forward 1000 from c")
			if err != nil {
				r.fail("tenk_cursor", "fetch: %v", err)
				return
			}
			got := 0
			for rows.Next() {
				got++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				r.fail("tenk_cursor", "fetch: %v", err)
				return
			}
			fetches++
			n += got
			if got == 0 || fetches > 20 {
				break
			}
		}
		if _, err := tx.Exec(ctx, "close c"); err != nil {
			r.fail("tenk_cursor", "close: %v", err)
			return
		}
		r.ok("tenk_cursor", n == 10000, "rows=%d fetches=%d", n, fetches)
	}()

	if tg.name == "tpserver" {
		rows, err := conn.Query(ctx, "select * from aws_cloudtrail_log order by tp_id limit 10000")
		count = 0
		if err == nil {
			for rows.Next() {
				if _, err = rows.Values(); err != nil {
					break
				}
				count++
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		r.ok("cloudtrail10k", err == nil && count == 10000, "rows=%d err=%v", count, err)
	}

	// Error then recovery.
	_, err = conn.Exec(ctx, "select * from no_such_table")
	r.set("error/sqlstate", sqlState(err))
	var one int
	err = conn.QueryRow(ctx, "select 1").Scan(&one)
	r.ok("error_recovery", err == nil && one == 1, "select 1 after an error: %v", err)

	// Pipeline with a failing statement in the middle.
	b := &pgx.Batch{}
	b.Queue("select 1")
	b.Queue("select * from no_such_table")
	b.Queue("select 3")
	br := conn.SendBatch(ctx, b)
	var outcome []string
	for i := 0; i < 3; i++ {
		var v int
		err := br.QueryRow().Scan(&v)
		if err != nil {
			outcome = append(outcome, "err "+sqlState(err))
		} else {
			outcome = append(outcome, fmt.Sprint(v))
		}
	}
	cerr := br.Close()
	r.set("batch/outcome", strings.Join(outcome, "|")+" close="+sqlState(cerr))
	err = conn.QueryRow(ctx, "select 2").Scan(&one)
	r.ok("batch_recovery", err == nil && one == 2, "select 2 after a failed batch: %v", err)

	// Cancel through the context.
	c, err := connect(pgx.QueryExecModeCacheStatement)
	if err != nil {
		return nil, err
	}
	defer c.Close(context.Background())
	cctx, ccancel := context.WithTimeout(ctx, 500*time.Millisecond)
	start := time.Now()
	var cnt int64
	err = c.QueryRow(cctx, "select c from slow").Scan(&cnt)
	elapsed := time.Since(start)
	ccancel()
	r.ok("cancel_stops", err != nil && elapsed < 1500*time.Millisecond, "query cancelled at 0.5s returned after %v: %v", elapsed.Round(time.Millisecond), err)
	r.ok("cancel_sqlstate", sqlState(err) == "57014", "error: %v (sqlstate %s)", err, sqlState(err))
	err = c.QueryRow(ctx, "select 1").Scan(&one)
	r.ok("cancel_usable", err == nil && one == 1, "select 1 after cancel: %v", err)
	return r, nil
}

// pgxParamTypes binds parameters of each type, arrays among them, and
// records what comes back (compared with PostgreSQL's answer).
func pgxParamTypes(ctx context.Context, r *result, c *pgx.Conn, mode string) {
	str := func(s string) *string { return &s }
	cases := []struct {
		name, sql string
		args      []any
	}{
		{"any_text", "select count(*) from alltypes where s = any($1)", []any{[]string{"text", "none"}}},
		{"any_int", "select count(*) from alltypes where i4 = any($1)", []any{[]int32{3, 7}}},
		{"int4_array", "select $1::int4[]", []any{[]int32{1, -2}}},
		{"int8_array_2d", "select ($1::int8[][])[2][1]", []any{[][]int64{{1, 2}, {3, 4}}}},
		{"text_array", "select $1::text[]", []any{[]*string{str("a"), nil, str("b c"), str(`q"u\x`), str("NULL"), str(""), str("{x}")}}},
		{"float8_array", "select $1::float8[]", []any{[]float64{1.5, -0.25}}},
		{"bool_array", "select $1::bool[]", []any{[]bool{true, false}}},
		{"date_array", "select $1::date[]", []any{[]time.Time{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}}},
		{"tstz_array", "select $1::timestamptz[]", []any{[]time.Time{time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC)}}},
		{"bytea", "select $1::bytea", []any{[]byte{0xde, 0xad, 0, 0xff}}},
		{"json_map", "select $1::json", []any{map[string]any{"a": 1, "b": []any{true, nil}}}},
		{"jsonb_map", "select $1::jsonb", []any{map[string]any{"k": "v"}}},
		{"bool_text", "select $1::boolean", []any{"yes"}},
		{"date", "select $1::date", []any{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}},
		{"timestamptz", "select $1::timestamptz", []any{time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)}},
		{"interval", "select $1::interval", []any{90 * time.Minute}},
		{"uuid", "select $1::uuid", []any{[16]byte{0x5b, 0x6f, 0x3a, 0x2e, 0x9d, 0x5c, 0x4b, 0x1e, 0x8f, 0x3a, 0x2c, 0x1d, 0x0e, 0x9f, 0x8a, 0x7b}}},
		{"numeric", "select $1::numeric(10,3)", []any{"12.345"}},
	}
	for _, tc := range cases {
		rows, err := c.Query(ctx, tc.sql, tc.args...)
		var got []string
		if err == nil {
			for rows.Next() {
				vals, verr := rows.Values()
				if verr != nil {
					err = verr
					break
				}
				for _, v := range vals {
					got = append(got, render(v))
				}
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		r.set("param_types/"+tc.name+"/"+mode, fmt.Sprintf("%s err=%s", strings.Join(got, " "), sqlState(err)))
	}
}
