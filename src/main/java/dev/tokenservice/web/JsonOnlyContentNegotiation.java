package dev.tokenservice.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every body is JSON whatever the client's {@code Accept} says: answering with the
 * default representation is allowed (RFC 9110 §12.5.1) and kinder than an empty 406 to a
 * client that sent {@code Accept: text/html}. Endpoints that produce something else (the
 * Prometheus text) still match through the wildcard.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyContentNegotiation implements WebMvcConfigurer {

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON, MediaType.ALL);
	}

}
