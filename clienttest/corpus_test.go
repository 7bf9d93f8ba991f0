package clienttest

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// corpusEntry is one statement real clients sent, as captured on the wire
// (../shared/reference/client-queries/corpus.jsonl).
type corpusEntry struct {
	File         string   `json:"file"`
	Annotation   string   `json:"annotation"`
	Protocol     string   `json:"protocol"`
	Messages     []string `json:"messages"`
	ParamOIDs    []uint32 `json:"param_oids"`
	ServerOIDs   []uint32 `json:"server_param_desc"`
	ParamFormats []int16  `json:"param_formats"`
	Params       []*string
	RawParams    []json.RawMessage `json:"params"`
	SQL          string            `json:"sql"`
}

func loadCorpus(t *testing.T) []corpusEntry {
	f, err := os.Open(testsupport.SharedFile(t, "reference", "client-queries", "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e corpusEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.RawParams {
			var s *string
			_ = json.Unmarshal(r, &s)
			e.Params = append(e.Params, s)
		}
		out = append(out, e)
	}
	return out
}

// paramBytes decodes a captured parameter: binary ones are written \x<hex>
// with a note after a space.
func paramBytes(p *string, format int16) []byte {
	if p == nil {
		return nil
	}
	s := *p
	if format == 1 && strings.HasPrefix(s, `\x`) {
		h := strings.TrimPrefix(s, `\x`)
		if i := strings.IndexByte(h, ' '); i >= 0 {
			h = h[:i]
		}
		b, err := hex.DecodeString(h)
		if err == nil {
			return b
		}
	}
	return []byte(s)
}

// TestClientCorpus replays every statement of the captured client traffic
// through the protocol shape the client used, against tpserver.
func TestClientCorpus(t *testing.T) {
	corpus := loadCorpus(t)
	fx := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, fx.tp.dsn())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The capture database had a view failed_events (client-queries/README.md).
	if _, err := conn.Exec(ctx, "CREATE OR REPLACE VIEW failed_events AS SELECT * FROM aws_cloudtrail_log WHERE error_code IS NOT NULL").ReadAll(); err != nil {
		t.Fatal(err)
	}
	failed := 0
	lastOIDs := map[string][]uint32{} // a Bind reuses the types its Parse declared
	for i, e := range corpus {
		name := fmt.Sprintf("%s/%03d", strings.TrimSuffix(e.File, ".sql"), i)
		var err error
		upper := strings.ToUpper(strings.TrimSpace(e.SQL))
		if strings.HasPrefix(upper, "DECLARE") && conn.TxStatus() == 'I' {
			// psycopg2 runs with autocommit off: its BEGIN precedes DECLARE.
			conn.Exec(ctx, "BEGIN").ReadAll()
		}
		switch e.Protocol {
		case "simple":
			_, err = conn.Exec(ctx, e.SQL).ReadAll()
		default:
			oids := e.ParamOIDs
			if oids == nil {
				// Bind of a statement parsed earlier: reuse that Parse's types,
				// else what PostgreSQL described.
				if prev, ok := lastOIDs[e.SQL]; ok {
					oids = prev
				} else {
					oids = e.ServerOIDs
				}
			} else {
				lastOIDs[e.SQL] = oids
			}
			_, err = conn.Prepare(ctx, "", e.SQL, oids)
			if err == nil && executes(e.Messages) {
				params := make([][]byte, len(e.Params))
				formats := make([]int16, len(e.Params))
				for j, p := range e.Params {
					if j < len(e.ParamFormats) {
						formats[j] = e.ParamFormats[j]
					}
					params[j] = paramBytes(p, formats[j])
				}
				err = conn.ExecPrepared(ctx, "", params, formats, nil).Read().Err
			}
		}
		if err != nil {
			failed++
			if reason, ok := knownReason("corpus", "statement", name); ok {
				t.Logf("KNOWN %s: %s", name, reason)
				continue
			}
			t.Errorf("%s (%s, %s): %v\n%s", name, e.Annotation, e.Protocol, err, firstLines(e.SQL, 3))
		}
		if err != nil || strings.HasPrefix(upper, "CLOSE") {
			// End any transaction so the next statement starts clean.
			if conn.TxStatus() != 'I' {
				conn.Exec(ctx, "ROLLBACK").ReadAll()
			}
		}
	}
	t.Logf("%d of %d captured client statements ran without error", len(corpus)-failed, len(corpus))
}

// executes reports whether the captured messages ran the statement (a
// Parse+Describe alone only asks for its description).
func executes(msgs []string) bool {
	for _, m := range msgs {
		if strings.HasPrefix(m, "Execute") || strings.HasPrefix(m, "Bind") {
			return true
		}
	}
	return false
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
