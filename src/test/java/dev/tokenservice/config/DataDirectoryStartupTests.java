package dev.tokenservice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A data directory the service cannot use stops start-up with one line naming data.dir
 * and no stack trace: one not writable by its user, not creatable or a file before H2
 * opens anything, one in use by a running instance when H2 finds its file locked.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataDirectoryStartupTests {

	private static final String ANALYSIS_PREFIX = "Invalid configuration: ";

	@TempDir
	Path dir;

	private Path config;

	private final List<Path> locked = new ArrayList<>();

	@BeforeEach
	void writeConfig() throws IOException {
		this.config = Files.writeString(this.dir.resolve("config.yml"), "jwt:\n  issuer: token-service\n");
	}

	@AfterEach
	void unlock() throws IOException, InterruptedException {
		for (Path path : this.locked) {
			chattr("-i", path);
			Files.setPosixFilePermissions(path,
					PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		}
	}

	/** The Docker pitfall: a volume owned by root, the service running as uid 10001. */
	@Test
	void startWhenDataDirNotWritableThenFailsWithOneLineNamingDataDirAndUser(CapturedOutput output)
			throws IOException, InterruptedException {
		Path data = unwritable(this.dir.resolve("data"));
		assertThatThrownBy(() -> start(data).close()).isInstanceOf(InvalidConfigurationException.class);
		assertOneLineBeforeTheDatabase(output.getAll(),
				"data.dir " + data + " is not writable by this user (uid " + uid() + "): ");
	}

	/**
	 * On PostgreSQL with a configured secret nothing is written there (a read-only root
	 * file system): the start goes on to the database, here one that refuses.
	 */
	@Test
	void startWhenOnPostgresqlWithSecretThenDataDirNeedNotBeWritable(CapturedOutput output)
			throws IOException, InterruptedException {
		Path data = unwritable(this.dir.resolve("data"));
		assertThatThrownBy(() -> start(data, "--database.url=jdbc:postgresql://127.0.0.1:1/nowhere",
				"--jwt.secret=" + "Gq7vN2pLx8RtW3yK9mBc4HdF6gJs1QeU")
			.close()).isNotNull();
		assertThat(output.getAll()).contains("Cannot connect to the database: Connection to 127.0.0.1:1 refused.")
			.doesNotContain(ANALYSIS_PREFIX);
	}

	/**
	 * Files left by a start as another user (root, say): H2 would open its file
	 * read-only, report ready, and answer every registration with a 500.
	 */
	@Test
	void startWhenDatabaseFileNotWritableThenFailsWithOneLineNamingIt(CapturedOutput output)
			throws IOException, InterruptedException {
		Path data = this.dir.resolve("data");
		start(data).close();
		Path database = unwritableFile(data.resolve("tokenservice.mv.db"));
		assertThatThrownBy(() -> start(data).close()).isInstanceOf(InvalidConfigurationException.class);
		assertThat(analysisLines(output.getAll())).singleElement()
			.isEqualTo(ANALYSIS_PREFIX + "data.dir " + data + " holds files this user (uid " + uid()
					+ ") may not read or write: " + database.getFileName());
		assertThat(output.getAll()).doesNotContain("\tat ");
	}

	@Test
	void startWhenParentOfDataDirNotWritableThenFailsWithOneLineNamingWhatCannotBeCreated(CapturedOutput output)
			throws IOException, InterruptedException {
		Path parent = unwritable(this.dir.resolve("locked"));
		Path data = parent.resolve("sub/data");
		assertThatThrownBy(() -> start(data).close()).isInstanceOf(InvalidConfigurationException.class);
		assertOneLineBeforeTheDatabase(output.getAll(), "data.dir " + data + " cannot be created by this user (uid "
				+ uid() + "): " + parent.resolve("sub") + ": ");
	}

	@Test
	void startWhenDataDirIsAFileThenFailsWithOneLine(CapturedOutput output) throws IOException {
		Path file = Files.createFile(this.dir.resolve("data"));
		assertThatThrownBy(() -> start(file).close()).isInstanceOf(InvalidConfigurationException.class);
		assertOneLineBeforeTheDatabase(output.getAll(), "data.dir " + file + " is a file, not a directory");
	}

	/**
	 * The first versions made the directory rwxr-xr-x: an upgrade keeps starting on it,
	 * and says how to close it.
	 */
	@Test
	void startWhenDataDirOpenToOtherUsersThenWarnsHowToCloseIt(CapturedOutput output) throws IOException {
		Path data = Files.createDirectory(this.dir.resolve("data"));
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
		start(data).close();

		assertThat(output.getAll()).contains("data.dir " + data + " is open to other users (rwxr-xr-x): they can "
				+ "read the password hashes, and the signing secret if it was generated there. Close it: chmod o-rwx "
				+ data);

		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
		int printed = output.getAll().length();
		start(data).close();
		assertThat(output.getAll().substring(printed)).contains("Tomcat started on port")
			.doesNotContain("open to other users");
	}

	/** Nobody, root included, creates a directory in /proc. */
	@Test
	void startWhenDataDirUnderProcThenFailsWithOneLine(CapturedOutput output) throws IOException {
		Path data = Path.of("/proc/self/data");
		assertThatThrownBy(() -> start(data).close()).isInstanceOf(InvalidConfigurationException.class);
		assertOneLineBeforeTheDatabase(output.getAll(), "data.dir " + data + " cannot be created by this user (uid "
				+ uid() + "): " + data + ": no such file or directory");
	}

	/**
	 * H2 lets one process at a time open its file, and a second instance would otherwise
	 * get H2's advice to use its server mode. The second runs in a JVM of its own, as it
	 * would in production: H2 shares an open database within one JVM.
	 */
	@Test
	void startWhenAnotherInstanceRunsOnTheDataDirThenStopsWithOneLineAndTheOtherKeepsServing()
			throws IOException, InterruptedException {
		Path data = this.dir.resolve("data");
		try (ConfigurableApplicationContext first = start(data)) {
			Path console = this.dir.resolve("second.log");
			Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", System.getProperty("java.class.path"), TokenServiceApplication.class.getName(),
					"--server.port=0", "--config.file=" + this.config, "--data.dir=" + data)
				.redirectErrorStream(true)
				.redirectOutput(console.toFile())
				.start();
			try {
				assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("second instance stopped").isTrue();
			}
			finally {
				second.destroyForcibly();
			}
			assertThat(second.exitValue()).isNotZero();
			String printed = Files.readString(console, StandardCharsets.UTF_8);
			assertThat(analysisLines(printed)).containsExactly(ANALYSIS_PREFIX + "data.dir " + data
					+ " is in use by another running instance of the service: stop it, or give this one another "
					+ "data.dir (several instances need PostgreSQL: database.url)");
			assertThat(printed).doesNotContain("\tat ").doesNotContain("Started TokenServiceApplication");
			Api api = new Api(first.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
			String username = TestUsers.uniqueName("first");
			assertThat(api
				.postJson("/register-user",
						Map.of("username", username, "password", TestUsers.PASSWORD, "email",
								TestUsers.emailOf(username)))
				.status()).isEqualTo(201);
		}
	}

	/**
	 * Exactly one line names the problem, no stack frame is printed, and the connection
	 * pool never started: the check came before H2 opened anything.
	 */
	private static void assertOneLineBeforeTheDatabase(String printed, String line) {
		assertThat(analysisLines(printed)).singleElement()
			.satisfies((analysis) -> assertThat(analysis).startsWith(ANALYSIS_PREFIX + line));
		assertThat(printed).doesNotContain("\tat ")
			.doesNotContain("Application run failed")
			.doesNotContain("database - Starting")
			.doesNotContain("Started TokenServiceApplication");
	}

	private static List<String> analysisLines(String printed) {
		return printed.lines().map(String::strip).filter((line) -> line.contains(ANALYSIS_PREFIX)).toList();
	}

	private ConfigurableApplicationContext start(Path data, String... extraArgs) {
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--config.file=" + this.config, "--data.dir=" + data));
		args.addAll(List.of(extraArgs));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

	/**
	 * A directory this process cannot write in: read-only by its mode, and, for root, who
	 * is not held back by modes, immutable as well (chattr +i).
	 */
	private Path unwritable(Path directory) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		this.locked.add(directory);
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-x------"));
		if (canWriteIn(directory)) {
			chattr("+i", directory);
		}
		assumeFalse(canWriteIn(directory),
				"needs a user other than root, or chattr +i (CAP_LINUX_IMMUTABLE and a file system that has it)");
		return directory;
	}

	/** A file this process cannot write: by its mode, and for root immutable as well. */
	private Path unwritableFile(Path file) throws IOException, InterruptedException {
		this.locked.add(file);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
		if (Files.isWritable(file)) {
			chattr("+i", file);
		}
		assumeFalse(Files.isWritable(file),
				"needs a user other than root, or chattr +i (CAP_LINUX_IMMUTABLE and a file system that has it)");
		return file;
	}

	private static boolean canWriteIn(Path directory) {
		try {
			Files.delete(Files.createTempFile(directory, "probe-", ".tmp"));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void chattr(String flag, Path path) throws InterruptedException {
		try {
			new ProcessBuilder("chattr", flag, path.toString()).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			// No chattr here: unwritable(...) then skips the test for root.
		}
	}

	/** The uid of this process, as the owner of a file it creates. */
	private Object uid() throws IOException {
		return Files.getAttribute(Files.createTempFile(this.dir, "owner-", ".tmp"), "unix:uid");
	}

}
