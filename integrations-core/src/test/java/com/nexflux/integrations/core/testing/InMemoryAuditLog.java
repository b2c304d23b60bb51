package com.nexflux.integrations.core.testing;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Page;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.UnavailableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An {@link AuditLog} in memory: append-only, listed newest first (by order of appending), with opaque cursors
 * that only this log accepts. Thread-safe. {@link #setDown(boolean)} makes every call throw
 * {@link UnavailableException}.
 */
public final class InMemoryAuditLog implements AuditLog {
  private static final int MAX_LIMIT = 100;

  private final String logId = UUID.randomUUID().toString();
  private final List<Entry> entries = new ArrayList<>(); // oldest first; guarded by this
  private long nextSeq = 1;
  private volatile boolean down;

  private record Entry(long seq, AuditEvent event) {}

  /** An empty log. */
  public InMemoryAuditLog() {}

  @Override
  public synchronized void append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    failIfDown();
    entries.add(new Entry(nextSeq++, event));
  }

  @Override
  public synchronized Page<AuditEvent> list(UserId userId, String cursor, int limit) {
    failIfDown();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT);
    }
    long before = cursor == null ? Long.MAX_VALUE : decodeCursor(cursor);
    List<Entry> page = new ArrayList<>();
    boolean more = false;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.seq() >= before || !e.event().userId().equals(userId)) {
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(e);
    }
    String next = more ? encodeCursor(page.get(page.size() - 1).seq()) : null;
    return new Page<>(page.stream().map(Entry::event).toList(), next);
  }

  /** @return every event of every user, newest first (does not check {@link #setDown}) */
  public synchronized List<AuditEvent> events() {
    List<AuditEvent> out = new ArrayList<>(entries.size());
    for (int i = entries.size() - 1; i >= 0; i--) {
      out.add(entries.get(i).event());
    }
    return out;
  }

  /** @return the user's events, newest first */
  public List<AuditEvent> events(UserId userId) {
    return matching(e -> e.userId().equals(userId));
  }

  /** @return the events with this action (e.g. {@link AuditEvent.Actions#TEST}), newest first */
  public List<AuditEvent> withAction(String action) {
    return matching(e -> e.action().equals(action));
  }

  /** @return the events that match, newest first */
  public List<AuditEvent> matching(Predicate<AuditEvent> filter) {
    return events().stream().filter(filter).toList();
  }

  /** @return the newest event, or {@code null} when the log is empty */
  public synchronized AuditEvent latest() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1).event();
  }

  /** @return how many events were appended */
  public synchronized int size() {
    return entries.size();
  }

  /** Forgets every event. */
  public synchronized void clear() {
    entries.clear();
  }

  /** While {@code true}, every {@link AuditLog} call throws {@link UnavailableException}. */
  public void setDown(boolean down) {
    this.down = down;
  }

  /** @return whether {@link #setDown} is on */
  public boolean isDown() {
    return down;
  }

  private void failIfDown() {
    if (down) {
      throw new UnavailableException("audit log is down (simulated)", null);
    }
  }

  private String encodeCursor(long seq) {
    String raw = logId + ":" + seq;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private long decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.lastIndexOf(':');
      if (colon < 0 || !raw.substring(0, colon).equals(logId)) {
        throw new IllegalArgumentException("foreign cursor");
      }
      long seq = Long.parseLong(raw.substring(colon + 1));
      if (seq < 1) {
        throw new IllegalArgumentException("bad position");
      }
      return seq;
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("cursor", "is not a cursor from this list");
    }
  }
}
