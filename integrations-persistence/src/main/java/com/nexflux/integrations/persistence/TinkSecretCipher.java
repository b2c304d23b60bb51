package com.nexflux.integrations.persistence;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.error.IntegrationsException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.domain.SecretCipher;
import com.nexflux.integrations.persistence.internal.AssociatedData;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;

/**
 * {@link SecretCipher} on Google Tink AEAD (keysets of {@code AES256_GCM} keys; any AEAD keyset works).
 *
 * <p><b>Associated data.</b> Every ciphertext is bound to its {@link SecretContext}: the associated data is a
 * version byte {@code 0x01} followed by three length-prefixed (4-byte big-endian length, then UTF-8 bytes) parts:
 * the user id (canonical lower-case UUID), the provider key ({@code mqtt}) and the field name
 * ({@code mqtt_password}). A ciphertext copied to another user's row, another provider or another field therefore
 * fails to decrypt. The version byte lets a later encoding coexist with this one.
 *
 * <p><b>Storage form.</b> {@link EncryptedSecret#ciphertext()} is standard base64 (with padding) of Tink's output,
 * which starts with the 5-byte prefix of the key that wrote it, so a rotated keyset still decrypts older values
 * while their key is in it.
 *
 * <p>Instances are immutable and thread-safe. Nothing this class throws carries a secret, a ciphertext or key
 * material in its message.
 */
public final class TinkSecretCipher implements SecretCipher {
  /** The error code of {@link #fromKeysetJson} for an unusable keyset. */
  public static final String KEYSET_INVALID = "KEYSET_INVALID";

  private final Aead aead;

  private TinkSecretCipher(Aead aead) {
    this.aead = aead;
  }

  /**
   * A cipher on a cleartext Tink JSON keyset (as {@link #generateKeysetJson()} makes it). Keep such a keyset out
   * of logs and source control; production deployments should hold it in a secrets manager.
   *
   * @param json the keyset as Tink JSON ({@code TinkJsonProtoKeysetFormat}, cleartext)
   * @return a cipher that encrypts with the keyset's primary key and decrypts with any of its keys
   * @throws IntegrationsException with code {@value #KEYSET_INVALID} when {@code json} is missing, not a Tink JSON
   *     keyset, or not an AEAD keyset; the message names no key material
   */
  public static TinkSecretCipher fromKeysetJson(String json) {
    register();
    if (json == null || json.isBlank()) {
      throw new IntegrationsException(KEYSET_INVALID, "The encryption keyset is missing");
    }
    try {
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      return new TinkSecretCipher(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
    } catch (GeneralSecurityException | RuntimeException e) {
      // The cause is deliberately not attached: parser messages may quote parts of the keyset.
      throw new IntegrationsException(KEYSET_INVALID,
          "The encryption keyset is not a valid Tink JSON AEAD keyset (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Generates a new keyset with one {@code AES256_GCM} key, as cleartext Tink JSON (for {@link #fromKeysetJson}).
   *
   * @return the keyset JSON; it is key material, treat it as a secret
   * @throws IntegrationsException with code {@code CRYPTO_UNAVAILABLE} if Tink cannot generate keys here
   */
  public static String generateKeysetJson() {
    register();
    try {
      KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IntegrationsException("CRYPTO_UNAVAILABLE", "Could not generate an encryption keyset", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IntegrationsException with code {@code CRYPTO_UNAVAILABLE} if encryption fails (it does not with a
   *     valid keyset)
   */
  @Override
  public EncryptedSecret encrypt(Secret plaintext, SecretContext context) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    try {
      byte[] ciphertext = aead.encrypt(plaintext.reveal().getBytes(StandardCharsets.UTF_8),
          AssociatedData.of(context));
      return new EncryptedSecret(Base64.getEncoder().encodeToString(ciphertext));
    } catch (GeneralSecurityException e) {
      throw new IntegrationsException("CRYPTO_UNAVAILABLE", "Could not encrypt a secret", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws SecretUnreadableException when the text is not base64, was tampered with, belongs to another context,
   *     or was written with a key the keyset no longer holds
   */
  @Override
  public Secret decrypt(EncryptedSecret ciphertext, SecretContext context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(ciphertext.ciphertext());
    } catch (IllegalArgumentException e) {
      throw new SecretUnreadableException("The stored secret could not be decrypted (not base64)", null);
    }
    try {
      byte[] plaintext = aead.decrypt(bytes, AssociatedData.of(context));
      return Secret.of(new String(plaintext, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new SecretUnreadableException("The stored secret could not be decrypted", e);
    }
  }

  @Override
  public String toString() {
    return "TinkSecretCipher[keyset hidden]";
  }

  private static volatile boolean registered;

  private static void register() {
    if (registered) {
      return;
    }
    synchronized (TinkSecretCipher.class) {
      if (!registered) {
        try {
          AeadConfig.register();
        } catch (GeneralSecurityException e) {
          throw new IntegrationsException("CRYPTO_UNAVAILABLE", "Could not initialise Tink AEAD", e);
        }
        registered = true;
      }
    }
  }
}
