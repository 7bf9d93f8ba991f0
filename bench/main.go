package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == duckdbConvertCmd {
		if err := duckdbConvertMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	events   int
	dir      string
	out      string
	bin      string
	sections map[string]bool
	keep     bool
	args     []string
	// mixFor is how long the dashboard mix runs per client count.
	mixFor time.Duration
}

// allSections lists the sections in the order they run.
var allSections = []string{"generate", "collect", "queries", "stream", "dashboard", "startup"}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{args: args}
	fs.IntVar(&c.events, "events", 200000, "number of CloudTrail events to generate (at least; whole 30-day windows)")
	fs.StringVar(&c.dir, "dir", "", "work directory (default: a temporary directory, removed at the end)")
	fs.StringVar(&c.out, "out", "", "also write the report as Markdown to this file (e.g. BENCHMARKS.md)")
	fs.StringVar(&c.bin, "bin", "", "tpserver binary to measure (default: build ./cmd/tpserver)")
	fs.BoolVar(&c.keep, "keep", false, "keep the work directory")
	fs.DurationVar(&c.mixFor, "dashboard-time", 15*time.Second, "how long the dashboard mix runs per client count and server")
	secs := fs.String("sections", strings.Join(allSections, ","), "sections to run, comma-separated: "+strings.Join(allSections, ","))
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.sections = make(map[string]bool)
	for _, s := range strings.Split(*secs, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		found := false
		for _, a := range allSections {
			found = found || a == s
		}
		if !found {
			err := fmt.Errorf("unknown section %q (want %s)", s, strings.Join(allSections, ","))
			fmt.Fprintln(stderr, "bench:", err)
			return nil, err
		}
		c.sections[s] = true
	}
	if c.events <= 0 {
		err := fmt.Errorf("-events must be positive")
		fmt.Fprintln(stderr, "bench:", err)
		return nil, err
	}
	return c, nil
}

// run runs the selected sections and prints the report to w.
func run(c *config, w io.Writer) error {
	dir, err := tempDir(c.dir, "tpserver-bench-")
	if err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	if c.dir == "" && !c.keep {
		defer os.RemoveAll(dir)
	}
	r := &report{}
	r.header(c)

	needData := c.sections["generate"] || c.sections["collect"] || c.sections["queries"] || c.sections["dashboard"] || c.sections["stream"]
	var ds *dataset
	if needData {
		fmt.Fprintf(os.Stderr, "bench: generating %d events in %s\n", c.events, dir)
		ds, err = generate(dir+"/cloudtrail", c.events)
		if err != nil {
			return err
		}
		r.section("Generated data")
		r.line(fmt.Sprintf("%d events in %d files (%.1f MB gzipped, %.0f events/file, %.1f KB/file), %s to %s, generated in %s.",
			ds.events, ds.files, mb(ds.gzBytes), float64(ds.events)/float64(ds.files), float64(ds.gzBytes)/float64(ds.files)/1024,
			ds.from.Format("2006-01-02"), ds.to.Format("2006-01-02"), ds.took.Round(time.Millisecond)))
	}
	if c.sections["collect"] || c.sections["queries"] || c.sections["dashboard"] || c.sections["stream"] {
		bin, cleanup, err := tpserverBinary(c.bin)
		if err != nil {
			return err
		}
		defer cleanup()
		cr, err := collectSection(r, bin, dir, ds)
		if err != nil {
			return err
		}
		if c.sections["queries"] {
			if err := queriesSection(r, bin, cr); err != nil {
				return err
			}
		}
		if c.sections["dashboard"] {
			if err := dashboardSection(r, bin, dir, cr, c.mixFor); err != nil {
				return err
			}
		}
		if c.sections["stream"] {
			if err := streamSection(r, bin, cr); err != nil {
				return err
			}
		}
	}
	for _, s := range []string{"startup"} {
		if c.sections[s] {
			r.section(notYet[s])
			r.line("not measured yet")
		}
	}
	out := r.String()
	if _, err := io.WriteString(w, out); err != nil {
		return err
	}
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(out), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", c.out, err)
		}
	}
	return nil
}

// notYet names the sections that are not measured yet.
var notYet = map[string]string{
	"startup": "Start-up with 10,000 lake files",
}

func mb(b int64) float64 { return float64(b) / 1e6 }

// machine describes this machine: CPUs and memory.
func machine() string {
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				mem = strings.Join(strings.Fields(l)[1:], " ")
			}
		}
	}
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				if i := strings.Index(l, ":"); i >= 0 {
					model = strings.TrimSpace(l[i+1:])
				}
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), MemTotal %s, %s/%s, %s", runtime.NumCPU(), model, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
