package com.nexflux.integrations.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.testing.FixedResolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {
  private static final OutboundGuard NO_ALLOW_LIST = new OutboundGuard(new FixedResolver(), List.of());

  /** Parses an IP literal without a lookup; IPv6 stays IPv6 (also in the ::ffff: form). */
  private static InetAddress ip(String literal) {
    return FixedResolver.literal(null, literal);
  }

  @Nested
  class RefusedByDefault {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.1.2.3", "10.255.255.255", "172.16.0.1",
        "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255", "100.100.100.200", "169.254.169.254",
        "169.254.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.0.8", "192.0.2.1",
        "192.88.99.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
        "::1", "::", "fe80::1", "febf::1", "fd00:ec2::254", "fc00::1", "fdff:ffff::1", "ff02::1", "ff0e::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:db8::1", "2001:db8:ffff::1", "100::1", "fec0::1"})
    void refuses(String literal) {
      assertThat(NO_ALLOW_LIST.isAllowed(ip(literal))).as(literal).isFalse();
    }

    @Test
    void the_teredo_literal_really_embeds_127_0_0_1() {
      // Teredo: 2001:0:<server>:<flags>:<port ^ 0xffff>:<client ^ 0xffffffff>; ~7f000001 = 80fffffe
      byte[] b = ip("2001:0:4136:e378:8000:63bf:80ff:fffe").getAddress();
      byte[] client = new byte[4];
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~b[12 + i];
      }
      assertThat(client).containsExactly(127, 0, 0, 1);
      assertThat(OutboundGuard.embeddedIpv4(b)).hasValueSatisfying(v4 -> assertThat(v4).containsExactly(127, 0, 0, 1));
    }

    @Test
    void a_teredo_address_with_a_public_client_is_allowed() {
      // client 8.8.8.8 -> ~ = f7f7:f7f7
      assertThat(NO_ALLOW_LIST.isAllowed(ip("2001:0:4136:e378:8000:63bf:f7f7:f7f7"))).isTrue();
    }

    @Test
    void refuses_the_mapped_form_whether_the_jdk_returns_it_as_ipv4_or_ipv6() throws Exception {
      InetAddress jdk = InetAddress.getByName("::ffff:127.0.0.1"); // literal: no lookup
      InetAddress v6 = ip("::ffff:127.0.0.1");

      assertThat(jdk).isInstanceOf(Inet4Address.class);
      assertThat(v6).isInstanceOf(Inet6Address.class);
      assertThat(NO_ALLOW_LIST.isAllowed(jdk)).isFalse();
      assertThat(NO_ALLOW_LIST.isAllowed(v6)).isFalse();
    }
  }

  @Nested
  class JdkLiteralForms {
    // InetAddress.getByName of these literal forms parses them; it makes no network call.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.1", "2130706433", "0", "127.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "[::1]"})
    void refuses_odd_spellings_of_loopback_and_any(String literal) throws UnknownHostException {
      InetAddress a = InetAddress.getByName(literal);
      assertThat(NO_ALLOW_LIST.isAllowed(a)).as(literal + " = " + a.getHostAddress()).isFalse();
    }

    @Test
    void the_jdk_reads_127_1_and_2130706433_as_127_0_0_1_and_0_as_0_0_0_0() throws UnknownHostException {
      assertThat(InetAddress.getByName("127.1").getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(InetAddress.getByName("2130706433").getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(InetAddress.getByName("0").getHostAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void a_guard_on_the_system_resolver_refuses_numeric_loopback_spellings() {
      // HostResolver.SYSTEM on an IP literal parses it (InetAddress.getAllByName), no lookup
      OutboundGuard system = new OutboundGuard(com.nexflux.integrations.core.net.HostResolver.SYSTEM, List.of());
      for (String literal : List.of("127.1", "2130706433", "0", "::1", "::ffff:169.254.169.254")) {
        assertThat(system.check(literal, 1883)).as(literal).isInstanceOf(OutboundGuard.Decision.Denied.class);
      }
    }
  }

  @Nested
  class AllowedByDefault {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "9.9.9.9", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "100.63.255.255", "169.255.0.1", "192.169.0.1", "11.0.0.1", "223.255.255.254", "198.20.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001::200e", "64:ff9b::808:808", "2002:808:808::1",
        "::ffff:8.8.8.8", "2001:db9::1"})
    void allows(String literal) {
      assertThat(NO_ALLOW_LIST.isAllowed(ip(literal))).as(literal).isTrue();
    }
  }

  @Nested
  class Check {
    @Test
    void a_public_host_is_allowed_with_its_resolved_address_and_the_given_host_and_port() {
      var resolver = FixedResolver.of("broker.example.com", "93.184.215.14");
      var guard = new OutboundGuard(resolver, List.of());

      var d = guard.check("broker.example.com", 8883);

      assertThat(d).isInstanceOf(OutboundGuard.Decision.Allowed.class);
      ResolvedTarget t = ((OutboundGuard.Decision.Allowed) d).target();
      assertThat(t.host()).isEqualTo("broker.example.com");
      assertThat(t.address().getHostAddress()).isEqualTo("93.184.215.14");
      assertThat(t.port()).isEqualTo(8883);
      assertThat(resolver.lookupCount("broker.example.com")).as("resolved once").isEqualTo(1);
    }

    @Test
    void a_host_with_one_public_and_one_private_address_is_refused_whatever_the_order() {
      for (String[] order : List.of(new String[] {"93.184.215.14", "10.0.0.5"},
          new String[] {"10.0.0.5", "93.184.215.14"})) {
        var guard = new OutboundGuard(FixedResolver.of("mixed.example.com", order), List.of());

        var d = guard.check("mixed.example.com", 1883);

        assertThat(d).isInstanceOf(OutboundGuard.Decision.Denied.class);
        var denied = (OutboundGuard.Decision.Denied) d;
        assertThat(denied.host()).isEqualTo("mixed.example.com");
        assertThat(denied.address().getHostAddress()).isEqualTo("10.0.0.5");
      }
    }

    @Test
    void a_host_with_a_public_ipv4_and_a_link_local_ipv6_address_is_refused() {
      var guard = new OutboundGuard(FixedResolver.of("dual.example.com", "93.184.215.14", "fe80::1"), List.of());
      assertThat(guard.check("dual.example.com", 1883)).isInstanceOf(OutboundGuard.Decision.Denied.class);
    }

    @Test
    void a_host_resolving_to_the_metadata_service_is_refused() {
      var guard = new OutboundGuard(FixedResolver.of("metadata.example.com", "169.254.169.254"), List.of());
      assertThat(guard.check("metadata.example.com", 80)).isInstanceOf(OutboundGuard.Decision.Denied.class);
    }

    @Test
    void an_unknown_host_is_unresolvable() {
      var guard = new OutboundGuard(new FixedResolver(), List.of());
      assertThat(guard.check("nowhere.invalid", 1883))
          .isEqualTo(new OutboundGuard.Decision.Unresolvable("nowhere.invalid"));
    }

    @Test
    void a_resolver_that_answers_nothing_counts_as_unresolvable() {
      var empty = new OutboundGuard(host -> new InetAddress[0], List.of());
      var none = new OutboundGuard(host -> null, List.of());
      assertThat(empty.check("x.example", 1)).isInstanceOf(OutboundGuard.Decision.Unresolvable.class);
      assertThat(none.check("x.example", 1)).isInstanceOf(OutboundGuard.Decision.Unresolvable.class);
    }

    @Test
    void several_public_addresses_are_allowed_and_the_first_is_used() {
      var guard = new OutboundGuard(FixedResolver.of("multi.example.com", "1.1.1.1", "2606:4700:4700::1111"),
          List.of());
      var d = (OutboundGuard.Decision.Allowed) guard.check("multi.example.com", 443);
      assertThat(d.target().address().getHostAddress()).isEqualTo("1.1.1.1");
    }
  }

  @Nested
  class AllowList {
    @Test
    void a_127_network_lets_loopback_through_but_not_other_private_addresses() {
      var resolver = new FixedResolver().map("local.test", "127.0.0.1").map("lan.test", "10.0.0.1");
      var guard = new OutboundGuard(resolver, OutboundGuard.parseNetworks("127.0.0.0/8"));

      assertThat(guard.check("local.test", 1883)).isInstanceOf(OutboundGuard.Decision.Allowed.class);
      assertThat(guard.check("lan.test", 1883)).isInstanceOf(OutboundGuard.Decision.Denied.class);
      assertThat(guard.isAllowed(ip("127.0.0.1"))).isTrue();
      assertThat(guard.isAllowed(ip("10.0.0.1"))).isFalse();
      assertThat(guard.isAllowed(ip("::1"))).as("an IPv4 range does not allow IPv6 loopback").isFalse();
      assertThat(guard.isAllowed(ip("::ffff:127.0.0.1"))).as("mapped form of an allowed address").isTrue();
      assertThat(guard.isAllowed(ip("64:ff9b::7f00:1"))).as("NAT64 form of an allowed address").isTrue();
    }

    @Test
    void an_ipv6_loopback_entry_allows_only_ipv6_loopback() {
      var guard = new OutboundGuard(new FixedResolver(), OutboundGuard.parseNetworks("::1/128"));
      assertThat(guard.isAllowed(ip("::1"))).isTrue();
      assertThat(guard.isAllowed(ip("127.0.0.1"))).isFalse();
      assertThat(guard.isAllowed(ip("::2"))).isFalse();
    }

    @Test
    void one_address_allowed_does_not_let_a_host_with_another_refused_address_through() {
      var resolver = FixedResolver.of("two.test", "127.0.0.1", "10.0.0.1");
      var guard = new OutboundGuard(resolver, OutboundGuard.parseNetworks("127.0.0.0/8"));
      assertThat(guard.check("two.test", 1883)).isInstanceOf(OutboundGuard.Decision.Denied.class);
    }

    @Test
    void the_guard_reports_its_allow_list() {
      var nets = OutboundGuard.parseNetworks("10.0.0.0/8, fd00::/8");
      assertThat(new OutboundGuard(new FixedResolver(), nets).allowedNetworks()).isEqualTo(nets);
    }

    @Test
    void rejects_a_missing_resolver() {
      assertThatThrownBy(() -> new OutboundGuard(null, List.of())).isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class ParseNetworks {
    @Test
    void parses_a_comma_separated_list_with_spaces_and_empty_entries() {
      var nets = OutboundGuard.parseNetworks(" 10.0.0.0/8 , 192.168.1.5 ,, ::1/128, fd00::/8 ,");
      assertThat(nets).containsExactly(CidrRange.parse("10.0.0.0/8"), CidrRange.parse("192.168.1.5/32"),
          CidrRange.parse("::1/128"), CidrRange.parse("fd00::/8"));
    }

    @Test
    void blank_means_none() {
      assertThat(OutboundGuard.parseNetworks(null)).isEmpty();
      assertThat(OutboundGuard.parseNetworks("")).isEmpty();
      assertThat(OutboundGuard.parseNetworks("   ")).isEmpty();
      assertThat(OutboundGuard.parseNetworks(" , ,")).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"localhost", "example.com/8", "10.0.0.0/8,intranet", "garbage", "10.0.0/8", "127.1/8",
        "2130706433", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "::1/129", "256.1.1.1/8",
        "999.0.0.0", "1.2.3.4:80", "g::1/64", "localhost:1/8", "/8", "10.0.0.0/8/8", "0x7f.0.0.1"})
    void rejects_host_names_and_garbage(String text) {
      assertThatThrownBy(() -> OutboundGuard.parseNetworks(text)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void the_deny_list_covers_the_documented_special_purpose_ranges() {
    assertThat(OutboundGuard.DENIED).extracting(CidrRange::toString).contains(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32");
  }
}
