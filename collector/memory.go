package collector

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
