package dev.tokenservice.account;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.tokenservice.config.PasswordProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The hashing threads, one per core, and the queue of requests waiting for one. A request
 * that hashes a password runs its work here and gives its request thread back to Tomcat
 * meanwhile (Spring MVC answers it when the returned future completes), so a login storm
 * can take neither the cheap endpoints' CPU nor their threads. The queue holds
 * {@code password.hashing_queue} requests: one more gets 503 at once, and so does one
 * still queued after {@code password.hashing_timeout}. Work that has started always
 * finishes, so a 503 never hides a stored user.
 */
@Component
class HashingQueue implements DisposableBean {

	private final ThreadPoolTaskExecutor threads;

	private final Executor expiry;

	HashingQueue(PasswordProperties properties) {
		int count = threadCount();
		Duration timeout = properties.hashingTimeout();
		this.expiry = CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS);
		this.threads = new ThreadPoolTaskExecutor();
		this.threads.setCorePoolSize(count);
		this.threads.setMaxPoolSize(count);
		this.threads.setQueueCapacity(properties.hashingQueue());
		this.threads.setThreadNamePrefix("hashing-");
		this.threads.setTaskDecorator(HashingQueue::withCallersLogContext);
		this.threads.setWaitForTasksToCompleteOnShutdown(true);
		this.threads.setAwaitTerminationMillis(timeout.toMillis());
		this.threads.initialize();
	}

	/** One per core: hashing is all CPU. */
	static int threadCount() {
		return Runtime.getRuntime().availableProcessors();
	}

	/**
	 * Runs the work on a hashing thread, with the caller's log context (its request id).
	 * @throws HashingBusyException if the queue is full
	 */
	<T> CompletableFuture<T> submit(Supplier<T> work) {
		Turn<T> turn = new Turn<>(work);
		try {
			this.threads.execute(turn::take);
		}
		catch (TaskRejectedException ex) {
			throw HashingBusyException.queueFull();
		}
		this.expiry.execute(turn::expire);
		return turn.result;
	}

	@Override
	public void destroy() {
		this.threads.shutdown();
	}

	private static Runnable withCallersLogContext(Runnable task) {
		Map<String, String> context = MDC.getCopyOfContextMap();
		return () -> {
			if (context != null) {
				MDC.setContextMap(context);
			}
			try {
				task.run();
			}
			finally {
				MDC.clear();
			}
		};
	}

	/**
	 * One request's place in the queue: whichever comes first, its turn or its timeout.
	 */
	private static final class Turn<T> {

		private @Nullable Supplier<T> work;

		private final AtomicBoolean claimed = new AtomicBoolean();

		private final CompletableFuture<T> result = new CompletableFuture<>();

		Turn(Supplier<T> work) {
			this.work = work;
		}

		void take() {
			Supplier<T> claimedWork = claim();
			if (claimedWork == null) {
				return;
			}
			try {
				this.result.complete(claimedWork.get());
			}
			catch (RuntimeException | Error ex) {
				this.result.completeExceptionally(ex);
			}
		}

		void expire() {
			if (claim() != null) {
				this.result.completeExceptionally(HashingBusyException.waitedTooLong());
			}
		}

		/**
		 * The work, to the first caller only. The turn forgets it, since the timer keeps
		 * the turn until it fires and the work holds the request's password.
		 */
		private @Nullable Supplier<T> claim() {
			if (!this.claimed.compareAndSet(false, true)) {
				return null;
			}
			Supplier<T> claimedWork = this.work;
			this.work = null;
			return claimedWork;
		}

	}

}
