-- NexFlux Integrations, schema version 4: provider-neutral sync. Jobs and the projects waiting for a debounced
-- auto-sync are keyed by (provider, target id) instead of a GitHub repository id; existing GitHub rows move over
-- (target id = the repository id as text) and the GitHub-only tables of V2 go away.

-- One sync of projects to a provider's target (GitHub: a repository).
CREATE TABLE sync_jobs (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL,
    target_id VARCHAR(200) NOT NULL,
    project_ids JSONB NOT NULL DEFAULT '[]',
    status VARCHAR(20) NOT NULL,        -- 'queued', 'running', 'succeeded', 'failed'
    commit_sha VARCHAR(64),             -- the revision made (GitHub: the commit SHA)
    files_changed INT NOT NULL DEFAULT 0,
    error TEXT,
    attempts INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

CREATE INDEX idx_sync_jobs_user_provider_created ON sync_jobs (user_id, provider, created_at DESC);

INSERT INTO sync_jobs (id, user_id, provider, target_id, project_ids, status, commit_sha, files_changed, error,
                       attempts, created_at, finished_at)
SELECT id, user_id, 'github', repository_id::text, project_ids, status, commit_sha, files_changed, error,
       attempts, created_at, finished_at
  FROM github_sync_jobs;

-- The targets projects ever waited for, each with its debounce key: the instance id of its auto-sync execution.
CREATE TABLE sync_targets (
    debounce_key UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL,
    target_id VARCHAR(200) NOT NULL,
    UNIQUE (user_id, provider, target_id)
);

-- Projects that changed and wait for the debounced auto-sync to a target.
CREATE TABLE sync_pending (
    user_id UUID NOT NULL,
    provider VARCHAR(50) NOT NULL,
    target_id VARCHAR(200) NOT NULL,
    project_id VARCHAR(200) NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, provider, target_id, project_id),
    FOREIGN KEY (user_id, provider, target_id) REFERENCES sync_targets (user_id, provider, target_id)
        ON DELETE CASCADE
);

INSERT INTO sync_targets (user_id, provider, target_id)
SELECT DISTINCT user_id, 'github', repository_id::text FROM github_autosync_pending;

INSERT INTO sync_pending (user_id, provider, target_id, project_id, added_at)
SELECT user_id, 'github', repository_id::text, project_id, added_at FROM github_autosync_pending;

DROP TABLE github_autosync_pending;
DROP TABLE github_sync_jobs;
