package dev.tokenservice.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenservice.support.Concurrently;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The dummy hash and the password dictionaries are made once, whether the first login
 * comes before the start-up's background work began, during it, or after.
 */
class PreparedAfterStartTests {

	@Test
	void getWhenNotPreparedThenMakesItOnceForAllCallers() throws Exception {
		AtomicInteger made = new AtomicInteger();
		PreparedAfterStart<String> value = new PreparedAfterStart<>(() -> slowly("hash-" + made.incrementAndGet()));

		List<String> seen = Concurrently.send(8, (i) -> value.get());

		assertThat(seen).containsOnly("hash-1").hasSize(8);
		assertThat(made).hasValue(1);
	}

	@Test
	void getWhilePreparingInBackgroundThenWaitsForThatOne() throws Exception {
		AtomicInteger made = new AtomicInteger();
		List<String> makers = new ArrayList<>();
		PreparedAfterStart<String> value = new PreparedAfterStart<>(() -> {
			synchronized (makers) {
				makers.add(Thread.currentThread().getName());
			}
			return slowly("hash-" + made.incrementAndGet());
		});

		value.prepareInBackground();
		value.prepareInBackground();
		List<String> seen = Concurrently.send(8, (i) -> value.get());

		assertThat(seen).containsOnly("hash-1").hasSize(8);
		assertThat(made).hasValue(1);
		assertThat(makers).singleElement().asString().startsWith("ForkJoinPool.commonPool");
	}

	@Test
	void getWhenMakingFailedThenEveryCallerGetsTheFailure() {
		PreparedAfterStart<String> value = new PreparedAfterStart<>(() -> {
			throw new IllegalStateException("dictionary missing");
		});

		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(CompletionException.class).isThrownBy(value::get)
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessage("dictionary missing");
		}
	}

	private static String slowly(String result) {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return result;
	}

}
