package lake

import (
	"testing"
	"time"
)

func TestDataFileKeyRoundTrips(t *testing.T) {
	want := PartitionKey{Table: "aws_cloudtrail_log", Partition: "org", Index: "123456789012", Date: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}
	rel := want.Dir("")
	got := DataFile{Dir: rel}.Key()
	if got != want {
		t.Errorf("Key() of %q = %+v, want %+v", rel, got, want)
	}
}
