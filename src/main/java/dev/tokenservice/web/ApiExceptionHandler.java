package dev.tokenservice.web;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.tokenservice.account.AccountDisabledException;
import dev.tokenservice.account.AccountNotFoundException;
import dev.tokenservice.account.HashingBusyException;
import dev.tokenservice.account.InvalidCredentialsException;
import dev.tokenservice.account.LastAdminException;
import dev.tokenservice.account.PasswordRejectedException;
import dev.tokenservice.account.UsernameTakenException;
import dev.tokenservice.token.InvalidTokenException;
import dev.tokenservice.throttle.ThrottledException;
import dev.tokenservice.token.OAuth2TokenException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.hibernate.TransactionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place exceptions become HTTP responses, all in API.md's JSON shape: Spring
 * MVC's own 4xx (malformed JSON, 404, 405, 415), the services' typed exceptions, and the
 * last-resort 5xx.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/**
	 * SQLSTATE classes 08 (connection exception), 53 (insufficient resources: a full
	 * disk, too many connections) and 57 (operator intervention, a statement timeout), a
	 * read-only database (25006) and a lock not granted in time (55P03).
	 */
	private static final Pattern DATABASE_UNABLE = Pattern.compile("(08|53|57)...|25006|55P03");

	/**
	 * SQLSTATEs of tables, columns or rights that are not there: no such table (42P01,
	 * H2's 42S02), column (42703, 42S22) or schema (3F000), or no privilege (42501).
	 */
	private static final Pattern SCHEMA_MISSING = Pattern.compile("42P01|42S02|42703|42S22|3F000|42501");

	/**
	 * A database restart or a burst of logins is over within seconds: clients that honour
	 * Retry-After come back then rather than at once.
	 */
	private static final String RETRY_AFTER_SECONDS = "5";

	private final RequestRejectedHandler rejectedRequests;

	ApiExceptionHandler(RequestRejectedHandler rejectedRequests) {
		this.rejectedRequests = rejectedRequests;
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> usernameTaken(UsernameTakenException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(new ErrorResponse(ex.getMessage(), null, ex.getExistingUserId(), null));
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> invalidCredentials(InvalidCredentialsException ex) {
		return unauthorized(BearerChallenge.NO_TOKEN, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> invalidToken(InvalidTokenException ex) {
		return unauthorized(BearerChallenge.invalidToken(ex.getMessage()), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> disabled(AccountDisabledException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN).body(ErrorResponse.of(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> notFound(AccountNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ErrorResponse.of(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> lastAdmin(LastAdminException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT).body(ErrorResponse.of(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> passwordRejected(PasswordRejectedException ex) {
		return ResponseEntity.badRequest().body(ErrorResponse.invalid(Map.of(ex.getField(), ex.getMessage())));
	}

	/**
	 * A controller's own rights check, after the security rules let the caller in with a
	 * token.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorResponse> forbidden(AccessDeniedException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.INSUFFICIENT_RIGHTS)
			.body(ErrorResponse.of("Forbidden"));
	}

	@ExceptionHandler
	ResponseEntity<OAuth2TokenError> oauth2(OAuth2TokenException ex) {
		return ResponseEntity.badRequest()
			.cacheControl(CacheControl.noStore())
			.body(OAuth2TokenError.of(ex.getError(), ex.getMessage()));
	}

	/**
	 * RFC 6749 has no throttling code, so the password grant's form gets
	 * {@code invalid_request} with the reason; JSON clients get the plain message.
	 */
	@ExceptionHandler
	ResponseEntity<Object> throttled(ThrottledException ex, HttpServletRequest request) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.getRetryAfterSeconds()));
		if (MediaType.APPLICATION_FORM_URLENCODED_VALUE.equals(mediaTypeOf(request))) {
			return response.body(OAuth2TokenError.of("invalid_request", ex.getMessage()));
		}
		return response.body(ErrorResponse.of(ex.getMessage()));
	}

	/**
	 * The hashing queue is full or moved too slowly: come back shortly. Only refusals
	 * after a wait are warned about: a flood refused at once would flood the log too
	 * (http.server.requests counts every 503).
	 */
	@ExceptionHandler
	ResponseEntity<ErrorResponse> hashingBusy(HashingBusyException ex) {
		if (ex.isAfterWaiting()) {
			logger.warn("Password hashing queue full: request refused after waiting");
		}
		else {
			logger.debug("Password hashing queue full: request refused at once (password.hashing_queue)");
		}
		return serviceUnavailable();
	}

	@ExceptionHandler
	ResponseEntity<Object> tooLarge(PayloadTooLargeException ex) {
		return contentTooLarge();
	}

	/**
	 * Another request wrote the same user between this one's read and its write (two
	 * admins toggling one user, a toggle racing a password change): this one wrote
	 * nothing, and sending it again works.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorResponse> concurrentChange(OptimisticLockingFailureException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(ErrorResponse.of("The user was changed by another request at the same time: try again"));
	}

	/** Logged with the SQLSTATE where there is one (42501: the role may not write). */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<ErrorResponse> databaseUnavailable(RuntimeException ex) {
		logger.warn("Database unavailable: {}{}", ex.getClass().getSimpleName(), FailureTrace.sqlState(ex));
		return serviceUnavailable();
	}

	/**
	 * What JPA, unlike plain JDBC, reports uncategorised: a connection the server ended
	 * or a database that cannot take writes now ({@link #DATABASE_UNABLE}), rights or
	 * tables out of reach ({@link #SCHEMA_MISSING}), a commit or rollback on a connection
	 * the pool already closed (which has no SQLSTATE); or the embedded database could not
	 * write its file, e.g. the disk is full: H2 reports that as an uncategorised error
	 * around the {@link IOException} (and closes its store, so later requests get the 503
	 * of an unavailable database until a restart).
	 */
	@ExceptionHandler({ UncategorizedDataAccessException.class, TransactionSystemException.class })
	ResponseEntity<ErrorResponse> storageFailure(RuntimeException ex) {
		if (hasSqlState(ex, DATABASE_UNABLE) || hasSqlState(ex, SCHEMA_MISSING) || settlingFailed(ex)) {
			return databaseUnavailable(ex);
		}
		IOException io = FailureTrace.causeOf(ex, IOException.class);
		if (io == null) {
			return unexpected(ex);
		}
		// The operating system's reason (such as "No space left on device") quotes no
		// request data.
		logger.error("The database could not write to its file: {}{}", io.getMessage(), FailureTrace.of(ex));
		return serviceUnavailable();
	}

	/**
	 * The tables are gone or out of reach while the database still answers: a restore
	 * under way, an upgrade's schema not yet migrated, or rights revoked. Like an outage,
	 * that ends without a restart. Any other grammar error is the service's own.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorResponse> schemaUnavailable(InvalidDataAccessResourceUsageException ex) {
		return hasSqlState(ex, SCHEMA_MISSING) ? databaseUnavailable(ex) : unexpected(ex);
	}

	/** A commit or rollback the driver could not carry out: the connection is gone. */
	private static boolean settlingFailed(RuntimeException ex) {
		return FailureTrace.causeOf(ex, TransactionException.class) != null
				&& FailureTrace.causeOf(ex, SQLException.class) != null;
	}

	private static boolean hasSqlState(RuntimeException ex, Pattern states) {
		SQLException sql = FailureTrace.causeOf(ex, SQLException.class);
		return sql != null && sql.getSQLState() != null && states.matcher(sql.getSQLState()).matches();
	}

	/**
	 * Tomcat refuses to decode a malformed query string or form body only when it is
	 * first read.
	 */
	@ExceptionHandler
	ResponseEntity<Object> malformedParameters(InvalidParameterException ex) {
		if (ex.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()) {
			return contentTooLarge();
		}
		return ResponseEntity.badRequest().body(ErrorResponse.of("Malformed request parameters"));
	}

	/**
	 * The firewall refused a header when Spring MVC read it ({@code Accept}, or the
	 * Bearer token status's {@code Authorization}): the same answer as a refusal in the
	 * security filters.
	 */
	@ExceptionHandler
	void rejected(RequestRejectedException ex, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		this.rejectedRequests.handle(request, response, ex);
	}

	@ExceptionHandler
	ResponseEntity<ErrorResponse> unexpected(Exception ex) {
		logger.error("Unexpected failure: {}", FailureTrace.of(ex));
		return ResponseEntity.internalServerError().body(ErrorResponse.withRequestId("Internal server error"));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.putIfAbsent(snakeCase(error.getField()), String.valueOf(error.getDefaultMessage()));
		}
		return ResponseEntity.badRequest().headers(headers).body(ErrorResponse.invalid(errors));
	}

	/**
	 * A path variable or query parameter that is not a number: named by its wire name.
	 */
	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		return ResponseEntity.badRequest().body(ErrorResponse.invalid(Map.of(name, "must be a whole number")));
	}

	/** {@code @Min}/{@code @Max} on path variables and query parameters. */
	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			String name = wireName(result.getMethodParameter());
			result.getResolvableErrors()
				.forEach((error) -> errors.putIfAbsent(name, String.valueOf(error.getDefaultMessage())));
		}
		return ResponseEntity.badRequest().body(ErrorResponse.invalid(errors));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (FailureTrace.causeOf(ex, PayloadTooLargeException.class) != null) {
			return contentTooLarge();
		}
		if (ex.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return ResponseEntity.badRequest()
				.body(ErrorResponse.invalid(Map.of(fieldOf(mismatch), "has the wrong type")));
		}
		return ResponseEntity.badRequest().headers(headers).body(ErrorResponse.of("Malformed JSON request body"));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		HttpStatus known = HttpStatus.resolve(status.value());
		String message = (known != null) ? known.getReasonPhrase() : "Error";
		return ResponseEntity.status(status).headers(headers).body(ErrorResponse.of(message));
	}

	private static ResponseEntity<ErrorResponse> unauthorized(String challenge, String message) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, challenge)
			.body(ErrorResponse.of(message));
	}

	private static ResponseEntity<Object> contentTooLarge() {
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
			.body(ErrorResponse.of(PayloadTooLargeException.MESSAGE));
	}

	private static ResponseEntity<ErrorResponse> serviceUnavailable() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(ErrorResponse.withRequestId("Service temporarily unavailable"));
	}

	private static String mediaTypeOf(HttpServletRequest request) {
		String contentType = request.getContentType();
		return (contentType != null) ? contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT) : "";
	}

	private static String wireName(MethodParameter parameter) {
		PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
		if (path != null && !path.value().isEmpty()) {
			return path.value();
		}
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null && !param.value().isEmpty()) {
			return param.value();
		}
		return snakeCase(String.valueOf(parameter.getParameterName()));
	}

	private static String fieldOf(DatabindException ex) {
		String name = ex.getPath().get(0).getPropertyName();
		return (name != null) ? name : "body";
	}

	private static String snakeCase(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

}
