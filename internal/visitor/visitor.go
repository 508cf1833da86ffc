// Package visitor drives the portal over HTTP the way a browser without
// JavaScript does: it reads each page's forms, fills them in and posts
// them, keeping cookies. `make bench` uses it to book appointments and log
// staff in under load, and the deployment test to book through nginx.
//
// It finds its way by the forms a page offers (their action and input
// names), not by the markup around them, so it keeps working when the
// templates change their look.
package visitor

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// Browser is one visitor: its own cookies, optionally its own client
// address (sent as X-Forwarded-For, as a load balancer would), over a
// transport that may be shared with other visitors.
type Browser struct {
	base         string
	client       *http.Client
	forwardedFor string
}

// NewBrowser returns a visitor of the portal at base (e.g.
// http://127.0.0.1:8080). forwardedFor, when not empty, is sent as
// X-Forwarded-For with every request.
func NewBrowser(base string, rt http.RoundTripper, forwardedFor string) *Browser {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &Browser{
		base: strings.TrimRight(base, "/"),
		client: &http.Client{Transport: rt, Jar: jar, Timeout: 2 * time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		forwardedFor: forwardedFor,
	}
}

// NewTransport returns a transport for many visitors, keeping up to conns
// connections alive. With a non-nil localIP it connects from that address
// (any 127.x.y.z on Linux), so a proxy in front of the portal sees a
// client other than itself.
func NewTransport(conns int, localIP net.IP) *http.Transport {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if localIP != nil {
		d.LocalAddr = &net.TCPAddr{IP: localIP}
	}
	return &http.Transport{DialContext: d.DialContext, MaxIdleConns: conns, MaxIdleConnsPerHost: conns,
		IdleConnTimeout: 90 * time.Second}
}

// Response is what a request returned, body read.
type Response struct {
	Status   int
	Location string
	Body     []byte
}

// Get fetches path without following redirects.
func (b *Browser) Get(ctx context.Context, path string) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return Response{}, err
	}
	return b.do(req)
}

// Post submits form to path as a same-origin page would.
func (b *Browser) Post(ctx context.Context, path string, form url.Values) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// What a browser sends for a form of the same site; Go's
	// CrossOriginProtection lets it through.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (Response, error) {
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	return Response{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: body}, nil
}

// StatusError is an answer the flow did not expect.
type StatusError struct {
	Method, Path string
	Status       int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: unexpected status %d", e.Method, e.Path, e.Status)
}
