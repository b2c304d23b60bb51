package com.nexflux.integrations.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.testing.FixedResolver;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrRangeTest {
  private static InetAddress ip(String literal) {
    return FixedResolver.literal(null, literal);
  }

  private static boolean in(String cidr, String address) {
    return CidrRange.parse(cidr).contains(ip(address));
  }

  @Test
  void slash_zero_contains_every_address_of_its_family_only() {
    assertThat(in("0.0.0.0/0", "0.0.0.0")).isTrue();
    assertThat(in("0.0.0.0/0", "255.255.255.255")).isTrue();
    assertThat(in("0.0.0.0/0", "8.8.8.8")).isTrue();
    assertThat(in("0.0.0.0/0", "::1")).isFalse();
    assertThat(in("::/0", "2606:4700::1")).isTrue();
    assertThat(in("::/0", "8.8.8.8")).isFalse();
  }

  @Test
  void slash_32_and_slash_128_contain_exactly_one_address() {
    assertThat(in("192.0.2.7/32", "192.0.2.7")).isTrue();
    assertThat(in("192.0.2.7/32", "192.0.2.6")).isFalse();
    assertThat(in("192.0.2.7/32", "192.0.2.8")).isFalse();
    assertThat(in("2001:db8::7/128", "2001:db8::7")).isTrue();
    assertThat(in("2001:db8::7/128", "2001:db8::6")).isFalse();
  }

  @Test
  void a_bare_address_is_a_single_host() {
    assertThat(CidrRange.parse("192.0.2.7")).isEqualTo(CidrRange.parse("192.0.2.7/32"));
    assertThat(CidrRange.parse("::1").prefixLength()).isEqualTo(128);
  }

  @Test
  void slash_10_is_not_byte_aligned() {
    // 100.64.0.0/10 = 100.64.0.0 .. 100.127.255.255
    assertThat(in("100.64.0.0/10", "100.63.255.255")).isFalse();
    assertThat(in("100.64.0.0/10", "100.64.0.0")).isTrue();
    assertThat(in("100.64.0.0/10", "100.127.255.255")).isTrue();
    assertThat(in("100.64.0.0/10", "100.128.0.0")).isFalse();
    // fe80::/10 = fe80:: .. febf:ffff:...
    assertThat(in("fe80::/10", "fe7f:ffff::1")).isFalse();
    assertThat(in("fe80::/10", "febf:ffff::1")).isTrue();
    assertThat(in("fe80::/10", "fec0::")).isFalse();
  }

  @Test
  void slash_12_is_not_byte_aligned() {
    // 172.16.0.0/12 = 172.16.0.0 .. 172.31.255.255
    assertThat(in("172.16.0.0/12", "172.15.255.255")).isFalse();
    assertThat(in("172.16.0.0/12", "172.16.0.0")).isTrue();
    assertThat(in("172.16.0.0/12", "172.31.255.255")).isTrue();
    assertThat(in("172.16.0.0/12", "172.32.0.0")).isFalse();
  }

  @Test
  void host_bits_in_the_network_address_are_ignored() {
    assertThat(in("10.1.2.3/8", "10.200.0.1")).isTrue();
    assertThat(in("10.1.2.3/8", "11.0.0.0")).isFalse();
  }

  @Test
  void an_ipv4_range_never_contains_an_ipv6_address_and_vice_versa() {
    assertThat(in("127.0.0.0/8", "::ffff:127.0.0.1")).as("the mapped form is IPv6").isFalse();
    assertThat(in("0.0.0.0/8", "::")).isFalse();
    assertThat(in("::/96", "127.0.0.1")).isFalse();
    assertThat(CidrRange.parse("10.0.0.0/8").contains(new byte[16])).isFalse();
  }

  @Test
  void validates_its_parts() {
    assertThatThrownBy(() -> new CidrRange(new byte[5], 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CidrRange(new byte[4], 33)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CidrRange(new byte[16], 129)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CidrRange(new byte[4], -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CidrRange(null, 0)).isInstanceOf(NullPointerException.class);
    assertThat(new CidrRange(new byte[16], 128).prefixLength()).isEqualTo(128);
  }

  @Test
  void copies_the_network_bytes() {
    byte[] b = {10, 0, 0, 0};
    CidrRange r = new CidrRange(b, 8);
    b[0] = 11;
    assertThat(r.contains(ip("10.1.1.1"))).isTrue();
    r.network()[0] = 12;
    assertThat(r.contains(ip("10.1.1.1"))).as("accessor returns the record component, mutation must not leak")
        .isTrue();
  }

  @Test
  void equality_and_text_follow_the_network() {
    assertThat(CidrRange.parse("10.0.0.0/8")).isEqualTo(CidrRange.parse(" 10.0.0.0/8 "))
        .hasSameHashCodeAs(CidrRange.parse("10.0.0.0/8"))
        .isNotEqualTo(CidrRange.parse("10.0.0.0/9"));
    assertThat(CidrRange.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    assertThat(CidrRange.parse("fc00::/7")).hasToString("fc00:0:0:0:0:0:0:0/7");
  }

  @Test
  void refuses_host_names_and_other_garbage_without_looking_anything_up() {
    for (String bad : new String[] {"localhost", "example.com/24", "256.0.0.0/8", "300.1.1.1", "1.2.3", "::g",
        "zz::/8", ".::1", "", " ", "10.0.0.0/abc"}) {
      assertThatThrownBy(() -> CidrRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
