package com.nexflux.integrations.providers.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.providers.github.internal.LinkHeader;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
  @Test
  void readsGitHubsRecordedHeader() {
    // hub4j/github-api recording of GET /user/repos (specs/github-wiremock-samples, AppTest/testGetMyself)
    String header = "<https://api.github.com/user/repos?type=all&per_page=30&page=2>; rel=\"next\", "
        + "<https://api.github.com/user/repos?type=all&per_page=30&page=101>; rel=\"last\"";
    assertThat(LinkHeader.next(header)).contains("https://api.github.com/user/repos?type=all&per_page=30&page=2");
  }

  @Test
  void targetsMayContainCommasAndRelMayComeAnywhere() {
    String header = "<https://x/user/repos?affiliation=owner,collaborator&page=1>; rel=\"prev first\", "
        + "<https://x/user/repos?affiliation=owner,collaborator&page=3>; title=\"p3\"; rel=next";
    assertThat(LinkHeader.next(header)).contains("https://x/user/repos?affiliation=owner,collaborator&page=3");
  }

  @Test
  void noNext() {
    assertThat(LinkHeader.next(null)).isEmpty();
    assertThat(LinkHeader.next("<https://x/?page=1>; rel=\"prev\"")).isEmpty();
    assertThat(LinkHeader.next("<https://x/?page=1>; rel=\"nextish\"")).isEmpty();
  }
}
