package com.nexflux.integrations.providers.testing;

import java.util.Objects;

/**
 * A user name and password a test broker accepts.
 *
 * @param username the user name
 * @param password the password
 */
public record BrokerCredentials(String username, String password) {
  public BrokerCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "BrokerCredentials[username=" + username + ", password=redacted]";
  }
}
