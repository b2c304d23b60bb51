-- NexFlux Integrations, schema version 2: OAuth connections (GitHub first), sign-in identities, GitHub sync jobs
-- and the job scheduler's table.
--
-- OAuth connections themselves live in V1's user_integrations (spec table, unchanged): access_token and
-- refresh_token hold EncryptedSecret ciphertexts, token_expires_at is UTC wall-clock time like every TIMESTAMP
-- column there, config holds the connection's non-secret settings and metadata its status, account id, scopes,
-- refresh-token expiry and credentials version. The new tables use TIMESTAMPTZ.

-- Authorization flows between /connect (or sign-in) and the provider's callback. Keyed by the SHA-256 of the state;
-- neither the raw state nor the browser-binding cookie value is stored. Consumed with DELETE ... RETURNING.
CREATE TABLE oauth_authorizations (
    state_hash TEXT PRIMARY KEY,
    browser_binding_hash TEXT NOT NULL,
    provider VARCHAR(50) NOT NULL,
    purpose VARCHAR(20) NOT NULL,       -- 'link' or 'sign_in'
    user_id UUID,                       -- the linking user; NULL for sign-in
    redirect_uri TEXT NOT NULL,
    code_verifier_encrypted TEXT NOT NULL,
    scopes JSONB NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX idx_oauth_authorizations_expires_at ON oauth_authorizations (expires_at);

-- Provider accounts linked to NexFlux users (sign-in with GitHub). One account links to at most one user.
CREATE TABLE user_identities (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL,
    provider_account_id VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_account_id)
);

CREATE INDEX idx_user_identities_user_id ON user_identities (user_id);

-- One sync of projects to a GitHub repository.
CREATE TABLE github_sync_jobs (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    repository_id BIGINT NOT NULL,
    project_ids JSONB NOT NULL DEFAULT '[]',
    status VARCHAR(20) NOT NULL,        -- 'queued', 'running', 'succeeded', 'failed'
    commit_sha VARCHAR(64),
    files_changed INT NOT NULL DEFAULT 0,
    error TEXT,
    attempts INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE INDEX idx_github_sync_jobs_user_created ON github_sync_jobs (user_id, created_at DESC);

-- Projects that changed and wait for the debounced auto-sync to a repository.
CREATE TABLE github_autosync_pending (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    repository_id BIGINT NOT NULL,
    project_id VARCHAR(200) NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, repository_id, project_id)
);

-- db-scheduler (com.github.kagkarlsson:db-scheduler 16.7.1): its PostgreSQL table exactly as the library ships it
-- (db-scheduler/src/test/resources/postgresql_tables.sql at tag v16.7.1).
create table scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone not null,
  picked BOOLEAN not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures INT,
  last_heartbeat timestamp with time zone,
  version BIGINT not null,
  priority SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
