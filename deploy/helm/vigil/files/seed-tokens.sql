-- Registers the deployment's service and admin tokens, whose plaintexts live in a secret, in the
-- schema `vigil migrate` created. Vigil stores only a token's SHA-256 (hex of the UTF-8 bytes, as
-- dev.vigil.api.ApiTokens does), so this needs no Vigil code: psql variables :'service_token'
-- and :'admin_token' carry the plaintexts (psql -v). Idempotent: a token already registered is
-- left as it is; a rotated one is added beside the old, which the admin then revokes through the
-- API (GET /v1/tokens, DELETE /v1/tokens/{token_id}).
\set ON_ERROR_STOP on
insert into api_tokens (token_sha256, name, scope, access)
values (encode(sha256(convert_to(:'service_token', 'UTF8')), 'hex'), 'workers (deployment)', 'service', 'write'),
       (encode(sha256(convert_to(:'admin_token', 'UTF8')), 'hex'), 'operators (deployment)', 'admin', 'write')
on conflict (token_sha256) do nothing;
