/**
 * Machinery of the alerts feature: the address classifier and CIDR ranges behind the outbound
 * allow-list, the one HTTP exchange both HTTP senders make and its verdicts, and the renderings of
 * a message (the webhook's JSON, Slack's Block Kit, the e-mail digest); the dispatcher's SQL of
 * grouping, claiming and recording, the backoff, and the building of a message and its destination
 * from their rows.
 */
@NullMarked
package dev.vigil.alerts.internal;

import org.jspecify.annotations.NullMarked;
