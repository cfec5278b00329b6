package dev.tokenservice.config;

import java.util.Objects;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/** The chain of causes of a start-up failure, outermost first, for its analyzers. */
final class FailureCauses {

	private FailureCauses() {
	}

	static Stream<Throwable> of(Throwable failure) {
		return Stream.iterate(failure, Objects::nonNull, Throwable::getCause);
	}

	static <T extends Throwable> @Nullable T first(Throwable failure, Class<T> type) {
		return of(failure).filter(type::isInstance).map(type::cast).findFirst().orElse(null);
	}

}
