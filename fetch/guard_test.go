package fetch

import (
	"net/netip"
	"testing"
)

func TestPublicAddr(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", // loopback, also IPv4-mapped
		"10.0.0.1", "172.16.5.4", "192.168.1.1", "::ffff:10.0.0.1", "fd00::1", "fc00::5", // private
		"169.254.169.254", "::ffff:169.254.169.254", "fe80::1", "fd00:ec2::254", // link-local, cloud metadata
		"100.64.0.1", "100.100.100.200", // CGNAT, Alibaba's metadata
		"0.0.0.0", "::", "0.1.2.3", // unspecified, "this network"
		"224.0.0.1", "239.255.255.250", "ff02::1", "ff01::1", // multicast
		"255.255.255.255", "240.0.0.1", // broadcast, reserved
		"192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", // documentation
		"198.18.0.1", "192.0.0.8", // benchmarking, IETF
		"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", // NAT64 of loopback and metadata
		"2002:7f00:1::1", "2002:c0a8:101::1", // 6to4 of loopback and private
		"2001::1", "fec0::1", "100::1", // Teredo, site-local, discard
	}
	for _, s := range refused {
		if publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("publicAddr(%s) = true, want false", s)
		}
		if (AddrPolicy{}).addrAllowed(netip.MustParseAddr(s)) {
			t.Errorf("default policy allows %s", s)
		}
	}
	public := []string{"93.184.216.34", "8.8.8.8", "1.1.1.1", "::ffff:8.8.8.8", "2606:4700::1111", "2a00:1450:4001::200e",
		"64:ff9b::808:808", "2002:808:808::1", "100.128.0.1", "172.32.0.1", "11.0.0.1"}
	for _, s := range public {
		if !publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("publicAddr(%s) = false, want true", s)
		}
	}
}

func TestParseAddrPolicy(t *testing.T) {
	p, err := ParseAddrPolicy([]string{"10.1.0.0/16", "fd00::/8", "192.168.7.7", "[::1]", "Images.Corp.Example."})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		want bool
	}{
		{"10.1.2.3", true},
		{"::ffff:10.1.2.3", true},
		{"10.2.0.1", false},
		{"fd12::1", true},
		{"192.168.7.7", true},
		{"192.168.7.8", false},
		{"::1", true},
		{"127.0.0.1", false},
		{"169.254.169.254", false},
		{"8.8.8.8", true},
	}
	for _, tt := range tests {
		if got := p.addrAllowed(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("addrAllowed(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if !p.hostAllowed("images.corp.example") || p.hostAllowed("corp.example") || p.hostAllowed("x.images.corp.example") {
		t.Error("host names are matched exactly, case-insensitively")
	}
	for _, bad := range []string{"", "http://x.example/", "*.corp.example", "user@host", "10.0.0.0/33"} {
		if _, err := ParseAddrPolicy([]string{bad}); err == nil {
			t.Errorf("ParseAddrPolicy(%q): no error", bad)
		}
	}
}
