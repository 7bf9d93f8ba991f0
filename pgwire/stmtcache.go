package pgwire

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Preparing a statement costs DuckDB a bind and plan, and a second one when
// the result may hold JSON (DESCRIBE, because duckdb-go's type information
// drops the JSON alias), on top of the bind that executing it costs. Clients
// send the same texts again and again (drivers' catalog look-ups, dashboards
// refreshing), so the server remembers what preparing a text told it and
// reuses that until the schema may have changed.

// stmtCacheSize bounds the remembered statements.
const stmtCacheSize = 1024

// stmtCache remembers prepared statements' descriptions, shared by all
// sessions.
type stmtCache struct {
	// generation counts statements that may have changed the schema; an
	// entry is valid only in the generation it was made in.
	generation atomic.Uint64
	mu         sync.Mutex
	entries    map[stmtKey]stmtEntry
}

// stmtKey is what determines a prepared statement's description besides the
// schema: its text, the names it resolves against and the parameter types
// the client gave.
type stmtKey struct {
	text, searchPath, paramOIDs string
}

type stmtEntry struct {
	generation uint64
	stmt       *statement
}

// schemaChanged makes every remembered statement stale.
func (c *stmtCache) schemaChanged() { c.generation.Add(1) }

// get returns a copy of the statement remembered for key, named name.
func (c *stmtCache) get(key stmtKey, name string) (*statement, bool) {
	gen := c.generation.Load()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok || e.generation != gen {
		return nil, false
	}
	return e.stmt.clone(name), true
}

// put remembers st for key, as of generation gen (read before preparing, so
// that a schema change while preparing leaves the entry stale).
func (c *stmtCache) put(key stmtKey, gen uint64, st *statement) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= stmtCacheSize {
		c.entries = map[stmtKey]stmtEntry{}
	}
	c.entries[key] = stmtEntry{generation: gen, stmt: st.clone("")}
}

// clone copies a prepared statement under a new name; the column and
// parameter slices are copied because sessions rename columns. The copy
// has no DuckDB prepared statement: that belongs to one connection.
func (st *statement) clone(name string) *statement {
	cp := *st
	cp.name = name
	cp.prepared = nil
	cp.cols = slices.Clone(st.cols)
	cp.paramOIDs = slices.Clone(st.paramOIDs)
	cp.paramDuck = slices.Clone(st.paramDuck)
	return &cp
}

// stmtCacheKey is the cache key of text prepared in this session; ok is
// false when the session must not share descriptions: it made temporary
// objects, switched DuckDB's default schema or changed a DuckDB setting,
// any of which can make the same text mean something else here; or its
// transaction changed the schema or sees a schema older than the current
// one (a snapshot taken before a change).
func (s *session) stmtCacheKey(text string, oids []uint32) (stmtKey, bool) {
	if s.private || s.tx.schemaChanges > 0 {
		return stmtKey{}, false
	}
	if s.tx.status != txIdle && s.tx.generation != s.srv.stmts.generation.Load() {
		return stmtKey{}, false
	}
	var b strings.Builder
	for _, o := range oids {
		fmt.Fprintf(&b, "%d,", o)
	}
	return stmtKey{text: text, searchPath: s.params.guc.vals["search_path"], paramOIDs: b.String()}, true
}

// noteSessionScope marks the session private when st makes its names
// resolve differently from other sessions'.
func (s *session) noteSessionScope(st *statement) {
	for _, kw := range st.keywords {
		switch kw {
		case "TEMP", "TEMPORARY", "USE":
			s.private = true
		}
	}
}
