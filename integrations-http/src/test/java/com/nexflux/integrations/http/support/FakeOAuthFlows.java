package com.nexflux.integrations.http.support;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.OAuthFlows;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory double of the OAuth flows; records every start and completion. */
public final class FakeOAuthFlows implements OAuthFlows {
  public static final URI AUTHORIZATION_URL =
      URI.create("https://github.com/login/oauth/authorize?client_id=test-client&state=st4te&scope=repo");
  public static final String COOKIE_VALUE = "b1nd1ng-Value_0123456789abcdefABCDEF";
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  /** One {@link #start} call. */
  public record Start(Provider provider, Optional<UserId> linkingUser, StartOptions options, boolean secureCookie,
      RequestContext context) {}

  /** One {@link #complete} call. */
  public record Completion(Provider provider, Callback callback, String cookieValue, RequestContext context) {}

  public final List<Start> starts = new CopyOnWriteArrayList<>();
  public final List<Completion> completions = new CopyOnWriteArrayList<>();
  /** What {@link #complete} answers. */
  public volatile URI completeAnswer =
      URI.create("https://app.nexflux.test/settings/integrations?integration=github&status=connected");
  /** Thrown by every call when set. */
  public volatile RuntimeException failure;

  /** What {@link #offersSignIn} answers. */
  public volatile boolean signIn = true;

  @Override
  public boolean offersSignIn(Provider provider) {
    return signIn;
  }

  @Override
  public StartedFlow start(Provider provider, Optional<UserId> linkingUser, StartOptions options,
      boolean secureCookie, RequestContext context) {
    starts.add(new Start(provider, linkingUser, options, secureCookie, context));
    fail();
    return new StartedFlow(AUTHORIZATION_URL, OAuthFlows.cookieName(provider, secureCookie), COOKIE_VALUE, LIFETIME,
        secureCookie);
  }

  @Override
  public URI complete(Provider provider, Callback callback, String cookieValue, RequestContext context) {
    completions.add(new Completion(provider, callback, cookieValue, context));
    fail();
    return completeAnswer;
  }

  private void fail() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }
}
