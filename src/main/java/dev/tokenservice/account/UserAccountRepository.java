package dev.tokenservice.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

	Optional<UserAccount> findByUsername(String username);

	@Query("select u.id from UserAccount u where u.username = :username")
	Optional<Long> findIdByUsername(String username);

	boolean existsByRole(Role role);

	/**
	 * Locks the enabled admins, so two admins disabling each other at once are decided
	 * one after the other.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select u from UserAccount u where u.role = dev.tokenservice.account.Role.ADMIN and u.enabled = true")
	List<UserAccount> lockEnabledAdmins();

	/**
	 * Ends every token issued so far; an atomic increment, so concurrent changes never
	 * lose one.
	 */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("update UserAccount u set u.tokenVersion = u.tokenVersion + 1, u.updatedAt = :now, "
			+ "u.version = u.version + 1 where u.id = :id")
	int endTokensIssuedBefore(long id, Instant now);

	/**
	 * Sets a new password if the current one is still the one the caller proved: of two
	 * changes at once, the one that checked against an outdated hash writes nothing.
	 */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("update UserAccount u set u.passwordHash = :newHash, u.tokenVersion = u.tokenVersion + 1, "
			+ "u.updatedAt = :now, u.version = u.version + 1 where u.id = :id and u.passwordHash = :currentHash")
	int changePassword(long id, String currentHash, String newHash, Instant now);

	/**
	 * Swaps the hash for a stronger one of the same password. The token version and the
	 * row's version stay: no token, toggle or password change has anything to redo.
	 */
	@Transactional
	@Modifying(clearAutomatically = true)
	@Query("update UserAccount u set u.passwordHash = :newHash, u.updatedAt = :now "
			+ "where u.id = :id and u.passwordHash = :oldHash")
	int replacePasswordHash(long id, String oldHash, String newHash, Instant now);

}
