package pgemu

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// clockFunction is the Go function behind clock_timestamp(): DuckDB's
// now() and current_timestamp are the transaction's start, and DuckDB has
// no function reading the clock.
const clockFunction = "tp_clock_timestamp"

// clockUDF is tp_clock_timestamp as a volatile DuckDB scalar function.
type clockUDF struct{}

func (clockUDF) Config() duckdb.ScalarFuncConfig {
	ts, _ := duckdb.NewTypeInfo(duckdb.TYPE_TIMESTAMP_TZ)
	return duckdb.ScalarFuncConfig{ResultTypeInfo: ts, Volatile: true}
}

func (clockUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func([]driver.Value) (any, error) {
		return time.Now().UTC().Truncate(time.Microsecond), nil
	}}
}

// zoneAbbrevFunction is the Go function behind to_char's TZ pattern:
// tp_zone_abbrev(t, zone) is the abbreviation of the time zone named zone
// at the instant t (EST or EDT for America/New_York), as PostgreSQL prints
// it; DuckDB's strftime %Z prints the zone's name.
const zoneAbbrevFunction = "tp_zone_abbrev"

// zoneAbbrevUDF is tp_zone_abbrev as a DuckDB scalar function; zones
// caches the loaded time zones by name.
type zoneAbbrevUDF struct{ zones *sync.Map }

func (zoneAbbrevUDF) Config() duckdb.ScalarFuncConfig {
	ts, _ := duckdb.NewTypeInfo(duckdb.TYPE_TIMESTAMP_TZ)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{ts, varchar}, ResultTypeInfo: varchar}
}

func (u zoneAbbrevUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(args []driver.Value) (any, error) {
		t, ok := args[0].(time.Time)
		name, ok2 := args[1].(string)
		if !ok || !ok2 {
			return nil, nil
		}
		loc, err := u.location(name)
		if err != nil {
			return name, nil // a zone Go does not know: its name, as strftime prints it
		}
		abbrev, _ := t.In(loc).Zone()
		return abbrev, nil
	}}
}

// location loads (once) the time zone called name.
func (u zoneAbbrevUDF) location(name string) (*time.Location, error) {
	if l, ok := u.zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	u.zones.Store(name, l)
	return l, nil
}

// registerClock registers tp_clock_timestamp and tp_zone_abbrev with the
// database, like registerFormatType.
func registerClock(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register %s: %w", clockFunction, err)
	}
	defer conn.Close()
	if err := duckdb.RegisterScalarUDF(conn, clockFunction, clockUDF{}); err != nil {
		return fmt.Errorf("register %s: %w", clockFunction, err)
	}
	if err := duckdb.RegisterScalarUDF(conn, zoneAbbrevFunction, zoneAbbrevUDF{zones: &sync.Map{}}); err != nil {
		return fmt.Errorf("register %s: %w", zoneAbbrevFunction, err)
	}
	return nil
}
