package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Timeouts of external image downloads.
const (
	externalDialTimeout   = 10 * time.Second
	externalHeaderTimeout = 15 * time.Second
	externalTimeout       = 30 * time.Second
)

// nonPublic lists the ranges, beyond what [netip.Addr]'s predicates name,
// that an external image download never dials: they reach the machine
// itself, its network or a cloud provider's internal services, or are
// reserved.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT (and Alibaba's metadata service)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// Prefixes of IPv6 addresses that carry an IPv4 address, which must be
// public too: NAT64 in its last 32 bits, 6to4 in bits 16–47.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// publicAddr reports whether a is a public unicast address: not loopback,
// private, link-local (cloud metadata services live at 169.254.169.254 and
// fd00:ec2::254), CGNAT, multicast, unspecified or reserved. An
// IPv4-mapped IPv6 address is judged as its IPv4 address.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() ||
		a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	switch {
	case nat64.Contains(a):
		b := a.As16()
		return publicAddr(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(a):
		b := a.As16()
		return publicAddr(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return true
}

// AddrPolicy decides which hosts external image downloads may reach: any
// public address, plus the hosts and networks allowed explicitly (an
// intranet's image server). The zero value allows public addresses only.
// It is immutable, so safe for concurrent use.
type AddrPolicy struct {
	hosts map[string]bool
	nets  []netip.Prefix
}

// ParseAddrPolicy returns the policy that also allows each of allowed: a
// host name ("images.corp.example", matched exactly, whatever it resolves
// to), an IP address or a CIDR network ("10.1.0.0/16", "fd00::/8").
func ParseAddrPolicy(allowed []string) (AddrPolicy, error) {
	p := AddrPolicy{hosts: map[string]bool{}}
	for _, s := range allowed {
		s = strings.TrimSpace(s)
		if pfx, err := netip.ParsePrefix(s); err == nil {
			p.nets = append(p.nets, pfx.Masked())
			continue
		}
		if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
			p.nets = append(p.nets, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		if s == "" || strings.ContainsAny(s, "/:@ *?#") {
			return AddrPolicy{}, fmt.Errorf("image host %q: want a host name, an IP address or a CIDR network", s)
		}
		p.hosts[strings.ToLower(strings.TrimSuffix(s, "."))] = true
	}
	return p, nil
}

// hostAllowed reports whether host (a name from a URL, without port) was
// allowed by name.
func (p AddrPolicy) hostAllowed(host string) bool {
	return p.hosts[strings.ToLower(strings.TrimSuffix(host, "."))]
}

// addrAllowed reports whether the policy lets a download dial a.
func (p AddrPolicy) addrAllowed(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return publicAddr(a)
}

// BlockedAddrError is the error of an external image download that would
// dial an address the [AddrPolicy] refuses. It is never retried.
type BlockedAddrError struct {
	Host string // the host name of the URL
	Addr string // the address it resolved to
}

func (e *BlockedAddrError) Error() string {
	return fmt.Sprintf("refused to connect to %s (%s): not a public address (image_hosts_allowed allows internal hosts)", e.Host, e.Addr)
}

// dialContext dials like a [net.Dialer], but checks every address it is
// about to connect to, after DNS resolution, so a name that resolves to an
// internal address (or changes to one between two lookups) is refused.
func (p AddrPolicy) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	byName := p.hostAllowed(host)
	d := net.Dialer{
		Timeout: externalDialTimeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			if byName {
				return nil
			}
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !p.addrAllowed(ap.Addr()) {
				return &BlockedAddrError{Host: host, Addr: address}
			}
			return nil
		},
	}
	return d.DialContext(ctx, network, addr)
}
