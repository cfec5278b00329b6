package dev.tokenservice.account;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The request's password keeps the {@link PasswordPolicy}'s cheap rules; checked with the
 * other field rules so one 400 names every bad field.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AcceptablePasswordValidator.class)
@interface AcceptablePassword {

	String message() default "is not acceptable";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
