package com.nexflux.integrations.providers.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** Reads response bodies with a size limit, so a misbehaving server cannot make us buffer gigabytes. */
public final class BoundedBodies {
  private BoundedBodies() {}

  /** The body was longer than allowed. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("response body larger than " + limit + " bytes");
    }
  }

  /**
   * @param body the body, or {@code null}
   * @param limit the most bytes accepted
   * @return the body as bytes ({@code []} for none)
   * @throws TooLargeException when the body has more than {@code limit} bytes
   * @throws IOException when reading fails
   */
  public static byte[] bytes(ResponseBody body, long limit) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    BufferedSource source = body.source();
    if (source.request(limit + 1)) {
      throw new TooLargeException(limit);
    }
    return source.getBuffer().readByteArray();
  }

  /** Like {@link #bytes} but decoded as UTF-8. */
  public static String utf8(ResponseBody body, long limit) throws IOException {
    return new String(bytes(body, limit), StandardCharsets.UTF_8);
  }
}
