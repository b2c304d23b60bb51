package com.nexflux.integrations.providers.oauth;

import com.nexflux.integrations.providers.http.OutboundRefusedException;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * nimbus-jose-jwt's {@link ResourceRetriever} on our guarded OkHttp client, so JWKS fetches take the same path as
 * every other provider call (the fixed-host allow-list, our own redirect rules, bounded timeouts) instead of a bare
 * {@code HttpURLConnection}. A body over {@code sizeLimit} bytes, or any status but 200, is an {@link IOException}
 * that names neither the URL's query nor the body.
 */
final class OkHttpResourceRetriever implements ResourceRetriever {
  private final OkHttpClient http;
  private final int sizeLimit;

  OkHttpResourceRetriever(OkHttpClient http, int sizeLimit) {
    this.http = Objects.requireNonNull(http, "http");
    if (sizeLimit < 1) {
      throw new IllegalArgumentException("sizeLimit must be positive");
    }
    this.sizeLimit = sizeLimit;
  }

  @Override
  public Resource retrieveResource(URL url) throws IOException {
    HttpUrl target;
    try {
      target = HttpUrl.get(url.toURI().toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("the JWKS URL is not usable");
    }
    Request request = new Request.Builder().url(target).header("Accept", "application/json").get().build();
    try (Response response = call(request)) {
      if (response.code() != 200) {
        throw new IOException("the JWKS endpoint answered HTTP " + response.code());
      }
      ResponseBody body = response.body();
      if (body == null) {
        throw new IOException("the JWKS endpoint sent no body");
      }
      byte[] bytes = readAtMost(body.byteStream());
      String type = response.header("Content-Type");
      return new Resource(new String(bytes, StandardCharsets.UTF_8), type);
    }
  }

  private Response call(Request request) throws IOException {
    try {
      return http.newCall(request).execute();
    } catch (OutboundRefusedException e) {
      throw new IOException("the JWKS host is not allowed", e);
    }
  }

  private byte[] readAtMost(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(sizeLimit + 1);
    if (bytes.length > sizeLimit) {
      throw new IOException("the JWKS is larger than " + sizeLimit + " bytes");
    }
    return bytes;
  }
}
