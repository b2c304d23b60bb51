package com.nexflux.integrations.http.internal;

/** The paths this adapter serves. */
public final class ApiPaths {
  public static final String USER_ROOT = "/api/v1/users/me";
  public static final String INTEGRATIONS = USER_ROOT + "/integrations";
  public static final String MQTT = INTEGRATIONS + "/mqtt";
  public static final String MQTT_TEST = MQTT + "/test";
  public static final String AUDIT = INTEGRATIONS + "/audit";
  public static final String GITHUB = INTEGRATIONS + "/github";
  public static final String GITHUB_SYNC = GITHUB + "/sync";
  public static final String GITHUB_SYNCS = GITHUB + "/syncs";
  public static final String GITHUB_SYNC_JOB = GITHUB_SYNCS + "/{id}";
  public static final String AUTH_GITHUB_CONNECT = "/api/v1/auth/github/connect";
  public static final String AUTH_GITHUB_CALLBACK = "/api/v1/auth/github/callback";
  public static final String INTERNAL_PROJECT_CHANGED = "/internal/v1/projects/changed";
  public static final String HEALTH_LIVE = "/health/live";
  public static final String HEALTH_READY = "/health/ready";
  public static final String OPENAPI = "/openapi.json";

  private ApiPaths() {}
}
