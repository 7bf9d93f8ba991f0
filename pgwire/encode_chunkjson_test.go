package pgwire

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// TestAppendJSONString checks the escaping of strings of every length
// around the eight-byte runs, with characters that need an escape at each
// position: each must read back as the string (encoding/json), and be
// written as to_json writes it, byte by byte.
func TestAppendJSONString(t *testing.T) {
	alphabet := []string{"a", "Z", "0", " ", "/", "<", "é", "\u2028", "\x7f", "\"", "\\", "\n", "\t", "\b", "\f", "\r", "\x00", "\x01", "\x1f", "😀"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 5000 {
		var b strings.Builder
		for range n % 41 {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		got := appendJSONString([]byte("x"), []byte(s))[1:]
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Fatalf("%q rendered %q, reads back %q (%v)", s, got, back, err)
		}
		if want := toJSONString(s); string(got) != want {
			t.Fatalf("%q rendered %q, want %q", s, got, want)
		}
	}
}

// toJSONString is the escaping of to_json (yyjson), one byte at a time.
func toJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// BenchmarkAppendJSONString renders an ARN-like string.
func BenchmarkAppendJSONString(b *testing.B) {
	s := []byte("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/someone@example.com")
	var dst []byte
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		dst = appendJSONString(dst[:0], s)
	}
}

// BenchmarkNestedJSON renders the user identity column of
// cloudtrailShapedSQL (a STRUCT of text and nested STRUCTs, some fields
// NULL) from one chunk of DuckDB's vectors: the cost per value of
// encode_chunkjson.go alone, the vectors in cache.
func BenchmarkNestedJSON(b *testing.B) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	q := "SELECT useridentity FROM (" + cloudtrailShapedSQL(2048) + ")"
	err = conn.Raw(func(dc any) error {
		dr, err := dc.(*duckdb.Conn).QueryContext(context.Background(), q, nil)
		if err != nil {
			return err
		}
		src, ok := duckdbx.NewChunks(dr)
		if !ok {
			_ = dr.Close()
			return errors.New("duckdb-go's rows are not readable as chunks")
		}
		defer src.Close()
		chunk := src.Next()
		if chunk == nil {
			return fmt.Errorf("no chunk: %v", src.Err())
		}
		node := newJSONNode(&src.Columns()[0].Shape)
		var dst []byte
		cpu0 := processCPU()
		for b.Loop() {
			for i := range chunk.Size {
				dst = node.append(dst[:0], &chunk.Cols[0], i)
			}
		}
		// CPU time, not wall time: the machine may be shared.
		b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N*chunk.Size), "CPU-ns/value")
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
