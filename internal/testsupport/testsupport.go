// Package testsupport holds what the tests of every tpserver package share:
// skipping (or, in CI, failing) when a tool is missing, free loopback ports,
// child processes with captured output, the shared test data next to the
// module, the tpserver binary and throwaway PostgreSQL 15 clusters.
//
// Everything listens on 127.0.0.1 only.
package testsupport

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// StrictEnv is the environment variable that turns skips for missing tools
// into failures; .ci/run sets it to 1.
const StrictEnv = "TPSERVER_TEST_STRICT"

// Strict reports whether a missing tool fails the test instead of skipping it.
func Strict() bool { return os.Getenv(StrictEnv) == "1" }

// Missing skips tb because what is not available, saying how to install it,
// or fails it under TPSERVER_TEST_STRICT=1.
func Missing(tb testing.TB, what, install string) {
	tb.Helper()
	missing(tb, what, install, "", tb.Skip)
}

// LeftOut is Missing for a part of a test that can run without what: the
// test goes on and logs what it left out, or fails under
// TPSERVER_TEST_STRICT=1.
func LeftOut(tb testing.TB, what, install, part string) {
	tb.Helper()
	missing(tb, what, install, ", so "+part+" are left out", tb.Log)
}

func missing(tb testing.TB, what, install, consequence string, report func(...any)) {
	tb.Helper()
	msg := fmt.Sprintf("%s is not available%s; install it with: %s", what, consequence, install)
	if Strict() {
		tb.Fatal(msg)
		return
	}
	report(msg)
}

// Tool returns the path of the command name on PATH, or skips tb (fails it
// under TPSERVER_TEST_STRICT=1) saying how to install it.
func Tool(tb testing.TB, name, install string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, name, install)
	}
	return p
}
