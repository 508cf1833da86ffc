package deploytest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// repoRoot is the repository, two levels above this package.
var repoRoot = func() string {
	p, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return p
}()

// proxySnippet is the nginx configuration under test: everything the
// production site does inside its server block.
var proxySnippet = filepath.Join(repoRoot, "deploy", "nginx", "udc-portal-proxy.conf")

// nginxPath returns Debian's nginx, skipping the test loudly when it is
// missing — or failing when REQUIRE_NGINX=1 (make test sets it when
// nginx is installed).
func nginxPath(t *testing.T) string {
	t.Helper()
	p := cmp.Or(os.Getenv("NGINX_PATH"), "/usr/sbin/nginx")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("REQUIRE_NGINX") == "1" {
			t.Fatalf("nginx not found at %s and REQUIRE_NGINX=1: %v", p, err)
		}
		t.Skipf("\n#########################################################################\n"+
			"# WARNING: nginx not found at %s: DEPLOYMENT TEST SKIPPED.            \n"+
			"# Install Debian's nginx (make test does it when run as root).          \n"+
			"#########################################################################", p)
	}
	return p
}

var portalBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// TestMain removes the portal binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if portalBuild.dir != "" {
		os.RemoveAll(portalBuild.dir)
	}
	os.Exit(code)
}

// portalBinary builds cmd/portal once per test binary.
func portalBinary(t *testing.T) string {
	t.Helper()
	b := &portalBuild
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "udc-deploytest-"); b.err != nil {
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			b.err = fmt.Errorf("the go command is needed to build the portal: %w", err)
			return
		}
		b.path = filepath.Join(b.dir, "portal")
		cmd := exec.Command(goTool, "build", "-o", b.path, "./cmd/portal")
		cmd.Dir = repoRoot
		b.out, b.err = cmd.CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("go build ./cmd/portal: %v\n%s", b.err, b.out)
	}
	return b.path
}

// freeAddr returns a loopback address whose port is free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer collects a child's output for the failure messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// child is a process started by a test, stopped (by its own pid) when
// the test ends.
type child struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

func startChild(t *testing.T, name string, cmd *exec.Cmd) *child {
	t.Helper()
	c := &child{name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-c.done
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, c.out.String())
		}
	})
	return c
}

// waitFor polls until ok returns true, failing after a while or when the
// child exits.
func waitFor(t *testing.T, c *child, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		select {
		case <-c.done:
			t.Fatalf("%s exited before %s:\n%s", c.name, what, c.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no %s after 60 s:\n%s", c.name, what, c.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stack is nginx with the deploy/ configuration in front of two portal
// instances on one database.
type stack struct {
	// URL is nginx's address, the only way in.
	URL string
	// Instances are the two portals' addresses (host:port).
	Instances []string
	// AccessLog is nginx's log: client, X-Forwarded-For as received,
	// method, path, status, upstream instance.
	AccessLog string
	// DatabaseURL is the database both instances use.
	DatabaseURL string
}

// portalEnv is the environment of a portal process.
func portalEnv(dbURL, addr, baseURL string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + dbURL, "ADDR=" + addr, "BASE_URL=" + baseURL, "LOG_LEVEL=warn",
		// nginx (127.0.0.1) is the only trusted proxy: the client is the
		// right-most X-Forwarded-For address not in the list.
		"TRUSTED_PROXIES=127.0.0.1/32",
		// Both instances seal and open with the same key (a test key).
		"SECRET_KEY=ZGVwbG95bWVudCB0ZXN0IG9ubHk6IG5vdCBpbiB1c2U="}
}

// startStack seeds the demo data into dbURL and starts two portals and
// nginx in front of them.
func startStack(t *testing.T, dbURL string) *stack {
	t.Helper()
	ngx := nginxPath(t)
	bin := portalBinary(t)
	st := &stack{DatabaseURL: dbURL}
	nginxAddr := freeAddr(t)
	st.URL = "http://" + nginxAddr

	seed := exec.Command(bin, "seed-demo")
	seed.Env = portalEnv(dbURL, "127.0.0.1:0", st.URL)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("portal seed-demo: %v\n%s", err, out)
	}
	for i := range 2 {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = portalEnv(dbURL, addr, st.URL)
		c := startChild(t, fmt.Sprintf("portal %d (%s)", i+1, addr), cmd)
		waitFor(t, c, "answer on /readyz", func() bool { return httpOK("http://" + addr + "/readyz") })
		st.Instances = append(st.Instances, addr)
	}

	prefix := t.TempDir()
	st.AccessLog = filepath.Join(prefix, "access.log")
	conf := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(conf, []byte(testNginxConf(t, prefix, nginxAddr, st.Instances)), 0o644); err != nil {
		t.Fatal(err)
	}
	errorLog := filepath.Join(prefix, "error.log")
	if out, err := exec.Command(ngx, "-t", "-q", "-p", prefix, "-c", conf, "-e", errorLog).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	c := startChild(t, "nginx", exec.Command(ngx, "-p", prefix, "-c", conf, "-e", errorLog))
	waitFor(t, c, "answer through nginx", func() bool { return httpOK(st.URL + "/healthz") })
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range []string{errorLog, st.AccessLog} {
				b, _ := os.ReadFile(f)
				t.Logf("%s:\n%s", f, b)
			}
		}
	})
	return st
}

// testNginxConf is the test variant of deploy/nginx/udc-portal.conf:
// plain HTTP on a loopback port, the two test instances as the upstream,
// every path under prefix, and deploy/nginx/udc-portal-proxy.conf — the
// production proxy settings — included as they are.
func testNginxConf(t *testing.T, prefix, listen string, instances []string) string {
	t.Helper()
	var b strings.Builder
	if os.Geteuid() == 0 {
		// nginx started by root switches its workers to this user:
		// the current one, so that they can use the temporary prefix.
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "user %s %s;\n", u.Username, g.Name)
	}
	fmt.Fprintf(&b, `daemon off;
master_process on;
worker_processes 1;
pid %[1]s/nginx.pid;
events { worker_connections 256; }
http {
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	log_format upstream '$remote_addr|$http_x_forwarded_for|$request_method|$uri|$status|$upstream_addr';
	access_log %[1]s/access.log upstream;
	upstream udc_portal {
`, prefix)
	for _, a := range instances {
		fmt.Fprintf(&b, "\t\tserver %s max_fails=3 fail_timeout=10s;\n", a)
	}
	fmt.Fprintf(&b, `		keepalive 8;
	}
	server {
		listen %s;
		include %s;
	}
}
`, listen, proxySnippet)
	return b.String()
}

func httpOK(url string) bool {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// logEntry is one line of the test's access log.
type logEntry struct {
	client, forwardedFor, method, path, status, upstream string
}

// accessLog returns the access log entries whose path starts with prefix.
func accessLog(t *testing.T, st *stack, prefix string) []logEntry {
	t.Helper()
	b, err := os.ReadFile(st.AccessLog)
	if err != nil {
		t.Fatal(err)
	}
	var out []logEntry
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "|")
		if len(f) == 6 && strings.HasPrefix(f[3], prefix) {
			out = append(out, logEntry{f[0], f[1], f[2], f[3], f[4], f[5]})
		}
	}
	return out
}

// ctxFor is a context ending with the test, bounded in time.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
