// Package duckdbx reaches the parts of the DuckDB driver (duckdb-go and its
// C bindings) that the driver does not export but the wire protocol needs.
//
// Everything that depends on the driver's private layout or package
// variables lives here, behind small functions, so that a driver upgrade
// that moves something breaks one package with its own tripwire tests
// instead of silently switching a feature off:
//
//   - EnableStreamingResults makes every query of the process stream its
//     result chunk by chunk (streaming.go).
//   - NewInterrupter finds the C connection behind a *sql.Conn so that a
//     running query, even a streaming fetch that no context reaches, can be
//     interrupted (interrupt.go).
//   - ColumnJSONKinds reads the C logical types of a prepared statement's
//     result columns, which keep DuckDB's JSON alias that duckdb-go's type
//     information drops (prepared.go).
//   - Params reads the C logical types of a prepared statement's
//     parameters: JSON, and the element type of a list (prepared.go).
//   - NewChunks takes over the C result behind duckdb-go's rows and hands
//     out its chunks' column vectors as they are in memory, the child
//     vectors of STRUCT, MAP and LIST columns included, with each column's
//     whole type (Shape) read from its C logical type (chunks.go). It
//     keeps two chunks in turn, so one can be read while the next is
//     fetched on another goroutine.
//   - PreparedShapes reads those types, JSON aliases inside structs
//     included, from a prepared statement (chunks.go).
//
// Each lookup by reflection returns nil or false when the layout changed;
// callers fall back to slower or weaker behaviour, and the tests here fail.
package duckdbx
