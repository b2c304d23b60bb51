package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.sync.SyncJob;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import com.nexflux.integrations.core.sync.SyncTarget;
import com.nexflux.integrations.persistence.internal.AuditRows;
import com.nexflux.integrations.persistence.internal.Db;
import com.nexflux.integrations.persistence.internal.OAuthRows;
import com.nexflux.integrations.persistence.internal.Text;
import com.nexflux.integrations.persistence.internal.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.postgresql.util.PGobject;

/**
 * {@link SyncJobRepository} on the {@code sync_jobs}, {@code sync_targets} and {@code sync_pending} tables (V4),
 * for every provider.
 *
 * <p>Jobs: keyed by id, with their {@code provider} ({@link Provider#key()}) and {@code target_id}; {@code status} is
 * stored as {@link SyncJob.Status#key()}, {@code project_ids} as a JSON array, times as {@code timestamptz}.
 * {@link #save} is an upsert on the id that never moves a job to another user (an id that belongs to someone else is
 * refused); {@link #save(SyncJob, AuditEvent)} does the same and inserts the audit row in one transaction.
 * Pending projects: {@link #addPending} makes the target's {@code sync_targets} row on first use (its random
 * {@code debounce_key} is then kept) and inserts the project with {@code ON CONFLICT DO NOTHING}, in one
 * transaction; {@link #takePending} is {@code DELETE ... RETURNING}, so concurrent takers each get a project at most
 * once, in the order they were added.
 */
public final class JdbiSyncJobRepository implements SyncJobRepository {
  /** The width of {@code sync_pending.project_id}. */
  public static final int PROJECT_ID_MAX = 200;

  private static final String COLUMNS = """
      id, user_id, provider, target_id, project_ids::text AS project_ids, status, commit_sha, files_changed, error,
      attempts, created_at, finished_at""";

  private static final String UPSERT = """
      INSERT INTO sync_jobs
        (id, user_id, provider, target_id, project_ids, status, commit_sha, files_changed, error, attempts,
         created_at, finished_at)
      VALUES
        (:id, :user_id, :provider, :target_id, :project_ids, :status, :commit_sha, :files_changed, :error, :attempts,
         CAST(:created_at AS timestamptz), CAST(:finished_at AS timestamptz))
      ON CONFLICT (id) DO UPDATE
         SET provider = EXCLUDED.provider,
             target_id = EXCLUDED.target_id,
             project_ids = EXCLUDED.project_ids,
             status = EXCLUDED.status,
             commit_sha = EXCLUDED.commit_sha,
             files_changed = EXCLUDED.files_changed,
             error = EXCLUDED.error,
             attempts = EXCLUDED.attempts,
             created_at = EXCLUDED.created_at,
             finished_at = EXCLUDED.finished_at
       WHERE sync_jobs.user_id = EXCLUDED.user_id
      """;

  private static final String FIND = "SELECT " + COLUMNS + " FROM sync_jobs WHERE id = :id";
  private static final String FIND_OWN = FIND + " AND user_id = :user_id";
  private static final String RECENT = "SELECT " + COLUMNS + """
       FROM sync_jobs
      WHERE user_id = :user_id AND provider = :provider
      ORDER BY created_at DESC, id DESC
      LIMIT :limit
      """;

  private static final String TARGET_KEY = """
      INSERT INTO sync_targets (user_id, provider, target_id)
      VALUES (:user_id, :provider, :target_id)
      ON CONFLICT (user_id, provider, target_id) DO UPDATE SET target_id = EXCLUDED.target_id
      RETURNING debounce_key
      """;

  private static final String ADD_PENDING = """
      INSERT INTO sync_pending (user_id, provider, target_id, project_id)
      VALUES (:user_id, :provider, :target_id, :project_id)
      ON CONFLICT DO NOTHING
      """;

  private static final String FIND_TARGET = """
      SELECT user_id, provider, target_id FROM sync_targets WHERE debounce_key = :key
      """;

  private static final String TAKE_PENDING = """
      WITH taken AS (
        DELETE FROM sync_pending
         WHERE user_id = :user_id AND provider = :provider AND target_id = :target_id
        RETURNING project_id, added_at)
      SELECT project_id FROM taken ORDER BY added_at, project_id
      """;

  private final Jdbi jdbi;

  /** @param dataSource the database (a private JDBI is made on it; {@link PostgresPersistence} shares one) */
  public JdbiSyncJobRepository(DataSource dataSource) {
    this(Db.jdbi(dataSource));
  }

  JdbiSyncJobRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the id already belongs to another user's job (nothing is stored)
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails, including a missing
   *     {@code users} row
   */
  @Override
  public void save(SyncJob job) {
    Objects.requireNonNull(job, "job");
    PGobject projects = OAuthRows.array(job.projectIds());
    int stored = Db.call(() -> jdbi.withHandle(h -> upsert(h, job, projects)));
    if (stored == 0) {
      throw new IllegalArgumentException("the job id belongs to another user");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the id already belongs to another user's job (nothing is stored, not even
   *     the audit row)
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is stored)
   */
  @Override
  public void save(SyncJob job, AuditEvent audit) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(audit, "audit");
    PGobject projects = OAuthRows.array(job.projectIds());
    boolean stored = Db.call(() -> jdbi.inTransaction(h -> {
      if (upsert(h, job, projects) == 0) {
        return false; // nothing was written
      }
      AuditRows.insert(h, audit);
      return true;
    }));
    if (!stored) {
      throw new IllegalArgumentException("the job id belongs to another user");
    }
  }

  private static int upsert(Handle h, SyncJob job, PGobject projects) {
    return h.createUpdate(UPSERT)
        .bind("id", job.id())
        .bind("user_id", job.userId().value())
        .bind("provider", job.provider().key())
        .bind("target_id", job.targetId())
        .bind("project_ids", projects)
        .bind("status", job.status().key())
        .bind("commit_sha", job.commitSha())
        .bind("files_changed", job.filesChanged())
        .bind("error", Text.noNul(job.error()))
        .bind("attempts", job.attempts())
        .bind("created_at", Timestamps.bind(job.createdAt()))
        .bind("finished_at", Timestamps.bind(job.finishedAt()))
        .execute();
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public Optional<SyncJob> find(UUID jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(FIND)
        .bind("id", jobId)
        .map((rs, ctx) -> map(rs))
        .findOne()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public Optional<SyncJob> find(UserId userId, UUID jobId) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(jobId, "jobId");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_OWN)
        .bind("id", jobId)
        .bind("user_id", userId.value())
        .map((rs, ctx) -> map(rs))
        .findOne()));
  }

  /**
   * {@inheritDoc} Ties on {@code created_at} are ordered by id, descending.
   *
   * @throws IllegalArgumentException when {@code limit} is below 1
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public List<SyncJob> recent(UserId userId, Provider provider, int limit) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(provider, "provider");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(RECENT)
        .bind("user_id", userId.value())
        .bind("provider", provider.key())
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list()));
  }

  /**
   * {@inheritDoc} Adding a project that is already waiting changes nothing.
   *
   * @throws IllegalArgumentException for an empty project id or one over {@value #PROJECT_ID_MAX} characters
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails, including a missing
   *     {@code users} row (nothing is stored)
   */
  @Override
  public UUID addPending(SyncTarget target, String projectId) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(projectId, "projectId");
    if (projectId.isEmpty() || projectId.length() > PROJECT_ID_MAX || projectId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("projectId must be 1-" + PROJECT_ID_MAX + " characters");
    }
    return Db.call(() -> jdbi.inTransaction(h -> {
      UUID key = bindTarget(h.createQuery(TARGET_KEY), target).mapTo(UUID.class).one();
      bindTarget(h.createUpdate(ADD_PENDING), target).bind("project_id", projectId).execute();
      return key;
    }));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails
   */
  @Override
  public Optional<SyncTarget> pendingTarget(UUID debounceKey) {
    Objects.requireNonNull(debounceKey, "debounceKey");
    return Db.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_TARGET)
        .bind("key", debounceKey)
        .map((rs, ctx) -> {
          try {
            return new SyncTarget(new UserId(rs.getObject("user_id", UUID.class)),
                Provider.of(rs.getString("provider")), rs.getString("target_id"));
          } catch (RuntimeException e) {
            throw Db.unreadable("sync target", e);
          }
        })
        .findOne()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws com.nexflux.integrations.core.error.UnavailableException when the database fails (nothing is removed)
   */
  @Override
  public List<String> takePending(SyncTarget target) {
    Objects.requireNonNull(target, "target");
    return Db.call(() -> jdbi.withHandle(h -> bindTarget(h.createQuery(TAKE_PENDING), target)
        .mapTo(String.class)
        .list()));
  }

  private static <S extends SqlStatement<S>> S bindTarget(S statement, SyncTarget target) {
    return statement.bind("user_id", target.userId().value())
        .bind("provider", target.provider().key())
        .bind("target_id", target.targetId());
  }

  private static SyncJob map(ResultSet rs) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    try {
      return new SyncJob(id, new UserId(rs.getObject("user_id", UUID.class)), Provider.of(rs.getString("provider")),
          rs.getString("target_id"),
          OAuthRows.strings(rs.getString("project_ids")),
          SyncJob.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getString("commit_sha"),
          rs.getInt("files_changed"), rs.getString("error"), rs.getInt("attempts"),
          Timestamps.read(rs, "created_at"), Timestamps.read(rs, "finished_at"));
    } catch (RuntimeException e) {
      throw Db.unreadable("sync job", e);
    }
  }

  @Override
  public String toString() {
    return "JdbiSyncJobRepository";
  }
}
