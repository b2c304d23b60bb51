-- NexFlux Integrations, schema version 1.
--
-- user_integrations is a contract (see the product spec, "Database Schema"): it is created exactly as the
-- spec writes it. Its TIMESTAMP columns (without time zone) hold UTC wall-clock time; the application always
-- writes and reads them through timezone('UTC', ...), so neither the JVM's nor the session's time zone matters.

-- A hosting service may already have a users table; only create one when it is missing.
CREATE TABLE IF NOT EXISTS users (
    id UUID PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_integrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL, -- 'mqtt', 'github', 'arduino_cloud', 'google', 'blynk'
    enabled BOOLEAN DEFAULT true,
    config JSONB NOT NULL DEFAULT '{}',
    access_token TEXT, -- encrypted
    refresh_token TEXT, -- encrypted
    token_expires_at TIMESTAMP,
    metadata JSONB DEFAULT '{}',
    connected_at TIMESTAMP DEFAULT NOW(),
    last_used_at TIMESTAMP,
    created_at TIMESTAMP DEFAULT NOW(),
    updated_at TIMESTAMP DEFAULT NOW(),
    UNIQUE(user_id, provider)
);

CREATE INDEX idx_user_integrations_user_id ON user_integrations(user_id);
CREATE INDEX idx_user_integrations_provider ON user_integrations(provider);

-- The audit trail. No foreign key to users: the trail must outlive a deleted user.
CREATE TABLE integration_audit_log (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    provider VARCHAR(50) NOT NULL,
    action VARCHAR(100) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    reason VARCHAR(200),
    request_id VARCHAR(100),
    ip VARCHAR(64),
    user_agent VARCHAR(512),
    created_at TIMESTAMPTZ NOT NULL,
    details JSONB NOT NULL DEFAULT '{}'
);

CREATE INDEX idx_integration_audit_log_user_created
    ON integration_audit_log (user_id, created_at DESC, id DESC);

-- Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers, whoever asks. A superuser can still
-- disable the triggers, so this guards against mistakes and ordinary roles, not against a database owner.
CREATE FUNCTION integration_audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'integration_audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER integration_audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON integration_audit_log
    FOR EACH ROW EXECUTE FUNCTION integration_audit_log_refuse_change();

CREATE TRIGGER integration_audit_log_no_truncate
    BEFORE TRUNCATE ON integration_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION integration_audit_log_refuse_change();

COMMENT ON TABLE integration_audit_log IS
    'Append-only audit trail of integration changes; triggers refuse UPDATE, DELETE and TRUNCATE.';
