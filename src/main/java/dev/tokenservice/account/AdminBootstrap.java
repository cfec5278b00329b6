package dev.tokenservice.account;

import dev.tokenservice.config.AdminProperties;
import dev.tokenservice.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first admin from configuration at start-up, once: an existing account of
 * that name is left as it is, so a restart neither duplicates the admin nor resets its
 * password, and once any admin exists no other is created, so an admin deleted on purpose
 * stays deleted while {@code ADMIN_PASSWORD} is still set (as Keycloak's bootstrap
 * admin). A bad admin name or password stops the start before the port opens.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton, ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(AdminBootstrap.class);

	private final AdminProperties admin;

	private final AccountService accounts;

	private final PasswordPolicy policy;

	AdminBootstrap(AdminProperties admin, AccountService accounts, PasswordPolicy policy) {
		this.admin = admin;
		this.accounts = accounts;
		this.policy = policy;
		if (admin.isConfigured()) {
			// Its password is checked before the port opens: meanwhile the rest starts.
			policy.prepareInBackground();
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.admin.isConfigured()) {
			checkConfiguredAdmin();
		}
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.admin.isConfigured()) {
			logger.info("No admin password configured: no admin is created at this start (one created earlier "
					+ "stays as it is); set admin.password (ADMIN_PASSWORD) to create one");
			return;
		}
		this.accounts.roleOf(this.admin.username()).ifPresentOrElse(this::reportExisting, this::createIfFirst);
	}

	private void checkConfiguredAdmin() {
		if (!this.admin.username().matches(RegisterRequest.USERNAME_RULE)) {
			throw new InvalidConfigurationException("admin.username", RegisterRequest.USERNAME_MESSAGE);
		}
		this.policy.problemWith(this.admin.password(), this.admin.username()).ifPresent((problem) -> {
			throw new InvalidConfigurationException("admin.password", problem);
		});
	}

	private void reportExisting(Role role) {
		if (role == Role.ADMIN) {
			logger.info("Admin '{}' exists: left unchanged", this.admin.username());
		}
		else {
			logger.warn("User '{}' exists and is not an admin: not promoted; choose another admin.username",
					this.admin.username());
		}
	}

	private void createIfFirst() {
		if (!this.accounts.anyAdminExists()) {
			create();
			return;
		}
		// Another instance sharing the database may have created it since the first look.
		this.accounts.roleOf(this.admin.username()).ifPresentOrElse(this::reportExisting, this::reportNotFirst);
	}

	private void reportNotFirst() {
		logger.warn(
				"Admin '{}' does not exist but other admins do: not created, since admin.password only "
						+ "creates the first admin (one deleted stays deleted); unset it (ADMIN_PASSWORD)",
				this.admin.username());
	}

	private void create() {
		try {
			long id = this.accounts.create(this.admin.username(), this.admin.username() + "@localhost",
					this.admin.password(), Role.ADMIN);
			logger.info("Created admin '{}' (user id {})", this.admin.username(), id);
		}
		catch (UsernameTakenException ex) {
			// Another instance sharing the database created it a moment ago.
			logger.info("Admin '{}' was created by another instance", this.admin.username());
		}
	}

}
