package pgwire

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestInfinityAndNegativeIntervals renders DuckDB's infinite dates and
// timestamps and negative intervals as PostgreSQL does, in text and binary.
func TestInfinityAndNegativeIntervals(t *testing.T) {
	ts := startServer(t)
	ctx := testCtx(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		c := connectPgx(t, ts, mode)
		var d, tsInf, tsNeg, tz, iv string
		err := c.QueryRow(ctx, "select 'infinity'::date::text, 'infinity'::timestamp::varchar, '-infinity'::timestamp::varchar, 'infinity'::timestamptz::varchar, (INTERVAL '-1 day' - INTERVAL '02:03:04.5')::varchar").Scan(&d, &tsInf, &tsNeg, &tz, &iv)
		if err != nil {
			t.Fatal(err)
		}
		var textD, textTS, textNeg, textTZ, textIV string
		rows, err := c.Query(ctx, "select 'infinity'::date, 'infinity'::timestamp, '-infinity'::timestamp, 'infinity'::timestamptz, INTERVAL '-1 day' - INTERVAL '02:03:04.5', INTERVAL '-1 month', INTERVAL '1 day'", pgx.QueryResultFormats{pgx.TextFormatCode})
		if err != nil {
			t.Fatal(err)
		}
		var m1, d1 string
		for rows.Next() {
			if err := rows.Scan(&textD, &textTS, &textNeg, &textTZ, &textIV, &m1, &d1); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		got := []string{textD, textTS, textNeg, textTZ, textIV, m1, d1}
		want := []string{"infinity", "infinity", "-infinity", "infinity", "-1 days -02:03:04.5", "-1 mons", "1 day"}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("mode %v column %d: %q, want %q", mode, i, got[i], want[i])
			}
		}
		// Binary: pgx decodes infinity modifiers.
		var bd pgtype.Date
		var bts pgtype.Timestamp
		var btz pgtype.Timestamptz
		if err := c.QueryRow(ctx, "select '-infinity'::date, 'infinity'::timestamp, '-infinity'::timestamptz").Scan(&bd, &bts, &btz); err != nil {
			t.Fatal(err)
		}
		if bd.InfinityModifier != pgtype.NegativeInfinity || bts.InfinityModifier != pgtype.Infinity || btz.InfinityModifier != pgtype.NegativeInfinity {
			t.Errorf("mode %v binary infinity: %v %v %v", mode, bd.InfinityModifier, bts.InfinityModifier, btz.InfinityModifier)
		}
		var normal time.Time
		if err := c.QueryRow(ctx, "select TIMESTAMP '2024-01-02 03:04:05'").Scan(&normal); err != nil || normal.Year() != 2024 {
			t.Errorf("ordinary timestamp: %v %v", normal, err)
		}
		c.Close(ctx)
	}
}
