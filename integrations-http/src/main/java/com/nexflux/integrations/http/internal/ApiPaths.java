package com.nexflux.integrations.http.internal;

/** The shared paths this adapter serves; each provider's own paths live in its route module. */
public final class ApiPaths {
  public static final String USER_ROOT = "/api/v1/users/me";
  public static final String INTEGRATIONS = USER_ROOT + "/integrations";
  public static final String AUDIT = INTEGRATIONS + "/audit";
  public static final String AUTH_ROOT = "/api/v1/auth";
  public static final String AUTH_PROVIDERS = AUTH_ROOT + "/providers";
  public static final String IDENTITIES = USER_ROOT + "/identities";
  public static final String IDENTITY = IDENTITIES + "/{provider}";
  public static final String INTERNAL_ROOT = "/internal/v1";
  public static final String HEALTH_LIVE = "/health/live";
  public static final String HEALTH_READY = "/health/ready";
  public static final String OPENAPI = "/openapi.json";

  private ApiPaths() {}
}
