/**
 * The web dashboard: static HTML, CSS and JavaScript (ES modules, no third-party code) served by
 * the API process at {@code /dashboard/}, calling the public API with the token the user signs in
 * with. Registered on the API's server by {@link dev.vigil.dashboard.DashboardRoutes#register}.
 */
@NullMarked
package dev.vigil.dashboard;

import org.jspecify.annotations.NullMarked;
