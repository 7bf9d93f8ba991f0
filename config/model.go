// Package config loads and validates tpserver's HCL configuration: every
// *.tpc file of a config directory, in Tailpipe's syntax.
package config

import "github.com/tpserver/tpserver/config/layout"

// Config is the whole loaded configuration.
type Config struct {
	// Connections by full name, e.g. "aws.prod". The implicit
	// "aws.default" (SDK default credential chain) is always present.
	Connections map[string]*Connection
	// Partitions in the order they were declared (files sorted by name).
	Partitions []*Partition
	// Users who may connect to the server, in the order they were
	// declared. With none, only local clients are accepted.
	Users []*User
}

// Pos is a position in a config file, for error messages.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String formats the position as file:line:column.
func (p Pos) String() string { return formatPos(p) }

// Connection is a `connection "<type>" "<name>"` block.
type Connection struct {
	Type string // "aws"
	Name string
	Pos  Pos

	Profile               string
	AccessKey             string
	SecretKey             string
	SessionToken          string
	Region                string
	EndpointURL           string
	S3ForcePathStyle      bool
	MaxErrorRetryAttempts int // 0 = SDK default
	MinErrorRetryDelay    int // milliseconds; 0 = SDK default
}

// FullName is "<type>.<name>".
func (c *Connection) FullName() string { return c.Type + "." + c.Name }

// Partition is a `partition "<table>" "<name>"` block.
type Partition struct {
	Table string
	Name  string
	Pos   Pos

	Source Source
	// Filter is a SQL boolean expression over table columns; "" = none.
	Filter string
	// TPIndex is the column whose value becomes tp_index; "" = the literal 'default'.
	TPIndex string
}

// FullName is "<table>.<name>".
func (p *Partition) FullName() string { return p.Table + "." + p.Name }

// Source is the `source "<type>"` block of a partition.
type Source struct {
	Type string // "file" or "aws_s3_bucket"
	Pos  Pos

	// FileLayout is the grok layout of file paths relative to the source
	// root; "" = every file (file source) or the table's default layout.
	FileLayout string
	// Patterns are extra grok pattern definitions usable in FileLayout.
	Patterns map[string]string

	// Paths are the directories of a file source (absolute).
	Paths []string

	// Bucket, Prefix and Connection belong to an aws_s3_bucket source.
	Bucket string
	Prefix string
	// Connection is the full name of the connection, e.g. "aws.prod"; "" = "aws.default".
	Connection string

	// Layout is the compiled effective layout: FileLayout, or for an
	// aws_s3_bucket source without one the table's default layout
	// (layout.DefaultCloudTrailLayout). It is nil for a file source without
	// FileLayout, which collects every file under Paths.
	Layout *layout.Layout
}
