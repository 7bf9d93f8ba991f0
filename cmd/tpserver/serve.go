package main

import (
	"errors"
	"fmt"
	"net"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

func newServeCommand(g *globals) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lake over the PostgreSQL wire protocol",
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := g.logger()
			if err != nil {
				return err
			}
			defer log.Sync()
			ctx := cmd.Context()
			ws, err := g.workspace(ctx, log)
			if err != nil {
				return err
			}
			if err := ws.collectDemo(ctx); err != nil {
				return err
			}
			cat, err := catalog.Open(ctx, catalog.Options{DataDir: ws.dataDir, Tables: []lake.Table{lake.CloudTrailLog()}, Logger: log})
			if err != nil {
				return err
			}
			defer cat.Close()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			log.Info("serving the PostgreSQL protocol", zap.String("listen", ln.Addr().String()),
				zap.String("data_dir", ws.dataDir))
			srv := pgwire.NewServer(cat, pgwire.Options{Logger: log})
			err = srv.Serve(ctx, ln)
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				log.Info("server stopped")
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:5433", "address to listen on")
	return cmd
}
