package duckdbx

import (
	"sync"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// streamingOnce guards the one process-wide change EnableStreamingResults
// makes to the driver.
var streamingOnce sync.Once

// EnableStreamingResults makes every query of the process stream its result
// chunk by chunk instead of materialising all rows first, so a large SELECT
// costs the memory of one chunk, not of the whole result. It is safe to call
// more than once.
//
// duckdb-go executes prepared statements through the package variable
// mapping.PendingPrepared; this points it, once, at DuckDB's streaming
// variant. The price of streaming is DuckDB's rule that a connection has one
// live result: running another statement on the same connection ends the
// open result early, so a caller that keeps results open across statements
// (a suspended portal) must read them to the end first.
func EnableStreamingResults() {
	streamingOnce.Do(func() {
		mapping.PendingPrepared = bindings.PendingPreparedStreaming
	})
}
