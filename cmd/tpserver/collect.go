package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tpserver/tpserver/collector"
)

// collectExitHelp documents collect's exit statuses in --help.
const collectExitHelp = `
Exit status:
    0    everything in the window was collected (digest files are skipped by design)
    1    an unexpected error stopped the command
    2    usage or configuration error (bad flag, --from/--to, .tpc file, partition
         name): nothing was collected
  100    some files could not be read or some events were skipped or kept with a
         value stored as NULL; everything else was collected, and failed files are
         tried again by the next run. The problems are listed at the end.
  101    the collection of at least one partition failed (it was rolled back to its
         last commit); takes precedence over 100`

// collectGoMemory is the soft limit of the Go runtime's memory during a
// collection (GOMEMLIMIT overrides it): under it GOGC 400 saves CPU; near
// it the garbage collector runs more often. DuckDB's memory (staging,
// compaction) is outside it. The live heap grows with the source files
// collected (the partition state: 30 MiB at 10M events, 200,000 files),
// and GOGC 400 lets the heap grow to five times that: with 128 MiB, the
// Go share of the collection's RSS rose from 54 to 121 MiB over a 10M run
// while DuckDB's stayed at 230-280 MiB; 64 MiB holds it at 60 MiB for
// about 1% more CPU in garbage collection.
const collectGoMemory = 64 << 20

func newCollectCommand(g *globals) *cobra.Command {
	var from, to string
	var compact, progress, overwrite bool
	cmd := &cobra.Command{
		Use:   "collect [TABLE | TABLE.PARTITION ...]",
		Short: "Collect log files of configured partitions into the lake",
		Long: `Collect log files of the configured partitions (all when none is named) into the
Parquet lake. Files already collected are skipped. --from/--to accept a date
(2024-01-02), an RFC 3339 time, or a relative time such as T-7d, T-2Y, T-10m.
` + collectExitHelp,
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := g.logger()
			if err != nil {
				return usageError(err)
			}
			defer log.Sync()
			now := time.Now()
			opt := collector.Options{Compact: compact, Overwrite: overwrite}
			if from != "" {
				if opt.From, err = collector.ParseTime(from, now); err != nil {
					return usageError(fmt.Errorf("--from: %w", err))
				}
			}
			if to != "" {
				if opt.To, err = collector.ParseTime(to, now); err != nil {
					return usageError(fmt.Errorf("--to: %w", err))
				}
				if opt.To.After(now) {
					return usageError(fmt.Errorf("--to %s is in the future", to))
				}
			}
			if !opt.From.IsZero() && !opt.To.IsZero() && !opt.From.Before(opt.To) {
				return usageError(fmt.Errorf("--from %s is not before --to %s", from, to))
			}
			if os.Getenv("GOGC") == "" {
				// Collection allocates fast over a small live heap (tens of
				// MiB): collecting garbage less often saves about a tenth
				// of its CPU for less than 100 MiB more heap.
				debug.SetGCPercent(400)
			}
			if os.Getenv("GOMEMLIMIT") == "" {
				// The live heap grows with the source files collected (80
				// MiB at 200,000 files before the state was keyed by hash):
				// without a limit, GOGC 400 let the heap reach five times
				// that (410 MiB at 10M events).
				debug.SetMemoryLimit(collectGoMemory)
			}
			ctx := cmd.Context()
			ws, err := g.workspace(ctx, log)
			if err != nil {
				return err
			}
			parts, err := ws.selectPartitions(args)
			if err != nil {
				return usageError(err)
			}
			c := ws.collector()
			var runs []partitionRun
			for _, p := range parts {
				o := opt
				var view *progressView
				if progress {
					o.Progress = &collector.Progress{}
					view = startProgress(cmd.ErrOrStderr(), term.IsTerminal(int(os.Stderr.Fd())), p.FullName(), o.Progress)
				}
				res, err := c.Collect(ctx, p, o)
				if view != nil {
					view.Stop()
				}
				if res != nil {
					printSummary(cmd.OutOrStdout(), res)
				}
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "collection of %s failed: %v\n", p.FullName(), err)
				}
				runs = append(runs, partitionRun{name: p.FullName(), res: res, err: err})
				if err != nil && ctx.Err() != nil {
					break
				}
			}
			printProblems(cmd.OutOrStdout(), runs)
			return collectOutcome(runs, len(parts))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "collect events from this time (default: a day before the last collection, or 7 days ago)")
	cmd.Flags().StringVar(&to, "to", "", "collect events before this time (default: now)")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "collect again the events of the --from/--to window from files already collected, replacing their rows")
	cmd.Flags().BoolVar(&compact, "compact", true, "merge small files of each day after collecting")
	cmd.Flags().BoolVar(&progress, "progress", true, "show progress: live on a terminal, a line every 10s otherwise")
	return cmd
}

// partitionRun is the outcome of collecting one partition.
type partitionRun struct {
	name string
	res  *collector.Result // nil when the run failed before starting
	err  error
}

// incomplete reports whether a run left files or events out, or kept events
// with a value stored as NULL.
func (r partitionRun) incomplete() bool {
	return r.res != nil && (r.res.FailedFiles > 0 || r.res.RowErrors > 0 || r.res.RowWarnings > 0)
}

// collectOutcome turns the runs into the command's exit status: 101 when a
// partition failed, else 100 when something was left out, else success.
func collectOutcome(runs []partitionRun, total int) error {
	var failed, incomplete int
	var files, events, values int64
	for _, r := range runs {
		if r.err != nil {
			failed++
		}
		if r.incomplete() {
			incomplete++
			files += int64(r.res.FailedFiles)
			events += r.res.RowErrors
			values += r.res.RowWarnings
		}
	}
	if failed > 0 {
		return &exitError{code: exitPartitionFailed, err: fmt.Errorf("%d of %d partitions failed", failed, total)}
	}
	if incomplete > 0 {
		return &exitError{code: exitIncomplete, err: fmt.Errorf(
			"collection incomplete in %d of %d partitions: %d files not collected, %d events skipped, %d values not read (see above)",
			incomplete, total, files, events, values)}
	}
	return nil
}

// printSummary prints what one partition's collection did.
func printSummary(w io.Writer, r *collector.Result) {
	fmt.Fprintf(w, "Collected %s from %s to %s\n", r.Partition, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "  Files: %d discovered, %d collected, %d already collected, %d digest files skipped, %d failed\n",
		r.Discovered, r.Collected, r.Skipped, r.Digests, r.FailedFiles)
	fmt.Fprintf(w, "  Rows:  %d saved, %d filtered, %d duplicates, %d events skipped, %d values not read\n",
		r.Rows, r.Filtered, r.Duplicates, r.RowErrors, r.RowWarnings)
	if r.OutsideWindow > 0 {
		fmt.Fprintf(w, "  Left for another window: %d rows with an event time outside the window\n", r.OutsideWindow)
	}
	if c := r.Compaction; c != nil && c.FilesBefore > 0 {
		fmt.Fprintf(w, "  Compacted %d files into %d (%d rows)\n", c.FilesBefore, c.FilesAfter, c.Rows)
	}
	if r.Overwritten > 0 {
		fmt.Fprintf(w, "  Overwrite: deleted %d rows before collecting again\n", r.Overwritten)
	}
	if r.RolledBack > 0 {
		fmt.Fprintf(w, "  Recovered an interrupted run: removed %d unpublished files\n", r.RolledBack)
	}
	if !r.End.IsZero() {
		fmt.Fprintf(w, "  Time:  %s\n", r.End.Sub(r.Start).Round(time.Millisecond))
	}
}

// Limits of the problem list printed at the end of collect; the log has every
// file, and counts are always complete.
const (
	maxFilesShown  = 20 // files per partition
	maxEventsShown = 3  // event problems per file
)

// printProblems lists, after every partition ran, what was not collected and
// why: failed partitions, failed files, skipped events and values not read.
func printProblems(w io.Writer, runs []partitionRun) {
	header := false
	for _, r := range runs {
		if r.err == nil && !r.incomplete() {
			continue
		}
		if !header {
			fmt.Fprintln(w, "\nNot collected:")
			header = true
		}
		if r.err != nil {
			fmt.Fprintf(w, "  %s: collection failed: %v\n", r.name, r.err)
		}
		if !r.incomplete() {
			continue
		}
		res := r.res
		fmt.Fprintf(w, "  %s: %d files failed, %d events skipped, %d values not read\n", r.name, res.FailedFiles, res.RowErrors, res.RowWarnings)
		for i, p := range res.Problems {
			if i == maxFilesShown {
				break
			}
			if p.Err != nil {
				fmt.Fprintf(w, "    %s: %v\n", p.Location, p.Err)
				continue
			}
			fmt.Fprintf(w, "    %s: %d events skipped, %d values not read\n", p.Location, p.SkippedEvents, p.Warnings)
			for j, e := range p.Events {
				if j == maxEventsShown {
					break
				}
				fmt.Fprintf(w, "      %v\n", e.Err)
			}
			if more := p.SkippedEvents + p.Warnings - int64(min(len(p.Events), maxEventsShown)); more > 0 {
				fmt.Fprintf(w, "      ... and %d more in this file\n", more)
			}
		}
		if more := len(res.Problems) + res.ProblemsOmitted - maxFilesShown; more > 0 {
			fmt.Fprintf(w, "    ... and %d more files with problems (see the log)\n", more)
		}
	}
}
