package main

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/spf13/cobra"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/pgwire"
)

func newQueryCommand(g *globals) *cobra.Command {
	var output string
	var header bool
	cmd := &cobra.Command{
		Use:   "query [flags] SQL",
		Short: "Run SQL on the lake and print the result",
		Args:  cobra.MinimumNArgs(1),
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
			// Rows are printed as DuckDB produces them, not held in memory.
			pgwire.StreamResults()
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
			rows, err := cat.DB().QueryContext(ctx, strings.Join(args, " "))
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			defer rows.Close()
			if err := printRows(cmd.OutOrStdout(), rows, output, header); err != nil {
				return &exitError{code: 2, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, csv, json or line")
	cmd.Flags().BoolVar(&header, "header", true, "print a header row (table and csv)")
	return cmd
}

// printRows renders a result in one of the output formats.
func printRows(w io.Writer, rows *sql.Rows, format string, header bool) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := func() (bool, error) {
		if !rows.Next() {
			return false, rows.Err()
		}
		return true, rows.Scan(ptrs...)
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if header {
			cw.Write(cols)
		}
		for {
			ok, err := next()
			if err != nil || !ok {
				cw.Flush()
				return errors.Join(err, cw.Error())
			}
			rec := make([]string, len(vals))
			for i, v := range vals {
				rec[i] = textValue(v)
			}
			cw.Write(rec)
		}
	case "json":
		type colInfo struct {
			Name     string `json:"name"`
			DataType string `json:"data_type"`
		}
		out := struct {
			Columns []colInfo        `json:"columns"`
			Rows    []map[string]any `json:"rows"`
		}{Rows: []map[string]any{}}
		for i, c := range cols {
			out.Columns = append(out.Columns, colInfo{Name: c, DataType: types[i].DatabaseTypeName()})
		}
		for {
			ok, err := next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			m := make(map[string]any, len(cols))
			for i, c := range cols {
				m[c] = jsonValue(vals[i])
			}
			out.Rows = append(out.Rows, m)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "line":
		width := 0
		for _, c := range cols {
			width = max(width, utf8.RuneCountInString(c))
		}
		for n := 1; ; n++ {
			ok, err := next()
			if err != nil || !ok {
				return err
			}
			fmt.Fprintf(w, "-[ RECORD %d ]%s\n", n, strings.Repeat("-", 20))
			for i, c := range cols {
				fmt.Fprintf(w, "%-*s | %s\n", width, c, textValue(vals[i]))
			}
		}
	default:
		var table [][]string
		for {
			ok, err := next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			rec := make([]string, len(vals))
			for i, v := range vals {
				rec[i] = textValue(v)
			}
			table = append(table, rec)
		}
		printTable(w, cols, table, header)
		return nil
	}
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

// textValue renders a value as text, nested values as JSON.
func textValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return fmt.Sprintf("\\x%x", x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02 15:04:05")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case bool, int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprint(x)
	case *big.Int:
		return x.String()
	case duckdb.Decimal:
		return x.String()
	default:
		b, err := json.Marshal(jsonValue(v))
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// jsonValue converts a scanned value into something encoding/json renders well.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return textValue(x)
	case []byte:
		return textValue(x)
	case *big.Int:
		return json.Number(x.String())
	case duckdb.Decimal:
		return json.Number(x.String())
	case duckdb.OrderedMap:
		m := map[string]any{}
		for i, k := range x.Keys() {
			m[fmt.Sprint(k)] = jsonValue(x.Values()[i])
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonValue(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}
