package dev.tokenservice.account;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /register-user}: the tutorial's registration endpoint. The registration
 * runs on a hashing thread, off the request thread.
 */
@RestController
@Tag(name = "Accounts")
class RegistrationController {

	private final AccountService accounts;

	RegistrationController(AccountService accounts) {
		this.accounts = accounts;
	}

	@Operation(operationId = "registerUser", summary = "Register a user",
			description = "Usernames are case-insensitive and stored in lower case. A 201 means the user is durably stored.")
	@ApiResponse(responseCode = "201", description = "User created",
			headers = @Header(name = "Location", description = "/users/{user_id} of the new user",
					schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400", description = "Malformed JSON, or invalid fields (each named in `errors`)")
	@ApiResponse(responseCode = "409", description = "Username taken (any case); `user_id` names the existing user")
	@ApiResponse(responseCode = "413", description = "Body over the configured limit")
	@ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
	@ApiResponse(responseCode = "429", description = "Too many registrations from this address")
	@ApiResponse(responseCode = "503", description = "Database unavailable, or password hashing busy")
	@PostMapping(path = "/register-user", consumes = MediaType.APPLICATION_JSON_VALUE)
	CompletableFuture<ResponseEntity<AccountMessage>> register(@Valid @RequestBody RegisterRequest request,
			@Parameter(hidden = true) HttpServletRequest http) {
		return this.accounts.register(request, http.getRemoteAddr())
			.thenApply((userId) -> ResponseEntity.created(URI.create("/users/" + userId))
				.body(AccountMessage.of("User created successfully", userId)));
	}

}
