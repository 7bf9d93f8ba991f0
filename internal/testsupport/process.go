package testsupport

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// SyncBuffer is a bytes.Buffer safe for concurrent writers, such as a
// child process's stdout and stderr.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on right now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// MustFreePort returns a free port on 127.0.0.1, or fails tb.
func MustFreePort(tb testing.TB) int {
	tb.Helper()
	port, err := FreePort()
	if err != nil {
		tb.Fatal(err)
	}
	return port
}

// Process is a started child process whose output is captured.
type Process struct {
	cmd    *exec.Cmd
	Logs   *SyncBuffer   // stdout and stderr
	Exited chan struct{} // closed once the process has exited
	stop   sync.Once
}

// StartProcess starts cmd with its stdout and stderr captured in Logs.
func StartProcess(cmd *exec.Cmd) (*Process, error) {
	p := &Process{cmd: cmd, Logs: &SyncBuffer{}, Exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.Logs, p.Logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(p.Exited) }()
	return p, nil
}

// Stop interrupts the process (SIGINT), kills it if it has not exited
// within 10 seconds, and waits for it. Only the first call does anything.
func (p *Process) Stop() {
	p.stop.Do(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.Exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.Exited
		}
	})
}

// WaitListening waits until something accepts TCP connections on
// 127.0.0.1:port, failing when the process exits first or within passes.
func (p *Process) WaitListening(port int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-p.Exited:
			return errors.New("process exited before listening")
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not listening on 127.0.0.1:%d within %v", port, within)
}

// PID is the process's id.
func (p *Process) PID() int { return p.cmd.Process.Pid }
