package com.nexflux.integrations.providers.testing;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.oauth.OAuthProviderConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OAuth 2.0 / OpenID Connect authorization server in process: NAV's {@code mock-oauth2-server}
 * ({@code no.nav.security:mock-oauth2-server}) on {@code 127.0.0.1}, a free port, issuer {@value #ISSUER}. Its
 * authorization endpoint approves every request at once (no login page) and redirects to the {@code redirect_uri}
 * with a fresh {@code code} and the {@code state}; its token endpoint serves the authorization code grant (checking
 * PKCE: a {@code code_verifier} that does not hash to the {@code code_challenge} given at authorization is refused
 * with {@code invalid_grant}) and the refresh grant, and issues signed JWTs with {@code token_type: Bearer} and
 * {@code expires_in}; it also serves the client credentials grant (any client) and RFC 7009 revocation of refresh
 * tokens ({@link #revocationEndpoint()}). It is an OpenID Connect server, so the authorization request's scopes must include
 * {@code openid}.
 *
 * <p>Using this fixture needs {@code no.nav.security:mock-oauth2-server} as a test dependency of the using module
 * (the test-jar does not bring its dependencies).
 */
public final class MockOAuthServer implements AutoCloseable {
  /** The issuer id (the first path segment of every endpoint). */
  public static final String ISSUER = "nexflux";
  /** The client id in {@link #config}. */
  public static final String CLIENT_ID = "nexflux-integrations";
  /** The client secret in {@link #config} (the server accepts any). */
  public static final String CLIENT_SECRET = "mock-client-secret";

  /**
   * What the authorization endpoint redirected to.
   *
   * @param location the whole {@code Location}
   * @param code the {@code code} parameter
   * @param state the {@code state} parameter
   */
  public record Authorization(URI location, String code, String state) {}

  /**
   * A request the server received.
   *
   * @param method the method
   * @param path the path with query
   * @param headers the headers
   * @param body the body as text
   * @param form the body's form parameters (decoded; empty unless form-encoded)
   */
  public record Received(String method, String path, okhttp3.Headers headers, String body,
      Map<String, String> form) {}

  private final MockOAuth2Server server;
  private final String base;
  private final OkHttpClient browser = new OkHttpClient.Builder().followRedirects(false).build();

  private MockOAuthServer(MockOAuth2Server server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.url("/").port();
  }

  /** Starts a server on 127.0.0.1 (a free port). */
  public static MockOAuthServer start() {
    MockOAuth2Server server = new MockOAuth2Server();
    server.start(LoopbackPorts.loopback(), 0);
    return new MockOAuthServer(server);
  }

  /** @return the authorization endpoint, {@code http://127.0.0.1:<port>/nexflux/authorize} */
  public URI authorizationEndpoint() {
    return URI.create(base + "/" + ISSUER + "/authorize");
  }

  /** @return the token endpoint, {@code http://127.0.0.1:<port>/nexflux/token} */
  public URI tokenEndpoint() {
    return URI.create(base + "/" + ISSUER + "/token");
  }

  /**
   * @return the RFC 7009 revocation endpoint, {@code http://127.0.0.1:<port>/nexflux/revoke} (it forgets a refresh
   *     token named with {@code token_type_hint=refresh_token}; a later refresh with it is refused)
   */
  public URI revocationEndpoint() {
    return URI.create(base + "/" + ISSUER + "/revoke");
  }

  /**
   * A provider configuration whose endpoints are this server's: client {@value #CLIENT_ID} /
   * {@value #CLIENT_SECRET}, connect scopes {@code openid profile}, sign-in scopes {@code openid}, the API base
   * {@code http://127.0.0.1:<port>/}.
   */
  public OAuthProviderConfig config(Provider provider, URI callbackUrl) {
    return new OAuthProviderConfig(provider, CLIENT_ID, Secret.of(CLIENT_SECRET), authorizationEndpoint(),
        tokenEndpoint(), Objects.requireNonNull(callbackUrl, "callbackUrl"), List.of("openid", "profile"),
        List.of("openid"), URI.create(base + "/"));
  }

  /** @return the issuer of the tokens this server signs, {@code http://127.0.0.1:<port>/nexflux} */
  public String issuer() {
    return base + "/" + ISSUER;
  }

  /**
   * @return this server's OIDC settings: {@link #issuer()} (the issuer of tokens from its endpoints, named after the
   *     request's host) and {@link #directIssuer()}, and its JWKS, {@code .../nexflux/jwks}
   */
  public OAuthProviderConfig.Oidc oidc() {
    return new OAuthProviderConfig.Oidc(List.of(issuer(), directIssuer()), URI.create(base + "/" + ISSUER + "/jwks"));
  }

  /** @return the issuer of tokens made with {@code server().issueToken(...)} (the server's own host name) */
  public String directIssuer() {
    return server.issuerUrl(ISSUER).toString();
  }

  /**
   * Plays the browser: requests the authorization URL without following redirects and reads the redirect.
   *
   * @throws AssertionError when the server does not redirect
   */
  public Authorization authorize(URI authorizationUrl) {
    try (Response response = browser.newCall(new Request.Builder().url(authorizationUrl.toString()).build())
        .execute()) {
      String location = response.header("Location");
      if (response.code() != 302 || location == null) {
        throw new AssertionError("the authorization endpoint answered " + response.code() + " without a redirect");
      }
      HttpUrl url = HttpUrl.get(location);
      return new Authorization(URI.create(location), url.queryParameter("code"), url.queryParameter("state"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Takes the oldest request the server received and has not handed out yet (authorization requests included),
   * waiting up to 10 s.
   */
  public Received takeRequest() {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    String body = request.getBody().clone().readUtf8();
    Map<String, String> form = new LinkedHashMap<>();
    String type = request.getHeader("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded") && !body.isEmpty()) {
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return new Received(request.getMethod(), request.getPath(), request.getHeaders(), body, form);
  }

  /** @return the underlying server, for anything this wrapper does not cover */
  public MockOAuth2Server server() {
    return server;
  }

  private boolean closed;

  /** Stops the server; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    browser.dispatcher().executorService().shutdown();
    browser.connectionPool().evictAll();
  }
}
