/**
 * Abuse limits: failed logins per username and address, token requests and registrations
 * per address, counted in buckets that every instance shares when the store is the
 * database.
 */
@NullMarked
package dev.tokenservice.throttle;

import org.jspecify.annotations.NullMarked;
