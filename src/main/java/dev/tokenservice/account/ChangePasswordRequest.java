package dev.tokenservice.account;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /change-password}. */
record ChangePasswordRequest(@NotNull(message = "is required") @Nullable String currentPassword,
		@NotNull(message = "is required") @Nullable String newPassword) {

	@Override
	public String toString() {
		return "ChangePasswordRequest[]";
	}

}
