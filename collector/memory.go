package collector

import (
	"os"
	"runtime/metrics"
	"strconv"
	"strings"

	"go.uber.org/zap"
)

// memorySettings are set in every DuckDB database the collector opens (the
// staging writers and compaction), so that its memory stays that of the
// batch or day at hand rather than growing with what the run has read:
//
//   - DuckDB allocates through its bundled jemalloc, which keeps the pages
//     a query frees until a later allocation in the same arena purges them.
//     The collector's databases free a batch or a day at a time and run on
//     one thread, so hundreds of MiB of freed pages stayed resident
//     (jemalloc's resident bytes 300-570 MiB while its allocated bytes were
//     0-130 MiB). Background threads purge them once their decay time
//     (DuckDB's default, 1 s) is over. The setting is process-wide.
//   - DuckDB's cache of file contents (on by default, with local files
//     too) kept the data files a compaction or a look-up of duplicates had
//     read, up to the database's memory limit (the staging databases have
//     none). The collector reads each file once: the cache only holds
//     memory.
func memorySettings() []string {
	return []string{
		"SET allocator_background_threads = true",
		"SET enable_external_file_cache = false",
	}
}

// memoryFields describes the process's memory for a debug log line: its
// resident set (procRSS) and the Go runtime's share of it (goMapped); the
// rest is DuckDB's (its allocator, with the pages it keeps) and code.
// DuckDB's own accounting (duckdb_memory()) does not see a staged batch
// while it is in the appender, so it is not asked.
func memoryFields() []zap.Field {
	return []zap.Field{zap.Int64("rss_mib", procRSS()>>20), zap.Uint64("go_mib", goMapped()>>20)}
}

// procRSS is the process's resident set in bytes, or 0 where /proc is
// missing.
func procRSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// goMapped is the memory the Go runtime holds from the OS: all it mapped
// less what it returned.
func goMapped() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}
