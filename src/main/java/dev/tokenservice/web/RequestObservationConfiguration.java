package dev.tokenservice.web;

import io.micrometer.common.KeyValues;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * Every request is still timed as {@code http.server.requests} with its method, route
 * pattern, status and outcome, but without the full URL the default adds as a
 * high-cardinality value: in {@code GET /token_status/{token}} the URL is a bearer token,
 * and a tracing bridge added later would send it to the tracing backend.
 */
@Configuration(proxyBeanMethods = false)
class RequestObservationConfiguration {

	@Bean
	ServerRequestObservationConvention serverRequestObservationConvention(ObservationProperties properties) {
		return new DefaultServerRequestObservationConvention(properties.getHttp().getServer().getRequests().getName()) {

			@Override
			public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
				return KeyValues.empty();
			}

		};
	}

}
