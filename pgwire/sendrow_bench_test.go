package pgwire

import (
	"bufio"
	"io"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// BenchmarkSendRow encodes one cloudtrail-like row as a DataRow into a
// discarding writer, in text and in binary format: the Go cost per row of
// the result path, without DuckDB or the client.
func BenchmarkSendRow(b *testing.B) {
	for _, format := range []int16{0, 1} {
		b.Run([]string{"text", "binary"}[format], func(b *testing.B) { benchSendRow(b, format) })
	}
}

func benchSendRow(b *testing.B, format int16) {
	typ := func(d duckdb.Type, json bool) *colType {
		ct := &colType{duck: d, json: json}
		ct.resolve()
		return ct
	}
	vc := typ(duckdb.TYPE_VARCHAR, false)
	cols := []column{
		{name: "event_version", typ: vc}, {name: "user_identity", typ: typ(duckdb.TYPE_VARCHAR, true)},
		{name: "event_time", typ: typ(duckdb.TYPE_TIMESTAMP, false)}, {name: "event_source", typ: vc},
		{name: "event_name", typ: vc}, {name: "aws_region", typ: vc}, {name: "source_ip_address", typ: vc},
		{name: "user_agent", typ: vc}, {name: "error_code", typ: vc},
		{name: "request_parameters", typ: typ(duckdb.TYPE_VARCHAR, true)}, {name: "read_only", typ: typ(duckdb.TYPE_BOOLEAN, false)},
		{name: "tp_date", typ: typ(duckdb.TYPE_DATE, false)}, {name: "tp_timestamp", typ: typ(duckdb.TYPE_TIMESTAMP, false)},
	}
	vals := []any{
		"1.08", `{"type":"AssumedRole","principalId":"AROAEXAMPLE:session","arn":"arn:aws:sts::123456789012:assumed-role/R/s"}`,
		time.Date(2024, 5, 6, 7, 8, 9, 123000000, time.UTC), "ec2.amazonaws.com",
		"DescribeInstances", "us-east-1", "10.1.2.3", "aws-sdk-go/1.44.1 (go1.21; linux; amd64)", nil,
		`{"instancesSet":{"items":[{"instanceId":"i-0123456789abcdef0"}]},"filterSet":{}}`, true,
		time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
	}
	s := &session{out: outputBuffers{w: bufio.NewWriterSize(io.Discard, 64<<10)}, enc: newEncoder(time.UTC)}
	p := &portal{stmt: &statement{cols: cols}, formats: make([]int16, len(cols)), vals: vals}
	for i := range p.formats {
		p.formats[i] = format
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.sendRow(p); err != nil {
			b.Fatal(err)
		}
	}
}
