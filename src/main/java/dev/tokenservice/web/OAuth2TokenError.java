package dev.tokenservice.web;

/**
 * The RFC 6749 error body of the password grant, with the {@code message} every error
 * body of this service carries.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
record OAuth2TokenError(String error, String errorDescription, String message) {
}
