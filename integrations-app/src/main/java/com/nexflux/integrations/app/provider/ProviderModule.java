package com.nexflux.integrations.app.provider;

import com.nexflux.integrations.core.provider.ProviderDescriptor;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One provider, as the composition root sees it: its descriptor and how to build its slice (its use cases, its overview
 * status, its routes and OpenAPI fragment, its background tasks) from the shared parts. Adding a provider means a
 * package per module that needs one and one {@code ProviderModule} handed to
 * {@link com.nexflux.integrations.app.NexfluxIntegrations.Builder#provider}; nothing shared names it.
 *
 * <p>The facade builds modules in two phases: first {@link #oauth} and {@link #tokens} of every module (so the OAuth
 * engine, built once when any provider needs it, knows all of them), then {@link #build}.
 */
public interface ProviderModule {
  /** @return what the provider is (key, slug, name, ways of connecting, capabilities) */
  ProviderDescriptor descriptor();

  /**
   * Phase one: the provider's registration with the OAuth engine, when it connects through it and this deployment
   * has its credentials.
   */
  default Optional<OAuthRegistration> oauth(SharedParts shared) {
    return Optional.empty();
  }

  /**
   * Phase one, for a provider that connects without the browser flow: its grant strategy for the token lifecycle
   * (client credentials, password login, API key), when this deployment offers it.
   */
  default Optional<TokenRegistration> tokens(SharedParts shared) {
    return Optional.empty();
  }

  /**
   * @return the OAuth callback URLs this module's configuration registers with its provider (the standalone server
   *     sets {@code Secure} cookies when any is {@code https}); none by default
   */
  default List<URI> callbackUrls() {
    return List.of();
  }

  /**
   * Phase two: builds the slice.
   *
   * @param oauth the OAuth engine, present when any module registered with it
   */
  ProviderSlice build(SharedParts shared, Optional<OAuthEngine> oauth);
}
