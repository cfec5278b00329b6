package dev.tokenservice.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the container's error dispatches (a {@code sendError} from a filter or from
 * Spring Security's firewall) in the same JSON shape as everything else, replacing Boot's
 * default body.
 */
@RestController
class JsonErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value && HttpStatus.resolve(value) != null)
				? HttpStatus.valueOf(value) : HttpStatus.NOT_FOUND;
		ErrorResponse body = status.is5xxServerError() ? ErrorResponse.withRequestId(status.getReasonPhrase())
				: ErrorResponse.of(status.getReasonPhrase());
		return ResponseEntity.status(status).body(body);
	}

}
