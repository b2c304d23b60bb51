package com.nexflux.integrations.core.sync;

import com.nexflux.integrations.core.domain.Provider;
import java.time.Instant;
import java.util.List;

/**
 * A provider's side of the sync (SPI): writes projects to one of its targets. The {@link SyncService} does the
 * rest (queue, debounce, retries, job state, last-sync bookkeeping) the same for every provider.
 *
 * <p>Failures: {@link com.nexflux.integrations.core.error.RateLimitedException} and
 * {@link com.nexflux.integrations.core.error.UnavailableException} are transient (the job is retried later);
 * {@link Failure} ends the job with its message for the user; anything else ends it as an unexpected failure.
 */
public interface SyncDestination {
  /** @return the provider this destination writes to */
  Provider provider();

  /** @return the provider's name in messages for the user, e.g. {@code GitHub} */
  String displayName();

  /**
   * Writes the projects to the target; idempotent (unchanged content is not written again).
   *
   * @param projects the projects that still exist, at least one
   * @return what was written
   * @throws Failure for a permanent failure, with a message for the user
   */
  Pushed push(SyncTarget target, List<Project> projects);

  /**
   * Whether a debounced auto-sync to the target should still run (the user may have turned it off or disconnected
   * while the change waited).
   */
  boolean autoSyncWanted(SyncTarget target);

  /**
   * Records that a sync to the target succeeded at {@code at} (shown as its last sync). A failure here is logged and
   * leaves the job succeeded.
   */
  void synced(SyncTarget target, Instant at);

  /**
   * What a push wrote.
   *
   * @param revision the revision made (GitHub: the commit SHA), or {@code null} when nothing differed
   * @param filesChanged how many files changed (0 when nothing differed)
   */
  record Pushed(String revision, int filesChanged) {}

  /** A failure that ends the job with a message for the user (no secret, no upstream text). */
  final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failure(String message) {
      super(message, null, false, false);
    }
  }
}
