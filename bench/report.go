package main

import (
	"fmt"
	"strings"
	"time"
)

// report accumulates the Markdown report.
type report struct{ b strings.Builder }

func (r *report) header(c *config) {
	fmt.Fprintf(&r.b, "# tpserver benchmarks\n\n")
	fmt.Fprintf(&r.b, "- Command: `go run ./bench %s`\n", strings.Join(c.args, " "))
	fmt.Fprintf(&r.b, "- Machine: %s\n", machine())
	fmt.Fprintf(&r.b, "- Date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&r.b, "\nRatios compare tpserver with the baseline of the same run: for throughputs tpserver/baseline (above 1 = tpserver faster), for RSS tpserver/baseline (above 1 = tpserver uses more).\n")
}

func (r *report) section(title string) { fmt.Fprintf(&r.b, "\n## %s\n\n", title) }

func (r *report) line(s string) { fmt.Fprintf(&r.b, "%s\n", s) }

// table writes a Markdown table.
func (r *report) table(head []string, rows [][]string) {
	fmt.Fprintf(&r.b, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for _, row := range rows {
		fmt.Fprintf(&r.b, "| %s |\n", strings.Join(row, " | "))
	}
}

func (r *report) String() string { return r.b.String() }
