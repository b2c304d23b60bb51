package com.nexflux.integrations.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.testing.InMemoryUserDirectory;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserAccountsTest {
  final UserId known = new UserId(UUID.randomUUID());
  final UserId stranger = new UserId(UUID.randomUUID());

  @Test
  void with_provisioning_on_an_unknown_user_gets_a_row() {
    var dir = new InMemoryUserDirectory();
    var accounts = new UserAccounts(dir, true);

    accounts.admit(stranger);

    assertThat(dir.contains(stranger)).isTrue();
    assertThat(dir.provisionCalls()).isEqualTo(1);
  }

  @Test
  void with_provisioning_off_an_unknown_user_is_unauthorized_and_gets_no_row() {
    var dir = new InMemoryUserDirectory(known);
    var accounts = new UserAccounts(dir, false);

    assertThatThrownBy(() -> accounts.admit(stranger)).isInstanceOf(UnauthorizedException.class)
        .satisfies(e -> assertThat(((UnauthorizedException) e).code()).isEqualTo("UNAUTHORIZED"));
    assertThat(dir.contains(stranger)).isFalse();
    assertThat(dir.provisionCalls()).isZero();
  }

  @Test
  void with_provisioning_off_an_unknown_user_is_asked_about_again_next_time() {
    var dir = new InMemoryUserDirectory(known);
    var accounts = new UserAccounts(dir, false);

    assertThatThrownBy(() -> accounts.admit(stranger)).isInstanceOf(UnauthorizedException.class);
    dir.add(stranger); // the hosting service created the row meanwhile
    accounts.admit(stranger);

    assertThat(dir.existsCalls()).isEqualTo(2);
  }

  @Test
  void with_provisioning_off_a_known_user_is_admitted() {
    var dir = new InMemoryUserDirectory(known);
    var accounts = new UserAccounts(dir, false);

    accounts.admit(known);

    assertThat(dir.existsCalls()).isEqualTo(1);
    assertThat(dir.provisionCalls()).isZero();
  }

  @Test
  void an_admitted_user_is_remembered_so_later_admits_cost_no_directory_call() {
    var dir = new InMemoryUserDirectory(known);
    var off = new UserAccounts(dir, false);
    for (int i = 0; i < 5; i++) {
      off.admit(known);
    }
    assertThat(dir.calls()).isEqualTo(1);

    var dir2 = new InMemoryUserDirectory();
    var on = new UserAccounts(dir2, true);
    for (int i = 0; i < 5; i++) {
      on.admit(stranger);
    }
    assertThat(dir2.calls()).isEqualTo(1);
  }

  @Test
  void users_are_remembered_one_by_one() {
    var dir = new InMemoryUserDirectory();
    var accounts = new UserAccounts(dir, true);

    accounts.admit(known);
    accounts.admit(stranger);
    accounts.admit(known);
    accounts.admit(stranger);

    assertThat(dir.provisionCalls()).isEqualTo(2);
  }

  @Test
  void a_directory_outage_propagates_and_is_not_remembered_as_admitted() {
    var dir = new InMemoryUserDirectory(known);
    var accounts = new UserAccounts(dir, false);
    dir.setDown(true);

    assertThatThrownBy(() -> accounts.admit(known)).isInstanceOf(UnavailableException.class);

    dir.setDown(false);
    accounts.admit(known);
    assertThat(dir.existsCalls()).isEqualTo(2);
  }

  @Test
  void needs_a_directory() {
    assertThatThrownBy(() -> new UserAccounts(null, true)).isInstanceOf(NullPointerException.class);
  }
}
