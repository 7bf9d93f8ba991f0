package clienttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

const debianPython = "/usr/bin/python3"

func TestPsycopg2(t *testing.T) {
	// Debian's python3-psycopg2 is only visible to Debian's interpreter, not
	// to a pyenv python3 earlier on PATH.
	if _, err := os.Stat(debianPython); err != nil {
		testsupport.Missing(t, debianPython, "apt-get install -y python3-psycopg2")
	}
	if err := exec.Command(debianPython, "-c", "import psycopg2").Run(); err != nil {
		testsupport.Missing(t, "psycopg2 for "+debianPython, "apt-get install -y python3-psycopg2")
	}
	runMatrix(t, "psycopg2", func(t *testing.T, tg target) (*result, error) {
		return runScript(t, tg, "psycopg2", debianPython, filepath.Join("python", "client.py"))
	})
}

var (
	npmOnce sync.Once
	npmErr  error
)

func TestNodePostgres(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		testsupport.Missing(t, "node", "apt-get install -y nodejs npm")
	}
	npmOnce.Do(func() {
		if _, err := os.Stat(filepath.Join("node", "node_modules", "pg-cursor")); err == nil {
			return
		}
		if _, err := exec.LookPath("npm"); err != nil {
			npmErr = err
			return
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--prefix", "node")
		if out, err := cmd.CombinedOutput(); err != nil {
			npmErr = &exec.Error{Name: "npm ci: " + string(out), Err: err}
		}
	})
	if npmErr != nil {
		testsupport.Missing(t, "node-postgres ("+npmErr.Error()+")", "npm ci --prefix clienttest/node")
	}
	runMatrix(t, "node", func(t *testing.T, tg target) (*result, error) {
		return runScript(t, tg, "node", "node", filepath.Join("node", "client.js"))
	})
}

func runScript(t *testing.T, tg target, client, prog string, args ...string) (*result, error) {
	out, stderr, err := runProgram(t, tg, 90*time.Second, prog, args...)
	r := parseResult(client, out)
	r.textKeys = true // both scripts report alltypes as unconverted wire text
	if err != nil {
		r.fail("program", "%s exited with %v: %s", prog, err, stderr)
	} else if stderr != "" {
		t.Logf("%s stderr: %s", prog, stderr)
	}
	return r, nil
}
