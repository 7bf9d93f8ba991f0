package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/collector"
	"github.com/tpserver/tpserver/pgwire"
)

func newServeCommand(g *globals) *cobra.Command {
	var listen string
	var refresh time.Duration
	var auth serveAuth
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lake over the PostgreSQL wire protocol",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ws, err := g.openWorkspace(ctx)
			if err != nil {
				return err
			}
			log := ws.log
			defer log.Sync()
			cat, err := catalog.Open(ctx, ws.catalogOptions())
			if err != nil {
				return err
			}
			defer cat.Close()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			log.Info("serving the PostgreSQL protocol", zap.String("listen", ln.Addr().String()),
				zap.String("data_dir", ws.dataDir), zap.Duration("refresh_interval", refresh))

			// Keep the partitions current in the background; readers switch
			// to new files at each commit.
			c := ws.collector()
			c.OnCommit = func() {
				if err := cat.Refresh(ctx); err != nil && ctx.Err() == nil {
					log.Error("refresh lake views", zap.Error(err))
				}
			}
			sched := &collector.Scheduler{
				Collector: c, Partitions: ws.partitions, Interval: refresh, Logger: log,
				OnStatus: func(st []collector.Status) {
					if err := cat.SetPartitionStatus(ctx, partitionStatus(st)); err != nil && ctx.Err() == nil {
						log.Error("update tpserver.partitions", zap.Error(err))
					}
				},
			}
			var bg sync.WaitGroup
			bg.Add(1)
			go func() {
				defer bg.Done()
				sched.Run(ctx)
			}()
			defer bg.Wait()

			opt := pgwire.Options{Logger: log}
			auth.apply(&opt, ws.users, log)
			srv := pgwire.NewServer(cat, opt)
			err = srv.Serve(ctx, ln)
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				log.Info("server stopped")
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:5433", "address to listen on")
	cmd.Flags().DurationVar(&refresh, "refresh-interval", envDuration("TPSERVER_REFRESH_INTERVAL", collector.DefaultRefreshInterval),
		"how often to collect every partition in the background (env TPSERVER_REFRESH_INTERVAL)")
	auth.addFlags(cmd.Flags())
	return cmd
}

// partitionStatus converts the scheduler's status into tpserver.partitions rows.
func partitionStatus(st []collector.Status) []catalog.PartitionStatus {
	out := make([]catalog.PartitionStatus, len(st))
	for i, s := range st {
		state := "idle"
		switch {
		case s.Running:
			state = "running"
		case s.LastError != "":
			state = "failed"
		}
		out[i] = catalog.PartitionStatus{
			Partition: s.Partition, Table: s.Table, Name: s.Name, SourceType: s.SourceType, State: state,
			Runs: int64(s.Runs), LastStart: s.LastStart, LastEnd: s.LastEnd, NextRun: s.NextRun,
			Files: int64(s.Files), FailedFiles: int64(s.FailedFiles), Rows: s.Rows, RowErrors: s.RowErrors,
			LastError: s.LastError, RowWarnings: s.RowWarnings, FailingFiles: int64(s.FailingFiles),
			LastFailureFile: s.LastFailure.Location, LastFailureReason: s.LastFailure.Reason, LastFailureTime: s.LastFailure.Last,
		}
	}
	return out
}

// envDuration reads a duration from the environment, or returns def.
func envDuration(name string, def time.Duration) time.Duration {
	if v := os.Getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}
