package pgwire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestPagesAcrossPrefetchedChunks pages a result of several full chunks
// (whose next chunk is fetched ahead while one is encoded: FetchAhead) in pages that
// end inside chunks and on their boundaries, with a statement run between
// two pages: every row arrives once and in order, and the portal ends
// with the full count.
func TestPagesAcrossPrefetchedChunks(t *testing.T) {
	ts := startServerOptions(t, Options{FetchAhead: true})
	rc := dialRaw(t, ts)
	const total = 5 * fullChunk
	rc.send(&pgproto3.Query{String: "BEGIN"})
	rc.until("ReadyForQuery")
	rc.send(
		&pgproto3.Parse{Name: "big", Query: fmt.Sprintf("SELECT i, 'row ' || i AS s FROM range(%d) t(i) ORDER BY i", total)},
		&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "big"},
		&pgproto3.Sync{},
	)
	rc.until("ReadyForQuery")
	next, pages := 0, 0
	for _, size := range []uint32{fullChunk - 7, 7, fullChunk, 3000, 0} {
		rc.send(&pgproto3.Execute{Portal: "p", MaxRows: size}, &pgproto3.Sync{})
		got := rc.until("ReadyForQuery")
		for _, m := range got[:len(got)-2] {
			if want := fmt.Sprintf("DataRow %d row %d", next, next); m != want {
				t.Fatalf("page %d: %q, want %q", pages, m, want)
			}
			next++
		}
		end := got[len(got)-2]
		if size != 0 && next < total && end != "PortalSuspended" {
			t.Fatalf("page %d ends with %q, want PortalSuspended", pages, end)
		}
		pages++
		if pages == 3 {
			// A statement between pages reads the rest of the portal into
			// memory first; nothing may still be fetching it.
			rc.send(&pgproto3.Query{String: "SELECT 42"})
			if got := rc.until("ReadyForQuery"); !strings.Contains(strings.Join(got, ","), "DataRow 42") {
				t.Fatalf("statement between pages: %q", got)
			}
		}
		if size == 0 && end != fmt.Sprintf("CommandComplete SELECT %d", total) {
			t.Fatalf("last page ends with %q", end)
		}
	}
	if next != total {
		t.Fatalf("read %d rows, want %d", next, total)
	}
}
