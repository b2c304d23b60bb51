package com.nexflux.integrations.core.provider;

import java.util.Locale;

/** What a connected provider does for a user. */
public enum Capability {
  /** The account can be linked to the user's NexFlux account. */
  LINK,
  /** The account can sign the user in (when the deployment lists the provider in {@code SIGN_IN_PROVIDERS}). */
  SIGN_IN,
  /** Projects can be exported (backed up) to it. */
  PROJECT_EXPORT,
  /** Projects can be imported from it. */
  PROJECT_IMPORT,
  /** It has devices: values to watch, commands to send. */
  DEVICES;

  /** @return the wire name, e.g. {@code project_export} */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
