package dev.tokenservice.account;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /register-user}: the tutorial's registration endpoint. */
@RestController
class RegistrationController {

	private final AccountService accounts;

	RegistrationController(AccountService accounts) {
		this.accounts = accounts;
	}

	@PostMapping(path = "/register-user", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<AccountMessage> register(@Valid @RequestBody RegisterRequest request, HttpServletRequest http) {
		long userId = this.accounts.register(request, http.getRemoteAddr());
		return ResponseEntity.created(URI.create("/users/" + userId))
			.body(AccountMessage.of("User created successfully", userId));
	}

}
