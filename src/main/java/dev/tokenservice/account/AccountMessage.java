package dev.tokenservice.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The body of a successful account change: what happened, and to whom. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AccountMessage(String message, @Nullable Long userId) {

	static AccountMessage of(String message) {
		return new AccountMessage(message, null);
	}

	static AccountMessage of(String message, long userId) {
		return new AccountMessage(message, userId);
	}

}
