package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.oauth.ConnectionDisconnect;
import com.nexflux.integrations.core.oauth.OAuthFlowService;
import com.nexflux.integrations.core.oauth.RefreshSweeper;
import com.nexflux.integrations.core.oauth.TokenService;
import java.util.Objects;

/**
 * The provider-neutral OAuth engine: flows (connect, callback, sign-in), fresh tokens, the refresh sweeper and the
 * one disconnect path (revocation upstream, local delete, audit). Built once by the facade whenever any provider
 * module registers with it. {@code flows} is {@code null} when no registered provider uses the browser flow (only
 * {@link TokenRegistration}s): a module that registered an {@link OAuthRegistration} always gets it.
 */
public record OAuthEngine(OAuthFlowService flows, TokenService tokens, RefreshSweeper sweeper,
    ConnectionDisconnect disconnects) {
  public OAuthEngine {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(sweeper, "sweeper");
    Objects.requireNonNull(disconnects, "disconnects");
  }
}
