package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/tpserver/tpserver/collector"
)

// progressView shows a collection's live counters: redrawn in place on a
// terminal, or as a plain line every interval otherwise.
type progressView struct {
	w        io.Writer
	live     bool
	interval time.Duration
	name     string
	p        *collector.Progress
	start    time.Time
	stop     chan struct{}
	done     sync.WaitGroup
	lines    int
}

func startProgress(w io.Writer, live bool, name string, p *collector.Progress) *progressView {
	v := &progressView{w: w, live: live, name: name, p: p, start: time.Now(), stop: make(chan struct{}), interval: 10 * time.Second}
	if live {
		v.interval = 250 * time.Millisecond
	}
	v.done.Add(1)
	go v.loop()
	return v
}

func (v *progressView) loop() {
	defer v.done.Done()
	t := time.NewTicker(v.interval)
	defer t.Stop()
	for {
		select {
		case <-v.stop:
			if v.live {
				v.draw()
			}
			return
		case <-t.C:
			v.draw()
		}
	}
}

// Stop ends the display after a last update.
func (v *progressView) Stop() {
	close(v.stop)
	v.done.Wait()
}

func (v *progressView) draw() {
	p := v.p
	elapsed := time.Since(v.start)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.Rows.Load()) / s
	}
	if !v.live {
		fmt.Fprintf(v.w, "%s: %d files discovered, %d already collected, %d digests, %d downloaded, %d parsed, %d failed; %d rows read, %d saved, %d events skipped, %d values not read; %.0f rows/s\n",
			v.name, p.Discovered.Load(), p.Skipped.Load(), p.Digests.Load(), p.Downloaded.Load(), p.Parsed.Load(), p.Failed.Load(),
			p.Rows.Load(), p.Saved.Load(), p.RowErrors.Load(), p.RowWarnings.Load(), rate)
		return
	}
	lines := []string{
		fmt.Sprintf("Collecting %s  %s", v.name, elapsed.Round(time.Second)),
		fmt.Sprintf("  Files:  %d discovered  %d already collected  %d digests  %d downloaded (%s)  %d parsed  %d failed",
			p.Discovered.Load(), p.Skipped.Load(), p.Digests.Load(), p.Downloaded.Load(), byteSize(p.Bytes.Load()), p.Parsed.Load(), p.Failed.Load()),
		fmt.Sprintf("  Rows:   %d read  %d saved  %d events skipped  %d values not read  %.0f rows/s",
			p.Rows.Load(), p.Saved.Load(), p.RowErrors.Load(), p.RowWarnings.Load(), rate),
	}
	var b strings.Builder
	if v.lines > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", v.lines)
	}
	for _, l := range lines {
		b.WriteString("\r\x1b[2K" + l + "\n")
	}
	v.lines = len(lines)
	io.WriteString(v.w, b.String())
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
