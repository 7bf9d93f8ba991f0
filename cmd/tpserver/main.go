// Command tpserver collects CloudTrail logs into a Parquet lake and serves
// them over the PostgreSQL wire protocol.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/term"
)

// globals are the flags every command shares.
type globals struct {
	configPath string
	dataDir    string
	logLevel   string
}

// Exit statuses beyond 0 (see collectExitHelp and the README).
const (
	exitFailure         = 1   // an unexpected error
	exitUsage           = 2   // bad flags, arguments or configuration: nothing was done
	exitIncomplete      = 100 // collect: some files or events were left out, the rest was collected
	exitPartitionFailed = 101 // collect: a partition failed; wins over exitIncomplete
)

// usageError marks err as a usage or configuration error.
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// exitError carries a process exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newRootCommand().ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(exitFailure)
	}
}

func newRootCommand() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "tpserver",
		Short:         "Collect CloudTrail logs into a Parquet lake and query them over the PostgreSQL protocol",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	home, _ := os.UserHomeDir()
	root.PersistentFlags().StringVar(&g.configPath, "config-path", envOr("TPSERVER_CONFIG_PATH", filepath.Join(home, ".tpserver", "config")),
		"directory of *.tpc config files (env TPSERVER_CONFIG_PATH)")
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", envOr("TPSERVER_DATA_DIR", filepath.Join(home, ".tpserver", "data")),
		"directory of the Parquet lake, collection state and catalog database (env TPSERVER_DATA_DIR)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", envOr("TPSERVER_LOG_LEVEL", "info"),
		"log level: debug, info, warn, error (env TPSERVER_LOG_LEVEL)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	root.AddCommand(newCollectCommand(g), newServeCommand(g), newQueryCommand(g), newUserCommand())
	return root
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// logger builds a zap logger writing to stderr: coloured console lines on a
// terminal, JSON otherwise.
func (g *globals) logger() (*zap.Logger, error) { return stderrLogger(g.logLevel, "--log-level") }

// stderrLogger builds the logger of logger() at the named level (flag names
// the setting in errors).
func stderrLogger(levelName, flag string) (*zap.Logger, error) {
	level, err := zapcore.ParseLevel(levelName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	var enc zapcore.Encoder
	if term.IsTerminal(int(os.Stderr.Fd())) {
		cfg := zap.NewDevelopmentEncoderConfig()
		cfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		cfg.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05")
		enc = zapcore.NewConsoleEncoder(cfg)
	} else {
		cfg := zap.NewProductionEncoderConfig()
		cfg.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewConsoleEncoder(cfg)
	}
	core := zapcore.NewCore(enc, zapcore.Lock(os.Stderr), level)
	return zap.New(core), nil
}
