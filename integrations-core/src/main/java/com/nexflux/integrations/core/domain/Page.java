package com.nexflux.integrations.core.domain;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param items the entries of this page
 * @param nextCursor an opaque cursor for the next page, or {@code null} on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
