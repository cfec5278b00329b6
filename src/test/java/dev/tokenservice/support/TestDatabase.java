package dev.tokenservice.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The database the HTTP contract suite runs on: the embedded H2 file by default, or, when
 * the system property {@value #PROPERTY} is {@code postgresql} (the build's PostgreSQL
 * run), a PostgreSQL database created for this test JVM and dropped when it exits.
 */
public final class TestDatabase {

	public static final String PROPERTY = "test.database";

	private static final Map<String, PostgresTestDatabase> databases = new HashMap<>();

	private TestDatabase() {
	}

	/**
	 * Points the application under test at PostgreSQL if this run asks for it: one
	 * database per {@code purpose}, shared by the tests that share an application.
	 */
	public static void register(DynamicPropertyRegistry registry, String purpose) {
		if (isPostgres()) {
			PostgresTestDatabase database = postgres(purpose);
			registry.add("database.url", database::url);
			registry.add("database.username", database::username);
		}
	}

	public static boolean isPostgres() {
		return "postgresql".equals(System.getProperty(PROPERTY));
	}

	private static synchronized PostgresTestDatabase postgres(String purpose) {
		return databases.computeIfAbsent(purpose, (name) -> {
			PostgresTestDatabase database = PostgresTestDatabase.create(name);
			Runtime.getRuntime().addShutdownHook(new Thread(database::close));
			return database;
		});
	}

}
