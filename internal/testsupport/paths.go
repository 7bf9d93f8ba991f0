package testsupport

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// SharedTestdataEnv points to the real CloudTrail samples: either their
// folder (holding FILES.csv) or its parent. Without it they are looked for
// in ../shared/testdata/cloudtrail next to the module.
const SharedTestdataEnv = "TPSERVER_SHARED_TESTDATA"

// ModuleRoot returns the directory holding the module's go.mod, found by
// walking up from the working directory (a package directory under go test).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// SharedPath returns the absolute path of elem inside the shared folder that
// sits next to the module (../shared: test data and reference captures that
// are never copied into the project). The path may not exist.
func SharedPath(elem ...string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{filepath.Dir(root), "shared"}, elem...)...), nil
}

// SharedFile returns the absolute path of elem inside the shared folder, or
// skips tb when it does not exist (the shared data is optional).
func SharedFile(tb testing.TB, elem ...string) string {
	tb.Helper()
	p, err := SharedPath(elem...)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test data not available: %v", err)
	}
	return p
}

// CloudTrailSamples returns the absolute folder of the real CloudTrail
// samples (holding FILES.csv), from TPSERVER_SHARED_TESTDATA or
// ../shared/testdata/cloudtrail, or skips tb when there are none. A
// TPSERVER_SHARED_TESTDATA without the samples fails tb.
func CloudTrailSamples(tb testing.TB) string {
	tb.Helper()
	if env := os.Getenv(SharedTestdataEnv); env != "" {
		for _, dir := range []string{env, filepath.Join(env, "cloudtrail")} {
			if _, err := os.Stat(filepath.Join(dir, "FILES.csv")); err == nil {
				abs, err := filepath.Abs(dir)
				if err != nil {
					tb.Fatal(err)
				}
				return abs
			}
		}
		tb.Fatalf("%s=%s: no FILES.csv there nor in its cloudtrail folder", SharedTestdataEnv, env)
	}
	dir, err := SharedPath("testdata", "cloudtrail")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "FILES.csv")); err != nil {
		tb.Skipf("real CloudTrail samples not available: %v (set %s to use another folder)", err, SharedTestdataEnv)
	}
	return dir
}
