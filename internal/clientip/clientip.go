// Package clientip finds the address of the client of a request that may
// have passed through reverse proxies. It is pure: the caller passes the
// peer address, the X-Forwarded-For header lines and the proxies it
// trusts.
//
// Every proxy appends the address it received the request from to
// X-Forwarded-For (nginx: proxy_set_header X-Forwarded-For
// $proxy_add_x_forwarded_for), so the header reads, left to right,
// whatever the client wrote followed by one address per proxy. Only the
// entries written by trusted proxies can be believed: reading from the
// right, the client is the first address that is not a trusted proxy.
// The left-most entries are the client's own words and never count.
package clientip

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ParsePrefixes parses a comma-separated list of CIDR prefixes
// ("127.0.0.1/32, 10.1.0.0/16, ::1/128"); a bare address stands for
// itself (/32 or /128). Blank entries are skipped. A prefix of length 0
// is refused: trusting every address would let any client choose the
// address it is counted as.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(f, "/") {
			var err error
			if p, err = netip.ParsePrefix(f); err != nil {
				return nil, fmt.Errorf("%q is not a CIDR prefix such as 127.0.0.1/32 or 10.0.0.0/8", f)
			}
		} else {
			a, err := netip.ParseAddr(f)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is not an address or a CIDR prefix such as 127.0.0.1/32", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		if p.Bits() == 0 {
			return nil, fmt.Errorf("%q would trust every address: list only the proxies' own addresses", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// From returns the client address of a request received from remoteAddr
// (host:port, as net/http's Request.RemoteAddr) carrying the given
// X-Forwarded-For header lines, when the proxies in trusted are believed:
//
//   - a peer that is not a trusted proxy is the client, whatever the
//     header says;
//   - otherwise the header is read from the right (several header lines
//     count as one list, in order) and the first address that is not a
//     trusted proxy is the client;
//   - an entry that is not an address (garbage, "unknown") ends the
//     walk: the client is the last trusted hop before it, since nothing
//     to its left can be believed; blank entries are skipped;
//   - when every address is trusted, the left-most one is the client.
//
// Addresses are returned in canonical form (IPv4-mapped IPv6 unmapped,
// zones dropped); a peer that cannot be parsed is returned as is.
func From(remoteAddr string, forwardedFor []string, trusted []netip.Prefix) string {
	peer, ok := parseHop(remoteAddr)
	if !ok {
		if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
			return host
		}
		return remoteAddr
	}
	client := peer
	if !isTrusted(peer, trusted) {
		return client.String()
	}
	for i := len(forwardedFor) - 1; i >= 0; i-- {
		entries := strings.Split(forwardedFor[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			e := strings.TrimSpace(entries[j])
			if e == "" {
				continue
			}
			a, ok := parseHop(e)
			if !ok {
				return client.String()
			}
			client = a
			if !isTrusted(a, trusted) {
				return client.String()
			}
		}
	}
	return client.String()
}

// parseHop reads one address as proxies and servers write it: a bare
// IPv4 or IPv6 address, optionally in brackets or with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
				return netip.Addr{}, false
			}
			if a, err = netip.ParseAddr(s[1 : len(s)-1]); err != nil {
				return netip.Addr{}, false
			}
		} else {
			a = ap.Addr()
		}
	}
	return a.WithZone("").Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
