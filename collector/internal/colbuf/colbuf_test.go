package colbuf

import (
	"reflect"
	"testing"
	"time"
)

// testBatch returns a batch of every kind of column, nested STRUCTs
// included.
func testBatch() *Batch {
	return &Batch{Cols: []*Column{
		NewColumn("s", String), NewColumn("b", Bool), NewColumn("n", Int64),
		NewColumn("ts", Timestamp), NewColumn("d", Date), NewColumn("l", StringList),
		NewColumn("st", Struct, NewColumn("a", String), NewColumn("sub", Struct, NewColumn("x", Int64))),
	}}
}

// appendRow appends row i: NULLs on odd rows, values on even ones.
func appendRow(b *Batch, i int, at time.Time) {
	c := b.Cols
	if i%2 == 1 {
		for _, col := range c {
			col.AppendNull()
		}
		return
	}
	c[0].AppendString("text")
	c[1].AppendBool(true)
	c[2].AppendInt(int64(i))
	c[3].AppendTime(at)
	c[4].AppendDate(at)
	c[5].AppendList("x", "yy")
	c[6].AppendStruct()
	c[6].Fields[0].AppendString("f")
	c[6].Fields[1].AppendNull()
}

// TestBatchRows checks the values rows give back, after a Truncate that
// drops rows with list elements and nested fields, and Bytes.
func TestBatchRows(t *testing.T) {
	at := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	b := testBatch()
	for i := range 5 {
		appendRow(b, i, at)
	}
	b.Truncate(3)
	appendRow(b, 4, at)
	if b.Len() != 4 {
		t.Fatalf("%d rows, want 4", b.Len())
	}
	want := []any{"text", true, int64(4), at.Truncate(time.Microsecond), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		[]string{"x", "yy"}, map[string]any{"a": "f", "sub": nil}}
	if got := b.Row(3); !reflect.DeepEqual(got, want) {
		t.Errorf("row 3 = %#v\nwant %#v", got, want)
	}
	if got := b.Row(1); !reflect.DeepEqual(got, make([]any, 7)) {
		t.Errorf("row 1 = %#v, want all NULL", got)
	}
	if l := b.Cols[5]; len(l.Str) != 6 || !reflect.DeepEqual(l.End, []int{2, 2, 4, 6}) {
		t.Errorf("list elements %q ends %v, want 3 rows of 2 and one NULL", l.Str, l.End)
	}
	// Even rows: 4 + 8*4 + 3 + 1 (the string field) + 8 (the NULL
	// struct); odd rows: 8 for each leaf.
	if got, want := b.Bytes(), int64(3*(4+8*4+3+1+8)+1*8*8); got != want {
		t.Errorf("Bytes = %d, want %d", got, want)
	}
}
