package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/collector"
	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/lake"
)

// workspace is the loaded configuration and where its data lives.
type workspace struct {
	partitions  []*config.Partition
	connections map[string]*config.Connection
	users       []*config.User
	dataDir     string
	demo        bool
	log         *zap.Logger
}

// demoPartitionName is the partition used when nothing is configured.
const demoPartitionName = "demo"

func (g *globals) workspace(ctx context.Context, log *zap.Logger) (*workspace, error) {
	cfg, err := config.Load(g.configPath)
	if err != nil {
		return nil, usageError(err)
	}
	ws := &workspace{partitions: cfg.Partitions, connections: cfg.Connections, users: cfg.Users, dataDir: g.dataDir, log: log}
	if len(ws.partitions) > 0 {
		return ws, nil
	}
	ws.demo = true
	ws.dataDir = filepath.Join(g.dataDir, "demo")
	src := filepath.Join(ws.dataDir, "source")
	log.Info("no partition configured: using the built-in demo partition of synthetic CloudTrail data",
		zap.String("config_path", g.configPath), zap.String("demo_data", ws.dataDir))
	if err := ensureDemoSource(src, log); err != nil {
		return nil, err
	}
	ws.partitions = []*config.Partition{{
		Table: lake.CloudTrailTableName,
		Name:  demoPartitionName,
		Source: config.Source{
			Type:       "file",
			Paths:      []string{src},
			FileLayout: layout.DefaultCloudTrailLayout,
		},
	}}
	return ws, nil
}

// ensureDemoSource generates the demo CloudTrail files once.
func ensureDemoSource(dir string, log *zap.Logger) error {
	marker := filepath.Join(dir, ".generated")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	// End yesterday, so every event lies in the past and "last day" queries find rows.
	end := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	sum, err := demo.Generate(dir, demo.Options{End: end})
	if err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	if err := os.WriteFile(marker, []byte(end.Format(time.DateOnly)+"\n"), 0o644); err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	log.Info("generated demo CloudTrail files", zap.String("dir", dir), zap.Int("files", sum.Files), zap.Int("events", sum.Events))
	return nil
}

// selectPartitions returns the partitions named by args: "table",
// "table.partition", or patterns with * wildcards. No args selects all.
func (ws *workspace) selectPartitions(args []string) ([]*config.Partition, error) {
	if len(args) == 0 {
		return ws.partitions, nil
	}
	var out []*config.Partition
	seen := map[*config.Partition]bool{}
	for _, a := range args {
		pattern := a
		if !strings.Contains(a, ".") {
			pattern = a + ".*"
		}
		matched := false
		for _, p := range ws.partitions {
			ok, err := path.Match(pattern, p.FullName())
			if err != nil {
				return nil, fmt.Errorf("partition pattern %q: %w", a, err)
			}
			if ok {
				matched = true
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
		if !matched {
			var names []string
			for _, p := range ws.partitions {
				names = append(names, p.FullName())
			}
			return nil, fmt.Errorf("no configured partition matches %q (configured: %s)", a, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// collectDemo brings the demo partition up to date, compacted, so the
// server starts on one file a day and its first background refresh has
// nothing to merge; it is a no-op for configured workspaces.
func (ws *workspace) collectDemo(ctx context.Context) error {
	if !ws.demo {
		return nil
	}
	c := ws.collector()
	_, err := c.Collect(ctx, ws.partitions[0], collector.Options{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Compact: true})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("collect demo data: %w", err)
	}
	return err
}

// collector returns a collector for the workspace's lake.
func (ws *workspace) collector() *collector.Collector {
	return &collector.Collector{DataDir: ws.dataDir, Logger: ws.log, Connections: ws.connections}
}

// openWorkspace loads the configuration, brings the demo data up to date
// when nothing is configured, and returns the workspace with its logger.
func (g *globals) openWorkspace(ctx context.Context) (*workspace, error) {
	log, err := g.logger()
	if err != nil {
		return nil, usageError(err)
	}
	ws, err := g.workspace(ctx, log)
	if err != nil {
		return nil, err
	}
	if err := ws.collectDemo(ctx); err != nil {
		return nil, err
	}
	return ws, nil
}

// catalogOptions are the catalog settings for the workspace's lake.
func (ws *workspace) catalogOptions() catalog.Options {
	return catalog.Options{DataDir: ws.dataDir, Tables: []lake.Table{lake.CloudTrailLog()}, Logger: ws.log}
}
