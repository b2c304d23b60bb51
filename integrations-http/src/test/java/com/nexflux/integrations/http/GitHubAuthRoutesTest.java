package com.nexflux.integrations.http;

import static com.nexflux.integrations.http.support.Envelope.data;
import static com.nexflux.integrations.http.support.Envelope.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.oauth.FlowPurpose;
import com.nexflux.integrations.core.oauth.OAuthFlows;
import com.nexflux.integrations.http.support.ApiFixture;
import com.nexflux.integrations.http.support.FakeOAuthFlows;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/auth/github/connect} and {@code …/callback}: redirects, the flow cookie, no open redirect. */
class GitHubAuthRoutesTest {
  private static final String CONNECT = "/api/v1/auth/github/connect";
  private static final String CALLBACK = "/api/v1/auth/github/callback";
  private static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  private static final String PLAIN_COOKIE = "nexflux_oauth_github";
  private static final String HOST_COOKIE = "__Host-nexflux_oauth_github";

  private ApiFixture api = ApiFixture.withGitHub();

  @AfterEach
  void stop() {
    api.close();
  }

  private void restart(ApiFixture replacement) {
    api.close();
    api = replacement;
  }

  private static List<String> setCookies(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie");
  }

  private static String setCookie(HttpResponse<String> r, String name) {
    List<String> matching = setCookies(r).stream().filter(c -> c.startsWith(name + "=")).toList();
    assertThat(matching).as("Set-Cookie %s in %s", name, setCookies(r)).hasSize(1);
    return matching.get(0);
  }

  private static void assertNoStoreNoReferrer(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
  }

  private static final String SIGN_IN = CONNECT + "?intent=sign_in";

  @Test
  void connect_withoutTokenAndWithoutIntent_is401_neverASilentSignIn() {
    HttpResponse<String> r = api.send(api.request(CONNECT).header("Accept", BROWSER_ACCEPT).GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(setCookies(r)).isEmpty();
    assertThat(api.oauth.starts).isEmpty();
    error(api.send(api.request(CONNECT + "?intent=link").GET()), 401, "UNAUTHORIZED");
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_withAnUnknownIntent_is400() {
    error(api.send(api.authed(CONNECT + "?intent=signin").GET()), 400, "VALIDATION_FAILED");
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_withIntentSignIn_startsASignInFlow_redirectsToTheProvider_andSetsAnHttpOnlyLaxCookie() {
    HttpResponse<String> r = api.send(api.request(SIGN_IN).header("Accept", BROWSER_ACCEPT).GET());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue(FakeOAuthFlows.AUTHORIZATION_URL.toString());
    assertNoStoreNoReferrer(r);
    assertThat(setCookies(r)).containsExactly(PLAIN_COOKIE + "=" + FakeOAuthFlows.COOKIE_VALUE
        + "; Max-Age=600; Path=/; HttpOnly; SameSite=Lax");

    assertThat(api.oauth.starts).hasSize(1);
    FakeOAuthFlows.Start start = api.oauth.starts.get(0);
    assertThat(start.provider()).isEqualTo(Provider.GITHUB);
    assertThat(start.linkingUser()).isEmpty();
    assertThat(start.options().purpose()).isEqualTo(FlowPurpose.SIGN_IN);
    assertThat(start.secureCookie()).isFalse();
    assertThat(start.context().requestId()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(start.context().ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void connect_withAValidToken_startsALinkFlowForThatUser() {
    HttpResponse<String> r = api.send(api.authed(CONNECT).GET());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(api.oauth.starts).singleElement().satisfies(s -> {
      assertThat(s.linkingUser()).isEqualTo(Optional.of(api.user));
      assertThat(s.options()).isEqualTo(OAuthFlows.StartOptions.LINK);
    });
    assertThat(api.accounts.admitted).contains(api.user);
    assertThat(setCookie(r, PLAIN_COOKIE)).contains("HttpOnly", "SameSite=Lax");
  }

  @Test
  void connect_passesReturnToAndAddedScopes_andTheCallbackPassesIss() {
    api.send(api.authed(CONNECT + "?return_to=%2Fprojects%2F42%3Ftab%3Dsync&scope=gist%20workflow").GET());
    assertThat(api.oauth.starts).singleElement().satisfies(s -> assertThat(s.options()).isEqualTo(
        new OAuthFlows.StartOptions(FlowPurpose.LINK, "/projects/42?tab=sync", List.of("gist", "workflow"))));

    api.send(api.request(CALLBACK + "?state=s&code=c&iss=https%3A%2F%2Fissuer.example").GET());
    assertThat(api.oauth.completions).singleElement().satisfies(c -> assertThat(c.callback())
        .isEqualTo(new OAuthFlows.Callback("s", "c", null, "https://issuer.example")));
  }

  @Test
  void connect_withAReturnToSentTwice_is400() {
    error(api.send(api.authed(CONNECT + "?return_to=%2Fa&return_to=%2Fb").GET()), 400, "VALIDATION_FAILED");
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_aRateLimitedSignIn_is429WithRetryAfter() {
    api.oauth.failure = new com.nexflux.integrations.core.error.RateLimitedException("too many", 
        java.time.Duration.ofSeconds(42));
    HttpResponse<String> r = api.send(api.request(SIGN_IN).GET());
    error(r, 429, "RATE_LIMITED");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("42");
    assertThat(setCookies(r)).isEmpty();
  }

  @Test
  void connect_withAnInvalidToken_is401_andStartsNothing() {
    HttpResponse<String> r = api.send(api.request(CONNECT).header("Authorization", "Bearer not-a-jwt").GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    assertThat(setCookies(r)).isEmpty();
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_withAnotherAuthorizationScheme_is401_notASignIn() {
    HttpResponse<String> r = api.send(api.request(SIGN_IN).header("Authorization", "Basic dXNlcjpwYXNz").GET());
    error(r, 401, "UNAUTHORIZED");
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_forAUserWhoMayNotBeAdmitted_is401() {
    api.accounts.rejected.add(api.user);
    error(api.send(api.authed(CONNECT).GET()), 401, "UNAUTHORIZED");
    assertThat(api.oauth.starts).isEmpty();
  }

  @Test
  void connect_acceptingJson_answersTheAuthorizationUrl_andStillSetsTheCookie() {
    HttpResponse<String> r = api.send(api.authed(CONNECT).header("Accept", "application/json").GET());

    assertThat(data(r, 200).properties()).singleElement().satisfies(e -> {
      assertThat(e.getKey()).isEqualTo("authorization_url");
      assertThat(e.getValue().asText()).isEqualTo(FakeOAuthFlows.AUTHORIZATION_URL.toString());
    });
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(setCookie(r, PLAIN_COOKIE)).startsWith(PLAIN_COOKIE + "=" + FakeOAuthFlows.COOKIE_VALUE + ";");
    assertNoStoreNoReferrer(r);
  }

  @Test
  void connect_acceptingJsonWithQZero_isStillARedirect() {
    HttpResponse<String> r = api.send(api.authed(CONNECT).header("Accept", "application/json;q=0, */*").GET());
    assertThat(r.statusCode()).isEqualTo(302);
  }

  @Test
  void connect_inSecureMode_setsAHostPrefixedSecureCookieWithPathRoot() {
    restart(ApiFixture.withGitHub(b -> b.publicBaseUrlIsHttps(true)));
    HttpResponse<String> r = api.send(api.request(SIGN_IN).GET());

    assertThat(r.statusCode()).isEqualTo(302);
    String cookie = setCookie(r, HOST_COOKIE);
    assertThat(cookie).isEqualTo(HOST_COOKIE + "=" + FakeOAuthFlows.COOKIE_VALUE
        + "; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(cookie.toLowerCase()).doesNotContain("domain=");
    assertThat(api.oauth.starts).singleElement().satisfies(s -> assertThat(s.secureCookie()).isTrue());
  }

  @Test
  void forwardedProto_countsOnlyWhenTrusted() {
    HttpResponse<String> untrusted = api.send(api.request(SIGN_IN).header("X-Forwarded-Proto", "https").GET());
    assertThat(setCookie(untrusted, PLAIN_COOKIE)).doesNotContain("Secure");

    restart(ApiFixture.withGitHub(b -> b.trustForwardedProto(true)));
    HttpResponse<String> trusted = api.send(api.request(SIGN_IN).header("X-Forwarded-Proto", "https, http").GET());
    assertThat(setCookie(trusted, HOST_COOKIE)).contains("; Secure");
    HttpResponse<String> plain = api.send(api.request(SIGN_IN).header("X-Forwarded-Proto", "http").GET());
    assertThat(setCookie(plain, PLAIN_COOKIE)).doesNotContain("Secure");
    assertThat(api.oauth.starts).extracting(FakeOAuthFlows.Start::secureCookie).containsExactly(true, false);
  }

  @Test
  void callback_passesStateCodeAndCookieToComplete_clearsTheCookie_andRedirectsExactlyWhereCompleteSays() {
    api.oauth.completeAnswer = URI.create("https://app.nexflux.test/x?integration=github&status=connected#done");
    HttpResponse<String> r = api.send(api.request(CALLBACK + "?code=the-code&state=the-state")
        .header("Cookie", PLAIN_COOKIE + "=cookie-from-connect").GET());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValue("https://app.nexflux.test/x?integration=github&status=connected#done");
    assertNoStoreNoReferrer(r);
    assertThat(setCookie(r, PLAIN_COOKIE)).contains("Max-Age=0", "Path=/");
    assertThat(setCookie(r, HOST_COOKIE)).contains("Max-Age=0", "Path=/", "Secure");

    assertThat(api.oauth.completions).singleElement().satisfies(c -> {
      assertThat(c.provider()).isEqualTo(Provider.GITHUB);
      assertThat(c.callback()).isEqualTo(new OAuthFlows.Callback("the-state", "the-code", null));
      assertThat(c.cookieValue()).isEqualTo("cookie-from-connect");
      assertThat(c.context().requestId()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    });
  }

  @Test
  void callback_passesTheProvidersError() {
    HttpResponse<String> r = api.send(api.request(CALLBACK
        + "?error=access_denied&error_description=The+user+has+denied&state=s1").GET());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(api.oauth.completions).singleElement().satisfies(c -> {
      assertThat(c.callback()).isEqualTo(new OAuthFlows.Callback("s1", null, "access_denied"));
      assertThat(c.cookieValue()).isNull();
    });
  }

  @Test
  void callback_ignoresRedirectUriAndReturnTo() {
    HttpResponse<String> r = api.send(api.request(CALLBACK + "?state=s&code=c"
        + "&redirect_uri=https%3A%2F%2Fevil.example%2Fsteal&return_to=https%3A%2F%2Fevil.example%2Fx"
        + "&next=%2F%2Fevil.example").GET());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue(api.oauth.completeAnswer.toString());
    assertThat(r.headers().map().toString()).doesNotContain("evil.example");
    assertThat(r.body()).doesNotContain("evil.example");
  }

  @Test
  void callback_aParameterSentTwiceCountsAsMissing() {
    api.send(api.request(CALLBACK + "?state=a&state=b&code=c").GET());
    assertThat(api.oauth.completions).singleElement()
        .satisfies(c -> assertThat(c.callback()).isEqualTo(new OAuthFlows.Callback(null, "c", null)));
  }

  @Test
  void callback_prefersTheHostPrefixedCookie() {
    api.send(api.request(CALLBACK + "?state=s&code=c")
        .header("Cookie", PLAIN_COOKIE + "=plain; " + HOST_COOKIE + "=host").GET());
    assertThat(api.oauth.completions).singleElement().satisfies(c -> assertThat(c.cookieValue()).isEqualTo("host"));
  }

  @Test
  void callback_inSecureMode_readsTheHostPrefixedCookie_andIgnoresAPlainOne() {
    restart(ApiFixture.withGitHub(b -> b.publicBaseUrlIsHttps(true)));
    api.send(api.request(CALLBACK + "?state=s&code=c").header("Cookie", HOST_COOKIE + "=host").GET());
    // a plain cookie may have been planted by a sibling subdomain: on HTTPS only __Host- binds the browser
    api.send(api.request(CALLBACK + "?state=s&code=c").header("Cookie", PLAIN_COOKIE + "=planted").GET());
    assertThat(api.oauth.completions).extracting(FakeOAuthFlows.Completion::cookieValue)
        .containsExactly("host", null);
  }

  @Test
  void callback_whenCompleteFails_stillClearsTheCookie() {
    api.oauth.failure = new NotConfiguredException("OAuth for github is not configured on this server");
    HttpResponse<String> r = api.send(api.request(CALLBACK + "?state=s&code=c")
        .header("Cookie", PLAIN_COOKIE + "=v").GET());
    error(r, 503, "PROVIDER_NOT_CONFIGURED");
    assertThat(setCookie(r, PLAIN_COOKIE)).contains("Max-Age=0");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void withoutOAuthFlows_bothRoutesExistAndAnswer503ProviderNotConfigured() {
    restart(new ApiFixture());
    HttpResponse<String> connect = api.send(api.request(SIGN_IN).GET());
    error(connect, 503, "PROVIDER_NOT_CONFIGURED");
    assertThat(setCookies(connect)).isEmpty();
    error(api.send(api.authed(CONNECT).GET()), 503, "PROVIDER_NOT_CONFIGURED");
    error(api.send(api.request(CALLBACK + "?state=s&code=c").GET()), 503, "PROVIDER_NOT_CONFIGURED");
    // still 401 first for a broken token
    error(api.send(api.request(CONNECT).header("Authorization", "Bearer nope").GET()), 401, "UNAUTHORIZED");
  }

  @Test
  void wrongMethod_is405() {
    HttpResponse<String> r = api.send(api.authed(CONNECT).POST(HttpRequest.BodyPublishers.noBody()));
    error(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(api.oauth.starts).isEmpty();
  }
}
