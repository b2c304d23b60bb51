package com.nexflux.integrations.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TinkSecretCipherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEYSET = TinkSecretCipher.generateKeysetJson();
  private static final TinkSecretCipher CIPHER = TinkSecretCipher.fromKeysetJson(KEYSET);
  private static final String PLAINTEXT = "s3cret-pässwörd-🔑";

  private final UserId user = new UserId(UUID.randomUUID());
  private final SecretContext context = new SecretContext(user, Provider.MQTT, "mqtt_password");

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String keyValue(String keysetJson) throws Exception {
    return JSON.readTree(keysetJson).at("/key/0/keyData/value").asText();
  }

  @Test
  void decryptsWhatItEncrypted() {
    EncryptedSecret encrypted = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    assertThat(encrypted.ciphertext()).doesNotContain(PLAINTEXT);
    assertThat(Base64.getDecoder().decode(encrypted.ciphertext())).isNotEmpty();
    assertThat(CIPHER.decrypt(encrypted, context).reveal()).isEqualTo(PLAINTEXT);
    assertThat(CIPHER.decrypt(CIPHER.encrypt(Secret.of(""), context), context).reveal()).isEmpty();
  }

  @Test
  void encryptingTwiceGivesDifferentCiphertexts() {
    EncryptedSecret first = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    EncryptedSecret second = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    assertThat(CIPHER.decrypt(first, context)).isEqualTo(CIPHER.decrypt(second, context));
  }

  @Test
  void keysetJsonRoundTrips() throws Exception {
    String json = TinkSecretCipher.generateKeysetJson();
    assertThat(JSON.readTree(json).at("/key/0/keyData/typeUrl").asText())
        .isEqualTo("type.googleapis.com/google.crypto.tink.AesGcmKey");
    assertThat(JSON.readTree(json).get("primaryKeyId").asLong()).isNotZero();

    EncryptedSecret encrypted = TinkSecretCipher.fromKeysetJson(json).encrypt(Secret.of(PLAINTEXT), context);
    assertThat(TinkSecretCipher.fromKeysetJson(json).decrypt(encrypted, context).reveal()).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> CIPHER.decrypt(encrypted, context)).isInstanceOf(SecretUnreadableException.class);
    assertThat(TinkSecretCipher.generateKeysetJson()).isNotEqualTo(json);
    assertThat(CIPHER.toString()).doesNotContain(keyValue(KEYSET));
  }

  @Test
  void aBrokenKeysetIsKeysetInvalidWithoutKeyMaterial() throws Exception {
    String json = TinkSecretCipher.generateKeysetJson();
    String key = keyValue(json);
    ObjectNode tampered = (ObjectNode) JSON.readTree(json);
    ((ObjectNode) tampered.at("/key/0/keyData")).put("value", key.substring(0, 20));
    ObjectNode wrongPrimary = (ObjectNode) JSON.readTree(json);
    wrongPrimary.put("primaryKeyId", 12345);

    for (String broken : new String[] {
        json.substring(0, json.indexOf(key) + key.length() / 2), // cut inside the key
        tampered.toString(),                                      // key of the wrong size
        wrongPrimary.toString(),                                  // no primary key
        json.replace("AesGcmKey", "NoSuchKey"),                   // unknown key type
        "{\"not\": \"a keyset\"}",
        "not json at all " + key,
        " ",
        null}) {
      IntegrationsException e = catchThrowableOfType(IntegrationsException.class,
          () -> TinkSecretCipher.fromKeysetJson(broken));
      assertThat(e).as("keyset %s", broken == null ? "null" : broken.length() + " chars").isNotNull();
      assertThat(e.code()).isEqualTo("KEYSET_INVALID");
      assertThat(e.getCause()).isNull();
      String trace = stackTrace(e);
      assertThat(trace).doesNotContain(key).doesNotContain(key.substring(0, 12))
          .doesNotContain(key.substring(key.length() / 2, key.length() / 2 + 12));
    }
  }

  @Test
  void aCiphertextOnlyDecryptsInItsOwnContext() {
    EncryptedSecret encrypted = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    for (SecretContext other : new SecretContext[] {
        new SecretContext(new UserId(UUID.randomUUID()), Provider.MQTT, "mqtt_password"),
        new SecretContext(user, Provider.GITHUB, "mqtt_password"),
        new SecretContext(user, Provider.MQTT, "access_token"),
        new SecretContext(user, Provider.MQTT, "mqtt_password2")}) {
      SecretUnreadableException e = catchThrowableOfType(SecretUnreadableException.class,
          () -> CIPHER.decrypt(encrypted, other));
      assertThat(e).as("context %s", other).isNotNull();
      assertThat(e.code()).isEqualTo("CREDENTIALS_UNREADABLE");
      assertThat(stackTrace(e)).doesNotContain(PLAINTEXT).doesNotContain(encrypted.ciphertext());
    }
    assertThat(CIPHER.decrypt(encrypted, context).reveal()).isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4, 5, 10, 20, -1})
  void aFlippedBitFailsToDecrypt(int position) {
    EncryptedSecret encrypted = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    byte[] bytes = Base64.getDecoder().decode(encrypted.ciphertext());
    int index = position < 0 ? bytes.length - 1 : position;
    bytes[index] ^= 0x01;
    EncryptedSecret flipped = new EncryptedSecret(Base64.getEncoder().encodeToString(bytes));
    assertThatThrownBy(() -> CIPHER.decrypt(flipped, context)).isInstanceOf(SecretUnreadableException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not base64!", "QUJD", "AQIDBA=="})
  void garbageFailsToDecryptWithoutEchoingIt(String text) {
    SecretUnreadableException e = catchThrowableOfType(SecretUnreadableException.class,
        () -> CIPHER.decrypt(new EncryptedSecret(text), context));
    assertThat(e).isNotNull();
    if (!text.isEmpty()) {
      assertThat(stackTrace(e)).doesNotContain(text);
    }
  }

  @Test
  void aTruncatedCiphertextFails() {
    EncryptedSecret encrypted = CIPHER.encrypt(Secret.of(PLAINTEXT), context);
    byte[] bytes = Base64.getDecoder().decode(encrypted.ciphertext());
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> CIPHER.decrypt(new EncryptedSecret(Base64.getEncoder().encodeToString(cut)), context))
        .isInstanceOf(SecretUnreadableException.class);
  }
}
