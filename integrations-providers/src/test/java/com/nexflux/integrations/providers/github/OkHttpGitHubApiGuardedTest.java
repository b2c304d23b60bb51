package com.nexflux.integrations.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.github.GitHubAccount;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.testing.FixedResolver;
import com.nexflux.integrations.core.testing.MutableClock;
import com.nexflux.integrations.providers.http.OutboundHttpClients;
import com.nexflux.integrations.providers.http.OutboundRefusedException;
import com.nexflux.integrations.providers.http.Timeouts;
import com.nexflux.integrations.providers.testing.FakeGitHub;
import com.nexflux.integrations.providers.testing.LoopbackOnlySocketFactory;
import java.net.URI;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OkHttpGitHubApi} on a guarded client for GitHub's fixed hosts, as the composition root builds it: the API
 * host is reached by name through the allow-list's DNS, and a client whose list lacks it sends nothing.
 */
class OkHttpGitHubApiGuardedTest {
  private static final String TOKEN = "gho_CANARYguarded0123456789abcdefghij";
  private static final GitHubAccount OCTO =
      new GitHubAccount(583231, "octo", "https://avatars.example.com/u/583231", "octo@example.com");

  private final MutableClock clock = new MutableClock();
  private final FixedResolver resolver = new FixedResolver().map("api.github.test", "127.0.0.1");
  private final OkHttpClient base = new OkHttpClient.Builder().socketFactory(new LoopbackOnlySocketFactory()).build();
  private final OutboundHttpClients clients =
      new OutboundHttpClients(base, new OutboundGuard(resolver, List.of()), resolver);
  private FakeGitHub github;
  private URI apiBase;

  @BeforeEach
  void start() {
    github = FakeGitHub.start(clock).acceptToken(TOKEN, OCTO);
    apiBase = URI.create("http://api.github.test:" + github.baseUrl().getPort());
  }

  @AfterEach
  void stop() {
    github.close();
    base.connectionPool().evictAll();
  }

  private OkHttpGitHubApi api(OkHttpClient http) {
    return new OkHttpGitHubApi(http, apiBase, github.clientId(), Secret.of(github.clientSecret()), clock);
  }

  @Test
  void theApiWorksThroughAFixedHostClient() {
    OkHttpClient http = clients.forFixedHosts(OutboundHttpClients.hostsOf(apiBase), Timeouts.DEFAULT);
    OkHttpGitHubApi api = api(http);

    assertThat(api.currentUser(Secret.of(TOKEN))).isEqualTo(OCTO);
    github.createRepositoryFor(OCTO, "notes");
    assertThat(api.repositories(Secret.of(TOKEN))).extracting(r -> r.name()).containsExactly("notes");
    assertThat(resolver.lookupCount("api.github.test")).isPositive();
  }

  @Test
  void aClientWhoseListLacksTheApiHostSendsNothing() {
    OkHttpClient http = clients.forFixedHosts(Set.of("api.github.com"), Timeouts.DEFAULT);

    assertThatThrownBy(() -> api(http).currentUser(Secret.of(TOKEN)))
        .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
          assertThat(e.code()).isEqualTo("HOST_NOT_ALLOWED");
          assertThat(e.host()).isEqualTo("api.github.test");
          assertThat(e.getMessage()).doesNotContain(TOKEN);
        });
    assertThat(github.requests()).isEmpty();
  }
}
