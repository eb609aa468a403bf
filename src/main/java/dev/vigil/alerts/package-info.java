/**
 * Alerts: per-account notification rules and destinations (signed webhooks, Slack, e-mail), the
 * outbox the results transaction fills, and the dispatcher that delivers it, retrying without loss
 * or repetition. The {@link dev.vigil.alerts.Sender} port sends one {@link
 * dev.vigil.alerts.AlertMessage} to one {@link dev.vigil.alerts.Destination}.
 */
@NullMarked
package dev.vigil.alerts;

import org.jspecify.annotations.NullMarked;
