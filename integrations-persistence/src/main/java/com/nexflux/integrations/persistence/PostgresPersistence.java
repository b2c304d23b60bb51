package com.nexflux.integrations.persistence;

import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.oauth.AuthorizationFlowStore;
import com.nexflux.integrations.core.oauth.IdentityRepository;
import com.nexflux.integrations.core.mqtt.MqttIntegrationRepository;
import com.nexflux.integrations.core.oauth.OAuthConnectionRepository;
import com.nexflux.integrations.core.sync.SyncJobRepository;
import com.nexflux.integrations.core.account.UserDirectory;
import com.nexflux.integrations.persistence.internal.Db;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The PostgreSQL adapters of the core's outgoing ports, built on one shared JDBI over one {@link DataSource}.
 * Constructing it runs nothing and opens no connection; call {@link Migrations#migrate(DataSource)} first and
 * {@link #health()} to probe. It does not own the data source: closing the pool stays with the caller.
 */
public final class PostgresPersistence {
  private final JdbiMqttIntegrationRepository mqttRepository;
  private final JdbiAuditLog auditLog;
  private final JdbiUserDirectory userDirectory;
  private final DatabaseHealth health;
  private final JdbiAuthorizationFlowStore authorizationFlows;
  private final JdbiOAuthConnectionRepository oauthConnections;
  private final JdbiIdentityRepository identities;
  private final JdbiSyncJobRepository syncJobs;

  /** @param dataSource the database (typically a pool from {@link DataSources#create}); not closed by this */
  public PostgresPersistence(DataSource dataSource) {
    Jdbi jdbi = Db.jdbi(dataSource);
    this.mqttRepository = new JdbiMqttIntegrationRepository(jdbi);
    this.auditLog = new JdbiAuditLog(jdbi);
    this.userDirectory = new JdbiUserDirectory(jdbi);
    this.health = new DatabaseHealth(jdbi);
    this.authorizationFlows = new JdbiAuthorizationFlowStore(jdbi);
    this.oauthConnections = new JdbiOAuthConnectionRepository(jdbi);
    this.identities = new JdbiIdentityRepository(jdbi);
    this.syncJobs = new JdbiSyncJobRepository(jdbi);
  }

  /** @return the MQTT integration repository */
  public MqttIntegrationRepository mqttRepository() {
    return mqttRepository;
  }

  /** @return the audit log */
  public AuditLog auditLog() {
    return auditLog;
  }

  /** @return the users directory */
  public UserDirectory userDirectory() {
    return userDirectory;
  }

  /** @return the database probe */
  public DatabaseHealth health() {
    return health;
  }

  /** @return the store of OAuth authorization flows between start and callback */
  public AuthorizationFlowStore authorizationFlows() {
    return authorizationFlows;
  }

  /** @return the OAuth connection repository (rows of {@code user_integrations} other than MQTT) */
  public OAuthConnectionRepository oauthConnections() {
    return oauthConnections;
  }

  /** @return the provider-account-to-user links */
  public IdentityRepository identities() {
    return identities;
  }

  /** @return the sync jobs (every provider) and pending auto-sync projects */
  public SyncJobRepository syncJobs() {
    return syncJobs;
  }
}
