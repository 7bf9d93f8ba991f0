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
	if handled, err := runHidden(os.Args[1:]); handled {
		if err != nil {
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

// hiddenCommands are baselines the bench binary runs in a child process of
// itself (first argument), so that they are timed and their peak RSS read
// exactly like tpserver's.
var hiddenCommands = map[string]func(args []string) error{
	duckdbConvertCmd: duckdbConvertMain,
	duckdbStartupCmd: duckdbStartupMain,
	s3DownloadCmd:    s3DownloadMain,
}

// runHidden runs a hidden command when args name one.
func runHidden(args []string) (handled bool, err error) {
	if len(args) == 0 {
		return false, nil
	}
	f, ok := hiddenCommands[args[0]]
	if !ok {
		return false, nil
	}
	return true, f(args[1:])
}

// config is the command line.
type config struct {
	events       int
	startupFiles int
	s3Objects    int
	dir          string
	out          string
	bin          string
	baselineBin  string
	collectRuns  int
	sections     map[string]bool
	keep         bool
	args         []string
	// mixFor is how long the dashboard mix runs per client count.
	mixFor time.Duration
}

// section is one part of the report. To add one, append a line to
// sections; run calls it in that order when -sections selects it.
type section struct {
	name string
	run  func(e *env) error
}

// sections lists the sections in the order they run.
var sections = []section{
	{"generate", func(e *env) error { _, err := e.dataset(); return err }},
	{"collect", func(e *env) error { _, err := e.collected(); return err }},
	{"queries", func(e *env) error {
		return e.withLake(func(bin string, cr *collectResult) error { return queriesSection(e.r, bin, cr) })
	}},
	{"latest", func(e *env) error {
		return e.withLake(func(_ string, cr *collectResult) error { return latestSection(e.r, cr) })
	}},
	{"stream", func(e *env) error {
		return e.withLake(func(bin string, cr *collectResult) error { return streamSection(e.r, bin, cr) })
	}},
	{"dashboard", func(e *env) error {
		return e.withLake(func(bin string, cr *collectResult) error { return dashboardSection(e.r, bin, e.dir, cr, e.c.mixFor) })
	}},
	{"startup", startupSection},
	{"s3", s3Section},
}

func sectionNames() []string {
	var out []string
	for _, s := range sections {
		out = append(out, s.name)
	}
	return out
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{args: args}
	all := sectionNames()
	fs.IntVar(&c.events, "events", 200000, "number of CloudTrail events to generate (at least; whole 30-day windows)")
	fs.IntVar(&c.startupFiles, "startup-files", 10000, "startup: number of data files of the lake tpserver serve starts on")
	fs.IntVar(&c.s3Objects, "s3-objects", 100000, "s3: number of CloudTrail objects in the local S3 bucket (at least; whole days)")
	fs.StringVar(&c.dir, "dir", "", "work directory (default: a temporary directory, removed at the end)")
	fs.StringVar(&c.out, "out", "", "also write the report as Markdown to this file (e.g. BENCHMARKS.md)")
	fs.StringVar(&c.bin, "bin", "", "tpserver binary to measure (default: build ./cmd/tpserver)")
	fs.StringVar(&c.baselineBin, "baseline-bin", "", "collect: also time this tpserver binary (e.g. one built from main) collecting the same files, as a baseline")
	fs.IntVar(&c.collectRuns, "collect-runs", 0, "collect: runs of each tpserver binary, alternating (0: 3 up to 1M events, 1 above)")
	fs.BoolVar(&c.keep, "keep", false, "keep the work directory")
	fs.DurationVar(&c.mixFor, "dashboard-time", 15*time.Second, "how long the dashboard mix runs per client count and server")
	secs := fs.String("sections", strings.Join(all, ","), "sections to run, comma-separated: "+strings.Join(all, ","))
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	fail := func(err error) (*config, error) {
		fmt.Fprintln(stderr, "bench:", err)
		return nil, err
	}
	c.sections = make(map[string]bool)
	for _, s := range strings.Split(*secs, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		found := false
		for _, a := range all {
			found = found || a == s
		}
		if !found {
			return fail(fmt.Errorf("unknown section %q (want %s)", s, strings.Join(all, ",")))
		}
		c.sections[s] = true
	}
	if c.events <= 0 || c.startupFiles <= 0 || c.s3Objects <= 0 || c.collectRuns < 0 {
		return fail(fmt.Errorf("-events, -startup-files and -s3-objects must be positive, -collect-runs not negative"))
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
	e := &env{c: c, dir: dir, r: &report{}}
	defer e.close()
	e.r.header(c)
	for _, s := range sections {
		if !c.sections[s.name] {
			continue
		}
		if err := s.run(e); err != nil {
			return fmt.Errorf("section %s: %w", s.name, err)
		}
	}
	out := e.r.String()
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
