package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Process is a server's process id, whose memory Linux reports in /proc.
type Process int

var (
	_ Probe    = Process(0)
	_ RSSProbe = Process(0)
)

// ResetPeak resets the process's peak resident size (VmHWM) to its current
// resident size, by writing 5 to /proc/<pid>/clear_refs (Linux 4.0 and
// later; the process must be the caller's).
func (p Process) ResetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", int(p)), []byte("5"), 0)
}

// PeakRSS reads the process's peak resident size, VmHWM in
// /proc/<pid>/status, in bytes.
func (p Process) PeakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", int(p)))
	if err != nil {
		return 0, err
	}
	return parseVmHWM(b)
}

// RSS reads the process's current resident size, VmRSS in
// /proc/<pid>/status, in bytes.
func (p Process) RSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", int(p)))
	if err != nil {
		return 0, err
	}
	return statusKB(b, "VmRSS")
}

func parseVmHWM(status []byte) (int64, error) { return statusKB(status, "VmHWM") }

// statusKB reads the size line name of a /proc/<pid>/status, in bytes.
func statusKB(status []byte, name string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			break
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			break
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no %s line in the process status", name)
}

// LoadAverage returns the 1-minute load average of the machine from
// /proc/loadavg, or "" where there is none: other work on the machine is
// what makes runs noisy.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Server is a godoo server process that the bench started.
type Server struct {
	Process
	// URL is the server's base URL, http://127.0.0.1:<port>.
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  *os.File
}

// FreeAddr returns a loopback address with a port that is free now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// StartServer runs exe with args, a serve command line that listens on
// addr, with env added to the environment and its output in logPath, and
// waits until its /web/health passes. It fails when the process exits first
// or is not ready within timeout.
func StartServer(ctx context.Context, exe string, args, env []string, addr, logPath string, timeout time.Duration) (*Server, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	s := &Server{Process: Process(cmd.Process.Pid), URL: "http://" + addr, cmd: cmd, done: make(chan struct{}), log: log}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-s.done:
			log.Close()
			return nil, fmt.Errorf("the server exited before it was ready (%v):\n%s", s.err, tail(logPath))
		case <-ctx.Done():
			_ = s.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := client.Get(s.URL + "/web/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			_ = s.Stop()
			return nil, fmt.Errorf("the server is not ready after %s:\n%s", timeout, tail(logPath))
		}
	}
}

// Stop asks the server to shut down (SIGTERM) and kills it when it has not
// exited after 15 seconds.
func (s *Server) Stop() error {
	defer s.log.Close()
	select {
	case <-s.done:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return nil
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		return errors.New("the server did not stop within 15 s and was killed")
	}
}

// tail returns the end of a log file, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
