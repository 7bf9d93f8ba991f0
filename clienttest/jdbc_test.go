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

const jdbcJar = "/usr/share/java/postgresql.jar"

var (
	javaOnce sync.Once
	javaDir  string
	javaErr  error
)

func TestJDBC(t *testing.T) {
	for _, tool := range []string{"javac", "java"} {
		if _, err := exec.LookPath(tool); err != nil {
			testsupport.Missing(t, tool, "apt-get install -y default-jdk-headless")
		}
	}
	if _, err := os.Stat(jdbcJar); err != nil {
		testsupport.Missing(t, "pgjdbc ("+jdbcJar+")", "apt-get install -y libpostgresql-jdbc-java")
	}
	javaOnce.Do(func() {
		javaDir, javaErr = os.MkdirTemp("", "clienttest-java-")
		if javaErr != nil {
			return
		}
		atExit(func() { os.RemoveAll(javaDir) })
		out, err := exec.Command("javac", "-d", javaDir, "-cp", jdbcJar, filepath.Join("java", "Client.java")).CombinedOutput()
		if err != nil {
			javaErr = err
			javaDir = string(out)
		}
	})
	if javaErr != nil {
		t.Fatalf("javac: %v\n%s", javaErr, javaDir)
	}
	runMatrix(t, "jdbc", func(t *testing.T, tg target) (*result, error) {
		out, stderr, err := runProgram(t, tg, 90*time.Second, "java", "-cp", javaDir+string(os.PathListSeparator)+jdbcJar, "Client")
		if err != nil {
			t.Logf("java: %v\n%s", err, stderr)
		}
		r := parseResult("jdbc", out)
		if err != nil {
			r.fail("program", "java exited with %v: %s", err, stderr)
		}
		return r, nil
	})
}
