package com.nexflux.integrations.http.github;

import com.nexflux.integrations.http.internal.BearerAuthentication;
import com.nexflux.integrations.http.internal.JsonResponses;
import com.nexflux.integrations.http.internal.RequestBodies;
import com.nexflux.integrations.http.internal.JsonFields;

import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.UnauthorizedException;
import com.nexflux.integrations.core.github.GitHubIntegrations;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /internal/v1/projects/changed}: how a NexFlux service that does not embed the library tells us that a
 * project changed. Authenticated by a shared service token ({@code Authorization: Bearer <internalApiToken>},
 * compared in constant time), never by a user's token. Without a configured token the route answers 404, as if it
 * did not exist.
 */
public final class InternalHandlers {
  static final String USER_ID = "user_id";
  static final String PROJECT_ID = "project_id";

  private final GitHubIntegrations github;
  private final byte[] tokenDigest;
  private final RequestBodies bodies;
  private final JsonResponses json;

  /**
   * @param github the GitHub use cases, or {@code null} (then 503 after authentication)
   * @param token the service token, or {@code null} to disable the route
   */
  public InternalHandlers(GitHubIntegrations github, String token, RequestBodies bodies, JsonResponses json) {
    this.github = github;
    this.tokenDigest = token == null ? null : sha256(token);
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code POST /internal/v1/projects/changed} {@code {"user_id": uuid, "project_id": string}} → 202. */
  public void projectChanged(Context ctx) {
    authorize(ctx);
    JsonFields fields = JsonFields.of(bodies.object(bodies.read(ctx)), Set.of(USER_ID, PROJECT_ID));
    UUID user = fields.requiredUuid(USER_ID);
    String project = fields.requiredString(PROJECT_ID, GitHubHandlers.MAX_PROJECT_ID_CHARS);
    fields.check();
    if (github == null) {
      throw GitHubHandlers.notConfigured();
    }
    github.projectChanged(new UserId(user), project);
    json.success(ctx, 202, new GitHubResponses.Queued(true));
  }

  private void authorize(Context ctx) {
    if (tokenDigest == null) {
      throw new NotFoundException("No such endpoint");
    }
    String sent = BearerAuthentication.bearerToken(ctx.header("Authorization"));
    if (sent == null) {
      ctx.header("WWW-Authenticate", BearerAuthentication.CHALLENGE_MISSING);
      throw new UnauthorizedException("missing service token");
    }
    // digests first: equal lengths, so the comparison time tells nothing about the token's length either
    if (!MessageDigest.isEqual(sha256(sent), tokenDigest)) {
      ctx.header("WWW-Authenticate", BearerAuthentication.CHALLENGE_INVALID);
      throw new UnauthorizedException("invalid service token");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
