package com.nexflux.integrations.core.thingsboard;

/**
 * The ThingsBoard user a credential belongs to ({@code GET /api/auth/user}).
 *
 * @param id the user's id
 * @param email the user's e-mail address (ThingsBoard's login name), or {@code null}
 */
public record ThingsBoardUser(String id, String email) {}
