import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The BCrypt ceiling of this machine: how many {@code matches()} per second one thread does at
 * the given cost (the service's ceiling for /token is that times the number of cores), and, as
 * a check, how many all cores do together. Run by bench/run.sh with the service jar's
 * spring-security-crypto on the class path:
 *
 * <pre>java -cp 'lib/*' bench/BcryptCeiling.java COST SECONDS THREADS</pre>
 *
 * Prints one line of JSON.
 */
public class BcryptCeiling {

	public static void main(String[] args) throws Exception {
		int cost = Integer.parseInt(args[0]);
		double seconds = Double.parseDouble(args[1]);
		int threads = Integer.parseInt(args[2]);
		BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(cost);
		String password = "Sun-Orchard-0-Quill";
		String hash = encoder.encode(password);
		for (int i = 0; i < 3; i++) {
			check(encoder.matches(password, hash));
		}
		double single = rate(encoder, password, hash, seconds, 1);
		double parallel = (threads > 1) ? rate(encoder, password, hash, seconds, threads) : single;
		System.out.printf(Locale.ROOT,
				"{\"cost\":%d,\"single_thread_per_s\":%.2f,\"ms_per_hash\":%.2f,\"cores\":%d,\"ceiling_per_s\":%.2f,"
						+ "\"parallel_threads\":%d,\"parallel_per_s\":%.2f}%n",
				cost, single, 1000.0 / single, threads, single * threads, threads, parallel);
	}

	private static double rate(BCryptPasswordEncoder encoder, String password, String hash, double seconds,
			int threads) throws InterruptedException {
		AtomicLong done = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + (long) (seconds * 1e9);
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			workers[t] = new Thread(() -> {
				while (System.nanoTime() < deadline) {
					check(encoder.matches(password, hash));
					done.incrementAndGet();
				}
			});
			workers[t].start();
		}
		for (Thread worker : workers) {
			worker.join();
		}
		return done.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static void check(boolean matched) {
		if (!matched) {
			throw new IllegalStateException("BCrypt did not match its own hash");
		}
	}

}
