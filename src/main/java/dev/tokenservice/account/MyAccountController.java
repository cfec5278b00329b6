package dev.tokenservice.account;

import dev.tokenservice.audit.AuditLog;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What any signed-in user may do to their own account. */
@RestController
class MyAccountController {

	private final AccountService accounts;

	MyAccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/me")
	UserView me(@AuthenticationPrincipal TokenHolder caller) {
		return this.accounts.view(caller.userId());
	}

	@PostMapping(path = "/change-password", consumes = MediaType.APPLICATION_JSON_VALUE)
	AccountMessage changePassword(@Valid @RequestBody ChangePasswordRequest request,
			@AuthenticationPrincipal TokenHolder caller) {
		this.accounts.changePassword(caller, request);
		return AccountMessage.of("Password changed successfully");
	}

	/** Admins may log out someone else, for example a user whose device was stolen. */
	@PostMapping("/logout-all")
	AccountMessage logOutEverywhere(@RequestParam(name = "user_id", required = false) @Nullable Long userId,
			@AuthenticationPrincipal TokenHolder caller) {
		long target = (userId != null) ? userId : caller.userId();
		if (target != caller.userId() && !caller.isAdmin()) {
			throw new AccessDeniedException("Not the caller's own account");
		}
		this.accounts.logOutEverywhere(target);
		if (target != caller.userId()) {
			AuditLog.adminAction("log_out_user_everywhere", caller.userId(), target);
		}
		return AccountMessage.of("Logged out everywhere", target);
	}

}
