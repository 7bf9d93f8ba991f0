package pgwire_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/internal/wirescript"
)

// TestWireScripts runs every testdata/*.script (see internal/wirescript)
// against a pgwire server over the real catalog and against PostgreSQL 15;
// both must answer exactly as the script says, but for the lines marked as
// known differences.
func TestWireScripts(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.script"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scripts in testdata (%v)", err)
	}
	var scripts []*wirescript.Script
	for _, p := range paths {
		s, err := wirescript.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, s)
	}

	ts, _ := serveCatalog(t)
	pg, pgErr := testsupport.StartPostgres("tester", "tpserver")
	if pgErr == nil {
		t.Cleanup(pg.Stop)
	} else if !errors.Is(pgErr, testsupport.ErrNoPostgres) {
		t.Fatal(pgErr)
	}

	params := map[string]string{"user": "tester", "database": "tpserver"}
	for _, s := range scripts {
		t.Run(s.Name, func(t *testing.T) {
			t.Run("tpserver", func(t *testing.T) {
				runWireScript(t, s, "tpserver", ts.Addr(), params)
			})
			t.Run("postgres", func(t *testing.T) {
				if pgErr != nil {
					testsupport.Missing(t, "PostgreSQL 15 server ("+pgErr.Error()+")", testsupport.PostgresInstall)
				}
				runWireScript(t, s, "postgres", pg.Addr(), params)
			})
		})
	}
}

func runWireScript(t *testing.T, s *wirescript.Script, server, addr string, params map[string]string) {
	t.Helper()
	nc, fe, err := wirescript.Connect(addr, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(nc, fe, server, 20*time.Second); err != nil {
		t.Fatal(err)
	}
}
