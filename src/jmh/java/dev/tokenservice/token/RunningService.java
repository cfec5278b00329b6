package dev.tokenservice.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.BenchmarkUsers;
import dev.tokenservice.account.TokenHolder;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The service's own beans, in its whole application context, on a fresh embedded H2
 * database with seeded users and a valid token for each: the benchmarks call the code the
 * service runs, minus HTTP. The web server starts on a free loopback port, because the
 * security configuration needs a servlet context, but no request goes through it.
 */
@State(Scope.Benchmark)
public class RunningService {

	private static final int USERS = 64;

	TokenIssuer issuer;

	SignedTokenReader reader;

	TokenVerifier verifier;

	private Path dataDir;

	private ConfigurableApplicationContext context;

	private List<TokenHolder> holders;

	private List<String> tokens;

	private List<String> tamperedTokens;

	@Setup(Level.Trial)
	public void start() throws IOException {
		this.dataDir = Files.createTempDirectory("token-service-jmh");
		// Command-line arguments outrank ./config.yml and the environment; BCrypt cost 4
		// only makes seeding fast, no benchmark hashes a password.
		this.context = new SpringApplicationBuilder(TokenServiceApplication.class).run("--server.address=127.0.0.1",
				"--server.port=0", "--data.dir=" + this.dataDir, "--config.file=/dev/null",
				"--jwt.secret=" + UUID.randomUUID() + UUID.randomUUID(), "--limits.enabled=false",
				"--password.bcrypt-cost=4", "--logging.level.root=error");
		this.issuer = this.context.getBean(TokenIssuer.class);
		this.reader = this.context.getBean(SignedTokenReader.class);
		this.verifier = this.context.getBean(TokenVerifier.class);
		this.holders = BenchmarkUsers.create(this.context.getBean(AccountService.class), USERS);
		this.tokens = this.holders.stream().map((holder) -> this.issuer.issue(holder).value()).toList();
		this.tamperedTokens = this.tokens.stream().map(RunningService::withOtherSignature).toList();
		checkPaths();
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		this.context.close();
		FileSystemUtils.deleteRecursively(this.dataDir);
	}

	TokenHolder holder(int turn) {
		return this.holders.get(Math.floorMod(turn, USERS));
	}

	String token(int turn) {
		return this.tokens.get(Math.floorMod(turn, USERS));
	}

	String tampered(int turn) {
		return this.tamperedTokens.get(Math.floorMod(turn, USERS));
	}

	/**
	 * The same header and claims under another signature: well-formed, so only the HMAC
	 * check rejects it, the costliest way to fail.
	 */
	private static String withOtherSignature(String token) {
		int signature = token.lastIndexOf('.') + 1;
		char replaced = (token.charAt(signature) == 'A') ? 'B' : 'A';
		return token.substring(0, signature) + replaced + token.substring(signature + 1);
	}

	/** A benchmark that silently took a failure path would measure the wrong thing. */
	private void checkPaths() {
		for (int turn = 0; turn < USERS; turn++) {
			if (this.reader.read(token(turn)).isEmpty() || this.verifier.verify(token(turn)).isEmpty()
					|| this.reader.read(tampered(turn)).isPresent()) {
				throw new IllegalStateException("A seeded token is not valid, or a tampered one is");
			}
		}
	}

}
