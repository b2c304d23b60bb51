package com.nexflux.integrations.core.oauth;

/** Why an authorization flow was started. */
public enum FlowPurpose {
  /** A signed-in NexFlux user links the provider as an integration. */
  LINK,
  /** Someone signs in to NexFlux with the provider's account. */
  SIGN_IN
}
