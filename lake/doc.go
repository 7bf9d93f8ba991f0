// Package lake is the on-disk contract between the collector, which writes
// the lake, and the catalog and any other reader: the directory layout, the
// manifests that say which data files are live, the collection log that says
// which source files those rows came from, the table schemas, and the one
// commit path through which every change to a partition is made.
//
// # Layout
//
// A lake is a data dir of plain Parquet files (zstd) in a hive layout, and a
// state dir (by default <data-dir>/state) for what only writers need:
//
//	<data-dir>/tp_table=<table>/tp_partition=<name>/_manifest.json
//	<data-dir>/tp_table=<table>/tp_partition=<name>/tp_index=<index>/tp_date=YYYY-MM-DD/data_<batch>_<n>.parquet
//	<state-dir>/collection_<table>_<name>.log    the collection log
//	<state-dir>/collection_<table>_<name>.json   run info: the end of the last run's window
//	<state-dir>/collection_<table>_<name>.lock   held (flock) by the partition's one writer
//
// The hive keys (tp_table, tp_partition, tp_index, tp_date) live in the
// directory names, not in the files; Table.FileColumns are the columns a file
// stores. A data file is named by DataFileName from the batch number of the
// commit that published it and its rank in that commit; batch numbers only
// grow, so a name is never reused. A file being written has the extension
// TempFileExt and is renamed to DataFileExt once complete and synced.
//
// # Time order
//
// Every data file holds its rows newest first (FileOrder: tp_timestamp
// DESC) in row groups of about an hour of events (RowGroupRows), and
// readers list a table's files newest first (NewestFirst). DuckDB skips a
// row group by its min/max statistics, so a query on a window of time reads
// the row groups of that window, and a "latest N events" query (ORDER BY
// the event time DESC LIMIT N) reads the first row groups of the newest
// file: its top-N filter, set by them, rules out every older row group.
// DuckDB skips a whole file unopened only on a filter of tp_date; a
// table's DayColumns are the time columns whose UTC date is tp_date, from
// which a reader may derive one (the catalog's translator does).
//
// # Manifests
//
// Each partition directory holds _manifest.json (Manifest): the live data
// files with their row counts, sizes, tp_date and directory; the retired
// files, replaced by compaction or --overwrite and kept on disk for a grace
// period for queries planned before the replacement; and the batch number of
// the last commit. A data file is part of its table exactly when its
// partition's manifest lists it in files: a reader that follows manifests
// (Live, LiveFiles) never sees a partial file, a row twice during a
// compaction, or a row vanish. Files on disk that the manifest does not name
// are not part of the table, whatever their name.
//
// # The collection log
//
// The collection log of a partition is JSON lines, one LogEntry per source
// file a commit recorded: collected in full, collected for a window of event
// times (part, from, to), or forgotten by --overwrite (forget). Each entry
// carries the batch number of its commit (b). An entry belongs to the state
// exactly when its batch is at most the manifest's: the log is appended
// before the manifest is replaced, so entries of a higher batch are the
// remains of a commit that never happened. The log's format is part of this
// contract because its meaning is tied to the manifest's batch number and
// because recovery must read and cut it; what the entries mean for what to
// collect next is the collector's.
//
// # Commit
//
// Open takes a partition's lock and recovers it; Partition.Commit then makes
// one Change: data files written aside to add (StagedFile, placed with
// Stage), live files to retire, log entries to append, retired files to
// purge. Commit works in this order:
//
//  1. each staged file is renamed to its final name and its directory synced
//     (the file is on disk but no manifest names it: an orphan);
//  2. the log entries, stamped with the next batch number, are appended and
//     the log synced (entries of a batch the manifest does not name yet);
//  3. the new manifest is written to a temporary file and synced;
//  4. it is renamed over _manifest.json and the directory synced: the commit
//     point. From here readers, and Open after any crash, see the new state;
//  5. purged files are deleted.
//
// A commit that fails before step 4 undoes itself: it removes the files it
// staged and renamed and truncates the log back to its size before step 2,
// so the partition takes the next commit as if nothing happened. A commit
// that is killed leaves its remains to recovery.
//
// # Recovery
//
// Open, before anything else, brings the partition back to its last commit:
// it drops from the log the entries of batches above the manifest's and a
// torn last line (rewriting the log atomically), and deletes temporary data
// files, half-written manifests, and data files the manifest neither lists
// nor retires. A crash at any step therefore shows, on the next Open, either
// the old state (before step 4) or the new one (from step 4 on), never a mix;
// the tests inject a failure and a crash after each step to prove it.
//
// Retired files are deleted by PurgeRetired once their grace is over: it
// commits a manifest without them first, so if the deletion is interrupted
// they are orphans that the next Open removes.
package lake
