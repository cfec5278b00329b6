package dev.tokenservice.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Swagger UI in a real browser (Debian's chromium, headless), used as a person would:
 * "Try it out" to register, log in and check the token, reading the answers on the page.
 * Skipped only where chromium or chromedriver is not installed, and never on CI
 * ({@code CI=true}), which installs both: there a missing browser fails the test.
 */
class SwaggerUiBrowserTests extends HttpTestSupport {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private static final Path SCREENSHOT = Path.of("target", "swagger-ui.png");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String NOT_INSTALLED = "no chromium or chromedriver on the PATH or in /usr/bin "
			+ "(apt-get install chromium chromium-driver)";

	private static final Logger logger = LoggerFactory.getLogger(SwaggerUiBrowserTests.class);

	private WebDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void openBrowser() {
		Optional<Path> chromium = executable("chromium", "chromium-browser");
		Optional<Path> chromedriver = executable("chromedriver");
		if (chromium.isEmpty() || chromedriver.isEmpty()) {
			// A skip would pass CI unnoticed, and .ci/run is meant to install both.
			if ("true".equals(System.getenv("CI"))) {
				fail("The Swagger UI browser test must run in CI, but there is " + NOT_INSTALLED);
			}
			// Also on the console: Surefire keeps an assumption's message only in its
			// report.
			logger.warn("Swagger UI browser test SKIPPED: {}", NOT_INSTALLED);
		}
		assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
				"Swagger UI browser test SKIPPED: " + NOT_INSTALLED);
		ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(chromedriver.get().toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.browser.manage().timeouts().pageLoadTimeout(PATIENCE);
		this.wait = new WebDriverWait(this.browser, PATIENCE);
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			try {
				saveScreenshot();
			}
			finally {
				this.browser.quit();
			}
		}
	}

	@Test
	void swaggerUiWhenTryingRegisterTokenAndStatusThenThePageShowsEachAnswer() {
		String username = TestUsers.uniqueName("swagger");
		this.browser.get("http://127.0.0.1:" + this.api.port() + "/swagger-ui.html");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".info .title")));
		assertThat(this.browser.findElement(By.cssSelector(".info .title")).getText()).contains("token-service");

		WebElement register = tryItOut("Accounts", "registerUser");
		typeBody(register, "{\"username\": \"" + username + "\", \"password\": \"" + TestUsers.PASSWORD
				+ "\", \"email\": \"" + TestUsers.emailOf(username) + "\"}");
		JsonNode registered = execute(register, "201");
		assertThat(registered.get("message").asString()).isEqualTo("User created successfully");
		assertThat(registered.get("user_id").asLong()).isEqualTo(userIdOf(username));

		WebElement token = tryItOut("Tokens", "issueToken");
		typeBody(token, "{\"username\": \"" + username + "\", \"password\": \"" + TestUsers.PASSWORD + "\"}");
		JsonNode issued = execute(token, "200");
		String jwt = issued.get("token").asString();
		assertThat(jwt).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

		WebElement status = tryItOut("Tokens", "tokenStatus");
		status.findElement(By.cssSelector("tr[data-param-name='token'] input")).sendKeys(jwt);
		JsonNode checked = execute(status, "200");
		assertThat(checked.get("message").asString()).isEqualTo("Token is valid");
		assertThat(checked.get("username").asString()).isEqualTo(username);
	}

	/** Opens the operation and presses "Try it out"; returns the operation's block. */
	private WebElement tryItOut(String tag, String operationId) {
		By block = By.id("operations-" + tag + "-" + operationId);
		WebElement operation = this.wait.until(ExpectedConditions.presenceOfElementLocated(block));
		scrollTo(operation);
		visible(operation, ".opblock-summary-control").click();
		visible(operation, "button.try-out__btn").click();
		visible(operation, "button.execute");
		return operation;
	}

	private void typeBody(WebElement operation, String json) {
		WebElement body = visible(operation, "textarea.body-param__text");
		body.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
		body.sendKeys(json);
	}

	/**
	 * Presses Execute, waits for the live response, checks its status and returns its
	 * body as shown on the page.
	 */
	private JsonNode execute(WebElement operation, String expectedStatus) {
		WebElement execute = visible(operation, "button.execute");
		scrollTo(execute);
		execute.click();
		WebElement status = this.wait.until((driver) -> operation
			.findElements(By.cssSelector(".live-responses-table .response .response-col_status"))
			.stream()
			.filter((cell) -> !cell.getText().isBlank())
			.findFirst()
			.orElse(null));
		WebElement body = visible(operation, ".live-responses-table .response .response-col_description pre");
		assertThat(status.getText().trim()).as(body.getText()).startsWith(expectedStatus);
		return JSON.readTree(body.getText());
	}

	/** Waits until an element inside {@code scope} is shown, and returns it. */
	private WebElement visible(WebElement scope, String css) {
		return this.wait.until((driver) -> scope.findElements(By.cssSelector(css))
			.stream()
			.filter(WebElement::isDisplayed)
			.findFirst()
			.orElse(null));
	}

	private void scrollTo(WebElement element) {
		((JavascriptExecutor) this.browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
	}

	private void saveScreenshot() throws IOException {
		File shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
		Files.createDirectories(SCREENSHOT.getParent());
		Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
	}

	/** The first of these programs found on the PATH (Debian puts them in /usr/bin). */
	private static Optional<Path> executable(String... names) {
		String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
		return Stream.of(names)
			.flatMap((name) -> Stream.of(path.split(File.pathSeparator))
				.filter((dir) -> !dir.isEmpty())
				.map((dir) -> Path.of(dir, name)))
			.filter(Files::isExecutable)
			.findFirst();
	}

}
