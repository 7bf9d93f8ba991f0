package pgwire

import (
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// TestAppendTimeForms checks the hand-written date, time and zone forms.
func TestAppendTimeForms(t *testing.T) {
	e := newEncoder(time.UTC)
	ts := &colType{duck: duckdb.TYPE_TIMESTAMP}
	tz := &colType{duck: duckdb.TYPE_TIMESTAMP_TZ}
	tm := &colType{duck: duckdb.TYPE_TIME}
	date := &colType{duck: duckdb.TYPE_DATE}
	kolkata := time.FixedZone("IST", 5*3600+30*60)
	odd := time.FixedZone("LMT", -(4*3600 + 56*60 + 2))
	cases := []struct {
		ct   *colType
		loc  *time.Location
		t    time.Time
		want string
	}{
		{ts, time.UTC, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02 03:04:05"},
		{ts, time.UTC, time.Date(2024, 12, 31, 23, 59, 59, 500000000, time.UTC), "2024-12-31 23:59:59.5"},
		{ts, time.UTC, time.Date(12, 3, 4, 0, 0, 0, 5000, time.UTC), "0012-03-04 00:00:00.000005"},
		{tz, kolkata, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "2024-01-02 05:30:00+05:30"},
		{tz, odd, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "2024-01-01 19:03:58-04:56:02"},
		{tz, time.UTC, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "2024-01-02 00:00:00+00"},
		{tm, time.UTC, time.Date(1970, 1, 1, 7, 8, 9, 10000, time.UTC), "07:08:09.00001"},
		{date, time.UTC, time.Date(0, 3, 4, 0, 0, 0, 0, time.UTC), "0001-03-04 BC"},
		{date, time.UTC, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "2024-02-29"},
	}
	for _, c := range cases {
		e.loc = c.loc
		if got := string(e.appendTime(nil, c.ct, c.t)); got != c.want {
			t.Errorf("appendTime(%v, %v) = %q, want %q", c.ct.duck, c.t, got, c.want)
		}
	}
	iv := duckdb.Interval{Months: 14, Days: 3, Micros: -(4*3_600_000_000 + 5*60_000_000 + 6_000_100)}
	if got, want := string(appendInterval(nil, iv)), "1 year 2 mons 3 days -04:05:06.0001"; got != want {
		t.Errorf("appendInterval = %q, want %q", got, want)
	}
	iv = duckdb.Interval{Micros: 123 * 3_600_000_000}
	if got, want := string(appendInterval(nil, iv)), "123:00:00"; got != want {
		t.Errorf("appendInterval = %q, want %q", got, want)
	}
}

// TestAppendBinaryFast checks the fast binary forms against pgx's codecs.
func TestAppendBinaryFast(t *testing.T) {
	e := newEncoder(time.FixedZone("X", 3*3600))
	typ := func(d duckdb.Type) *colType {
		ct := &colType{duck: d}
		ct.resolve()
		return ct
	}
	times := []time.Time{
		time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(1800, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var vals []any
	for _, x := range times {
		vals = append(vals, x)
	}
	vals = append(vals, true, false, "héllo", "")
	for _, ct := range []*colType{typ(duckdb.TYPE_TIMESTAMP), typ(duckdb.TYPE_TIMESTAMP_TZ), typ(duckdb.TYPE_BOOLEAN), typ(duckdb.TYPE_VARCHAR)} {
		for _, v := range vals {
			fast, ok := appendBinaryFast(nil, ct, v)
			if !ok {
				continue
			}
			bv, err := e.binaryValue(ct, v)
			if err != nil {
				t.Fatal(err)
			}
			want, err := e.tmap.Encode(ct.pg.oid, 1, bv, nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(fast) != string(want) {
				t.Errorf("%s %v: fast % x, pgx % x", ct.pg.name, v, fast, want)
			}
		}
	}
}
