package dev.tokenservice.account;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do to other accounts. Never leaves the service without an enabled admin:
 * the enabled admins are locked while a change to one of them is decided.
 */
@Service
class AccountAdministration {

	static final int MAX_PAGE_SIZE = 200;

	private final UserAccountRepository users;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AccountAdministration(UserAccountRepository users, Clock clock, ApplicationEventPublisher events) {
		this.users = users;
		this.clock = clock;
		this.events = events;
	}

	@Transactional
	public void setEnabled(long userId, boolean enabled) {
		UserAccount user = this.users.findById(userId).orElseThrow(AccountNotFoundException::new);
		if (!enabled) {
			rejectIfLastEnabledAdmin(user);
		}
		user.setEnabled(enabled, this.clock.instant());
		this.events.publishEvent(new TokenValidityChanged(userId));
	}

	@Transactional
	public void delete(long userId) {
		UserAccount user = this.users.findById(userId).orElseThrow(AccountNotFoundException::new);
		rejectIfLastEnabledAdmin(user);
		this.users.delete(user);
		this.events.publishEvent(new TokenValidityChanged(userId));
	}

	@Transactional(readOnly = true)
	public UserPage list(int page, int size) {
		int pageSize = Math.min(size, MAX_PAGE_SIZE);
		Page<UserAccount> found = this.users.findAll(PageRequest.of(page, pageSize, Sort.by("id")));
		return new UserPage(found.map(UserView::of).getContent(), page, pageSize, found.getTotalElements());
	}

	private void rejectIfLastEnabledAdmin(UserAccount user) {
		if (!user.isEnabledAdmin()) {
			return;
		}
		List<UserAccount> enabledAdmins = this.users.lockEnabledAdmins();
		boolean othersRemain = enabledAdmins.stream().anyMatch((admin) -> !admin.getId().equals(user.getId()));
		if (!othersRemain) {
			throw new LastAdminException();
		}
	}

}
