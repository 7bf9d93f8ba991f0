package pqfooter

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// writeParquet writes the rows of sel to a Parquet file with DuckDB.
func writeParquet(t *testing.T, db *sql.DB, dir, name, sel, opts string) string {
	t.Helper()
	p := filepath.Join(dir, name+".parquet")
	if _, err := db.Exec("COPY (" + sel + ") TO '" + p + "' (FORMAT parquet" + opts + ")"); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSchemaDigestFollowsTheSchema checks that files of one schema share
// a digest whatever their rows, row groups and compression, and that each
// change of the schema changes it, agreeing with DuckDB's parquet_schema.
func TestSchemaDigestFollowsTheSchema(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	base := `SELECT i::BIGINT AS a, 'x' || i AS b, {'k': i, 'l': [i, i]} AS c, i %% 2 = 0 AS d FROM range(%d) t(i)`
	same := []string{
		writeParquet(t, db, dir, "s1", fmt.Sprintf(base, 3), ""),
		writeParquet(t, db, dir, "s2", fmt.Sprintf(base, 100000), ", ROW_GROUP_SIZE 1000"),
		writeParquet(t, db, dir, "s3", fmt.Sprintf(base, 10), ", COMPRESSION zstd"),
	}
	differ := []string{
		writeParquet(t, db, dir, "renamed", `SELECT i::BIGINT AS a, 'x' || i AS bb, {'k': i, 'l': [i, i]} AS c, i % 2 = 0 AS d FROM range(3) t(i)`, ""),
		writeParquet(t, db, dir, "retyped", `SELECT i::INTEGER AS a, 'x' || i AS b, {'k': i, 'l': [i, i]} AS c, i % 2 = 0 AS d FROM range(3) t(i)`, ""),
		writeParquet(t, db, dir, "reordered", `SELECT 'x' || i AS b, i::BIGINT AS a, {'k': i, 'l': [i, i]} AS c, i % 2 = 0 AS d FROM range(3) t(i)`, ""),
		writeParquet(t, db, dir, "nested", `SELECT i::BIGINT AS a, 'x' || i AS b, {'k': i, 'm': [i, i]} AS c, i % 2 = 0 AS d FROM range(3) t(i)`, ""),
		writeParquet(t, db, dir, "extra", `SELECT i::BIGINT AS a, 'x' || i AS b, {'k': i, 'l': [i, i]} AS c, i % 2 = 0 AS d, 1 AS e FROM range(3) t(i)`, ""),
		writeParquet(t, db, dir, "json", `SELECT i::BIGINT AS a, ('"x' || i || '"')::JSON AS b, {'k': i, 'l': [i, i]} AS c, i % 2 = 0 AS d FROM range(3) t(i)`, ""),
	}
	want, err := SchemaDigest(same[0])
	if err != nil {
		t.Fatal(err)
	}
	duck := func(p string) string {
		var s string
		if err := db.QueryRow("SELECT string_agg(concat_ws('|', name, type, repetition_type, num_children, converted_type, logical_type), ';') FROM parquet_schema('" + p + "')").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, p := range same[1:] {
		got, err := SchemaDigest(p)
		if err != nil {
			t.Fatal(err)
		}
		if got != want || duck(p) != duck(same[0]) {
			t.Errorf("%s: digest differs from %s's for the same schema", filepath.Base(p), filepath.Base(same[0]))
		}
	}
	for _, p := range differ {
		got, err := SchemaDigest(p)
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			t.Errorf("%s: digest equals %s's for a different schema", filepath.Base(p), filepath.Base(same[0]))
		}
		if duck(p) == duck(same[0]) {
			t.Errorf("%s: DuckDB sees the same schema; the test's files are wrong", filepath.Base(p))
		}
	}
}

// TestSchemaDigestRefusesWhatIsNotParquet checks the errors for files that
// are not (complete) Parquet.
func TestSchemaDigestRefusesWhatIsNotParquet(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	good := writeParquet(t, db, dir, "good", "SELECT 1 AS a", "")
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":     nil,
		"text":      []byte("not a parquet file at all, just text"),
		"truncated": b[:len(b)-3],
		"bad len":   append(append(append([]byte{}, b[:len(b)-8]...), 0xff, 0xff, 0xff, 0x7f), "PAR1"...),
		// The footer cut short: its length says more than is there.
		"cut footer": append(append([]byte("PAR1"), b[len(b)-8-10:len(b)-8]...), append([]byte{200, 0, 0, 0}, "PAR1"...)...),
	}
	for name, data := range cases {
		p := filepath.Join(dir, name+".parquet")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := SchemaDigest(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := SchemaDigest(filepath.Join(dir, "missing.parquet")); err == nil {
		t.Error("missing file: no error")
	}
	if _, err := SchemaBytes([]byte{0x15, 0x02, 0x00}); err == nil {
		t.Error("footer without a schema: no error")
	}
}

// FuzzSchemaBytes checks that no footer makes SchemaBytes panic or return
// bytes outside the footer.
func FuzzSchemaBytes(f *testing.F) {
	f.Add([]byte{0x15, 0x02, 0x19, 0x1c, 0x18, 0x01, 'a', 0x00, 0x00})
	f.Fuzz(func(t *testing.T, footer []byte) {
		s, err := SchemaBytes(footer)
		if err == nil && len(s) > len(footer) {
			t.Fatalf("schema of %d bytes from a footer of %d", len(s), len(footer))
		}
	})
}
