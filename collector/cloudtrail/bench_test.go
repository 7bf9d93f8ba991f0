package cloudtrail

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
)

// benchEvents returns n varied, realistic raw events.
func benchEvents(tb testing.TB, n int) []json.RawMessage {
	tb.Helper()
	var assumed bytes.Buffer
	if err := json.Compact(&assumed, readFixture(tb, "assumed_role.json")); err != nil {
		tb.Fatal(err)
	}
	templates := []string{assumed.String(), awsServiceEvent, errorEvent, resourcesEvent, tlsEvent}
	out := make([]json.RawMessage, n)
	for i := range out {
		tpl := templates[i%len(templates)]
		out[i] = json.RawMessage(strings.Replace(tpl, `"eventID":"`, `"eventID":"`+strconv.Itoa(i)+`-`, 1))
	}
	return out
}

// BenchmarkMap maps one event per iteration into a batch, emptied every
// 1,000 events, as a collection does per file.
func BenchmarkMap(b *testing.B) {
	events := benchEvents(b, 1000)
	m, err := NewMapper(testSource())
	if err != nil {
		b.Fatal(err)
	}
	batch := m.NewBatch()
	var size int64
	for _, e := range events {
		size += int64(len(e))
	}
	b.SetBytes(size / int64(len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%len(events) == 0 {
			batch.Truncate(0)
		}
		if _, _, err := m.Append(events[i%len(events)], batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecoder decodes a generated gzip file of 10k events per
// iteration.
func BenchmarkDecoder(b *testing.B) {
	const n = 10000
	var file strings.Builder
	file.WriteString(`{"Records":[`)
	for i, e := range benchEvents(b, n) {
		if i > 0 {
			file.WriteByte(',')
		}
		file.Write(e)
	}
	file.WriteString(`]}`)
	data := gz(b, file.String())
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		d, err := NewDecoder(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		count := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("%d events, want %d", count, n)
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeAndMap is the whole per-file pipeline of this package.
func BenchmarkDecodeAndMap(b *testing.B) {
	const n = 10000
	var file strings.Builder
	file.WriteString(`{"Records":[`)
	for i, e := range benchEvents(b, n) {
		if i > 0 {
			file.WriteByte(',')
		}
		file.Write(e)
	}
	file.WriteString(`]}`)
	data := gz(b, file.String())
	m, err := NewMapper(testSource())
	if err != nil {
		b.Fatal(err)
	}
	batch := m.NewBatch()
	b.ReportAllocs()
	for b.Loop() {
		batch.Truncate(0)
		d, err := NewDecoder(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			raw, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := m.Append(raw, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRecordsOf validates and cuts a Records document of 1,000 events
// in one pass (recordsOf), beside the earlier encoding/json validation and
// cut (recordsOfReference) as the baseline of the same run.
func BenchmarkRecordsOf(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`{"Records":[`)
	for i, e := range benchEvents(b, 1000) {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.Write(e)
	}
	doc.WriteString(`]}`)
	data := []byte(doc.String())
	for _, c := range []struct {
		name string
		cut  func([]byte) ([][]byte, bool)
	}{{"one-pass", recordsOf}, {"encoding-json", recordsOfReference}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if events, ok := c.cut(data); !ok || len(events) != 1000 {
					b.Fatalf("%d events, ok %v", len(events), ok)
				}
			}
		})
	}
}

// BenchmarkFileDecoder decodes 100 gzip files of 100 events per iteration
// through one Buffers, as a collection's decoder goroutine does.
func BenchmarkFileDecoder(b *testing.B) {
	const files, perFile = 100, 100
	events := benchEvents(b, files*perFile)
	var data [][]byte
	var size int64
	for f := range files {
		var file strings.Builder
		file.WriteString(`{"Records":[`)
		for i, e := range events[f*perFile : (f+1)*perFile] {
			if i > 0 {
				file.WriteByte(',')
			}
			file.Write(e)
		}
		file.WriteString(`]}`)
		data = append(data, gz(b, file.String()))
		size += int64(file.Len())
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var bufs Buffers
	for b.Loop() {
		count := 0
		for _, f := range data {
			d, err := bufs.NewFileDecoder(bytes.NewReader(f))
			if err != nil {
				b.Fatal(err)
			}
			for {
				_, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				count++
			}
		}
		if count != files*perFile {
			b.Fatalf("%d events, want %d", count, files*perFile)
		}
	}
	b.ReportMetric(float64(b.N)*files*perFile/b.Elapsed().Seconds(), "events/s")
}
