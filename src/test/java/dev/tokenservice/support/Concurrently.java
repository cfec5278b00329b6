package dev.tokenservice.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Requests that must reach the service at the same moment, as a burst of clients would.
 */
public final class Concurrently {

	private Concurrently() {
	}

	/**
	 * All requests released at once from their own threads; the replies in request order.
	 */
	public static <T> List<T> send(int count, IntFunction<T> request) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> replies = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				Callable<T> call = () -> {
					start.await();
					return request.apply(index);
				};
				replies.add(threads.submit(call));
			}
			start.countDown();
			List<T> result = new ArrayList<>();
			for (Future<T> reply : replies) {
				result.add(reply.get(60, TimeUnit.SECONDS));
			}
			return result;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
