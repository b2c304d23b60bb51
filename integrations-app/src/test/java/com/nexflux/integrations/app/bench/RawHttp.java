package com.nexflux.integrations.app.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal keep-alive HTTP/1.1 client on one blocking socket to 127.0.0.1: the load generator's connection. It
 * writes a prepared request and reads the whole answer (Content-Length or chunked). Far lighter than
 * {@code java.net.http.HttpClient}, so less of the machine's two cores goes to the load generator. Not
 * thread-safe: one connection per worker thread. Public for the other benchmarks ({@code bench.devices}).
 */
public final class RawHttp implements AutoCloseable {
  /** One answer. */
  public record Response(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final int port;
  private final int readTimeoutMs;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public RawHttp(int port, int readTimeoutMs) {
    this.port = port;
    this.readTimeoutMs = readTimeoutMs;
  }

  /** Opens the connection now (otherwise the first exchange does). */
  void connect() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(readTimeoutMs);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
    pos = 0;
    limit = 0;
  }

  /** Sends {@code request} (a complete HTTP/1.1 request) and reads the answer. */
  public Response exchange(byte[] request) throws IOException {
    connect();
    try {
      out.write(request);
      out.flush();
      String statusLine = readLine();
      if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
        throw new IOException("bad status line");
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = statusLine.startsWith("HTTP/1.0");
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase().contains("chunked")) {
          chunked = true;
        } else if (name.equalsIgnoreCase("connection")) {
          close = value.equalsIgnoreCase("close");
        }
      }
      byte[] body;
      if (chunked) {
        body = readChunked();
      } else if (length >= 0) {
        body = readFully((int) length);
      } else {
        throw new IOException("answer without length");
      }
      if (close) {
        close();
      }
      return new Response(status, body);
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  private int fill() throws IOException {
    if (pos < limit) {
      return limit - pos;
    }
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      throw new EOFException("connection closed by the server");
    }
    pos = 0;
    limit = n;
    return n;
  }

  private String readLine() throws IOException {
    StringBuilder sb = null;
    while (true) {
      fill();
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          if (sb == null) {
            return part;
          }
          sb.append(part);
          int n = sb.length();
          if (n > 0 && sb.charAt(n - 1) == '\r') {
            sb.setLength(n - 1);
          }
          return sb.toString();
        }
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
      pos = limit;
      if (sb.length() > 16 * 1024) {
        throw new IOException("header line too long");
      }
    }
  }

  private byte[] readFully(int length) throws IOException {
    byte[] body = new byte[length];
    int done = 0;
    while (done < length) {
      int available = fill();
      int n = Math.min(available, length - done);
      System.arraycopy(buf, pos, body, done, n);
      pos += n;
      done += n;
    }
    return body;
  }

  private byte[] readChunked() throws IOException {
    byte[] body = new byte[0];
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
      if (size == 0) {
        for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
          // trailers are ignored
        }
        return body;
      }
      byte[] chunk = readFully(size);
      readLine(); // CRLF after the chunk
      byte[] joined = Arrays.copyOf(body, body.length + chunk.length);
      System.arraycopy(chunk, 0, joined, body.length, chunk.length);
      body = joined;
    }
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** A GET request with optional bearer token. */
  public static byte[] get(int port, String path, String token) {
    return request("GET", port, path, token, null);
  }

  /** A request; {@code json} is the body or {@code null}. */
  public static byte[] request(String method, int port, String path, String token, String json) {
    StringBuilder sb = new StringBuilder(512)
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("User-Agent: nexflux-bench\r\n")
        .append("Accept: application/json\r\n");
    if (token != null) {
      sb.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    if (json != null) {
      sb.append("Content-Type: application/json\r\n").append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
