package testsupport

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// BinaryEnv names a prebuilt tpserver binary that tests run instead of
// building this tree.
const BinaryEnv = "TPSERVER_BIN"

// Binary is the tpserver binary of this tree, built on first use and then
// shared by the tests of one test process. The zero value is ready to use.
type Binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Path builds ./cmd/tpserver (or takes $TPSERVER_BIN) on the first call and
// returns the binary's path.
func (b *Binary) Path() (string, error) {
	b.once.Do(func() {
		if p := os.Getenv(BinaryEnv); p != "" {
			b.path = p
			return
		}
		root, err := ModuleRoot()
		if err != nil {
			b.err = err
			return
		}
		if b.dir, err = os.MkdirTemp("", "tpserver-bin-"); err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(b.dir, "tpserver")
		build := exec.Command("go", "build", "-o", b.path, "./cmd/tpserver")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build ./cmd/tpserver: %v\n%s", err, out)
		}
	})
	return b.path, b.err
}

// Remove deletes the binary if Path built it.
func (b *Binary) Remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
