package com.nexflux.integrations.providers.oauth.internal;

import com.github.scribejava.core.httpclient.HttpClient;
import com.github.scribejava.core.httpclient.multipart.MultipartPayload;
import com.github.scribejava.core.model.OAuthAsyncRequestCallback;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Response;
import com.github.scribejava.core.model.Verb;
import com.nexflux.integrations.providers.http.NoRedirects;
import com.nexflux.integrations.providers.internal.BoundedBodies;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * ScribeJava's {@link HttpClient} on OkHttp, synchronous calls with {@code byte[]} or {@code String} bodies only
 * (all that {@code OAuth20Service}'s token requests use). The response body is read completely (at most
 * {@link #MAX_BODY_BYTES}) before {@link Response} is built, so nothing is left open. Every request is tagged
 * {@link NoRedirects}, so a guarded client (see {@code providers.http}) returns a redirect instead of following it;
 * timeouts and connection pooling are the given {@link OkHttpClient}'s.
 */
public final class OkHttpScribeTransport implements HttpClient {
  /** The largest token response read: 64 KiB. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private final OkHttpClient http;

  /** @param http the client to send with (configure timeouts and redirects on it) */
  public OkHttpScribeTransport(OkHttpClient http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
      byte[] bodyContents) throws IOException {
    // a token request carries a single-use code or refresh token and the client secret: never resend it anywhere
    Request.Builder request = new Request.Builder().url(completeUrl).tag(NoRedirects.class, NoRedirects.INSTANCE);
    String contentType = DEFAULT_CONTENT_TYPE;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (CONTENT_TYPE.equalsIgnoreCase(header.getKey())) {
        contentType = header.getValue();
      } else if (!CONTENT_LENGTH.equalsIgnoreCase(header.getKey())) {
        request.header(header.getKey(), header.getValue());
      }
    }
    if (userAgent != null) {
      request.header("User-Agent", userAgent);
    }
    RequestBody body = null;
    if (httpVerb.isPermitBody() && (bodyContents != null || httpVerb.isRequiresBody())) {
      body = RequestBody.create(bodyContents == null ? new byte[0] : bodyContents, MediaType.get(contentType));
    }
    request.method(httpVerb.name(), body);
    try (okhttp3.Response response = http.newCall(request.build()).execute()) {
      Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String name : response.headers().names()) {
        responseHeaders.put(name, response.header(name));
      }
      String text = BoundedBodies.utf8(response.body(), MAX_BODY_BYTES);
      return new Response(response.code(), response.message(), responseHeaders, text);
    }
  }

  @Override
  public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
      String bodyContents) throws IOException {
    return execute(userAgent, headers, httpVerb, completeUrl,
        bodyContents == null ? null : bodyContents.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
      MultipartPayload bodyContents) {
    throw new UnsupportedOperationException("multipart bodies are not used by the token requests");
  }

  @Override
  public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
      File bodyContents) {
    throw new UnsupportedOperationException("file bodies are not used by the token requests");
  }

  @Override
  public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
      String completeUrl, byte[] bodyContents, OAuthAsyncRequestCallback<T> callback,
      OAuthRequest.ResponseConverter<T> converter) {
    throw new UnsupportedOperationException("synchronous use only");
  }

  @Override
  public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
      String completeUrl, MultipartPayload bodyContents, OAuthAsyncRequestCallback<T> callback,
      OAuthRequest.ResponseConverter<T> converter) {
    throw new UnsupportedOperationException("synchronous use only");
  }

  @Override
  public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
      String completeUrl, String bodyContents, OAuthAsyncRequestCallback<T> callback,
      OAuthRequest.ResponseConverter<T> converter) {
    throw new UnsupportedOperationException("synchronous use only");
  }

  @Override
  public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
      String completeUrl, File bodyContents, OAuthAsyncRequestCallback<T> callback,
      OAuthRequest.ResponseConverter<T> converter) {
    throw new UnsupportedOperationException("synchronous use only");
  }

  /** Nothing to close: the {@link OkHttpClient} belongs to the caller. */
  @Override
  public void close() {}
}
