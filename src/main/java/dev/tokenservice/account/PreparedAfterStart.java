package dev.tokenservice.account;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value that takes a fraction of a second of CPU to make (a hash, the password
 * dictionaries): made in the background once the service is ready, so that on two cores
 * it does not slow the start-up down, or at once by the first caller that needs it
 * sooner. Made once either way.
 */
final class PreparedAfterStart<T> {

	private final Supplier<T> maker;

	private final CompletableFuture<T> value = new CompletableFuture<>();

	private final AtomicBoolean started = new AtomicBoolean();

	PreparedAfterStart(Supplier<T> maker) {
		this.maker = maker;
	}

	void prepareInBackground() {
		if (this.started.compareAndSet(false, true)) {
			ForkJoinPool.commonPool().execute(this::make);
		}
	}

	T get() {
		if (this.started.compareAndSet(false, true)) {
			make();
		}
		return this.value.join();
	}

	private void make() {
		try {
			this.value.complete(this.maker.get());
		}
		catch (RuntimeException | Error ex) {
			this.value.completeExceptionally(ex);
		}
	}

}
