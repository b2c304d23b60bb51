package com.nexflux.integrations.persistence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.oauth.ConnectionStatus;
import com.nexflux.integrations.core.oauth.OAuthConnection;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * The layout of an OAuth row of {@code user_integrations}.
 *
 * <ul>
 *   <li>{@code access_token}, {@code refresh_token}: the {@link EncryptedSecret} ciphertexts as given (NULL when
 *       absent); {@code token_expires_at}: UTC wall-clock time.</li>
 *   <li>{@code config}: {@link OAuthConnection#config()} as JSON (Jackson's natural mapping; numbers read back as
 *       Integer, Long, BigInteger or Double, objects as insertion-ordered maps).</li>
 *   <li>{@code metadata}: exactly {@code status} ({@code connected} / {@code needs_reauth}), {@code account_id},
 *       {@code scopes} (array), {@code refresh_token_expires_at} (ISO-8601 instant or null) and
 *       {@code credentials_version} (number).</li>
 * </ul>
 */
public final class OAuthRows {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** The columns {@link #map} reads (TIMESTAMP columns converted from UTC wall-clock time). */
  public static final String COLUMNS = """
      user_id, provider, access_token, refresh_token, config::text AS config, metadata::text AS metadata,
      timezone('UTC', token_expires_at) AS token_expires_at,
      timezone('UTC', COALESCE(connected_at, created_at, updated_at)) AS connected_at,
      timezone('UTC', COALESCE(updated_at, connected_at, created_at)) AS updated_at""";

  private OAuthRows() {}

  /** @return the {@code config} value of {@code connection} */
  public static PGobject config(OAuthConnection connection) {
    return Jsonb.bind(MAPPER.valueToTree(connection.config()));
  }

  /** @return the {@code metadata} value of {@code connection} */
  public static PGobject metadata(OAuthConnection connection) {
    ObjectNode metadata = Jsonb.object();
    metadata.put("status", connection.status().key());
    metadata.put("account_id", Text.noNul(connection.accountId()));
    ArrayNode scopes = metadata.putArray("scopes");
    connection.scopes().forEach(s -> scopes.add(Text.noNul(s)));
    metadata.put("refresh_token_expires_at", connection.refreshTokenExpiresAt() == null ? null
        : Timestamps.micros(connection.refreshTokenExpiresAt()).toString());
    metadata.put("credentials_version", connection.credentialsVersion());
    return Jsonb.bind(metadata);
  }

  /** @return the ciphertext text of {@code secret}, or {@code null} */
  public static String ciphertext(EncryptedSecret secret) {
    return secret == null ? null : secret.ciphertext();
  }

  /** @return a JSON array of {@code values} as a {@code jsonb} value */
  public static PGobject array(List<String> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(v -> array.add(Text.noNul(v)));
    return Jsonb.bind(array);
  }

  /** @return the strings of a JSON array text ({@code null} reads as empty) */
  public static List<String> strings(String text) {
    if (text == null) {
      return List.of();
    }
    JsonNode node = Jsonb.parse(text);
    if (!node.isArray()) {
      throw new IllegalStateException("not a JSON array");
    }
    List<String> values = new ArrayList<>();
    node.forEach(v -> values.add(v.asText()));
    return values;
  }

  /** Reads one row selected with {@link #COLUMNS}. */
  public static OAuthConnection map(ResultSet rs) throws SQLException {
    try {
      UserId userId = new UserId(rs.getObject("user_id", UUID.class));
      Provider provider = Provider.fromKey(rs.getString("provider"))
          .orElseThrow(() -> new IllegalStateException("unknown provider"));
      JsonNode metadata = Jsonb.parse(rs.getString("metadata"));
      ConnectionStatus status = status(Jsonb.text(metadata, "status"));
      JsonNode versionNode = metadata.get("credentials_version");
      if (versionNode == null || !versionNode.canConvertToLong()) {
        throw new IllegalStateException("metadata has no credentials_version");
      }
      List<String> scopes = new ArrayList<>();
      metadata.path("scopes").forEach(s -> scopes.add(s.asText()));
      String refreshExpires = Jsonb.text(metadata, "refresh_token_expires_at");
      Map<String, Object> config = config(rs.getString("config"));
      String access = rs.getString("access_token");
      String refresh = rs.getString("refresh_token");
      return new OAuthConnection(userId, provider, status, Jsonb.text(metadata, "account_id"),
          access == null ? null : new EncryptedSecret(access), refresh == null ? null : new EncryptedSecret(refresh),
          Timestamps.read(rs, "token_expires_at"), refreshExpires == null ? null : Instant.parse(refreshExpires),
          scopes, config, Timestamps.read(rs, "connected_at"), Timestamps.read(rs, "updated_at"),
          versionNode.asLong());
    } catch (RuntimeException e) {
      throw Db.unreadable("OAuth connection", e);
    }
  }

  private static Map<String, Object> config(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConnectionStatus status(String key) {
    return Arrays.stream(ConnectionStatus.values()).filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown connection status"));
  }
}
