package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.domain.SecretCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real {@link SecretCipher} on the JDK alone: AES-256/GCM, a random 96-bit nonce per encryption, the
 * {@link SecretContext} (user, provider, field) as associated data. Stored form: base64 of
 * {@code nonce || ciphertext || tag}. A ciphertext moved to another context, tampered with, or read with another
 * key fails with {@link SecretUnreadableException}. Thread-safe. For tests only (the key lives in memory).
 */
public final class AesGcmTestCipher implements SecretCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final AtomicInteger encryptions = new AtomicInteger();
  private final AtomicInteger decryptions = new AtomicInteger();

  /** A cipher with a fresh random 256-bit key. */
  public AesGcmTestCipher() {
    this(randomKey());
  }

  /** A cipher with the given AES key (16, 24 or 32 bytes). */
  public AesGcmTestCipher(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException("AES keys have 16, 24 or 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  @Override
  public EncryptedSecret encrypt(Secret plaintext, SecretContext context) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    encryptions.incrementAndGet();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(context));
      byte[] sealed = c.doFinal(plaintext.reveal().getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return new EncryptedSecret(Base64.getEncoder().encodeToString(out));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available", e);
    }
  }

  @Override
  public Secret decrypt(EncryptedSecret ciphertext, SecretContext context) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    decryptions.incrementAndGet();
    try {
      byte[] in = Base64.getDecoder().decode(ciphertext.ciphertext());
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new IllegalArgumentException("too short");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      c.updateAAD(aad(context));
      byte[] plain = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return Secret.of(new String(plain, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretUnreadableException("The stored secret could not be decrypted", e);
    }
  }

  /** @return how often {@link #encrypt} was called */
  public int encryptions() {
    return encryptions.get();
  }

  /** @return how often {@link #decrypt} was called */
  public int decryptions() {
    return decryptions.get();
  }

  private static byte[] aad(SecretContext context) {
    // NUL-separated: SecretContext forbids NUL in the field, user ids and provider keys cannot contain one
    String s = "nexflux-secret-v1\0" + context.userId() + "\0" + context.provider().key() + "\0" + context.field();
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  @Override
  public String toString() {
    return "AesGcmTestCipher[key redacted]";
  }
}
