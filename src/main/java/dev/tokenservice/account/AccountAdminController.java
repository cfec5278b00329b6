package dev.tokenservice.account;

import dev.tokenservice.audit.AuditLog;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tutorial's administration endpoints, for admins only (the security configuration
 * says who may call what); {@code GET /users/{id}} also lets users read themselves.
 */
@RestController
class AccountAdminController {

	private final AccountAdministration administration;

	private final AccountService accounts;

	AccountAdminController(AccountAdministration administration, AccountService accounts) {
		this.administration = administration;
		this.accounts = accounts;
	}

	@PutMapping("/toggle-user-permission/{user_id}/{flag}")
	AccountMessage toggle(
			@PathVariable("user_id") long userId, @PathVariable @Min(value = 0,
					message = "must be 0 or 1") @Max(value = 1, message = "must be 0 or 1") int flag,
			@AuthenticationPrincipal TokenHolder caller) {
		this.administration.setEnabled(userId, flag == 1);
		AuditLog.adminAction((flag == 1) ? "enable_user" : "disable_user", caller.userId(), userId);
		return AccountMessage.of("User permission updated successfully", userId);
	}

	@DeleteMapping("/remove-user/{user_id}")
	AccountMessage remove(@PathVariable("user_id") long userId, @AuthenticationPrincipal TokenHolder caller) {
		this.administration.delete(userId);
		AuditLog.adminAction("delete_user", caller.userId(), userId);
		return AccountMessage.of("User deleted successfully");
	}

	@GetMapping("/users")
	UserPage list(
			@RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") @Max(value = 1_000_000,
					message = "must be at most 1000000") int page,
			@RequestParam(defaultValue = "50") @Min(value = 1, message = "must be 1 or more") int size) {
		return this.administration.list(page, size);
	}

	@GetMapping("/users/{user_id}")
	UserView user(@PathVariable("user_id") long userId, @AuthenticationPrincipal TokenHolder caller) {
		if (!caller.isAdmin() && caller.userId() != userId) {
			throw new AccessDeniedException("Not the caller's own account");
		}
		return this.accounts.view(userId);
	}

}
