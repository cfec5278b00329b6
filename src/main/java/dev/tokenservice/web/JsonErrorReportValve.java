package dev.tokenservice.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Replaces Tomcat's HTML error page for requests it rejects before the application sees
 * them (a malformed request line, bad percent-encoding, an encoded slash) with a JSON
 * body that names neither the server nor the cause.
 */
public class JsonErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		int status = clientErrorFor(response.getStatus());
		if (status != response.getStatus()) {
			response.setStatus(status);
		}
		HttpStatus known = HttpStatus.resolve(status);
		// The reason phrases are fixed ASCII text, so no escaping is needed.
		writeJson(response, "{\"message\":\"" + ((known != null) ? known.getReasonPhrase() : "Error") + "\"}");
	}

	/**
	 * An unknown protocol version, transfer coding or method (CONNECT) is malformed
	 * input: a client error, never a 5xx.
	 */
	private static int clientErrorFor(int status) {
		boolean unsupported = status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value()
				|| status == HttpStatus.NOT_IMPLEMENTED.value();
		return unsupported ? HttpStatus.BAD_REQUEST.value() : status;
	}

	private static void writeJson(Response response, String body) {
		try {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setHeader(ErrorResponseWriter.NOSNIFF_HEADER, "nosniff");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The connection is gone or the response already committed: nothing left to
			// tell the client.
		}
	}

}
