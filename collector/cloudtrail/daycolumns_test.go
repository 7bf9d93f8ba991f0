package cloudtrail

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// TestMapDayColumns pins what lake.Table.DayColumns promises readers (the
// translator adds tp_date filters from it): every day column of a mapped
// row is a time whose UTC date is the row's tp_date, whatever the offset
// the event time was written with.
func TestMapDayColumns(t *testing.T) {
	table := lake.CloudTrailLog()
	if len(table.DayColumns) == 0 {
		t.Fatal("aws_cloudtrail_log declares no day columns")
	}
	pos := map[string]int{}
	for i, c := range table.Columns {
		pos[c.Name] = i
	}
	for _, at := range []string{"2024-03-01T23:59:59Z", "2024-03-01T00:00:00Z", "2024-03-01T22:30:00-05:00", "2024-03-02T01:00:00+09:00", "2024-03-01T12:00:00.123456Z"} {
		raw := json.RawMessage(fmt.Sprintf(`{"eventVersion":"1.08","eventTime":%q,"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"e-%s"}`, at, at))
		row, _, err := Map(raw, testSource())
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		want, _ := time.Parse(time.RFC3339, at)
		date, ok := row[pos[lake.KeyDate]].(time.Time)
		if !ok {
			t.Fatalf("%s: tp_date is %T", at, row[pos[lake.KeyDate]])
		}
		if got, wantDate := date.Format(lake.DateFormat), want.UTC().Format(lake.DateFormat); got != wantDate {
			t.Errorf("%s: tp_date %s, want %s", at, got, wantDate)
		}
		for _, col := range table.DayColumns {
			v, ok := row[pos[col]].(time.Time)
			if !ok || !v.Equal(want) || v.UTC().Format(lake.DateFormat) != date.Format(lake.DateFormat) {
				t.Errorf("%s: %s = %v, want %v on day %s", at, col, row[pos[col]], want, date.Format(lake.DateFormat))
			}
		}
	}
}
