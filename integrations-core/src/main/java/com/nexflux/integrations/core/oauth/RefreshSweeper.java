package com.nexflux.integrations.core.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refreshes access tokens ahead of their expiry, in the background. Each {@link #sweep()} lists up to
 * {@code batchSize} connected rows whose token expires within the window (soonest first), of the providers whose
 * {@link GrantStrategy} {@linkplain GrantStrategy#refreshesAhead() refreshes ahead} (authorization code, password
 * login; client credentials tokens are requested on demand, API keys never expire), and hands each to
 * {@link TokenService#refreshIfDue}, which takes the row lock without waiting: several sweepers (threads or
 * instances) can run at once and each due row is refreshed once. A failing row is counted and logged and never
 * stops the sweep; a failure to list the rows (the database is down) propagates to the scheduler.
 */
public final class RefreshSweeper {
  /** The default look-ahead: tokens expiring within it are refreshed. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  /** The default number of rows per sweep. */
  public static final int DEFAULT_BATCH_SIZE = 50;

  private static final Logger LOG = Logger.getLogger(RefreshSweeper.class.getName());

  private final TokenService tokens;
  private final OAuthConnectionRepository connections;
  private final Clock clock;
  private final Duration window;
  private final int batchSize;

  /**
   * What one sweep did.
   *
   * @param examined rows listed as due
   * @param refreshed rows that got new tokens
   * @param failed rows whose refresh failed (transient failure, {@code invalid_grant}, unreadable token...)
   * @param skipped rows left alone: locked by another refresher, no longer due, or backing off
   */
  public record SweepResult(int examined, int refreshed, int failed, int skipped) {}

  /** A sweeper with {@link #DEFAULT_WINDOW} and {@link #DEFAULT_BATCH_SIZE}. */
  public RefreshSweeper(TokenService tokens, OAuthConnectionRepository connections, Clock clock) {
    this(tokens, connections, clock, DEFAULT_WINDOW, DEFAULT_BATCH_SIZE);
  }

  /**
   * @param window how far ahead of expiry to refresh ({@code null}: {@link #DEFAULT_WINDOW}); must exceed the
   *     on-demand skew of 60 s to be useful
   * @param batchSize rows per sweep, 1-10000
   */
  public RefreshSweeper(TokenService tokens, OAuthConnectionRepository connections, Clock clock, Duration window,
      int batchSize) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = window == null ? DEFAULT_WINDOW : window;
    if (this.window.isNegative() || this.window.isZero()) {
      throw new IllegalArgumentException("window must be positive");
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be between 1 and 10000");
    }
    this.batchSize = batchSize;
  }

  /**
   * Sweeps repeatedly while full batches keep making progress, until {@code budget} is spent: drains a burst of
   * due tokens within one scheduled run instead of one batch per run.
   *
   * @return the totals over every sweep of this call
   */
  public SweepResult sweepFor(Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    int examined = 0;
    int refreshed = 0;
    int failed = 0;
    int skipped = 0;
    while (true) {
      SweepResult r = sweep();
      examined += r.examined();
      refreshed += r.refreshed();
      failed += r.failed();
      skipped += r.skipped();
      boolean fullBatchWithProgress = r.refreshed() > 0 && r.examined() >= batchSize;
      if (!fullBatchWithProgress || System.nanoTime() >= deadline) {
        return new SweepResult(examined, refreshed, failed, skipped);
      }
    }
  }

  /** Runs one sweep; never throws for one bad row. */
  public SweepResult sweep() {
    // rows backing off after a transient failure stay due; ask for that many more so they cannot starve the rest
    int limit = (int) Math.min(10_000L + batchSize, (long) batchSize + tokens.backingOff());
    // only strategies that renew ahead of expiry (authorization code, password login); client credentials and API
    // keys are renewed on demand, or never
    List<OAuthConnectionRepository.Key> due = connections.dueForRefresh(tokens.refreshedAhead(),
        clock.instant().plus(window), limit);
    int refreshed = 0;
    int failed = 0;
    int skipped = 0;
    for (OAuthConnectionRepository.Key key : due) {
      try {
        if (tokens.refreshIfDue(key, window)) {
          refreshed++;
        } else {
          skipped++;
        }
      } catch (RuntimeException e) {
        failed++;
        LOG.log(Level.WARNING, "Background token refresh failed [provider=" + key.provider().key() + ", user="
            + key.userId() + "]: " + e.getClass().getSimpleName()
            + (e instanceof com.nexflux.integrations.core.error.IntegrationsException ie ? " " + ie.code() : ""));
      }
    }
    return new SweepResult(due.size(), refreshed, failed, skipped);
  }

  /** @return the look-ahead window */
  public Duration window() {
    return window;
  }
}
