package clientip_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/clientip"
)

func mustPrefixes(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := clientip.ParsePrefixes(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFrom_RightMostAddressNotATrustedProxy(t *testing.T) {
	nginx := mustPrefixes(t, "127.0.0.1/32")
	chain := mustPrefixes(t, "127.0.0.1/32, 10.0.0.0/8, 2001:db8:ffff::/48")
	tests := []struct {
		name    string
		peer    string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxy trusted: the peer, header ignored", "198.51.100.7:4711", []string{"203.0.113.1"}, nil, "198.51.100.7"},
		{"untrusted peer: header ignored", "198.51.100.7:4711", []string{"203.0.113.1"}, nginx, "198.51.100.7"},
		{"trusted peer without header: the peer", "127.0.0.1:4711", nil, nginx, "127.0.0.1"},
		{"nginx appended the client", "127.0.0.1:4711", []string{"203.0.113.5"}, nginx, "203.0.113.5"},
		{"spoofed first hop is ignored", "127.0.0.1:4711", []string{"203.0.113.9, 198.51.100.20"}, nginx, "198.51.100.20"},
		{"spoofed trusted-looking hop on the left is ignored", "127.0.0.1:4711", []string{"10.0.0.1, 127.0.0.1, 198.51.100.20"}, nginx, "198.51.100.20"},
		{"issue 9 row 3: client hop then a private hop, nginx only trusted", "127.0.0.1:1", []string{"203.0.113.4, 10.0.0.1"}, nginx, "10.0.0.1"},
		{"two trusted proxies in a chain", "127.0.0.1:1", []string{"192.0.2.1, 198.51.100.3, 10.1.2.3"}, chain, "198.51.100.3"},
		{"every hop trusted: the left-most", "127.0.0.1:1", []string{"10.0.0.2, 10.0.0.3"}, chain, "10.0.0.2"},
		{"spaces and tabs around entries", "127.0.0.1:1", []string{"  192.0.2.1 ,\t198.51.100.3\t"}, nginx, "198.51.100.3"},
		{"blank entries skipped", "127.0.0.1:1", []string{"192.0.2.1,, ,198.51.100.3,"}, nginx, "198.51.100.3"},
		{"several header lines form one list", "127.0.0.1:1", []string{"192.0.2.1", "198.51.100.3, 10.0.0.9"}, chain, "198.51.100.3"},
		{"the last header line is the nearest", "127.0.0.1:1", []string{"192.0.2.1, 198.51.100.3", "203.0.113.77"}, nginx, "203.0.113.77"},
		{"garbage right of the client: the last trusted hop", "127.0.0.1:1", []string{"198.51.100.3, unknown"}, nginx, "127.0.0.1"},
		{"garbage left of the client is never read", "127.0.0.1:1", []string{"<script>, 198.51.100.3"}, nginx, "198.51.100.3"},
		{"garbage between trusted hops stops the walk", "127.0.0.1:1", []string{"198.51.100.3, bogus, 10.0.0.7"}, chain, "10.0.0.7"},
		{"NUL and junk bytes are garbage", "127.0.0.1:1", []string{"198.51.100.3, \x00\xff"}, nginx, "127.0.0.1"},
		{"IPv6 client behind IPv4 nginx", "127.0.0.1:1", []string{"2001:db8::1"}, nginx, "2001:db8::1"},
		{"IPv6 in brackets with a port", "127.0.0.1:1", []string{"[2001:db8::1]:443"}, nginx, "2001:db8::1"},
		{"IPv6 in brackets", "127.0.0.1:1", []string{"[2001:db8::2]"}, nginx, "2001:db8::2"},
		{"IPv4 with a port", "127.0.0.1:1", []string{"198.51.100.3:5555"}, nginx, "198.51.100.3"},
		{"IPv6 peer trusted", "[2001:db8:ffff::1]:80", []string{"2001:db8:1::5"}, chain, "2001:db8:1::5"},
		{"IPv6 peer untrusted", "[2001:db8:1::9]:80", []string{"192.0.2.1"}, chain, "2001:db8:1::9"},
		{"IPv4-mapped IPv6 peer counts as IPv4", "[::ffff:127.0.0.1]:80", []string{"198.51.100.3"}, nginx, "198.51.100.3"},
		{"IPv4-mapped client is unmapped", "127.0.0.1:1", []string{"::ffff:198.51.100.3"}, nginx, "198.51.100.3"},
		{"zone dropped", "127.0.0.1:1", []string{"fe80::1%eth0"}, nginx, "fe80::1"},
		{"unparseable peer kept as is", "pipe", []string{"192.0.2.1"}, nginx, "pipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clientip.From(tt.peer, tt.xff, tt.trusted); got != tt.want {
				t.Errorf("From(%q, %q) = %q, want %q", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "", ""},
		{"127.0.0.1/32", "127.0.0.1/32", ""},
		{" 127.0.0.0/8 , ::1/128 ,", "127.0.0.0/8 ::1/128", ""},
		{"10.1.2.3/8", "10.0.0.0/8", ""},
		{"192.0.2.7", "192.0.2.7/32", ""},
		{"2001:db8::1", "2001:db8::1/128", ""},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8", ""},
		{"0.0.0.0/0", "", "every address"},
		{"::/0", "", "every address"},
		{"10.0.0.0/33", "", "not a CIDR"},
		{"nginx", "", "not an address"},
		{"fe80::1%eth0", "", "not an address"},
	}
	for _, tt := range tests {
		got, err := clientip.ParsePrefixes(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParsePrefixes(%q) error %v, want one with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePrefixes(%q): %v", tt.in, err)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if strings.Join(s, " ") != tt.want {
			t.Errorf("ParsePrefixes(%q) = %v, want %s", tt.in, s, tt.want)
		}
	}
}
