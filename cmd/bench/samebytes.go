package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The baseline of the page measures is a bare net/http server returning
// the same bytes as the portal: each page is fetched once from the
// portal, and the copy is served ready-made, gzip-compressed when the
// client accepts it, with the portal's headers. It runs as a separate
// process (this program with the samebytes subcommand) so that its RSS is
// its own and it does not share a Go runtime with the load generator.

// snapshot is one page as the portal served it.
type snapshot struct {
	Path   string      `json:"path"`
	Header http.Header `json:"header"`
	File   string      `json:"file"`
	// WireBytes is the size of the portal's answer as sent with
	// Accept-Encoding: gzip; Encoding its Content-Encoding ("" = none).
	WireBytes int    `json:"wire_bytes"`
	Encoding  string `json:"encoding"`
}

// headersNotCopied are per-response or per-connection headers.
var headersNotCopied = []string{"Date", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection", "Keep-Alive", "Set-Cookie"}

// takeSnapshots fetches every path from the portal (as a browser that
// accepts gzip) and writes the bodies, decompressed, and an index to dir.
func takeSnapshots(ctx context.Context, base string, paths []string, dir string) ([]snapshot, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	var snaps []snapshot
	for i, p := range paths {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		wire, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: status %d (does the page exist in the demo data?)", p, resp.StatusCode)
		}
		body := wire
		enc := resp.Header.Get("Content-Encoding")
		switch enc {
		case "":
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(wire))
			if err != nil {
				return nil, fmt.Errorf("GET %s: %w", p, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				return nil, fmt.Errorf("GET %s: %w", p, err)
			}
		default:
			return nil, fmt.Errorf("GET %s: Content-Encoding %q not understood by the harness", p, enc)
		}
		h := resp.Header.Clone()
		for _, k := range headersNotCopied {
			h.Del(k)
		}
		s := snapshot{Path: p, Header: h, File: fmt.Sprintf("page-%d.html", i), WireBytes: len(wire), Encoding: enc}
		if err := os.WriteFile(filepath.Join(dir, s.File), body, 0o644); err != nil {
			return nil, err
		}
		snaps = append(snaps, s)
	}
	b, err := json.MarshalIndent(snaps, "", "  ")
	if err != nil {
		return nil, err
	}
	return snaps, os.WriteFile(filepath.Join(dir, "index.json"), b, 0o644)
}

// startSameBytes runs this program's samebytes subcommand on a free
// loopback port and returns it with its base URL.
func startSameBytes(ctx context.Context, dir string) (*process, string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(self, "samebytes", "-dir", dir, "-addr", "127.0.0.1:0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	p, err := start("same-bytes server", cmd)
	if err != nil {
		return nil, "", err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		p.stop(time.Second)
		return nil, "", fmt.Errorf("same-bytes server did not start: %q %v", line, err)
	}
	base := "http://" + addr
	if err := waitReady(ctx, p, base+"/", 10*time.Second); err != nil {
		p.stop(time.Second)
		return nil, "", err
	}
	return p, base, nil
}

// sameBytesMain is the samebytes subcommand: serve the snapshots of -dir.
func sameBytesMain(args []string) error {
	fs := flag.NewFlagSet("samebytes", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder written by the harness (index.json and the pages)")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	h, err := loadSameBytes(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	return srv.Serve(ln)
}

// sameBytes serves ready-made answers by path.
type sameBytes map[string]*readyPage

// readyPage is one page with everything computed in advance: headers of
// the plain and the gzip answer, and both bodies.
type readyPage struct {
	plain, gz             []byte
	plainHeader, gzHeader http.Header
}

func loadSameBytes(dir string) (sameBytes, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	var snaps []snapshot
	if err := json.Unmarshal(b, &snaps); err != nil {
		return nil, err
	}
	h := sameBytes{}
	for _, s := range snaps {
		body, err := os.ReadFile(filepath.Join(dir, s.File))
		if err != nil {
			return nil, err
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		if _, err := zw.Write(body); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		pg := &readyPage{plain: body, gz: gz.Bytes(), plainHeader: s.Header.Clone(), gzHeader: s.Header.Clone()}
		pg.plainHeader.Set("Vary", "Accept-Encoding")
		pg.plainHeader.Set("Content-Length", strconv.Itoa(len(pg.plain)))
		pg.gzHeader.Set("Vary", "Accept-Encoding")
		pg.gzHeader.Set("Content-Encoding", "gzip")
		pg.gzHeader.Set("Content-Length", strconv.Itoa(len(pg.gz)))
		h[s.Path] = pg
	}
	if len(h) == 0 {
		return nil, errors.New("samebytes: no pages")
	}
	h["/"] = h[snaps[0].Path] // readiness probe
	return h, nil
}

func (h sameBytes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pg, ok := h[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	header, body := pg.plainHeader, pg.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		header, body = pg.gzHeader, pg.gz
	}
	dst := w.Header()
	for k, v := range header {
		dst[k] = v
	}
	_, _ = w.Write(body)
}
