// Command bench measures tpserver at scale and prints every figure beside a
// baseline measured in the same run, as a ratio.
//
//	go run ./bench -events 1000000 -out BENCHMARKS.md
//
// Sections (pick with -sections, comma-separated):
//
//   - generate: writes N events of realistic synthetic CloudTrail in the S3
//     delivery layout (gzipped {"Records":[...]} files per account, region
//     and 5-minute slot), by running collector/demo scaled up to busy
//     accounts (Options.Scale 60: about 140,000 events a day, 55 events of
//     about 1.1 KB per file, like the 16,964 files per 1M events;
//     smaller scales below 135,000 events) over consecutive windows of at
//     most 400,000 events with a seed per window, so the data is
//     deterministic for a given -events. Figures: files, events, gzipped
//     bytes.
//
//   - collect: `tpserver collect` of those files into a fresh lake, timed,
//     with the child's peak RSS (the largest VmHWM of its process tree,
//     polled from /proc: wait4's rusage would start from the bench
//     process's own peak, see watchPeakRSS). Baselines: DuckDB alone
//     doing the same conversion (read_json of the .json.gz files, Records
//     unnested, COPY ... TO parquet) in a child process, and `zcat` of all
//     files to /dev/null (the cost of merely reading them). With
//     -baseline-bin, tpserver and that build collect -collect-runs times
//     each, alternately (3 up to 1M events, 1 above), into an empty lake
//     each time; their rows are medians, each run listed below. Figures:
//     events/s, MB/s of compressed input, CPU (user + system of the child
//     and its children, rusage), peak RSS; ratio = tpserver throughput /
//     baseline throughput (1.00 = as fast; below 1 = slower), tpserver
//     CPU / baseline CPU and tpserver RSS / baseline RSS. The lake each tpserver collect
//     left (and -baseline-bin's): live files, files per day, and count(*)
//     in-process over it (the cost of its layout to a small query).
//
//   - queries: `tpserver serve` on that lake (127.0.0.1, a free port);
//     count(*), ORDER BY event_time DESC LIMIT 100 and two of the blog's
//     queries through pgx (every value of every row read) and through psql
//     (its \timing, output to /dev/null). Baselines: the
//     same SQL in DuckDB in-process over the lake's Parquet files, and
//     PostgreSQL 15 (a throwaway cluster) holding the same rows in the
//     columns the queries use, nested objects as jsonb, an index on
//     event_time. Figure: median of 5 runs after a warm-up; ratio =
//     tpserver time / baseline time.
//
//   - dashboard: pgbench (simple protocol) runs a 3-panel dashboard refresh
//     (top 10 services and events per hour over the data's last 7 days,
//     latest 50 events; the window moves by a random shift each refresh, so
//     every text is new to the server, as Grafana's literals are) for 15 s
//     at 1, 8 and 32 clients (one connection and thread each) against
//     `tpserver serve` on the collected lake, and against PostgreSQL 15
//     holding the same rows (as in queries). Figures: tps, p99 latency of a
//     refresh (from pgbench's per-transaction log), errors (failed
//     transactions and aborted clients), the server's CPU time per refresh
//     (proccpu.go: tpserver's process, PostgreSQL's postmaster with its
//     backends; far less sensitive to the machine's load than tps); ratio =
//     tpserver tps / PostgreSQL tps.
//
//   - latest: `select * from aws_cloudtrail_log order by event_time desc
//     limit 100` in-process (tpserver's catalog in memory over the
//     collected lake) broken down: as tpserver runs it (translated, with
//     its day bound), the same query over the newest day's files only and
//     over the newest file alone, that file's first 100 rows unsorted (one
//     vector of every column decoded: the floor of any select * over a
//     file) and the lake view with event_time alone. Figures: median wall
//     time of 31 runs after a warm-up and the process's CPU time per run;
//     ratio = figure / the newest file alone's.
//
//   - stream: `select * from aws_cloudtrail_log` of that lake (all -events
//     rows; 1M and 10M are two runs) from `tpserver serve` to pgx in text
//     (simple protocol) and binary (described statement), raw values, and
//     to psql (output to /dev/null, FETCH_COUNT above 2M rows), with the
//     server's RSS before, at its peak (sampled every 20 ms) and after.
//     Baseline: PostgreSQL 15 holding the same rows in the types tpserver
//     describes (copied through tpserver's COPY TO STDOUT). Figure: best
//     of 2 runs; ratio = tpserver rows/s / PostgreSQL rows/s.
//
//   - startup: the collected rows split into -startup-files Parquet files
//     (default 10,000) of consecutive tp_timestamp, one tp_date each,
//     written by DuckDB, dated an hour back and published in one commit
//     through the lake package; `tpserver serve` on that lake (configured
//     with another, idle partition so background compaction leaves the
//     files alone), timed from exec until `select 1` and then
//     `select count(*)` answer through pgx, its RSS (VmRSS, VmHWM) after
//     that count, and the median of 5 warm runs of select 1, count(*) and
//     a one-day count(*). Baseline: a child process of the bench binary
//     opening DuckDB alone, defining the same view over the same files and
//     running the same statements. The same again on a hundredth as many
//     files (same rows) shows how a statement's cost grows with files.
//
//   - s3: -s3-objects CloudTrail objects (default 100,000, ~2.5 KB each)
//     generated a day at a time straight into the bucket directory of
//     versitygw's posix backend, served on 127.0.0.1; `tpserver collect`
//     of an aws_s3_bucket partition, timed with its peak RSS. Baselines:
//     download only (a child process with the collector's S3 client
//     settings, one flat listing, then 16 GETs at a time, bodies
//     discarded) and `tpserver collect` of the same files from local disk.
//     Without versitygw on PATH the section says so.
//
// A section is one line in sections (main.go); what several need (the
// generated files, the tpserver binary, the collected lake) is made once,
// on first use, by env. Baselines that run as child processes are hidden
// first arguments of the bench binary (hiddenCommands).
package main
