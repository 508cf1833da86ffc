// Command devdb manages the project's private PostgreSQL cluster for
// development and tests: `make run` and `make test` call it when
// DATABASE_URL / TEST_DATABASE_URL are unset.
//
//	devdb up [DB]  start (initialising on first use) and print the server
//	               URL, or the URL of database DB, created if missing
//	devdb down   stop the cluster
//	devdb url    print the URL of a running cluster
//
// The cluster lives in ./.pgdata (git-ignored), listens only on 127.0.0.1 on
// a port chosen free at initialisation (so several clones can run side by
// side) and trusts local connections. PostgreSQL refuses to run as root, so
// when started by root the server runs as an unprivileged user ("postgres"
// if the system package created it, else "nobody").
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const dataDirName = ".pgdata"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: devdb up|down|url")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "up":
		err = up()
	case "down":
		err = down()
	case "url":
		err = printURL()
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		os.Exit(1)
	}
}

// cluster describes the private cluster under the repository.
type cluster struct {
	root     string // .pgdata
	data     string // .pgdata/data
	bin      string // directory with initdb, pg_ctl
	runAs    *user.User
	portFile string
}

func newCluster() (*cluster, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(wd, dataDirName)
	c := &cluster{root: root, data: filepath.Join(root, "data"), portFile: filepath.Join(root, "port")}
	if c.bin, err = findPostgres(); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		for _, name := range []string{"postgres", "nobody"} {
			if u, err := user.Lookup(name); err == nil {
				c.runAs = u
				break
			}
		}
		if c.runAs == nil {
			return nil, errors.New("running as root but neither user postgres nor nobody exists")
		}
	}
	return c, nil
}

// findPostgres locates the server binaries, installing Debian's postgresql
// package when they are missing and we are root.
func findPostgres() (string, error) {
	if dir := locatePostgres(); dir != "" {
		return dir, nil
	}
	if os.Geteuid() != 0 {
		return "", errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package postgresql, or set DATABASE_URL")
	}
	fmt.Fprintln(os.Stderr, "devdb: PostgreSQL not found, installing it with apt-get…")
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "postgresql"}} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("apt-get %s: %w", args[0], err)
		}
	}
	if dir := locatePostgres(); dir != "" {
		return dir, nil
	}
	return "", errors.New("PostgreSQL still not found after apt-get install")
}

func locatePostgres() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0])
	}
	return ""
}

func versionOf(path string) int {
	parts := strings.Split(path, "/")
	if len(parts) > 4 {
		n, _ := strconv.Atoi(parts[4])
		return n
	}
	return 0
}

// run executes a PostgreSQL binary, as the unprivileged user when root.
func (c *cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	if c.runAs != nil {
		uid, _ := strconv.Atoi(c.runAs.Uid)
		gid, _ := strconv.Atoi(c.runAs.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Env = append(cmd.Env, "HOME="+c.root)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return out, nil
}

// chownTree gives the cluster folder to the unprivileged user and makes sure
// every parent folder can be traversed by it.
func (c *cluster) chownTree() error {
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	if err := filepath.Walk(c.root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	}); err != nil {
		return err
	}
	for dir := filepath.Dir(c.root); dir != "/" && dir != "."; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(dir, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("make %s traversable for %s: %w", dir, c.runAs.Username, err)
			}
		}
	}
	return nil
}

func (c *cluster) port() (int, error) {
	b, err := os.ReadFile(c.portFile)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func (c *cluster) url(port int) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}

func (c *cluster) running() bool {
	_, err := c.run("pg_ctl", "status", "-D", c.data)
	return err == nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}

func up() error {
	c, err := newCluster()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.root, 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err != nil {
		port, err := freePort()
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.portFile, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
			return err
		}
		if err := c.chownTree(); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "devdb: initialising a private PostgreSQL cluster in", c.data)
		if _, err := c.run("initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return err
		}
		conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\nmax_connections = 300\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nlog_min_messages = warning\nshared_buffers = 128MB\n", port)
		if err := appendFile(filepath.Join(c.data, "postgresql.conf"), conf); err != nil {
			return err
		}
	}
	port, err := c.port()
	if err != nil {
		return fmt.Errorf("read port: %w", err)
	}
	if !c.running() {
		if err := c.chownTree(); err != nil {
			return err
		}
		if _, err := c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.data, "-l", filepath.Join(c.root, "server.log")); err != nil {
			return err
		}
	}
	// Wait until it accepts TCP connections.
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			_ = conn.Close() // only a probe: nothing was sent
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cluster not reachable on port %d: %w", port, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	u := c.url(port)
	if len(os.Args) > 2 {
		if u, err = ensureDatabase(u, os.Args[2]); err != nil {
			return err
		}
	}
	// make reads the URL from stdout: a failed write must fail the target.
	_, err = fmt.Println(u)
	return err
}

// appendFile appends s to the existing file at path.
func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	return errors.Join(err, f.Close())
}

// ensureDatabase creates database name on the server at admin if missing
// and returns its URL.
func ensureDatabase(admin, name string) (string, error) {
	if !dbNameRE.MatchString(name) {
		return "", fmt.Errorf("invalid database name %q", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	// Closing a connection whose work is done cannot lose anything.
	defer func() { _ = conn.Close(ctx) }()
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			return "", err
		}
	}
	return strings.Replace(admin, "/postgres?", "/"+name+"?", 1), nil
}

var dbNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func down() error {
	c, err := newCluster()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err != nil || !c.running() {
		fmt.Fprintln(os.Stderr, "devdb: no cluster running")
		return nil
	}
	_, err = c.run("pg_ctl", "stop", "-m", "fast", "-D", c.data)
	return err
}

func printURL() error {
	c, err := newCluster()
	if err != nil {
		return err
	}
	port, err := c.port()
	if err != nil {
		return errors.New("no cluster initialised; run devdb up")
	}
	fmt.Println(c.url(port))
	return nil
}
