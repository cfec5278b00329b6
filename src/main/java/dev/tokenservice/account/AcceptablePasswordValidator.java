package dev.tokenservice.account;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Applies the {@link PasswordPolicy} to a {@link RegisterRequest}, reporting on its
 * password field.
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
		return this.policy.problemWith(request.password(), username).map((problem) -> {
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(problem).addPropertyNode("password").addConstraintViolation();
			return false;
		}).orElse(true);
	}

}
