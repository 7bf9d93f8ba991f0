package pqthrift

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// structBytes is a compact struct: field 1 i32 -3, field 2 list<binary>
// ["ab"], field 3 bool true, field 20 (long form) map<i32,bool> {1: false},
// stop.
var structBytes = []byte{
	0x15, 0x05, // field 1 (delta 1), i32, zigzag(-3) = 5
	0x19, 0x18, 0x02, 'a', 'b', // field 2, list of 1 binary, "ab"
	0x11,       // field 3, bool true in the header
	0x0b, 0x28, // field 20 in long form: type map, zigzag(20) = 40
	0x01, 0x51, 0x02, 0x00, // 1 entry, i32 -> bool, key 1, value false
	0x00, // stop
}

func TestSkipStruct(t *testing.T) {
	r := &Reader{B: structBytes}
	if err := r.Skip(TypeStruct, 0); err != nil || r.Pos != len(structBytes) {
		t.Fatalf("Skip: err %v, at %d of %d", err, r.Pos, len(structBytes))
	}
	for n := range len(structBytes) {
		r := &Reader{B: structBytes[:n]}
		if err := r.Skip(TypeStruct, 0); !errors.Is(err, ErrShort) {
			t.Fatalf("Skip of the first %d bytes: %v, want ErrShort", n, err)
		}
	}
}

func TestFieldsAndLists(t *testing.T) {
	r := &Reader{B: structBytes}
	typ, delta, err := r.FieldHeader()
	if err != nil || typ != TypeI32 || delta != 1 {
		t.Fatalf("first field header: %d %d %v", typ, delta, err)
	}
	if v, err := r.Uvarint(); err != nil || Unzigzag(v) != -3 || Zigzag(-3) != v {
		t.Fatalf("first field value: %d %v", Unzigzag(v), err)
	}
	if typ, delta, _ = r.FieldHeader(); typ != TypeList || delta != 1 {
		t.Fatalf("second field header: %d %d", typ, delta)
	}
	n, elem, err := r.ListHeader()
	if err != nil || n != 1 || elem != TypeBinary {
		t.Fatalf("list header: %d %d %v", n, elem, err)
	}
	l, _ := r.Uvarint()
	if b, err := r.Bytes(l); err != nil || string(b) != "ab" {
		t.Fatalf("list element: %q %v", b, err)
	}
}

func TestReadFooter(t *testing.T) {
	dir := t.TempDir()
	meta := []byte{0x15, 0x02, 0x00}
	file := append([]byte(Magic+"data"), meta...)
	file = append(file, byte(len(meta)), 0, 0, 0)
	file = append(file, Magic...)
	good := filepath.Join(dir, "good.parquet")
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(good, file, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a parquet file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(good)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	footer, start, err := ReadFooter(f)
	if err != nil || string(footer) != string(meta) || start != int64(len(Magic+"data")) {
		t.Fatalf("ReadFooter: %x at %d, %v", footer, start, err)
	}
	g, err := os.Open(bad)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, _, err := ReadFooter(g); err == nil {
		t.Fatal("ReadFooter of a file without Parquet magic: no error")
	}
}
