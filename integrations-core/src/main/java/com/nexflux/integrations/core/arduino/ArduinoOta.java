package com.nexflux.integrations.core.arduino;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** The values of an over-the-air firmware update ({@code POST /iot/v2/devices/{id}/ota}). */
public final class ArduinoOta {
  private ArduinoOta() {}

  /** Opens the binary's bytes; each call starts again from the first byte (a retry after a 429 re-sends it). */
  @FunctionalInterface
  public interface Content {
    InputStream open() throws IOException;
  }

  /**
   * A compiled binary to send to a device.
   *
   * @param fileName the uploaded file's name (sent to Arduino as the part's file name), never blank
   * @param size its length in bytes, at least 1
   * @param content its bytes, streamed (never held in memory as a whole)
   */
  public record Binary(String fileName, long size, Content content) {
    public Binary {
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(content, "content");
      if (fileName.isBlank()) {
        throw new IllegalArgumentException("fileName is blank");
      }
      if (size < 1) {
        throw new IllegalArgumentException("size must be at least 1");
      }
    }
  }

  /**
   * Arduino's answer ({@code ArduinoDevicev2Otaupload}).
   *
   * @param otaId the OTA request id (OTA version 2 and above), or {@code null}
   * @param status the OTA request's status (OTA version 2 and above), or {@code null}
   * @param otaVersion the device's OTA version
   * @param fileSha the SHA-256 of the uploaded file as Arduino computed it, or {@code null}
   */
  public record Result(String otaId, String status, long otaVersion, String fileSha) {}
}
