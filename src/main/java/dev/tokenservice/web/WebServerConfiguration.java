package dev.tokenservice.web;

import dev.tokenservice.config.HttpProperties;
import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Tomcat settings that properties cannot express, and the access log. */
@Configuration(proxyBeanMethods = false)
class WebServerConfiguration {

	/**
	 * Tomcat adds the named error valve when the host starts, after (so inside) any
	 * other.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
			}
		});
	}

	/**
	 * Just inside the request id filter, so each line carries the request's id. Switched
	 * on and off here rather than by a bean condition, which the fast start (Spring AOT)
	 * would fix at build time.
	 */
	@Bean
	FilterRegistrationBean<AccessLogFilter> accessLog(HttpProperties http) {
		FilterRegistrationBean<AccessLogFilter> registration = new FilterRegistrationBean<>(new AccessLogFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		registration.setEnabled(http.accessLog());
		return registration;
	}

}
