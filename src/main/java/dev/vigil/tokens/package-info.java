/**
 * API tokens and what they grant: issue (only a token's SHA-256 is stored), list, revoke,
 * authenticate with a short-lived cache of grants, and the scopes (service, accounts, admin) with
 * the account checks a grant answers. The HTTP side (bearer headers, 401/403, the token routes) is
 * the API's.
 */
@NullMarked
package dev.vigil.tokens;

import org.jspecify.annotations.NullMarked;
