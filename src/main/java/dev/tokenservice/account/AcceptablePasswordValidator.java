package dev.tokenservice.account;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Applies the {@link PasswordPolicy}'s cheap rules to a {@link RegisterRequest},
 * reporting on its password field; the guessability estimate waits for the registration's
 * turn to hash.
 */
class AcceptablePasswordValidator implements ConstraintValidator<AcceptablePassword, RegisterRequest> {

	private final PasswordPolicy policy;

	AcceptablePasswordValidator(PasswordPolicy policy) {
		this.policy = policy;
	}

	@Override
	public boolean isValid(RegisterRequest request, ConstraintValidatorContext context) {
		if (request.password() == null) {
			return true;
		}
		String username = (request.username() != null) ? request.username() : "";
		return this.policy.brokenRule(request.password(), username).map((problem) -> {
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(problem).addPropertyNode("password").addConstraintViolation();
			return false;
		}).orElse(true);
	}

}
