package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/pgwire"
)

func newQueryCommand(g *globals) *cobra.Command {
	var output string
	var header bool
	cmd := &cobra.Command{
		Use:   "query [flags] SQL",
		Short: "Run SQL on the lake and print the result",
		Long: "Run SQL on the lake and print the result. The SQL runs as a client's does: through an\n" +
			"in-process PostgreSQL session, translated the same way, and the values printed are\n" +
			"PostgreSQL's text, as psql prints them.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch output {
			case "table", "csv", "json", "line":
			default:
				return fmt.Errorf("--output %q: want table, csv, json or line", output)
			}
			ctx := cmd.Context()
			ws, err := g.openWorkspace(ctx)
			if err != nil {
				return err
			}
			log := ws.log
			defer log.Sync()
			opt := ws.catalogOptions()
			cat, err := catalog.Open(ctx, opt)
			if errors.Is(err, catalog.ErrLocked) {
				log.Warn("a running tpserver holds the catalog: querying the lake without your saved tables and views")
				opt.InMemory = true
				cat, err = catalog.Open(ctx, opt)
			}
			if err != nil {
				return err
			}
			defer cat.Close()
			p := &resultPrinter{w: cmd.OutOrStdout(), format: output, header: header, types: pgtype.NewMap()}
			if err := queryOverWire(ctx, cat, log, strings.Join(args, " "), p); err != nil {
				return &exitError{code: 2, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, csv, json or line")
	cmd.Flags().BoolVar(&header, "header", true, "print a header row (table and csv)")
	return cmd
}

// queryOverWire runs sql the way a client's statement runs: over a pgwire
// session of the catalog, served in this process on a net.Pipe and read
// with pgconn's simple query protocol. Each result is printed as it
// arrives.
func queryOverWire(ctx context.Context, cat *catalog.Catalog, log *zap.Logger, sql string, p *resultPrinter) error {
	srv := pgwire.NewServer(cat, pgwire.Options{Logger: log})
	client, server := net.Pipe()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeConn(ctx, server)
	}()
	defer func() {
		cancel()
		<-done
	}()
	cfg, err := pgconn.ParseConfig("host=127.0.0.1 user=" + catalog.PGDatabaseName + " database=" + catalog.PGDatabaseName + " sslmode=disable")
	if err != nil {
		return fmt.Errorf("in-process session: %w", err)
	}
	cfg.DialFunc = func(context.Context, string, string) (net.Conn, error) { return client, nil }
	conn, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("in-process session: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	mrr := conn.Exec(ctx, sql)
	for mrr.NextResult() {
		if err := p.print(mrr.ResultReader()); err != nil {
			mrr.Close()
			return err
		}
	}
	return mrr.Close()
}

// resultPrinter renders results in one of the output formats: values are
// PostgreSQL's text, NULL is empty (JSON: typed by the column's type).
type resultPrinter struct {
	w      io.Writer
	format string
	header bool
	types  *pgtype.Map
}

// print renders one result; a command without rows prints its tag (table
// and line formats), as psql does.
func (p *resultPrinter) print(rr *pgconn.ResultReader) error {
	fields := rr.FieldDescriptions()
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = f.Name
	}
	if len(fields) == 0 {
		tag, err := rr.Close()
		if err == nil && (p.format == "table" || p.format == "line") {
			fmt.Fprintln(p.w, tag.String())
		}
		return err
	}
	row := func() []*string {
		vals := rr.Values()
		out := make([]*string, len(vals))
		for i, v := range vals {
			if v != nil {
				s := string(v)
				out[i] = &s
			}
		}
		return out
	}
	switch p.format {
	case "csv":
		cw := csv.NewWriter(p.w)
		if p.header {
			cw.Write(cols)
		}
		for rr.NextRow() {
			cw.Write(texts(row()))
		}
		cw.Flush()
		_, err := rr.Close()
		return errors.Join(err, cw.Error())
	case "json":
		type colInfo struct {
			Name     string `json:"name"`
			DataType string `json:"data_type"`
		}
		out := struct {
			Columns []colInfo        `json:"columns"`
			Rows    []map[string]any `json:"rows"`
		}{Rows: []map[string]any{}}
		for _, f := range fields {
			out.Columns = append(out.Columns, colInfo{Name: f.Name, DataType: p.typeName(f.DataTypeOID)})
		}
		for rr.NextRow() {
			m := make(map[string]any, len(cols))
			for i, v := range row() {
				m[cols[i]] = jsonValue(v, fields[i].DataTypeOID)
			}
			out.Rows = append(out.Rows, m)
		}
		if _, err := rr.Close(); err != nil {
			return err
		}
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", " ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "line":
		width := 0
		for _, c := range cols {
			width = max(width, utf8.RuneCountInString(c))
		}
		for n := 1; rr.NextRow(); n++ {
			fmt.Fprintf(p.w, "-[ RECORD %d ]%s\n", n, strings.Repeat("-", 20))
			for i, v := range texts(row()) {
				fmt.Fprintf(p.w, "%-*s | %s\n", width, cols[i], v)
			}
		}
		_, err := rr.Close()
		return err
	default:
		var table [][]string
		for rr.NextRow() {
			table = append(table, texts(row()))
		}
		if _, err := rr.Close(); err != nil {
			return err
		}
		printTable(p.w, cols, table, p.header)
		return nil
	}
}

// typeName is PostgreSQL's name of a type oid (int8, timestamptz, ...).
func (p *resultPrinter) typeName(oid uint32) string {
	if t, ok := p.types.TypeForOID(oid); ok {
		return t.Name
	}
	return fmt.Sprint(oid)
}

// texts returns a row's values, NULL as "".
func texts(vals []*string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if v != nil {
			out[i] = *v
		}
	}
	return out
}

// jsonValue is a text value as JSON: booleans, numbers and json values as
// such, NULL as null, the rest as strings.
func jsonValue(v *string, oid uint32) any {
	if v == nil {
		return nil
	}
	switch oid {
	case pgtype.BoolOID:
		return *v == "t"
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID, pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		if json.Valid([]byte(*v)) {
			return json.Number(*v)
		}
	case pgtype.JSONOID, pgtype.JSONBOID:
		if json.Valid([]byte(*v)) {
			return json.RawMessage(*v)
		}
	}
	return *v
}

func printTable(w io.Writer, cols []string, table [][]string, header bool) {
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = utf8.RuneCountInString(c)
	}
	for _, r := range table {
		for i, v := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(v))
		}
	}
	sep := "+"
	for _, wd := range widths {
		sep += strings.Repeat("-", wd+2) + "+"
	}
	line := func(vals []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, v := range vals {
			b.WriteString(" " + v + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(v)) + " |")
		}
		fmt.Fprintln(w, b.String())
	}
	fmt.Fprintln(w, sep)
	if header {
		line(cols)
		fmt.Fprintln(w, sep)
	}
	for _, r := range table {
		line(r)
	}
	fmt.Fprintln(w, sep)
}
