-- NexFlux Integrations, schema version 5: OpenID Connect and the frontend contract of sign-in.
--
-- oauth_authorizations gets
--   nonce_hash:   hex SHA-256 of the OIDC nonce sent in the authorization request (NULL for a provider that is not
--                 OIDC); the raw nonce is never stored, the id_token's nonce claim is hashed and compared;
--   return_to:    the relative path (checked at /connect) the callback returns to on FRONTEND_URL's origin;
--   added_scopes: the scopes a link flow adds to an existing connection (a scope upgrade).
ALTER TABLE oauth_authorizations ADD COLUMN nonce_hash TEXT;
ALTER TABLE oauth_authorizations ADD COLUMN return_to TEXT;
ALTER TABLE oauth_authorizations ADD COLUMN added_scopes JSONB NOT NULL DEFAULT '[]';
