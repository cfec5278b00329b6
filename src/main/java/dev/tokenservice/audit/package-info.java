/** The audit trail of security-relevant events. */
@NullMarked
package dev.tokenservice.audit;

import org.jspecify.annotations.NullMarked;
