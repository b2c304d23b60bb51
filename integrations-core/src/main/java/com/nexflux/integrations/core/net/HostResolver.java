package com.nexflux.integrations.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves host names (SPI). The default is the system resolver; tests supply fixed answers. */
@FunctionalInterface
public interface HostResolver {
  /** The JVM's resolver ({@link InetAddress#getAllByName}). */
  HostResolver SYSTEM = InetAddress::getAllByName;

  /**
   * @return every address of {@code host} (an IP literal resolves to itself)
   * @throws UnknownHostException when the host does not resolve
   */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
