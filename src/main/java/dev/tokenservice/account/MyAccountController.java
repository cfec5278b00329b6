package dev.tokenservice.account;

import java.util.concurrent.CompletableFuture;

import dev.tokenservice.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Null;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What any signed-in user may do to their own account. */
@RestController
@Tag(name = "Accounts")
@SecurityRequirement(name = "bearer")
class MyAccountController {

	private final AccountService accounts;

	MyAccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@Operation(operationId = "me", summary = "The caller's own record")
	@ApiResponse(responseCode = "200", description = "The caller's record (never the password hash)")
	@GetMapping("/me")
	UserView me(@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller) {
		return this.accounts.view(caller.userId());
	}

	@Operation(operationId = "changePassword", summary = "Change the caller's password",
			description = "Every token issued before the change stops being valid.")
	@ApiResponse(responseCode = "200", description = "Password changed")
	@ApiResponse(responseCode = "400",
			description = "Malformed JSON, a missing field, or a new password the policy rejects")
	@ApiResponse(responseCode = "401", description = "No valid bearer token, or a wrong current password")
	@ApiResponse(responseCode = "413", description = "Body over the configured limit")
	@ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
	@ApiResponse(responseCode = "429",
			description = "Too many wrong current passwords for this user: counted with its failed logins")
	@ApiResponse(responseCode = "503", description = "Database unavailable, or password hashing busy")
	@PostMapping(path = "/change-password", consumes = MediaType.APPLICATION_JSON_VALUE)
	CompletableFuture<AccountMessage> changePassword(@Valid @RequestBody ChangePasswordRequest request,
			@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller, HttpServletRequest http) {
		return this.accounts.changePassword(caller, request, http.getRemoteAddr())
			.thenApply((changed) -> AccountMessage.of("Password changed successfully"));
	}

	/** Admins may log out someone else, for example a user whose device was stolen. */
	@Operation(operationId = "logoutAll", summary = "Log out everywhere",
			description = "Every token of the user issued before now stops being valid.")
	@ApiResponse(responseCode = "200", description = "Logged out everywhere; `user_id` names the user")
	@ApiResponse(responseCode = "400", description = "A non-numeric user_id")
	@ApiResponse(responseCode = "403", description = "`user_id` of another user, and the caller is not an admin")
	@ApiResponse(responseCode = "404", description = "No user with that `user_id`")
	// A JSON body goes to the method below, which checks that it names nobody.
	@PostMapping(path = "/logout-all", consumes = "!" + MediaType.APPLICATION_JSON_VALUE)
	AccountMessage logOutEverywhere(
			// An empty user_id (an unset shell variable) is a 400 (see
			// DecimalNumberBinding), not "none given", which would log out the
			// caller.
			@Parameter(description = "Admins only: log out this user instead of the caller") @RequestParam(
					name = "user_id", required = false) @Nullable Long userId,
			@Parameter(hidden = true) @AuthenticationPrincipal TokenHolder caller) {
		long target = (userId != null) ? userId : caller.userId();
		caller.requireMayActOn(target);
		this.accounts.logOutEverywhere(target);
		if (target != caller.userId()) {
			AuditLog.adminAction("log_out_user_everywhere", caller.userId(), target);
		}
		return AccountMessage.of("Logged out everywhere", target);
	}

	/**
	 * The same with a JSON body, which names nobody: {@code {"user_id": N}} there, rather
	 * than in the query, would log out the caller instead of that user.
	 */
	@Operation(hidden = true)
	@PostMapping(path = "/logout-all", consumes = MediaType.APPLICATION_JSON_VALUE)
	AccountMessage logOutEverywhereWithJsonBody(@RequestParam(name = "user_id", required = false) @Nullable Long userId,
			@Valid @RequestBody(required = false) @Nullable NoOneNamed body,
			@AuthenticationPrincipal TokenHolder caller) {
		return logOutEverywhere(userId, caller);
	}

	record NoOneNamed(@Null(message = "goes in the query string: POST /logout-all?user_id=N") @Nullable Long userId) {
	}

}
