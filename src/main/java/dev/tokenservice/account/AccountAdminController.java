package dev.tokenservice.account;

import dev.tokenservice.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

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
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
class AccountAdminController {

	private final AccountAdministration administration;

	private final AccountService accounts;

	AccountAdminController(AccountAdministration administration, AccountService accounts) {
		this.administration = administration;
		this.accounts = accounts;
	}

	@Operation(operationId = "setUserEnabled", summary = "Disable (flag 0) or enable (flag 1) a user",
			description = "Disabling keeps the user's tokens; they are valid again once the user is enabled.")
	@ApiResponse(responseCode = "200", description = "User permission updated")
	@ApiResponse(responseCode = "400", description = "A flag other than 0 or 1, or a non-numeric user id")
	@ApiResponse(responseCode = "403", description = "The caller is not an admin")
	@ApiResponse(responseCode = "404", description = "User not found")
	@ApiResponse(responseCode = "409", description = "Would disable the last enabled admin")
	@PutMapping("/toggle-user-permission/{user_id}/{flag}")
	AccountMessage toggle(@PathVariable("user_id") long userId,
			// Matched as text: parsed as a number, "01" and "-0" would pass for 1 and 0.
			@Parameter(description = "0 disables, 1 enables") @PathVariable @Pattern(regexp = "^[01]$",
					message = "must be 0 or 1") String flag,
			@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller) {
		boolean enable = "1".equals(flag);
		this.administration.setEnabled(userId, enable);
		AuditLog.adminAction(enable ? "enable_user" : "disable_user", caller.userId(), userId);
		return AccountMessage.of("User permission updated successfully", userId);
	}

	@Operation(operationId = "removeUser", summary = "Delete a user",
			description = "The user's tokens end for good; a later user never inherits them.")
	@ApiResponse(responseCode = "200", description = "User deleted")
	@ApiResponse(responseCode = "400", description = "A non-numeric user id")
	@ApiResponse(responseCode = "403", description = "The caller is not an admin")
	@ApiResponse(responseCode = "404", description = "User not found")
	@ApiResponse(responseCode = "409", description = "Would delete the last enabled admin")
	@DeleteMapping("/remove-user/{user_id}")
	AccountMessage remove(@PathVariable("user_id") long userId,
			@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller) {
		this.administration.delete(userId);
		AuditLog.adminAction("delete_user", caller.userId(), userId);
		return AccountMessage.of("User deleted successfully");
	}

	@Operation(operationId = "listUsers", summary = "List users, ordered by id",
			description = "`size` is capped at 200.")
	@ApiResponse(responseCode = "200", description = "One page of users")
	@ApiResponse(responseCode = "400", description = "A bad page or size")
	@ApiResponse(responseCode = "403", description = "The caller is not an admin")
	// The page's limit keeps page × size (the row offset) well inside an int.
	@GetMapping("/users")
	UserPage list(
			@RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") @Max(value = 1_000_000,
					message = "must be at most 1000000") int page,
			@RequestParam(defaultValue = "50") @Min(value = 1, message = "must be 1 or more") int size) {
		return this.administration.list(page, size);
	}

	@Operation(operationId = "getUser", summary = "One user (admins: anyone; users: themselves)")
	@ApiResponse(responseCode = "200", description = "The user (never the password hash)")
	@ApiResponse(responseCode = "400", description = "A non-numeric user id")
	@ApiResponse(responseCode = "403", description = "Another user's record, and the caller is not an admin")
	@ApiResponse(responseCode = "404", description = "User not found")
	@GetMapping("/users/{user_id}")
	UserView user(@PathVariable("user_id") long userId,
			@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller) {
		caller.requireMayActOn(userId);
		return this.accounts.view(userId);
	}

}
