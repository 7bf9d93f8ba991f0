package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tpserver/tpserver/collector"
)

func newCollectCommand(g *globals) *cobra.Command {
	var from, to string
	var compact, progress, overwrite bool
	cmd := &cobra.Command{
		Use:   "collect [TABLE | TABLE.PARTITION ...]",
		Short: "Collect log files of configured partitions into the lake",
		Long: `Collect log files of the configured partitions (all when none is named) into the
Parquet lake. Files already collected are skipped. --from/--to accept a date
(2024-01-02), an RFC 3339 time, or a relative time such as T-7d, T-2Y, T-10m.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := g.logger()
			if err != nil {
				return err
			}
			defer log.Sync()
			now := time.Now()
			opt := collector.Options{Compact: compact, Overwrite: overwrite}
			if from != "" {
				if opt.From, err = collector.ParseTime(from, now); err != nil {
					return fmt.Errorf("--from: %w", err)
				}
			}
			if to != "" {
				if opt.To, err = collector.ParseTime(to, now); err != nil {
					return fmt.Errorf("--to: %w", err)
				}
				if opt.To.After(now) {
					return fmt.Errorf("--to %s is in the future", to)
				}
			}
			if !opt.From.IsZero() && !opt.To.IsZero() && !opt.From.Before(opt.To) {
				return fmt.Errorf("--from %s is not before --to %s", from, to)
			}
			ctx := cmd.Context()
			ws, err := g.workspace(ctx, log)
			if err != nil {
				return err
			}
			parts, err := ws.selectPartitions(args)
			if err != nil {
				return err
			}
			c := ws.collector()
			failed := 0
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
					failed++
					fmt.Fprintf(cmd.ErrOrStderr(), "collection of %s failed: %v\n", p.FullName(), err)
					if ctx.Err() != nil {
						break
					}
				}
			}
			if failed > 0 {
				return &exitError{code: 101, err: fmt.Errorf("%d of %d partitions failed", failed, len(parts))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "collect files from this time (default: the last collection, or 7 days ago)")
	cmd.Flags().StringVar(&to, "to", "", "collect files up to this time (default: now)")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "collect again the files in the --from/--to window that were already collected, replacing their rows")
	cmd.Flags().BoolVar(&compact, "compact", true, "merge small files of each day after collecting")
	cmd.Flags().BoolVar(&progress, "progress", true, "show progress: live on a terminal, a line every 10s otherwise")
	return cmd
}

// printSummary prints what one partition's collection did.
func printSummary(w io.Writer, r *collector.Result) {
	fmt.Fprintf(w, "Collected %s from %s to %s\n", r.Partition, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "  Files: %d discovered, %d collected, %d already collected, %d failed\n",
		r.Discovered, r.Collected, r.Skipped, r.FailedFiles)
	fmt.Fprintf(w, "  Rows:  %d saved, %d filtered, %d errors\n", r.Rows, r.Filtered, r.RowErrors)
	if c := r.Compaction; c != nil && c.FilesBefore > 0 {
		fmt.Fprintf(w, "  Compacted %d files into %d (%d rows)\n", c.FilesBefore, c.FilesAfter, c.Rows)
	}
	if r.Overwritten > 0 {
		fmt.Fprintf(w, "  Overwrite: deleted %d rows before collecting again\n", r.Overwritten)
	}
	if r.RolledBack > 0 {
		fmt.Fprintf(w, "  Recovered an interrupted run: removed %d unpublished files\n", r.RolledBack)
	}
	const maxShown = 20
	for i, e := range r.Errors {
		if i == maxShown {
			fmt.Fprintf(w, "  ... and %d more errors (see the log)\n", len(r.Errors)-maxShown)
			break
		}
		fmt.Fprintf(w, "  Error: %s\n", e.Error())
	}
	if !r.End.IsZero() {
		fmt.Fprintf(w, "  Time:  %s\n", r.End.Sub(r.Start).Round(time.Millisecond))
	}
}
