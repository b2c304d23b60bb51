package com.nexflux.integrations.providers.mqtt.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells whether a server that closed the connection after the MQTT CONNECT is really an HTTP server, when the HiveMQ
 * client cannot tell.
 *
 * <p>The client reads the {@code "HT"} of {@code HTTP/1.1 ...} as an MQTT fixed header (type 4, remaining length
 * {@code 'T'} = 84) and waits for 86 bytes before it decodes anything. An HTTP answer shorter than that, followed
 * by a close, therefore reaches the probe only as "closed without an answer". This class connects once more,
 * without the MQTT client, to the same pinned address over plain TCP, sends a bare MQTT 3.1.1 CONNECT (a throwaway
 * client id, clean session, never a user name or password) and reads the first five bytes of the answer.
 *
 * <p>Non-blocking (an {@link AsynchronousSocketChannel}); the timeout runs on the probe's scheduler. The future
 * never completes exceptionally: any failure, end of stream or timeout is "not HTTP".
 */
public final class HttpSniff {
  private static final byte[] HTTP = "HTTP/".getBytes(StandardCharsets.US_ASCII);

  private HttpSniff() {}

  /**
   * @param address the pinned address the probe connected to
   * @param timeoutMs the bound on the whole check
   * @param scheduler runs the timeout
   * @return completes with whether the first bytes of the answer are {@code HTTP/}
   */
  public static CompletableFuture<Boolean> answersWithHttp(InetSocketAddress address, long timeoutMs,
      ScheduledExecutorService scheduler) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(false);
    }
    Future<?> timer;
    try {
      timer = scheduler.schedule(() -> result.complete(false), timeoutMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closeQuietly(channel);
      return CompletableFuture.completedFuture(false);
    }
    result.whenComplete((http, error) -> {
      timer.cancel(false);
      closeQuietly(channel); // also ends a pending connect, write or read
    });
    try {
      channel.connect(address, null, handler(result, ignored -> {
        ByteBuffer out = ByteBuffer.wrap(connect311(ProbeClients.newClientId()));
        write(channel, out, result);
      }));
    } catch (RuntimeException e) {
      result.complete(false);
    }
    return result;
  }

  private static void write(AsynchronousSocketChannel channel, ByteBuffer out, CompletableFuture<Boolean> result) {
    channel.write(out, null, handler(result, written -> {
      if (out.hasRemaining()) {
        write(channel, out, result);
      } else {
        read(channel, ByteBuffer.allocate(HTTP.length), result);
      }
    }));
  }

  private static void read(AsynchronousSocketChannel channel, ByteBuffer in, CompletableFuture<Boolean> result) {
    channel.read(in, null, handler(result, n -> {
      if (n < 0 || !in.hasRemaining()) {
        result.complete(!in.hasRemaining() && Arrays.equals(in.array(), HTTP));
      } else {
        read(channel, in, result);
      }
    }));
  }

  /** A handler that runs {@code next} on success and completes {@code result} with "not HTTP" on failure. */
  private static <V> CompletionHandler<V, Void> handler(CompletableFuture<Boolean> result, Consumer<V> next) {
    return new CompletionHandler<>() {
      @Override
      public void completed(V value, Void attachment) {
        if (result.isDone()) {
          return;
        }
        try {
          next.accept(value);
        } catch (RuntimeException e) {
          result.complete(false);
        }
      }

      @Override
      public void failed(Throwable error, Void attachment) {
        result.complete(false);
      }
    };
  }

  /** @return an MQTT 3.1.1 CONNECT: clean session, keep alive 60 s, {@code clientId} (ASCII), nothing else */
  static byte[] connect311(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer packet = ByteBuffer.allocate(2 + 10 + 2 + id.length);
    packet.put((byte) 0x10).put((byte) (10 + 2 + id.length)); // fixed header; the id is 23 bytes: one length byte
    packet.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4); // name, level 4
    packet.put((byte) 0x02).putShort((short) 60); // flags: clean session; keep alive
    packet.putShort((short) id.length).put(id);
    return packet.array();
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
